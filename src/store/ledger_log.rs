//! The couple's ledger on disk: an append-only history, one line per
//! finished exercise that made, marked or changed something, each with its
//! session and time. The ledger at any moment is the history up to then,
//! applied in order (`engine::ledger` says how each record applies), so
//! notes can show the ledger as it stood at the end of their session and
//! `mend ledger --history` every event.
//!
//! Finishing an exercise appends one line; nothing re-reads the journals.
//! Between finishing an exercise in the journal and appending its line, a
//! marker in `ledgers/pending/` names the run: a crash there leaves the
//! marker, and the next reader adds the run from that one journal.
//! Ledgers written by earlier versions (a JSON file rebuilt from every
//! journal) are read once from the journals and written as histories.

use crate::engine::ledger::{Ledger, couple_key};
use crate::engine::state::Record;
use crate::store::data_dir::DataDir;
use crate::store::ledger_file;
use crate::store::private;
use crate::store::session_log::{SessionLog, list, readable};
use crate::store::store_error::{Doing, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const LEDGER_LOG_VERSION: u32 = 2;

/// The marker that says every couple's history is written (the journals
/// never need reading again for the ledger).
const MIGRATED: &str = "histories";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum LedgerLine {
    /// The first line: whose ledger.
    Couple { v: u32, partners: [String; 2] },
    /// A finished exercise's records.
    Run(Entry),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// `session#exercise-number`: each run is added once.
    pub run: String,
    pub session: String,
    /// The exercise it came from.
    #[serde(default)]
    pub exercise: String,
    /// When the exercise finished.
    pub at: DateTime<Utc>,
    pub records: Vec<Record>,
}

/// A couple's history, read back.
#[derive(Debug, Clone)]
pub struct LedgerLog {
    pub partners: [String; 2],
    /// Oldest first.
    pub entries: Vec<Entry>,
}

impl LedgerLog {
    /// The ledger with every entry applied.
    pub fn ledger(&self) -> Ledger {
        self.ledger_until(None)
    }

    /// The ledger as it stood at `at` (entries made then or before).
    pub fn ledger_until(&self, at: Option<DateTime<Utc>>) -> Ledger {
        let mut ledger = Ledger::new(&self.partners);
        for entry in self
            .entries
            .iter()
            .filter(|e| at.is_none_or(|at| e.at <= at))
        {
            ledger.apply(&entry.run, &entry.session, &entry.records);
        }
        ledger
    }
}

/// A run's key in the ledger: the session and the run's number in it.
pub fn run_key(session: &str, run: usize) -> String {
    format!("{session}#{run}")
}

/// `couple-<hash>.jsonl`: named by a hash of the couple, never by their
/// names (see `ledger_file`).
pub fn history_path(data: &DataDir, partners: &[String; 2]) -> PathBuf {
    ledger_file::path(data, partners).with_extension("jsonl")
}

fn pending_dir(data: &DataDir) -> PathBuf {
    data.root().join("pending")
}

/// The marker of run `run` of `session` finishing (see the module's doc).
pub fn pending_marker(data: &DataDir, session: &str, run: usize) -> PathBuf {
    pending_path(data, session, run)
}

fn pending_path(data: &DataDir, session: &str, run: usize) -> PathBuf {
    pending_dir(data).join(format!("{session}.{run}"))
}

/// Reads a couple's history. Writes nothing: what a crash left pending
/// and, in a data folder from an earlier version, what only the journals
/// hold are added in memory (`record` and `Session` store them).
pub fn read(data: &DataDir, partners: &[String; 2]) -> Result<LedgerLog, StoreError> {
    let (mut log, damaged) = match read_file(data, partners) {
        Ok(log) => (log, false),
        // The journals are the record: a damaged history is read from them.
        Err(error) => {
            eprintln!(
                "note: {error:#}; reading the couple's ledger from the session journals instead"
            );
            let log = LedgerLog {
                partners: partners.clone(),
                entries: Vec::new(),
            };
            (log, true)
        }
    };
    let mut missing = if migrated(data) && !damaged {
        pending_entries(data, partners)
            .into_iter()
            .map(|(entry, _)| entry)
            .collect()
    } else {
        legacy_entries(data, partners)
    };
    missing.retain(|m| !log.entries.iter().any(|e| e.run == m.run));
    log.entries.extend(missing);
    log.entries.sort_by_key(|e| e.at);
    Ok(log)
}

fn read_file(data: &DataDir, partners: &[String; 2]) -> Result<LedgerLog, StoreError> {
    read_history(&history_path(data, partners), partners)
}

/// A history file as it is (nothing pending or from the journals added).
pub fn read_history(path: &Path, partners: &[String; 2]) -> Result<LedgerLog, StoreError> {
    let path = path.to_owned();
    let mut log = LedgerLog {
        partners: partners.clone(),
        entries: Vec::new(),
    };
    let bytes = match private::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(log),
        Err(e) => return Err(e).doing(|| format!("cannot read `{}`", path.display())),
    };
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    for (n, line) in lines.iter().enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let is_last = lines[n + 1..]
            .iter()
            .all(|l| l.iter().all(u8::is_ascii_whitespace));
        match serde_json::from_slice::<LedgerLine>(line) {
            Ok(LedgerLine::Couple { partners, .. }) => log.partners = partners,
            Ok(LedgerLine::Run(entry)) => log.entries.push(entry),
            // What a crash mid-write leaves: the run is still pending or in
            // its journal, and is added again from there.
            Err(_) if is_last => {}
            Err(e) => {
                return Err(e).doing(|| {
                    format!(
                        "the ledger `{}` is damaged at line {}; mend will not guess at what it held",
                        path.display(),
                        n + 1
                    )
                });
            }
        }
    }
    Ok(log)
}

fn migrated(data: &DataDir) -> bool {
    data.ledgers().join(MIGRATED).is_file()
        || (!data.sessions().is_dir() && !data.ledgers().is_dir())
}

/// A data folder from before histories: the finished runs of its
/// journals, which its ledger files were built from.
fn legacy_entries(data: &DataDir, partners: &[String; 2]) -> Vec<Entry> {
    journal_entries(data, partners)
}

/// Runs a crash left between the journal and the ledger, with their markers.
fn pending_entries(data: &DataDir, partners: &[String; 2]) -> Vec<(Entry, PathBuf)> {
    let Ok(markers) = std::fs::read_dir(pending_dir(data)) else {
        return Vec::new();
    };
    let couple = couple_key(partners);
    let mut entries = Vec::new();
    for marker in markers.filter_map(Result::ok) {
        let name = marker.file_name().to_string_lossy().into_owned();
        let Some((session, run)) = name.rsplit_once('.') else {
            continue;
        };
        let Ok(run) = run.parse::<usize>() else {
            continue;
        };
        let journal = data.sessions().join(format!("{session}.jsonl"));
        if let Ok(log) = SessionLog::read(&journal)
            && log.partners().is_some_and(|p| couple_key(p) == couple)
        {
            entries.extend(finished_entry(&log, run).map(|e| (e, marker.path())));
        }
    }
    entries
}

/// A run's entry, if it finished and recorded something.
fn finished_entry(log: &SessionLog, run: usize) -> Option<Entry> {
    let logged = log.runs.get(run.checked_sub(1)?)?;
    let state = logged.state.as_ref().filter(|_| logged.finished())?;
    if state.records.is_empty() {
        return None;
    }
    Some(Entry {
        run: run_key(&log.id, run),
        session: log.id.clone(),
        exercise: logged.header.exercise.id.clone(),
        at: logged.saved?,
        records: crate::store::kept_private::marked(
            state,
            &crate::store::kept_private::answers(&logged.moments),
        ),
    })
}

/// Every finished run of the couple's sessions, from the journals: how a
/// data folder from before histories is read.
fn journal_entries(data: &DataDir, partners: &[String; 2]) -> Vec<Entry> {
    let couple = couple_key(partners);
    readable(list(data), "what it holds is not in the ledger")
        .into_iter()
        .filter(|log| log.partners().is_some_and(|p| couple_key(p) == couple))
        .flat_map(|log| {
            (1..=log.runs.len())
                .filter_map(|n| finished_entry(&log, n))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every couple with a history, names as their first session gave them.
pub fn couples(data: &DataDir) -> Vec<[String; 2]> {
    if !migrated(data) {
        return legacy_couples(data);
    }
    let mut couples: Vec<[String; 2]> = Vec::new();
    let Ok(files) = std::fs::read_dir(data.ledgers()) else {
        return couples;
    };
    let mut paths: Vec<PathBuf> = files
        .filter_map(Result::ok)
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    paths.sort();
    for path in paths {
        if let Some(partners) = first_line_partners(&path)
            && !couples
                .iter()
                .any(|c| couple_key(c) == couple_key(&partners))
        {
            couples.push(partners);
        }
    }
    // A crash may have left a couple's first run only pending.
    if let Ok(markers) = std::fs::read_dir(pending_dir(data)) {
        for marker in markers.filter_map(Result::ok) {
            let name = marker.file_name().to_string_lossy().into_owned();
            let Some((session, _)) = name.rsplit_once('.') else {
                continue;
            };
            if let Ok(log) = SessionLog::read(&data.sessions().join(format!("{session}.jsonl")))
                && let Some(partners) = log.partners()
                && !couples
                    .iter()
                    .any(|c| couple_key(c) == couple_key(partners))
            {
                couples.push(partners.clone());
            }
        }
    }
    couples
}

/// Whose history a file is: its first `couple` line (a damaged line
/// before it is passed over).
fn first_line_partners(path: &Path) -> Option<[String; 2]> {
    use std::io::BufRead;
    let file = File::open(path).ok()?;
    std::io::BufReader::new(file)
        .lines()
        .take(3)
        .map_while(Result::ok)
        .find_map(|line| match serde_json::from_str(&line) {
            Ok(LedgerLine::Couple { partners, .. }) => Some(partners),
            _ => None,
        })
}

fn legacy_couples(data: &DataDir) -> Vec<[String; 2]> {
    let mut couples: Vec<[String; 2]> = Vec::new();
    // Ledger files an earlier mend wrote name their couple inside.
    if let Ok(files) = std::fs::read_dir(data.ledgers()) {
        for path in files.filter_map(Result::ok).map(|f| f.path()) {
            if path.extension().is_some_and(|e| e == "json")
                && let Ok(bytes) = private::read(&path)
                && let Ok(ledger) = serde_json::from_slice::<Ledger>(&bytes)
                && !couples
                    .iter()
                    .any(|c| couple_key(c) == couple_key(&ledger.partners))
            {
                couples.push(ledger.partners);
            }
        }
    }
    for log in readable(list(data), "what it holds is not in the ledger") {
        let recorded = (1..=log.runs.len()).any(|n| finished_entry(&log, n).is_some());
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

/// Says a run is about to finish: until `record` has added it, a reader
/// finds it through this marker.
pub fn mark_pending(data: &DataDir, session: &str, run: usize) -> Result<(), StoreError> {
    let dir = pending_dir(data);
    data.ensure(&data.ledgers())?;
    data.ensure(&dir)?;
    let path = pending_path(data, session, run);
    private::write_private(&path, b"").doing(|| format!("cannot write `{}`", path.display()))?;
    sync_dir(&dir);
    Ok(())
}

/// Adds a finished run to the couple's history (once), and whatever a
/// crash or an earlier version left only in the journals, under the
/// ledger's lock, then drops the run's marker.
pub fn record(
    data: &DataDir,
    partners: &[String; 2],
    session: &str,
    run: usize,
    exercise: &str,
    at: DateTime<Utc>,
    records: &[Record],
) -> Result<(), StoreError> {
    ensure_histories(data)?;
    let _lock = lock(data, partners)?;
    let stored = match read_file(data, partners) {
        Ok(stored) => stored,
        Err(error) => rebuild(data, partners, error)?,
    };
    let pending = pending_entries(data, partners);
    let mut entries: Vec<Entry> = pending.iter().map(|(e, _)| e.clone()).collect();
    if !records.is_empty() {
        entries.push(Entry {
            run: run_key(session, run),
            session: session.to_owned(),
            exercise: exercise.to_owned(),
            at,
            records: records.to_vec(),
        });
    }
    let mut seen: Vec<String> = stored.entries.iter().map(|e| e.run.clone()).collect();
    entries.retain(|e| {
        let new = !seen.contains(&e.run);
        seen.push(e.run.clone());
        new
    });
    entries.sort_by_key(|e| e.at);
    append(data, partners, &entries)?;
    for (_, marker) in pending {
        let _ = std::fs::remove_file(marker);
    }
    let _ = std::fs::remove_file(pending_path(data, session, run));
    Ok(())
}

/// Adds every finished run of the couple's journals that the history lacks
/// (after an import): reads their journals, so only for that.
pub fn catch_up(data: &DataDir, partners: &[String; 2]) -> Result<(), StoreError> {
    ensure_histories(data)?;
    let _lock = lock(data, partners)?;
    let stored = match read_file(data, partners) {
        Ok(stored) => stored,
        Err(error) => rebuild(data, partners, error)?,
    };
    let mut entries = journal_entries(data, partners);
    entries.retain(|e| !stored.entries.iter().any(|s| s.run == e.run));
    entries.sort_by_key(|e| e.at);
    append(data, partners, &entries)
}

/// Starts (or adds to) a couple's history with a test plan's seed, as made
/// at `at`, so a check-in can be played without earlier sessions.
pub fn seed(
    data: &DataDir,
    partners: &[String; 2],
    seed: &crate::engine::ledger::Seed,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    ensure_histories(data)?;
    let _lock = lock(data, partners)?;
    let entry = Entry {
        run: "seed".to_owned(),
        session: "seed".to_owned(),
        exercise: String::new(),
        at,
        records: seed.records(at),
    };
    append(data, partners, &[entry])
}

/// A damaged history is moved aside (`….jsonl.damaged`) and written again
/// from the journals, which are the record.
fn rebuild(
    data: &DataDir,
    partners: &[String; 2],
    error: StoreError,
) -> Result<LedgerLog, StoreError> {
    let path = history_path(data, partners);
    let aside = path.with_extension("jsonl.damaged");
    std::fs::rename(&path, &aside)
        .doing(|| format!("{error:#}; and it could not be moved aside"))?;
    eprintln!(
        "note: {error:#}; it was moved to `{}` and is written again from the session journals",
        aside.display()
    );
    let mut entries = journal_entries(data, partners);
    entries.sort_by_key(|e| e.at);
    append(data, partners, &entries)?;
    read_file(data, partners)
}

/// In a data folder from an earlier version, writes every couple's history
/// from the journals (once); afterwards nothing reads them for the ledger.
pub fn ensure_histories(data: &DataDir) -> Result<(), StoreError> {
    if migrated(data) && data.ledgers().join(MIGRATED).is_file() {
        return Ok(());
    }
    data.ensure(&data.ledgers())?;
    let _lock = lock_folder(data)?;
    if data.ledgers().join(MIGRATED).is_file() {
        return Ok(());
    }
    migrate(data)
}

fn lock_folder(data: &DataDir) -> Result<File, StoreError> {
    let path = data.ledgers().join(format!("{MIGRATED}.lock"));
    let file = private::open_lock(&path).doing(|| format!("cannot open `{}`", path.display()))?;
    file.lock()
        .doing(|| format!("cannot lock `{}`", path.display()))?;
    Ok(file)
}

/// Writes every couple's history from the journals, once.
fn migrate(data: &DataDir) -> Result<(), StoreError> {
    for partners in legacy_couples(data) {
        let stored = read_file(data, &partners)?;
        let mut entries = legacy_entries(data, &partners);
        entries.sort_by_key(|e| e.at);
        entries.retain(|e| !stored.entries.iter().any(|s| s.run == e.run));
        append(data, &partners, &entries)?;
        // A file named after the partners keeps its content under the
        // couple's hash (a listing or a backup index must not show names).
        let (named, hashed) = (
            ledger_file::legacy_path(data, &partners),
            ledger_file::path(data, &partners),
        );
        if named.is_file() && !hashed.exists() {
            std::fs::rename(&named, &hashed).doing(|| {
                format!(
                    "cannot rename `{}` to `{}`",
                    named.display(),
                    hashed.display()
                )
            })?;
        }
        let _ = std::fs::remove_file(named.with_extension("lock"));
    }
    let marker = data.ledgers().join(MIGRATED);
    private::write_private(&marker, b"")
        .doing(|| format!("cannot write `{}`", marker.display()))?;
    Ok(())
}

fn append(data: &DataDir, partners: &[String; 2], entries: &[Entry]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    data.ensure(&data.ledgers())?;
    let path = history_path(data, partners);
    let existing = private::read(&path).unwrap_or_default();
    let mut bytes = Vec::new();
    if !existing.contains(&b'\n') {
        serde_json::to_writer(
            &mut bytes,
            &LedgerLine::Couple {
                v: LEDGER_LOG_VERSION,
                partners: partners.clone(),
            },
        )?;
        bytes.push(b'\n');
    }
    for entry in entries {
        serde_json::to_writer(&mut bytes, &LedgerLine::Run(entry.clone()))?;
        bytes.push(b'\n');
    }
    let mut file = open_or_create_append(&path)?;
    // A torn last line (a crash mid-write) is cut off first, so a new line
    // never follows a broken one.
    if !existing.is_empty() && !existing.ends_with(b"\n") {
        let keep = existing
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        file.set_len(keep as u64)?;
    }
    file.write_all(&bytes)
        .and_then(|()| file.sync_data())
        .doing(|| format!("cannot write `{}`", path.display()))
}

/// The couple's ledger lock, so two mends finishing at once each keep the
/// other's lines.
fn lock(data: &DataDir, partners: &[String; 2]) -> Result<File, StoreError> {
    data.ensure(&data.ledgers())?;
    let path = ledger_file::path(data, partners).with_extension("lock");
    let file = private::open_lock(&path).doing(|| format!("cannot open `{}`", path.display()))?;
    file.lock()
        .doing(|| format!("cannot lock `{}`", path.display()))?;
    Ok(file)
}

fn sync_dir(dir: &Path) {
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

/// A file of mend's opened for appending, created (private) if missing;
/// never through a link.
pub(crate) fn open_or_create_append(path: &Path) -> Result<File, StoreError> {
    let opened = match private::open_append(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match private::create_new_append(path) {
                // Another mend (or thread) created it in between: open that.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    private::open_append(path)
                }
                other => other,
            }
        }
        other => other,
    };
    opened.doing(|| format!("cannot open `{}`", path.display()))
}
