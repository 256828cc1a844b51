//! The file half of the couple's ledger (`engine::ledger` is the pure half):
//! stored per couple under the data folder as JSON, replaced atomically,
//! changed only under an exclusive lock.

use crate::engine::exercise::content_hash;
use crate::engine::ledger::{Ledger, couple_key, older_version};
use crate::store::data_dir::{DataDir, write_atomic};
use crate::store::private;
use crate::store::store_error::{Doing, StoreError};
use std::path::PathBuf;

/// Where a couple's ledger lives: named by a hash of the couple, never by
/// their names, which a file listing (or a backup's index) would show.
pub fn path(data: &DataDir, partners: &[String; 2]) -> PathBuf {
    data.ledgers().join(format!("{}.json", couple_id(partners)))
}

/// A couple's stable id in file names: `couple-` and the hash of their
/// names as `couple_key` reads them (case and spacing do not matter).
pub fn couple_id(partners: &[String; 2]) -> String {
    format!("couple-{}", content_hash(&couple_key(partners)))
}

/// Where earlier versions of mend kept the ledger: the names themselves.
pub fn legacy_path(data: &DataDir, partners: &[String; 2]) -> PathBuf {
    let key = couple_key(partners);
    let mut slugs: Vec<String> = key.split('\n').map(slug).collect();
    slugs.retain(|s| !s.is_empty());
    let hash = content_hash(&key);
    data.ledgers()
        .join(format!("{}-{}.json", slugs.join("+"), &hash[..8]))
}

/// Renames a ledger (and a damaged one set aside) from a file name with the
/// partners' names to the couple's id, and removes the old lock file.
/// Called under the new lock; an older mend still running would use the
/// old names, which is why nothing but this renames them.
fn migrate(data: &DataDir, partners: &[String; 2]) -> Result<(), StoreError> {
    let old = legacy_path(data, partners);
    let new = path(data, partners);
    for (from, to) in [
        (old.clone(), new.clone()),
        (
            old.with_extension("json.damaged"),
            new.with_extension("json.damaged"),
        ),
    ] {
        if from.is_file() && !to.exists() {
            std::fs::rename(&from, &to)
                .doing(|| format!("cannot rename `{}` to `{}`", from.display(), to.display()))?;
        }
    }
    let _ = std::fs::remove_file(old.with_extension("lock"));
    Ok(())
}

pub fn load(data: &DataDir, partners: &[String; 2]) -> Result<Ledger, StoreError> {
    let mut path = path(data, partners);
    if !path.exists() {
        // Not migrated yet: read where an earlier mend left it.
        let legacy = legacy_path(data, partners);
        if legacy.is_file() {
            path = legacy;
        }
    }
    match private::read(&path) {
        Ok(bytes) if older_version(&bytes) => Ok(Ledger::new(partners)),
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| StoreError::Damaged {
            doing: format!("the ledger `{}` cannot be read", path.display()),
            source,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ledger::new(partners)),
        Err(e) => Err(e).doing(|| format!("cannot read `{}`", path.display())),
    }
}

/// Changes the couple's ledger under an exclusive lock, storing it when
/// `change` says it changed anything, so two mends finishing at once
/// each keep the other's additions.
pub fn update(
    data: &DataDir,
    partners: &[String; 2],
    change: impl FnOnce(&mut Ledger) -> bool,
) -> Result<Ledger, StoreError> {
    data.ensure(&data.ledgers())?;
    let lock_path = path(data, partners).with_extension("lock");
    let lock = private::open_lock(&lock_path)
        .doing(|| format!("cannot open `{}`", lock_path.display()))?;
    lock.lock()
        .doing(|| format!("cannot lock `{}`", lock_path.display()))?;
    migrate(data, partners)?;
    let path = path(data, partners);
    let (mut ledger, rebuilt) = match load(data, partners) {
        Ok(ledger) => (ledger, false),
        // Everything in a ledger comes from the session journals, so a
        // damaged one is set aside and rebuilt, not a dead end.
        Err(error) if path.is_file() => {
            let aside = path.with_extension("json.damaged");
            std::fs::rename(&path, &aside)
                .doing(|| format!("{error:#}; and it could not be moved aside"))?;
            eprintln!(
                "note: {error:#}; it was moved to `{}` and is rebuilt from the session journals",
                aside.display()
            );
            (Ledger::new(partners), true)
        }
        Err(error) => return Err(error),
    };
    if change(&mut ledger) || rebuilt {
        store(&ledger, data)?;
    }
    Ok(ledger)
}

fn store(ledger: &Ledger, data: &DataDir) -> Result<(), StoreError> {
    let dir = data.ledgers();
    data.ensure(&dir)?;
    let mut bytes = serde_json::to_vec_pretty(ledger).map_err(|source| StoreError::Damaged {
        doing: "the ledger cannot be written as JSON".to_owned(),
        source,
    })?;
    bytes.push(b'\n');
    write_atomic(&path(data, &ledger.partners), &bytes)
}

/// A name as a file name part: lowercase letters and digits, `-` between words, at most 20.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
        if out.chars().count() >= 20 {
            break;
        }
    }
    out.trim_matches('-').to_owned()
}
