//! Sessions read back from their journals: what `mend sessions`, `mend
//! resume` and `mend notes` see, and the couple's ledger that follows from
//! every finished run in them.

use crate::engine::ledger::{Ledger, couple_key};
use crate::engine::state::RunState;
use crate::store::data_dir::DataDir;
use crate::store::journal::{self, ExerciseHeader, Start};
use crate::store::ledger_file;
use anyhow::bail;
use chrono::{DateTime, Utc};
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
    pub state: Option<RunState>,
    pub saved: Option<DateTime<Utc>>,
}

impl RunLog {
    pub fn finished(&self) -> bool {
        self.state.as_ref().is_some_and(|s| s.cursor.at.is_none())
    }
}

impl SessionLog {
    pub fn read(path: &Path) -> anyhow::Result<SessionLog> {
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
        log.start = folded.start;
        log.runs = folded
            .runs
            .into_iter()
            .map(|run| {
                let (state, saved) = run.last.map(|s| (s.state, s.saved)).unzip();
                RunLog {
                    header: run.header,
                    state,
                    saved,
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

/// Every session under `data`, oldest first. A journal that cannot be read
/// is returned as its error, so one damaged file hides no others.
pub fn list(data: &DataDir) -> Vec<Result<SessionLog, (PathBuf, anyhow::Error)>> {
    let Ok(entries) = std::fs::read_dir(data.sessions()) else {
        return Vec::new();
    };
    let paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    let mut sessions: Vec<_> = paths
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
fn readable(
    entries: Vec<Result<SessionLog, (PathBuf, anyhow::Error)>>,
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
pub fn find(data: &DataDir, id: Option<&str>) -> anyhow::Result<SessionLog> {
    match id {
        Some(id) => {
            let path = journal_path(data, id)?;
            if !path.is_file() {
                bail!("there is no session `{id}`; `mend sessions` lists them");
            }
            SessionLog::read(&path)
        }
        None => {
            let sessions = readable(
                list(data),
                "the latest unfinished session was looked for among the others",
            );
            for log in sessions.into_iter().rev() {
                if log.unfinished().is_some() {
                    return Ok(log);
                }
            }
            bail!("there is no unfinished session to resume; `mend sessions` lists them all")
        }
    }
}

pub fn journal_path(data: &DataDir, id: &str) -> anyhow::Result<PathBuf> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        bail!("`{id}` is not a session id; `mend sessions` lists them");
    }
    Ok(data.sessions().join(format!("{id}.jsonl")))
}

/// A run's key in the ledger: the session and the run's number in it.
pub(crate) fn run_key(session: &str, run: usize) -> String {
    format!("{session}#{run}")
}

/// The couple's ledger with every finished run of their sessions in it.
/// The journals are the record and the ledger follows them, so a crash
/// between finishing a run and storing the ledger loses nothing: the next
/// look at the ledger adds what is missing (each run once).
pub fn sync_ledger(data: &DataDir, partners: &[String; 2]) -> anyhow::Result<Ledger> {
    let couple = couple_key(partners);
    let logs: Vec<SessionLog> = readable(list(data), "what it holds is not in the ledger")
        .into_iter()
        .filter(|log| log.partners().is_some_and(|p| couple_key(p) == couple))
        .collect();
    // In the order the runs finished, as they were first added, so a mark
    // always finds the commitment it marks.
    let mut finished: Vec<(DateTime<Utc>, String, &RunState)> = Vec::new();
    for log in &logs {
        for (n, run) in log.runs.iter().enumerate() {
            if let (Some(state), Some(saved)) =
                (run.state.as_ref().filter(|_| run.finished()), run.saved)
            {
                finished.push((saved, run_key(&log.id, n + 1), state));
            }
        }
    }
    finished.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let ledger = ledger_file::update(data, partners, |ledger| {
        let mut changed = false;
        for (_, key, state) in &finished {
            let session = key.split('#').next().unwrap_or_default();
            changed |= ledger.apply(key, session, &state.records);
        }
        changed
    })?;
    Ok(ledger)
}

/// Every couple with something for a ledger: a finished run that made a
/// commitment, agreement or mark. Read from the journals, which the ledgers
/// follow. Names as the couple's first such session gave them.
pub fn couples(data: &DataDir) -> Vec<[String; 2]> {
    let mut couples: Vec<[String; 2]> = Vec::new();
    for log in readable(list(data), "what it holds is not in the ledger") {
        let recorded = log
            .runs
            .iter()
            .any(|r| r.finished() && r.state.as_ref().is_some_and(|s| !s.records.is_empty()));
        if let Some(partners) = log.partners().filter(|_| recorded)
            && !couples
                .iter()
                .any(|c| couple_key(c) == couple_key(partners))
        {
            couples.push(partners.clone());
        }
    }
    couples
}
