use crate::cmd::Status;
use crate::engine::ledger::{Action, ItemView, Ledger};
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
        for item in &after.items {
            let who = match item.owner().as_str() {
                "" => String::new(),
                owner => format!("{owner}: "),
            };
            match before.items.iter().find(|old| old.id == item.id) {
                None => {
                    let when = match (&item.date, &item.date_text) {
                        (Some(date), Some(words)) if *words == date.to_string() => {
                            format!(" ({date})")
                        }
                        (_, Some(words)) => format!(" ({words})"),
                        (Some(date), None) => format!(" ({date})"),
                        _ => String::new(),
                    };
                    let verb = format!("made {}", item.kind.word());
                    let _ = writeln!(out, "  {verb:<16} {:<4} {who}{}{when}", item.id, item.text);
                }
                Some(old) if old.history.len() != item.history.len() => {
                    for change in &item.history[old.history.len()..] {
                        let _ = writeln!(
                            out,
                            "  {:<16} {:<4} {who}{}",
                            Action::reads(change.action.word(), item.ongoing),
                            item.id,
                            item.text
                        );
                    }
                }
                Some(_) => {}
            }
        }
        before = after;
    }
    out
}

/// What the last review did to an item still in force (" [missed on
/// 2026-12-02, kept to try again]"), so the plain view says a commitment
/// is being renegotiated or was missed once without `--history`.
fn last_mark(item: &ItemView) -> String {
    let on = &item.marked;
    match item.mark.as_str() {
        "" => String::new(),
        "retried" => format!(" [missed on {on}, kept to try again]"),
        "renegotiating" => format!(" [being renegotiated since {on}; stands as it was]"),
        mark => format!(" [{} on {on}]", Action::reads(mark, item.ongoing)),
    }
}

/// The ledger as `mend ledger` shows it: open commitments first, with
/// what is due or overdue marked, then agreements, open items, and what
/// was closed.
fn describe(ledger: &Ledger, today: NaiveDate) -> String {
    let view = ledger.view(today);
    let [a, b] = &ledger.partners;
    let mut out = format!("Ledger for {a} and {b} (today is {today})\n");
    let when = |c: &ItemView| match (c.ongoing, c.due.as_str(), c.due_text.as_str()) {
        (true, _, words) => format!(" ({words}, since {})", c.since),
        (false, "", "") => String::new(),
        (false, "", words) => format!(" ({words})"),
        (false, due, _) => format!(" (due {due})"),
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
            "  {:<4} {}: {}{}{}{mark}",
            c.id,
            c.owner,
            c.text,
            when(c),
            last_mark(c)
        );
    }
    let closed: Vec<&ItemView> = view.commitments.iter().filter(|c| !c.live).collect();
    if !closed.is_empty() {
        out.push_str("\nReviewed commitments\n");
        for c in closed {
            let on = if c.marked.is_empty() {
                String::new()
            } else {
                format!(" on {}", c.marked)
            };
            let _ = writeln!(
                out,
                "  {:<4} {}: {} ({}{on})",
                c.id, c.owner, c.text, c.status
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
        // Owned by both reads "Alex and Sam: ", so an agreement made
        // together is never mistaken for one without an owner.
        let whose = if a.owner.is_empty() {
            String::new()
        } else {
            format!("{}: ", a.owner)
        };
        let revisit = match (a.revisit.as_str(), a.revisit_due, a.revisit_text.as_str()) {
            ("", _, "") => String::new(),
            ("", _, words) => format!(" (revisit {words})"),
            (date, true, _) => format!(" (revisit {date}: due now)"),
            (date, false, _) => format!(" (revisit {date})"),
        };
        let _ = writeln!(out, "  {:<4} {topic}{whose}{}{revisit}", a.id, a.text);
    }
    if !view.pending.is_empty() {
        out.push_str("\nKept open\n");
        for o in &view.pending {
            let about = if o.about.is_empty() {
                String::new()
            } else {
                format!(" (about: {})", o.about)
            };
            let _ = writeln!(out, "  {:<4} {}: {}{about}", o.id, o.owner, o.text);
        }
    }
    let ended: Vec<&ItemView> = view
        .items
        .iter()
        .filter(|i| !i.live && i.kind != "commitment")
        .collect();
    if !ended.is_empty() {
        out.push_str("\nClosed agreements and open items\n");
        for i in ended {
            let _ = writeln!(
                out,
                "  {:<4} {} ({} on {})",
                i.id, i.text, i.status, i.marked
            );
        }
    }
    out
}
