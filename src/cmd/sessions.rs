//! `mend sessions`: the newest sessions (all with `--all`), each with its
//! start, partners, exercises, and where it stopped, in words.

use crate::cmd::Status;
use crate::engine::exercise::Exercise;
use crate::store::data_dir::DataDir;
use crate::store::session::{RunLog, SessionLog, first_line};
use crate::store::session_log::{Listed, list, newest};
use crate::text::neutralize;
use std::collections::HashMap;
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
    print!(
        "{}",
        listing(&data, args.all, crate::text::terminal_width())
    );
    Ok(ExitCode::SUCCESS)
}

/// What `mend sessions` prints, wrapped to `width`. Without `all` it reads
/// the end of the sessions index and the newest journals only, so it costs
/// the same with 10 sessions or 10,000 (`cargo bench --bench history`).
pub fn listing(data: &DataDir, all: bool, width: Option<usize>) -> String {
    let mut sessions: Vec<Listed> = if all {
        list(data)
    } else {
        newest(data, RECENT + 1, |_| true)
    };
    if sessions.is_empty() {
        return format!(
            "No sessions yet in {}. `mend run <exercise>` starts one.\n",
            data.root().display()
        );
    }
    let more = !all && sessions.len() > RECENT;
    if !all {
        sessions.truncate(RECENT);
        sessions.reverse();
    }
    let mut out = String::new();
    let mut compiled = Compiled::default();
    for entry in &sessions {
        let block = match entry {
            Ok(log) => describe(log, &mut compiled),
            Err((path, error)) => format!(
                "{}\n  cannot be read: {}",
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                first_line(error)
            ),
        };
        out.push_str(&crate::text::wrap_block(&block, width));
        out.push_str("\n\n");
    }
    if more {
        out.push_str("Older sessions are not shown; `mend sessions --all` lists every one.\n");
    }
    out
}

/// Each exercise text the listing shows, compiled once: ten sessions of
/// the same exercise compile it once, not ten times.
/// A text that cannot be had (missing, changed) is the problem to show.
#[derive(Default)]
struct Compiled {
    by_text: HashMap<String, Result<Option<Exercise>, String>>,
}

impl Compiled {
    fn of(&mut self, run: &RunLog) -> &Result<Option<Exercise>, String> {
        let key = run
            .header
            .text_sha256
            .clone()
            .unwrap_or_else(|| format!("inline {}", run.header.exercise.hash));
        self.by_text.entry(key).or_insert_with(|| match run.text() {
            Ok(text) => Ok(run.exercise_of(text)),
            Err(problem) => Err(first_line(&problem)),
        })
    }
}

/// "20261125-184502-3fa1 · 2026-11-25 18:45 · Alex and Sam", then one line
/// per exercise: its title and how it ended, the waiting question in words.
fn describe(log: &SessionLog, compiled: &mut Compiled) -> String {
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
        let (exercise, problem) = match compiled.of(run) {
            Ok(exercise) => (exercise.as_ref(), None),
            Err(problem) => (None, Some(problem.clone())),
        };
        let status = if run.finished() {
            "finished".to_owned()
        } else {
            let how = match run.last_stop().map(|m| m.kind) {
                Some(crate::store::moment::MomentKind::Break) => "paused for a break",
                _ => "not finished",
            };
            match run.waiting_question_in(exercise) {
                Some(question) => format!(
                    "{how}, waiting at: {}",
                    neutralize(question.lines().next().unwrap_or_default().trim())
                ),
                None => how.to_owned(),
            }
        };
        out.push_str(&format!("\n  {}: {status}", run.title_in(exercise)));
        if let Some(problem) = problem {
            out.push_str(&format!("\n  ({problem})"));
        }
    }
    out
}
