//! `mend sessions`: the newest sessions (all with `--all`), each with its
//! start, partners, exercises, and where it stopped, in words.

use crate::cmd::Status;
use crate::store::data_dir::DataDir;
use crate::store::session::{SessionLog, first_line};
use crate::store::session_log::{Listed, list, newest};
use crate::text::neutralize;
use std::path::Path;
use std::process::ExitCode;

/// How many sessions `mend sessions` shows without `--all`.
pub const RECENT: usize = 10;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Every session, not only the newest 10 (reads every journal)
    #[arg(long)]
    pub all: bool,
}

pub fn execute(args: Args, data: Option<&Path>) -> Status {
    let data = DataDir::open(data)?;
    let mut sessions: Vec<Listed> = if args.all {
        list(&data)
    } else {
        newest(&data, RECENT + 1, |_| true)
    };
    if sessions.is_empty() {
        println!(
            "No sessions yet in {}. `mend run <exercise>` starts one.",
            data.root().display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let more = !args.all && sessions.len() > RECENT;
    if !args.all {
        sessions.truncate(RECENT);
        sessions.reverse();
    }
    let width = crate::text::terminal_width();
    for entry in &sessions {
        let block = match entry {
            Ok(log) => describe(log),
            Err((path, error)) => format!(
                "{}\n  cannot be read: {}",
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                first_line(error)
            ),
        };
        println!("{}\n", crate::text::wrap_block(&block, width));
    }
    if more {
        println!("Older sessions are not shown; `mend sessions --all` lists every one.");
    }
    Ok(ExitCode::SUCCESS)
}

/// "20261125-184502-3fa1 · 2026-11-25 18:45 · Alex and Sam", then one line
/// per exercise: its title and how it ended, the waiting question in words.
fn describe(log: &SessionLog) -> String {
    let started = log
        .started()
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    let partners = log
        .partners()
        .map(|[a, b]| format!("{} and {}", neutralize(a), neutralize(b)))
        .unwrap_or_default();
    let mut out = format!("{} · {started} · {partners}", log.id);
    if let Some(warning) = &log.warning {
        out.push_str(&format!(
            "\n  (the last line was cut off: {})",
            first_line(warning)
        ));
    }
    if log.runs.is_empty() {
        out.push_str("\n  no exercise begun");
    }
    for run in &log.runs {
        let status = if run.finished() {
            "finished".to_owned()
        } else {
            let how = match run.last_stop().map(|m| m.kind) {
                Some(crate::store::moment::MomentKind::Break) => "paused for a break",
                _ => "not finished",
            };
            match run.waiting_question() {
                Some(question) => format!(
                    "{how}, waiting at: {}",
                    neutralize(question.lines().next().unwrap_or_default().trim())
                ),
                None => how.to_owned(),
            }
        };
        out.push_str(&format!("\n  {}: {status}", run.title()));
    }
    out
}
