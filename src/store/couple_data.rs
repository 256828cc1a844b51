//! Everything mend keeps for one couple, found in one place so that what
//! `mend export` takes and what `mend erase` removes are the same files:
//! their session journals (with each one's lock and any temp file a crash
//! left), and their ledger (with its lock, a damaged copy set aside, and
//! the names an earlier mend gave them).

use crate::engine::ledger::couple_key;
use crate::store::data_dir::DataDir;
use crate::store::ledger_file;
use crate::store::private;
use crate::store::session_log::{SessionLog, list};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct CoupleData {
    /// Their names as their first session recorded them (else as asked for).
    pub partners: [String; 2],
    /// Their sessions, read, oldest first.
    pub sessions: Vec<SessionLog>,
    /// The ledger file, if there is one.
    pub ledger: Option<PathBuf>,
    /// Every file of theirs in the data folder, journals and ledger included.
    pub files: Vec<PathBuf>,
    /// Journals that could not be read: whose they are is unknown, so they
    /// are neither exported nor erased, but named.
    pub unreadable: Vec<PathBuf>,
}

impl CoupleData {
    /// Everything under `data` that belongs to `partners` (names matched
    /// as the ledger matches them: case and spacing do not matter).
    pub fn gather(data: &DataDir, partners: &[String; 2]) -> CoupleData {
        let couple = couple_key(partners);
        let mut found = CoupleData {
            partners: partners.clone(),
            sessions: Vec::new(),
            ledger: None,
            files: Vec::new(),
            unreadable: Vec::new(),
        };
        // Listed once: a listing per journal would cost the square of the
        // history.
        let mut session_temps = private::temps(&data.sessions());
        session_temps.extend(private::temps(&data.session_temps()));
        for entry in list(data) {
            match entry {
                Ok(log) if log.partners().is_some_and(|p| couple_key(p) == couple) => {
                    found.files.push(log.path.clone());
                    found
                        .files
                        .extend(companions(&log.path, "lock", &session_temps));
                    found.sessions.push(log);
                }
                Ok(_) => {}
                Err((path, _)) => found.unreadable.push(path),
            }
        }
        let ledger = ledger_file::path(data, partners);
        let history = crate::store::ledger_log::history_path(data, partners);
        for name in [
            history.clone(),
            ledger.clone(),
            ledger_file::legacy_path(data, partners),
        ] {
            if name.is_file() && found.ledger.is_none() {
                found.ledger = Some(name.clone());
            }
            found.files.push(name.clone());
            found.files.push(name.with_extension("json.damaged"));
            found.files.push(name.with_extension("jsonl.damaged"));
            let temps = name.parent().map(private::temps).unwrap_or_default();
            found.files.extend(companions(&name, "lock", &temps));
        }
        // A marker of one of their runs finishing, left by a crash, and
        // of a session that may wait to be resumed.
        for log in &found.sessions {
            found
                .files
                .push(crate::store::waiting::marker(data, &log.id));
            for n in 1..=log.runs.len() {
                found
                    .files
                    .push(crate::store::ledger_log::pending_marker(data, &log.id, n));
            }
        }
        if let Some(first) = found.sessions.first().and_then(SessionLog::partners) {
            found.partners = first.clone();
        }
        found.files.retain(|f| f.symlink_metadata().is_ok());
        found.files.sort();
        found.files.dedup();
        found
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The keys of the exercise texts their journals name.
    pub fn texts(&self) -> BTreeSet<String> {
        self.sessions
            .iter()
            .flat_map(|log| &log.runs)
            .flat_map(|run| run.kept_keys().cloned())
            .collect()
    }
}

/// The lock beside `file` (same name, extension `lock`) and those of
/// `temps` (the temp files in its folder) that a crash writing `file` left.
fn companions(file: &Path, lock: &str, temps: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = vec![file.with_extension(lock)];
    if let Some(name) = file.file_name() {
        let prefix = format!(".{}.", name.to_string_lossy());
        out.extend(
            temps
                .iter()
                .filter(|t| {
                    t.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
                })
                .cloned(),
        );
    }
    out
}
