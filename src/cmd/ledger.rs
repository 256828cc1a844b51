use crate::cmd::Status;
use crate::engine::ledger::{Commitment, CommitmentStatus, CommitmentView, Ledger};
use crate::partners;
use crate::store::data_dir::DataDir;
use crate::store::ledger_log::{self, couples};
use anyhow::bail;
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Whose ledger: the two names, in either order [default: the only couple with a ledger]
    #[arg(long, value_name = "\"NAME,NAME\"")]
    pub partners: Option<String>,
    /// Every change, oldest first: what was made, marked or changed, when and in which session
    #[arg(long)]
    pub history: bool,
}

pub fn execute(args: Args, data: Option<&Path>) -> Status {
    let data = DataDir::open(data)?;
    let partners = match &args.partners {
        Some(list) => partners::parse(list)?,
        None => {
            let couples = couples(&data);
            match couples.as_slice() {
                [] => {
                    println!(
                        "No ledger yet. Commitments and agreements made in an exercise appear here once it is finished."
                    );
                    return Ok(ExitCode::SUCCESS);
                }
                [one] => one.clone(),
                many => {
                    let names: Vec<String> =
                        many.iter().map(|[a, b]| format!("\"{a},{b}\"")).collect();
                    bail!(
                        "there are ledgers for several couples; pick one with --partners: {}",
                        names.join(", ")
                    );
                }
            }
        }
    };
    // A data folder from an earlier mend is brought to histories first.
    ledger_log::ensure_histories(&data)?;
    let log = ledger_log::read(&data, &partners)?;
    if args.history {
        print!("{}", history(&log));
        return Ok(ExitCode::SUCCESS);
    }
    print!(
        "{}",
        describe(&log.ledger(), chrono::Local::now().date_naive())
    );
    Ok(ExitCode::SUCCESS)
}

/// Each entry of the history, with what it changed in the ledger: the
/// ledger before and after it are compared, so every kind of change an
/// exercise can make is shown the same way.
fn history(log: &ledger_log::LedgerLog) -> String {
    let [a, b] = &log.partners;
    let mut out = format!("History of the ledger of {a} and {b}\n");
    if log.entries.is_empty() {
        out.push_str("\n  nothing yet\n");
    }
    let mut before = Ledger::new(&log.partners);
    for entry in &log.entries {
        let mut after = before.clone();
        after.apply(&entry.run, &entry.session, &entry.records);
        let when = entry
            .at
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M");
        let from = match entry.exercise.as_str() {
            "" => String::new(),
            exercise => format!(", {exercise}"),
        };
        let _ = writeln!(out, "\n{when} · session {}{from}", entry.session);
        for c in &after.commitments {
            match before.commitments.iter().find(|old| old.id == c.id) {
                None => {
                    let when = match (&c.due, &c.due_text) {
                        (Some(due), Some(words)) if *words == due.to_string() => {
                            format!(" (due {due})")
                        }
                        (_, Some(words)) => format!(" ({words})"),
                        (Some(due), None) => format!(" (due {due})"),
                        _ => String::new(),
                    };
                    let _ = writeln!(out, "  made      {:<4} {}: {}{when}", c.id, c.owner, c.text);
                }
                Some(old) if old.status != c.status => {
                    let _ = writeln!(
                        out,
                        "  marked    {:<4} {}: {}: {}",
                        c.id,
                        c.owner,
                        c.text,
                        c.status.word()
                    );
                }
                Some(old) if old.text != c.text || old.due != c.due => {
                    let _ = writeln!(out, "  changed   {:<4} {}: {}", c.id, c.owner, c.text);
                }
                Some(_) => {}
            }
        }
        for agreement in after
            .agreements
            .iter()
            .filter(|x| !before.agreements.iter().any(|old| old.id == x.id))
        {
            let revisit = match (&agreement.revisit, &agreement.revisit_text) {
                (Some(date), Some(words)) if *words == date.to_string() => {
                    format!(" (revisit {date})")
                }
                (_, Some(words)) => format!(" (revisit {words})"),
                (Some(date), None) => format!(" (revisit {date})"),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  agreed    {:<4} {}{revisit}",
                agreement.id, agreement.text
            );
        }
        before = after;
    }
    out
}

/// The ledger as `mend ledger` shows it: open commitments first, with
/// what is due or overdue marked.
fn describe(ledger: &Ledger, today: NaiveDate) -> String {
    let view = ledger.view(today);
    let [a, b] = &ledger.partners;
    let mut out = format!("Ledger for {a} and {b} (today is {today})\n");
    let when = |c: &CommitmentView| match (c.due.as_str(), c.due_text.as_str()) {
        ("", "") => String::new(),
        ("", words) => format!(" ({words})"),
        (due, _) => format!(" (due {due})"),
    };
    out.push_str("\nOpen commitments\n");
    if view.open.is_empty() {
        out.push_str("  none\n");
    }
    for c in &view.open {
        let mark = if c.overdue {
            "  OVERDUE"
        } else if !c.due.is_empty() && c.due == view.today {
            "  DUE TODAY"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {:<4} {}: {}{}{mark}",
            c.id,
            c.owner,
            c.text,
            when(c)
        );
    }
    let closed: Vec<&Commitment> = ledger
        .commitments
        .iter()
        .filter(|c| c.status != CommitmentStatus::Open)
        .collect();
    if !closed.is_empty() {
        out.push_str("\nReviewed commitments\n");
        for c in closed {
            let on = c
                .history
                .last()
                .map(|h| format!(" on {}", h.at.date_naive()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<4} {}: {} ({}{on})",
                c.id,
                c.owner,
                c.text,
                c.status.word()
            );
        }
    }
    out.push_str("\nAgreements\n");
    if view.agreements.is_empty() {
        out.push_str("  none\n");
    }
    for a in &view.agreements {
        let topic = if a.topic.is_empty() {
            String::new()
        } else {
            format!("[{}] ", a.topic)
        };
        // The words as said, when they say more than the date.
        let words = match a.revisit_text.as_str() {
            "" => String::new(),
            words if words == a.revisit => String::new(),
            words => format!(", \"{words}\""),
        };
        let revisit = match (a.revisit.as_str(), a.revisit_due) {
            ("", _) if a.revisit_text.is_empty() => String::new(),
            ("", _) => format!(" (revisit {})", a.revisit_text),
            (date, true) => format!(" (revisit {date}{words}: due now)"),
            (date, false) => format!(" (revisit {date}{words})"),
        };
        let _ = writeln!(out, "  {:<4} {topic}{}{revisit}", a.id, a.text);
    }
    out
}
