//! The order sessions were begun in: one id per line, appended as each
//! session starts. The newest sessions are then found by reading the end of
//! this small file, never by listing a folder that grows with the history
//! (listing 10,000 journals costs more than everything else `mend notes
//! --last` does). The journals stay the record: an id whose journal is gone
//! is passed over, and `mend sessions --all` lists the folder itself.

use crate::store::data_dir::{DataDir, private_file};
use anyhow::Context;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

/// How much of the end of the index is read for the newest sessions: some
/// 3,000 ids, far more than any listing shows.
const TAIL_BYTES: u64 = 64 * 1024;

fn path(data: &DataDir) -> PathBuf {
    data.root().join("sessions.index")
}

/// Whether `line` can be a session id (a torn last line cannot).
fn is_id(line: &str) -> bool {
    !line.is_empty() && line.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Appends `id`. A data folder from before the index gets one first, from
/// the journals there (in order of their ids, which start with the time).
pub fn add(data: &DataDir, id: &str, existing: impl FnOnce() -> Vec<String>) -> anyhow::Result<()> {
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
    let mut file = private_file()
        .append(true)
        .create(true)
        .open(&path)
        .with_context(|| format!("cannot open `{}`", path.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_data())
        .with_context(|| format!("cannot write `{}`", path.display()))
}

/// The newest ids, newest first, and whether that is every id; `None`
/// when there is no index yet.
pub fn newest(data: &DataDir) -> Option<(Vec<String>, bool)> {
    let mut file = std::fs::File::open(path(data)).ok()?;
    let len = file.metadata().ok()?.len();
    let start = len.saturating_sub(TAIL_BYTES);
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines: Vec<&str> = text.lines().collect();
    if start > 0 && !lines.is_empty() {
        // The first line read may be the end of one cut in half.
        lines.remove(0);
    }
    let mut ids: Vec<String> = Vec::new();
    for line in lines.into_iter().rev().map(str::trim) {
        if is_id(line) && !ids.iter().any(|i| i == line) {
            ids.push(line.to_owned());
        }
    }
    Some((ids, start == 0))
}
