//! One couple's data as one file another machine's mend can import: their
//! session journals as written (the record everything else follows from),
//! their ledger, and each session's notes as rendered when exported, for
//! reading without mend. JSON, so it stays readable; `seal` encrypts it.

use crate::engine::ledger::couple_key;
use crate::store::couple_data::CoupleData;
use crate::store::data_dir::DataDir;
use crate::store::exercise_texts;
use crate::store::journal;
use crate::store::ledger_log;
use crate::store::private;
use crate::store::session_log::journal_path;
use crate::store::store_error::{Doing, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;

/// Bumped when the archive's shape changes incompatibly. Version 2 carries
/// the exercise texts its journals name (`texts`); version 1 archives,
/// whose journals hold their texts, still import.
pub const ARCHIVE_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Archive {
    /// Says what the file is, and its version.
    pub mend_archive: u32,
    pub partners: [String; 2],
    pub exported: DateTime<Utc>,
    pub sessions: Vec<ArchivedSession>,
    /// The ledger as it was, for reading; importing rebuilds it from the
    /// journals, which hold everything it does.
    pub ledger: Option<serde_json::Value>,
    /// The exercise texts the journals name, by SHA-256 (`exercise_texts`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub texts: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchivedSession {
    pub id: String,
    /// The journal file's text, byte for byte.
    pub journal: String,
    /// The session's notes in Markdown, when they could be rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub added: Vec<String>,
    /// Sessions already here with the same journal.
    pub already: Vec<String>,
}

impl Archive {
    /// The archive of `found`; `notes` renders a session's notes. Also
    /// returns what could not be put in it: an exercise text a journal
    /// names that is missing or changed (the journal goes in all the same,
    /// so nothing the couple said is held back).
    pub fn of(
        partners: &[String; 2],
        found: &CoupleData,
        exported: DateTime<Utc>,
        notes: impl Fn(&crate::store::session_log::SessionLog) -> Option<String>,
    ) -> Result<(Archive, Vec<String>), StoreError> {
        let mut sessions = Vec::new();
        let mut texts = BTreeMap::new();
        let mut left_out = Vec::new();
        for log in &found.sessions {
            for run in &log.runs {
                for key in run.kept_keys() {
                    if texts.contains_key(key) {
                        continue;
                    }
                    match run.kept_text(key) {
                        Ok(text) => {
                            texts.insert(key.clone(), text);
                        }
                        Err(e) => left_out.push(format!("session {}: {e}", log.id)),
                    }
                }
            }
            let bytes = private::read(&log.path)
                .doing(|| format!("cannot read `{}`", log.path.display()))?;
            let journal = String::from_utf8(bytes)
                .doing(|| format!("`{}` is not UTF-8 text", log.path.display()))?;
            sessions.push(ArchivedSession {
                id: log.id.clone(),
                journal,
                notes: notes(log),
            });
        }
        // The ledger as it stands, from its history (or a ledger file an
        // earlier mend wrote).
        let ledger = match &found.ledger {
            Some(path) if path.extension().is_some_and(|e| e == "jsonl") => Some(
                serde_json::to_value(ledger_log::read_history(path, partners)?.ledger())?,
            ),
            Some(path) => Some(
                serde_json::from_slice(&private::read(path)?)
                    .doing(|| format!("the ledger `{}` cannot be read", path.display()))?,
            ),
            None => None,
        };
        Ok((
            Archive {
                mend_archive: ARCHIVE_VERSION,
                partners: partners.clone(),
                exported,
                sessions,
                ledger,
                texts,
            },
            left_out,
        ))
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>, StoreError> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// Reads an archive, checking that each journal in it is one of this
    /// couple's and reads whole, before anything is written.
    pub fn from_bytes(bytes: &[u8]) -> Result<Archive, StoreError> {
        #[derive(Deserialize)]
        struct Version {
            mend_archive: Option<u32>,
        }
        let version: Version = serde_json::from_slice(bytes).map_err(|_| {
            StoreError::Refused("this is not a mend archive (`mend export` writes them)".to_owned())
        })?;
        match version.mend_archive {
            None => {
                return Err(StoreError::Refused(
                    "this is not a mend archive (`mend export` writes them)".to_owned(),
                ));
            }
            Some(v) if v > ARCHIVE_VERSION => {
                return Err(StoreError::Refused(format!(
                    "this archive was written by a newer mend (archive version {v}); update mend to import it"
                )));
            }
            Some(_) => {}
        }
        let archive: Archive =
            serde_json::from_slice(bytes).doing(|| "the archive is damaged".to_owned())?;
        let couple = couple_key(&archive.partners);
        for session in &archive.sessions {
            let read = journal::parse(&session.id, session.journal.as_bytes())
                .doing(|| format!("session {} in the archive is damaged", session.id))?;
            let folded = journal::fold(read.lines);
            let theirs = folded
                .start
                .is_some_and(|s| couple_key(&s.partners) == couple);
            if !theirs {
                return Err(StoreError::Refused(format!(
                    "session {} in the archive is not {} and {}'s; the archive was changed after it was written",
                    session.id, archive.partners[0], archive.partners[1]
                )));
            }
        }
        for (key, text) in &archive.texts {
            if !exercise_texts::is_key(key) || exercise_texts::key(text) != *key {
                return Err(StoreError::Refused(format!(
                    "an exercise text in the archive does not match its SHA-256 (`{}`); the archive was changed after it was written, and nothing was imported",
                    key.chars().take(64).collect::<String>()
                )));
            }
        }
        Ok(archive)
    }

    /// Writes the archive's sessions into `data`: each journal as a new
    /// file (a session already here with the same text is left as it is;
    /// one with other text stops the import before anything is written),
    /// then brings the couple's ledger up to date from them.
    pub fn import(&self, data: &DataDir) -> Result<Imported, StoreError> {
        let dir = data.sessions();
        data.ensure(&dir)?;
        // The texts first, held in place until the journals naming them
        // are written.
        let _held = exercise_texts::hold(data)?;
        let mut imported = Imported::default();
        let mut new = Vec::new();
        for session in &self.sessions {
            let path = journal_path(data, &session.id)?;
            match std::fs::read(&path) {
                Ok(existing) if existing == session.journal.as_bytes() => {
                    imported.already.push(session.id.clone());
                }
                Ok(_) => {
                    return Err(StoreError::Refused(format!(
                        "session {} is already here with other content; nothing was imported (`mend sessions` lists it)",
                        session.id
                    )));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => new.push((path, session)),
                Err(e) => {
                    return Err(e).doing(|| format!("cannot read `{}`", path.display()));
                }
            }
        }
        if !new.is_empty() {
            for (key, text) in &self.texts {
                exercise_texts::keep_held(data, key, text)?;
            }
        }
        for (path, session) in new {
            let mut file = private::create_new_append(&path)
                .doing(|| format!("cannot create `{}`", path.display()))?;
            file.write_all(session.journal.as_bytes())
                .and_then(|()| file.sync_all())
                .doing(|| format!("cannot write `{}`", path.display()))?;
            imported.added.push(session.id.clone());
        }
        for id in &imported.added {
            crate::store::session_index::add(data, id, || {
                crate::store::session_log::journal_ids(data)
            })?;
            // Any of them may wait to be resumed (readers check).
            crate::store::waiting::mark(data, id)?;
        }
        ledger_log::catch_up(data, &self.partners)?;
        Ok(imported)
    }
}
