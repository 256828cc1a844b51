use crate::cmd::Status;
use crate::engine::ledger::{Commitment, CommitmentStatus, CommitmentView, Ledger};
use crate::partners;
use crate::store::data_dir::DataDir;
use crate::store::session::couples;
use crate::store::session::sync_ledger;
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
    let ledger = sync_ledger(&data, &partners)?;
    print!("{}", describe(&ledger, chrono::Local::now().date_naive()));
    Ok(ExitCode::SUCCESS)
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
        let revisit = match (a.revisit.as_str(), a.revisit_due) {
            ("", _) => String::new(),
            (date, true) => format!(" (revisit {date}: due now)"),
            (date, false) => format!(" (revisit {date})"),
        };
        let _ = writeln!(out, "  {:<4} {topic}{}{revisit}", a.id, a.text);
    }
    out
}
