//! Sessions read back from their journals: what `mend sessions`, `mend
//! resume` and `mend notes` see.

use crate::diagnostic::source::Source;
use crate::engine::event::Event;
use crate::engine::exercise::Exercise;
use crate::engine::run::Run;
use crate::engine::state::RunState;
use crate::format::compiler::compile;
use crate::format::word_lists::WordLists;
use crate::store::data_dir::DataDir;
use crate::store::exercise_texts;
use crate::store::journal::{self, ExerciseHeader, Start};
use crate::store::moment::{Moment, MomentKind};
use crate::store::session_index;
use crate::store::store_error::StoreError;
use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use std::path::{Path, PathBuf};

/// A session read back from its journal.
#[derive(Debug, Clone)]
pub struct SessionLog {
    pub id: String,
    pub path: PathBuf,
    pub start: Option<Start>,
    pub runs: Vec<RunLog>,
    pub warning: Option<String>,
    pub(crate) valid_len: u64,
}

/// One exercise of a session: how it began and its latest state.
#[derive(Debug, Clone)]
pub struct RunLog {
    pub header: ExerciseHeader,
    /// The folder of kept exercise texts (`exercise_texts`) that the
    /// header's `text_sha256` names a file in.
    pub texts: PathBuf,
    pub state: Option<RunState>,
    pub saved: Option<DateTime<Utc>>,
    /// Breaks, resumes, nudges... during this exercise, oldest first.
    pub moments: Vec<Moment>,
}

impl RunLog {
    pub fn finished(&self) -> bool {
        self.state.as_ref().is_some_and(|s| s.cursor.at.is_none())
    }

    /// The exercise file's text as it was played: in the journal (before
    /// version 3), else the data folder's copy the journal names, checked
    /// against its SHA-256. Missing or changed, an error that says so.
    pub fn text(&self) -> Result<String, StoreError> {
        match &self.header.text_sha256 {
            Some(key) => self.kept_text(key),
            None => Ok(self.header.text.clone()),
        }
    }

    /// The keys of the texts the data folder keeps for this run: the
    /// exercise's, and the shared word lists it read.
    pub fn kept_keys(&self) -> impl Iterator<Item = &String> {
        self.header
            .text_sha256
            .iter()
            .chain(&self.header.words_sha256)
    }

    /// A kept text of this run by its key (one of `kept_keys`), checked
    /// against its SHA-256.
    pub fn kept_text(&self, key: &str) -> Result<String, StoreError> {
        exercise_texts::read(&self.texts, key, &self.header.exercise.id)
    }

    /// The exercise as it was played, compiled from the saved copy (`None`
    /// when the copy cannot be had or no longer compiles).
    pub fn exercise(&self) -> Option<Exercise> {
        self.exercise_of(self.text().ok()?)
    }

    /// The exercise compiled from `text`, its saved copy read by the caller.
    pub fn exercise_of(&self, text: String) -> Option<Exercise> {
        let id = &self.header.exercise.id;
        compile(id, Source::new(id.clone(), text), &self.played_words()).exercise
    }

    /// The shared word lists as played: the data folder's copy the journal
    /// names; in journals before it, the run's variables held them. A copy
    /// gone missing or changed reads as empty lists: they only steer
    /// nudges, and the run's steps, answers and notes never depend on them
    /// (`played_words_kept` tells whether the copy was there).
    pub fn played_words(&self) -> WordLists {
        self.played_words_kept()
            .unwrap_or_else(|| WordLists::played(&IndexMap::new()))
    }

    /// The shared word lists as played, if the copy the journal names (or
    /// the variables of an older journal) can be read.
    pub fn played_words_kept(&self) -> Option<WordLists> {
        let Some(key) = &self.header.words_sha256 else {
            return Some(
                self.state
                    .as_ref()
                    .map_or_else(WordLists::none, |s| WordLists::played(&s.cursor.vars)),
            );
        };
        let text = self.kept_text(key).ok()?;
        let lists: IndexMap<String, serde_json::Value> = serde_json::from_str(&text).ok()?;
        Some(WordLists::played(&lists))
    }

    /// The exercise's title as it was played (its id if the copy no longer
    /// compiles).
    pub fn title(&self) -> String {
        self.title_in(self.exercise().as_ref())
    }

    /// The title, with the exercise already compiled by the caller.
    pub fn title_in(&self, exercise: Option<&Exercise>) -> String {
        exercise.map_or_else(|| self.header.exercise.id.clone(), |e| e.title.clone())
    }

    /// The question waiting when the run stopped, in words: as a break
    /// recorded it, else rendered again from the saved copy.
    pub fn waiting_question(&self) -> Option<String> {
        if self.recorded_question().is_some() {
            return self.recorded_question();
        }
        self.waiting_question_in(self.exercise().as_ref())
    }

    /// The waiting question as a break recorded it.
    fn recorded_question(&self) -> Option<String> {
        let step = self.state.as_ref()?.cursor.at.as_deref()?;
        self.moments
            .iter()
            .rev()
            .find(|m| m.step.as_deref() == Some(step) && m.question.is_some())
            .and_then(|m| m.question.clone())
    }

    /// The waiting question, with the exercise already compiled by the
    /// caller (`mend sessions` compiles each text once for all its runs).
    pub fn waiting_question_in(&self, exercise: Option<&Exercise>) -> Option<String> {
        let state = self.state.as_ref()?;
        state.cursor.at.as_deref()?;
        if let Some(question) = self.recorded_question() {
            return Some(question);
        }
        let mut run = Run::restore(exercise?, state.clone())
            .ok()?
            .with_ledger(self.header.ledger.clone());
        // Steps that only speak may come first (a run stopped before its
        // first question); bounded, as a loop of them would be an error.
        for _ in 0..crate::limits::STEPS {
            match run.next_event().ok()? {
                Event::Prompt(prompt) => return Some(prompt.text.clone()),
                Event::Say { .. } => continue,
                Event::Finished => return None,
            }
        }
        None
    }

    /// The last break or stop, if the journal recorded one.
    pub fn last_stop(&self) -> Option<&Moment> {
        self.moments
            .iter()
            .rev()
            .find(|m| matches!(m.kind, MomentKind::Break | MomentKind::Quit))
    }
}

impl SessionLog {
    pub fn read(path: &Path) -> Result<SessionLog, StoreError> {
        let read = journal::read(path)?;
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut log = SessionLog {
            id,
            path: path.to_owned(),
            start: None,
            runs: Vec::new(),
            warning: read.warning,
            valid_len: read.valid_len,
        };
        let folded = journal::fold(read.lines);
        if let Some(v) = folded.start.as_ref().map(|s| s.v)
            && v > journal::JOURNAL_VERSION
        {
            return Err(StoreError::Refused(format!(
                "session {} was written by a newer mend (journal version {v}); update mend to read it",
                log.id
            )));
        }
        // Journals live in `<data>/sessions`; the texts they name in
        // `<data>/texts`.
        let texts = path
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."))
            .join("texts");
        log.start = folded.start;
        log.runs = folded
            .runs
            .into_iter()
            .map(|run| {
                let (state, saved) = run.last.map(|s| (s.state, s.saved)).unzip();
                RunLog {
                    header: run.header,
                    texts: texts.clone(),
                    state,
                    saved,
                    moments: run.moments,
                }
            })
            .collect();
        Ok(log)
    }

    pub fn partners(&self) -> Option<&[String; 2]> {
        self.start.as_ref().map(|s| &s.partners)
    }

    /// Finished when every exercise begun was played to its end.
    pub fn finished(&self) -> bool {
        !self.runs.is_empty() && self.runs.iter().all(RunLog::finished)
    }

    /// The exercise to continue, if the last one did not finish.
    pub fn unfinished(&self) -> Option<&RunLog> {
        self.runs.last().filter(|r| !r.finished())
    }

    pub fn started(&self) -> Option<DateTime<Utc>> {
        self.start.as_ref().map(|s| s.started)
    }
}

pub type Listed = Result<SessionLog, (PathBuf, StoreError)>;

/// The ids of the journals under `data`, oldest first.
pub fn journal_ids(data: &DataDir) -> Vec<String> {
    journal_paths(data)
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect()
}

/// The journals under `data`, by name: a session id starts with its start
/// time, so the newest is last.
fn journal_paths(data: &DataDir) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data.sessions()) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    paths.sort();
    paths
}

/// The newest sessions, newest first, reading no other journal (what
/// `mend sessions` and `mend notes --last` show, whatever the history).
/// `keep` says which to count; reading stops at `limit` of them.
pub fn newest(data: &DataDir, limit: usize, keep: impl Fn(&SessionLog) -> bool) -> Vec<Listed> {
    newest_page(data, 0, limit, keep)
}

/// `newest`, after passing over the `skip` newest journals unread (the
/// pages of `mend sessions`).
pub fn newest_page(
    data: &DataDir,
    skip: usize,
    limit: usize,
    keep: impl Fn(&SessionLog) -> bool,
) -> Vec<Listed> {
    // From the index; else (a data folder from before it) from the folder.
    if let Some(index) = session_index::read(data) {
        let paths = index
            .map(|id| data.sessions().join(format!("{id}.jsonl")))
            .filter(|p| p.is_file())
            .skip(skip);
        return newest_of(paths, limit, &keep);
    }
    newest_of(
        journal_paths(data).into_iter().rev().skip(skip),
        limit,
        &keep,
    )
}

/// The newest sessions waiting to be resumed, newest first, at most
/// `limit`: only the journals `waiting` marks are read, whatever the
/// history.
pub fn newest_waiting(data: &DataDir, limit: usize) -> Vec<Listed> {
    let waits = |path: &Path| SessionLog::read(path).is_ok_and(|log| log.unfinished().is_some());
    let paths = crate::store::waiting::ids(data, waits)
        .into_iter()
        .map(|id| data.sessions().join(format!("{id}.jsonl")))
        .filter(|p| p.is_file());
    newest_of(paths, limit, &|log: &SessionLog| log.unfinished().is_some())
}

/// Reads `paths` (newest first) until `limit` sessions are kept.
fn newest_of(
    paths: impl Iterator<Item = PathBuf>,
    limit: usize,
    keep: &impl Fn(&SessionLog) -> bool,
) -> Vec<Listed> {
    let mut found = Vec::new();
    let mut kept = 0;
    for path in paths {
        if kept >= limit {
            break;
        }
        match SessionLog::read(&path) {
            Ok(log) if keep(&log) => {
                kept += 1;
                found.push(Ok(log));
            }
            Ok(_) => {}
            Err(e) => found.push(Err((path, e))),
        }
    }
    // Ids order sessions to the second; within one, by start time.
    found.sort_by(|a, b| match (a, b) {
        (Ok(a), Ok(b)) => (b.started(), &b.id).cmp(&(a.started(), &a.id)),
        _ => std::cmp::Ordering::Equal,
    });
    found
}

/// Every session under `data`, oldest first. A journal that cannot be read
/// is returned as its error, so one damaged file hides no others.
pub fn list(data: &DataDir) -> Vec<Listed> {
    let mut sessions: Vec<_> = journal_paths(data)
        .into_iter()
        .map(|p| SessionLog::read(&p).map_err(|e| (p, e)))
        .collect();
    // By start time: ids alone do not order two sessions started in the
    // same second.
    sessions.sort_by_key(|entry| match entry {
        Ok(log) => (log.started(), log.id.clone()),
        Err((path, _)) => (None, path.display().to_string()),
    });
    sessions
}

/// The sessions that could be read. Each one that could not is named on
/// stderr with its line and what to do, with `consequence` (what leaving
/// it out means here): a damaged journal is never skipped in silence.
pub(crate) fn readable(
    entries: Vec<Result<SessionLog, (PathBuf, StoreError)>>,
    consequence: &str,
) -> Vec<SessionLog> {
    let mut logs = Vec::with_capacity(entries.len());
    for entry in entries {
        match entry {
            Ok(log) => logs.push(log),
            Err((path, error)) => {
                // Once per file and process: `mend ledger` looks twice.
                static REPORTED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
                let mut reported = REPORTED.lock().unwrap_or_else(|e| e.into_inner());
                if reported.contains(&path) {
                    continue;
                }
                reported.push(path.clone());
                let id = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let why = format!("{error:#}");
                let why = why.lines().next().unwrap_or_default();
                eprintln!(
                    "note: session {id} cannot be read, so {consequence}: {why}. Keep a copy of `{}`, then remove that line from it and the session loads again.",
                    path.display()
                );
            }
        }
    }
    logs
}

/// The journal of session `id` (or the latest unfinished one).
pub fn find(data: &DataDir, id: Option<&str>) -> Result<SessionLog, StoreError> {
    match id {
        Some(id) => {
            let path = journal_path(data, id)?;
            if !path.is_file() {
                return Err(StoreError::Refused(format!(
                    "there is no session `{id}`; `mend sessions` lists them"
                )));
            }
            SessionLog::read(&path)
        }
        None => match readable(
            newest_waiting(data, 1),
            "the latest unfinished session was looked for among the others",
        )
        .into_iter()
        .next()
        {
            Some(log) => Ok(log),
            None => Err(StoreError::Refused(
                "there is no unfinished session to resume; `mend sessions` lists them all"
                    .to_owned(),
            )),
        },
    }
}

pub fn journal_path(data: &DataDir, id: &str) -> Result<PathBuf, StoreError> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(StoreError::Refused(format!(
            "`{id}` is not a session id; `mend sessions` lists them"
        )));
    }
    Ok(data.sessions().join(format!("{id}.jsonl")))
}
