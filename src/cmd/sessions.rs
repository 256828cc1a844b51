//! `mend sessions`: the newest sessions, ten a page (all with `--all`),
//! each with its start, partners, exercises, and where it stopped, in words.

use crate::cmd::Status;
use crate::engine::exercise::Exercise;
use crate::store::data_dir::DataDir;
use crate::store::session::{RunLog, SessionLog, first_line};
use crate::store::session_log::{Listed, list, newest_page};
use crate::text::neutralize;
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

/// How many sessions a page of `mend sessions` shows.
pub const RECENT: usize = 10;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Every session, not only the newest 10 (reads every journal)
    #[arg(long, conflicts_with = "page")]
    pub all: bool,
    /// The next older 10 sessions on page 2, and so on [default: 1, the newest]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub page: Option<u32>,
}

/// Which sessions to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Ten, newest first from the `n`th ten (1: the newest).
    Page(usize),
    All,
}

pub fn execute(args: Args, data: Option<&Path>) -> Status {
    let data = DataDir::open(data)?;
    let which = match (args.all, args.page) {
        (true, _) => Which::All,
        (false, page) => Which::Page(page.unwrap_or(1) as usize),
    };
    print!("{}", listing(&data, which, crate::text::terminal_width()));
    Ok(ExitCode::SUCCESS)
}

/// What `mend sessions` prints, wrapped to `width`. A page reads the end
/// of the sessions index and its own journals only, so the newest page
/// costs the same with 10 sessions or 10,000 (`cargo bench --bench
/// history`), and page N costs what N pages do.
pub fn listing(data: &DataDir, which: Which, width: Option<usize>) -> String {
    let page = match which {
        Which::Page(n) => Some(n.max(1)),
        Which::All => None,
    };
    let mut sessions: Vec<Listed> = match page {
        None => list(data),
        Some(n) => newest_page(data, (n - 1) * RECENT, RECENT + 1, |_| true),
    };
    if sessions.is_empty() {
        return match page {
            Some(n) if n > 1 => format!(
                "No sessions on page {n}: there are fewer than {} in {}.\n",
                (n - 1) * RECENT + 1,
                data.root().display()
            ),
            _ => format!(
                "No sessions yet in {}. `mend run <exercise>` starts one.\n",
                data.root().display()
            ),
        };
    }
    let more = page.is_some() && sessions.len() > RECENT;
    if page.is_some() {
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
    if let (true, Some(n)) = (more, page) {
        out.push_str(&format!(
            "Older sessions: `mend sessions --page {}` shows the next {RECENT}, `mend sessions --all` every one.\n",
            n + 1
        ));
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
        // The text and the word lists it was played with.
        let key = match &run.header.text_sha256 {
            Some(text) => format!("{text} {:?}", run.header.words_sha256),
            None => format!("inline {}", run.header.exercise.hash),
        };
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
