//! The order sessions were begun in: one id per line, appended as each
//! session starts. The newest sessions are then found by reading the end of
//! this small file, never by listing a folder that grows with the history
//! (listing 10,000 journals costs more than everything else `mend notes
//! --last` does). The journals stay the record: an id whose journal is gone
//! is passed over, and `mend sessions --all` lists the folder itself.

use crate::store::data_dir::DataDir;
use crate::store::store_error::{Doing, StoreError};
use std::io::Write;
use std::path::PathBuf;

fn path(data: &DataDir) -> PathBuf {
    data.root().join("sessions.index")
}

/// Whether `line` can be a session id (a torn last line cannot).
fn is_id(line: &str) -> bool {
    !line.is_empty() && line.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Appends `id`. A data folder from before the index gets one first, from
/// the journals there (in order of their ids, which start with the time).
pub fn add(
    data: &DataDir,
    id: &str,
    existing: impl FnOnce() -> Vec<String>,
) -> Result<(), StoreError> {
    let path = path(data);
    let mut text = String::new();
    if !path.is_file() {
        for old in existing() {
            text.push_str(&old);
            text.push('\n');
        }
    }
    text.push_str(id);
    text.push('\n');
    let mut file = crate::store::ledger_log::open_or_create_append(&path)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_data())
        .doing(|| format!("cannot write `{}`", path.display()))
}

/// The index read back: its ids are taken newest first, lazily, so
/// finding the newest few parses only the end of it.
pub struct Tail {
    text: String,
}

impl Tail {
    /// The ids, newest first, each once (a torn last line is passed over).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        let mut seen = std::collections::HashSet::new();
        self.text
            .lines()
            .rev()
            .map(str::trim)
            .filter(|line| is_id(line))
            .filter(move |line| seen.insert(*line))
    }
}

/// The index, or `None` when there is none yet. Read whole: at about 21
/// bytes a session, 10,000 sessions are 210 KB, read in well under a
/// millisecond (listing that many journals takes ten times as long).
pub fn read(data: &DataDir) -> Option<Tail> {
    // Never through a link: the index names every session.
    let bytes = crate::store::private::read(&path(data)).ok()?;
    Some(Tail {
        text: String::from_utf8_lossy(&bytes).into_owned(),
    })
}
