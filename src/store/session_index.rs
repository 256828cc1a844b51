//! The order sessions were begun in: one id per line, appended as each
//! session starts. The newest sessions are then found by reading the end of
//! this file backwards, never by listing a folder that grows with the history
//! (listing 10,000 journals costs more than everything else `mend notes
//! --last` does). The journals stay the record: an id whose journal is gone
//! is passed over, and `mend sessions --all` lists the folder itself.

use crate::store::data_dir::DataDir;
use crate::store::store_error::{Doing, StoreError};
use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

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
    let file = locked(&path)?;
    (&file)
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_data())
        .doing(|| format!("cannot write `{}`", path.display()))
}

/// The index open for appending, under its OS lock, and still the file at
/// `path`: `remove` replaces the file, so a mend that opened the old one
/// and waited for the lock opens the new one instead of appending to a
/// file no name leads to.
fn locked(path: &Path) -> Result<File, StoreError> {
    loop {
        let file = crate::store::ledger_log::open_or_create_append(path)?;
        file.lock()
            .doing(|| format!("cannot lock `{}`", path.display()))?;
        if same_file(&file, path) {
            return Ok(file);
        }
    }
}

fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// Takes `ids` out of the index (`mend erase`: no trace of an erased
/// couple's sessions is left, not even when they began). The rest keep
/// their order. The new index replaces the old in one rename, so a crash
/// leaves one or the other, never half.
pub fn remove(data: &DataDir, ids: &HashSet<&str>) -> Result<(), StoreError> {
    let path = path(data);
    if ids.is_empty() || !path.is_file() {
        return Ok(());
    }
    let file = locked(&path)?;
    let text =
        crate::store::private::read(&path).doing(|| format!("cannot read `{}`", path.display()))?;
    let mut kept = Vec::with_capacity(text.len());
    for line in text.split_inclusive(|&b| b == b'\n') {
        let id = std::str::from_utf8(line).map(str::trim).unwrap_or("");
        if !ids.contains(id) {
            kept.extend_from_slice(line);
        }
    }
    if kept.len() == text.len() {
        return Ok(());
    }
    crate::store::private::write_atomic_in(&path, &kept, &data.session_temps())
        .doing(|| format!("cannot write `{}`", path.display()))?;
    drop(file);
    Ok(())
}

/// The index read back from its end, newest id first, each once (a torn
/// last line is passed over), a few KiB at a time: finding the newest few
/// sessions reads the same few bytes whatever the history.
pub struct Tail {
    file: File,
    /// The bytes of the file before `buf` are not read yet.
    pos: u64,
    /// Read, not yet taken apart into ids.
    buf: Vec<u8>,
    seen: HashSet<String>,
}

/// How much of the index is read at a time: about 190 ids.
const CHUNK: u64 = 4096;

impl Tail {
    /// The line before those taken, or `None` at the start of the file.
    fn previous_line(&mut self) -> Option<Vec<u8>> {
        loop {
            if let Some(end) = self.buf.iter().rposition(|&b| b == b'\n') {
                let line = self.buf.split_off(end + 1);
                self.buf.truncate(end);
                return Some(line);
            }
            if self.pos == 0 {
                return (!self.buf.is_empty()).then(|| std::mem::take(&mut self.buf));
            }
            let start = self.pos.saturating_sub(CHUNK);
            let mut chunk = vec![0; (self.pos - start) as usize];
            self.file
                .seek(SeekFrom::Start(start))
                .and_then(|_| self.file.read_exact(&mut chunk))
                .ok()?;
            chunk.extend_from_slice(&self.buf);
            self.buf = chunk;
            self.pos = start;
        }
    }
}

impl Iterator for Tail {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        loop {
            let line = self.previous_line()?;
            let Ok(line) = std::str::from_utf8(&line) else {
                continue;
            };
            let line = line.trim();
            if is_id(line) && self.seen.insert(line.to_owned()) {
                return Some(line.to_owned());
            }
        }
    }
}

/// The index, or `None` when there is none yet.
pub fn read(data: &DataDir) -> Option<Tail> {
    // Never through a link: the index names every session.
    let file = crate::store::private::open_own(&path(data)).ok()?;
    let pos = file.metadata().ok()?.len();
    Some(Tail {
        file,
        pos,
        buf: Vec::new(),
        seen: HashSet::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_newest_first_each_once_across_chunks() {
        let folder = tempfile::tempdir().unwrap();
        let data = DataDir::open(Some(folder.path())).unwrap();
        let ids: Vec<String> = (0..1000).map(|n| format!("20260101-{n:06}-abcd")).collect();
        let mut text = String::new();
        for id in &ids {
            text.push_str(id);
            text.push('\n');
        }
        // Listed twice (an import), a blank line, a torn last line.
        text.push_str(&format!("{}\n\n2026", ids[3]));
        std::fs::write(path(&data), text).unwrap();
        let read: Vec<String> = read(&data).unwrap().collect();
        let mut expected: Vec<String> = vec!["2026".to_owned(), ids[3].clone()];
        expected.extend(ids.iter().rev().filter(|id| **id != ids[3]).cloned());
        assert_eq!(read, expected);
    }

    #[test]
    fn remove_takes_out_only_the_ids_named_and_later_ids_still_land() {
        let folder = tempfile::tempdir().unwrap();
        let data = DataDir::open(Some(folder.path())).unwrap();
        std::fs::create_dir_all(data.session_temps()).unwrap();
        for id in ["a-1", "b-2", "a-3"] {
            add(&data, id, Vec::new).unwrap();
        }
        remove(&data, &["a-1", "a-3"].into_iter().collect()).unwrap();
        add(&data, "c-4", Vec::new).unwrap();
        let read: Vec<String> = read(&data).unwrap().collect();
        assert_eq!(read, ["c-4", "b-2"]);
    }
}
