//! The exercise texts sessions were played with, each kept once in the data
//! folder (`texts/<sha256>.yaml`) and named by its SHA-256 in the journals
//! that use it. A journal then holds only what changed (a full i-statements
//! run was more than half its own copy of the file), yet a resumed or
//! re-read session still sees the exercise exactly as it was played, however
//! the file was edited since.
//!
//! SHA-256, not the exercise's quick FNV hash: the name is also the check
//! that the text read back is the one saved, and two exercises whose texts
//! differ must never share a name (FNV collisions can be made on purpose).
//!
//! A text is written once, through `private::write_atomic` (an exclusive
//! temp file, fsync, rename; never through a link), and never changed. Who
//! may remove one: `mend erase`, for a text no journal left names. So that
//! a text is never removed between being kept and being named (a session
//! starting while another couple is erased), keeping holds a shared lock on
//! `texts/.lock` until the journal names it, and removing holds it
//! exclusively while it looks for names.

use crate::store::data_dir::DataDir;
use crate::store::private;
use crate::store::store_error::{Doing, StoreError};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The name a text is kept under: its SHA-256, 64 lower-case hex digits.
pub fn key(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// The shared word lists `exercise` reads, as the text kept for them (a
/// JSON map, list name to phrases, in the order `words:` names them);
/// `None` when it reads none.
pub fn played_words_text(exercise: &crate::engine::exercise::Exercise) -> Option<String> {
    let lists: indexmap::IndexMap<&str, &serde_json::Value> = exercise.shared_lists().collect();
    if lists.is_empty() {
        return None;
    }
    serde_json::to_string_pretty(&lists).ok()
}

/// Whether `key` can name a kept text (and so cannot name a path elsewhere).
pub fn is_key(key: &str) -> bool {
    key.len() == 64 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

pub fn dir(data: &DataDir) -> PathBuf {
    data.root().join("texts")
}

/// The file of `key` in the texts folder `dir`.
fn file(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{key}.yaml"))
}

/// Held while a kept text is not yet named by a journal: no `mend erase`
/// removes texts meanwhile.
#[derive(Debug)]
pub struct Held {
    _lock: File,
}

fn lock(data: &DataDir, exclusive: bool) -> Result<File, StoreError> {
    let dir = dir(data);
    data.ensure(&dir)?;
    let path = dir.join(".lock");
    let file = private::open_lock(&path).doing(|| format!("cannot open `{}`", path.display()))?;
    let locked = if exclusive {
        file.lock()
    } else {
        file.lock_shared()
    };
    locked.doing(|| format!("cannot lock `{}`", path.display()))?;
    Ok(file)
}

/// Holds texts in place (see `Held`) without keeping one, e.g. while an
/// import writes journals whose texts it kept.
pub fn hold(data: &DataDir) -> Result<Held, StoreError> {
    Ok(Held {
        _lock: lock(data, false)?,
    })
}

/// Keeps `text` (once: a text already kept is left as it is) and returns
/// its key, with the hold to keep until a journal names it.
pub fn keep(data: &DataDir, text: &str) -> Result<(String, Held), StoreError> {
    let held = hold(data)?;
    let key = key(text);
    keep_held(data, &key, text)?;
    Ok((key, held))
}

/// Keeps `text` under `key` while the caller holds texts in place.
pub fn keep_held(data: &DataDir, key: &str, text: &str) -> Result<(), StoreError> {
    let path = file(&dir(data), key);
    // Already kept, whole: nothing to write. A copy that no longer matches
    // (damaged on disk) is replaced by the good text.
    if let Ok(bytes) = private::read(&path)
        && bytes == text.as_bytes()
    {
        return Ok(());
    }
    crate::store::data_dir::write_atomic(&path, text.as_bytes())
}

/// Why a kept text cannot be had: missing, or not what was saved.
fn problem(id: &str, path: &Path, why: &str) -> StoreError {
    StoreError::Refused(format!(
        "the copy of exercise `{id}` saved when the session began (`{}`) {why}; mend will not guess at what the exercise said. Put back the file from a backup, or start the exercise again",
        path.display()
    ))
}

/// The text kept under `key` in the texts folder `dir`, checked against its
/// key. `id` names the exercise in the error.
pub fn read(dir: &Path, key: &str, id: &str) -> Result<String, StoreError> {
    if !is_key(key) {
        return Err(StoreError::Refused(format!(
            "the journal names the saved copy of exercise `{id}` as `{key}`, which is not a SHA-256; the journal was changed by hand"
        )));
    }
    let path = file(dir, key);
    let bytes = match private::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(problem(id, &path, "is missing"));
        }
        Err(e) => return Err(problem(id, &path, &format!("cannot be read ({e})"))),
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| problem(id, &path, "was changed since: it is not UTF-8 text"))?;
    if self::key(&text) != key {
        return Err(problem(
            id,
            &path,
            "was changed since it was saved (its SHA-256 no longer matches its name)",
        ));
    }
    Ok(text)
}

/// The keys of texts `journal` (a journal file's bytes) names.
pub fn named_in(journal: &[u8]) -> BTreeSet<String> {
    const FIELDS: [&[u8]; 2] = [b"\"text_sha256\":\"", b"\"words_sha256\":\""];
    let mut keys = BTreeSet::new();
    for field in FIELDS {
        let mut rest = journal;
        while let Some(at) = find(rest, field) {
            rest = &rest[at + field.len()..];
            if let Some(key) = rest.get(..64).and_then(|k| std::str::from_utf8(k).ok())
                && is_key(key)
            {
                keys.insert(key.to_owned());
            }
        }
    }
    keys
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Removes those of `keys` that no journal left in the data folder names
/// (after a couple's journals were erased), returning how many. A journal
/// that cannot be read whole is searched as bytes, so a text one of its
/// lines names is kept whatever the rest of it holds.
pub fn remove_unused(data: &DataDir, keys: &BTreeSet<String>) -> Result<usize, StoreError> {
    if keys.is_empty() || !dir(data).is_dir() {
        return Ok(0);
    }
    let _lock = lock(data, true)?;
    let mut unused = keys.clone();
    if let Ok(entries) = std::fs::read_dir(data.sessions()) {
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if unused.is_empty() {
                break;
            }
            if path.extension().is_none_or(|e| e != "jsonl") {
                continue;
            }
            let bytes = private::read(&path).doing(|| {
                format!(
                    "cannot read `{}` to see which exercise texts it needs, so none was removed",
                    path.display()
                )
            })?;
            for key in named_in(&bytes) {
                unused.remove(&key);
            }
        }
    }
    let dir = dir(data);
    let mut removed = 0;
    for key in &unused {
        let path = file(&dir, key);
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).doing(|| format!("cannot remove `{}`", path.display())),
        }
    }
    if let Ok(folder) = File::open(&dir) {
        let _ = folder.sync_all();
    }
    Ok(removed)
}

/// Removes temp files a crash left in the texts folder (a folder of one
/// file per exercise text, not per session). Only when no mend is keeping
/// a text (the lock is free at once; else the next start does it), so no
/// text being written is touched.
pub fn sweep(data: &DataDir) {
    let dir = dir(data);
    if !std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
        return;
    }
    let Ok(file) = private::open_lock(&dir.join(".lock")) else {
        return;
    };
    if file.try_lock().is_ok() {
        for temp in private::temps(&dir) {
            let _ = std::fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_kept_once_and_read_back_checked() {
        let folder = tempfile::tempdir().unwrap();
        let data = DataDir::open(Some(folder.path())).unwrap();
        let (key, held) = keep(&data, "title: A\n").unwrap();
        drop(held);
        assert!(is_key(&key));
        assert_eq!(keep(&data, "title: A\n").unwrap().0, key);
        assert_eq!(read(&dir(&data), &key, "a").unwrap(), "title: A\n");
        std::fs::write(file(&dir(&data), &key), "title: B\n").unwrap();
        let error = read(&dir(&data), &key, "a").unwrap_err().to_string();
        assert!(error.contains("was changed since it was saved"), "{error}");
        // Kept again, the good text replaces the changed one.
        keep(&data, "title: A\n").unwrap();
        assert_eq!(read(&dir(&data), &key, "a").unwrap(), "title: A\n");
        let error = read(&dir(&data), "../../etc/passwd", "a")
            .unwrap_err()
            .to_string();
        assert!(error.contains("is not a SHA-256"), "{error}");
    }

    #[test]
    fn the_keys_a_journal_names_are_found_in_its_bytes() {
        let a = key("a");
        let b = key("b");
        let c = key("c");
        let journal = format!(
            "{{\"t\":\"exercise\",\"text_sha256\":\"{a}\",\"words_sha256\":\"{c}\"}}\nbroken{{\"text_sha256\":\"{b}\"\n{{\"text_sha256\":\"short\"}}"
        );
        assert_eq!(
            named_in(journal.as_bytes()),
            [a, b, c].into_iter().collect::<BTreeSet<_>>()
        );
    }
}
