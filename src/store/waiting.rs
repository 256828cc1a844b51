//! The sessions that may be waiting to be resumed: one empty file per
//! session in `sessions/.waiting/`, made before an exercise begins and
//! removed once it finishes. `mend resume` and the web page's list of
//! paused sessions read this small folder instead of every journal, so
//! finding what waits costs the same with 10 past sessions as with 10,000.
//!
//! The markers are a superset of what waits: a marker is made before the
//! journal says an exercise began and removed only after it says it
//! finished, so a crash in between leaves a marker too many, never one too
//! few. Readers keep only the sessions whose journal says they wait.
//!
//! A data folder from before the markers gets them once, from its
//! journals; `.complete` records that this was done, so a session begun
//! meanwhile (which makes the folder) does not hide the older ones.

use crate::store::data_dir::DataDir;
use crate::store::store_error::{Doing, StoreError};
use std::path::PathBuf;

fn folder(data: &DataDir) -> PathBuf {
    data.sessions().join(".waiting")
}

fn complete(data: &DataDir) -> PathBuf {
    folder(data).join(".complete")
}

/// The marker of session `id` (one of the couple's files `mend erase`
/// removes).
pub fn marker(data: &DataDir, id: &str) -> PathBuf {
    folder(data).join(id)
}

/// Marks session `id` as possibly waiting (it is about to begin an
/// exercise). Marking it twice is harmless.
pub fn mark(data: &DataDir, id: &str) -> Result<(), StoreError> {
    let dir = folder(data);
    data.ensure(&dir)?;
    touch(&dir.join(id))
}

/// Makes an empty private file at `path` unless one is there.
fn touch(path: &std::path::Path) -> Result<(), StoreError> {
    crate::store::ledger_log::open_or_create_append(path).map(drop)
}

/// Session `id` waits no more (its exercise finished, or it was erased).
pub fn unmark(data: &DataDir, id: &str) -> Result<(), StoreError> {
    let path = marker(data, id);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).doing(|| format!("cannot remove `{}`", path.display())),
    }
}

/// The marked sessions, newest first (ids begin with their start time).
/// A data folder without markers yet gets them from its journals first;
/// `waits` says whether the journal at a path waits.
pub fn ids(data: &DataDir, waits: impl Fn(&std::path::Path) -> bool) -> Vec<String> {
    if !complete(data).is_file() && data.sessions().is_dir() {
        // Best effort: without the markers, the journals still answer.
        let _ = catch_up(data, &waits);
    }
    let Ok(entries) = std::fs::read_dir(folder(data)) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| is_id(name))
        .collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids
}

/// Whether `name` can be a session id (no dot files, nothing with a path).
fn is_id(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Marks every journal that waits, then records that this was done.
fn catch_up(data: &DataDir, waits: &impl Fn(&std::path::Path) -> bool) -> Result<(), StoreError> {
    for id in crate::store::session_log::journal_ids(data) {
        if waits(&data.sessions().join(format!("{id}.jsonl"))) {
            mark(data, &id)?;
        }
    }
    data.ensure(&folder(data))?;
    touch(&complete(data))
}
