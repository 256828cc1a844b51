//! The couple's ledger: commitments and agreements across sessions, so a
//! weekly check-in can ask what was promised, what was delivered and what is
//! still hard. A run's records enter it when the run finishes (until then
//! `:back` may still undo them); each finished run is added once.
//! Stored per couple under the data folder as JSON, replaced atomically.

use crate::engine::exercise::content_hash;
use crate::engine::state::{Record, RecordKind};
use crate::store::data_dir::{DataDir, private_file, write_atomic};
use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub const LEDGER_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Kept,
    Missed,
    Renegotiated,
}

impl Status {
    /// The statuses a `mark` step may set.
    pub const MARKS: [&str; 3] = ["kept", "missed", "renegotiated"];

    pub fn parse_mark(word: &str) -> Option<Status> {
        match word.trim().to_lowercase().as_str() {
            "kept" => Some(Status::Kept),
            "missed" => Some(Status::Missed),
            "renegotiated" => Some(Status::Renegotiated),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Kept => "kept",
            Status::Missed => "missed",
            Status::Renegotiated => "renegotiated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub v: u32,
    pub partners: [String; 2],
    pub commitments: Vec<Commitment>,
    pub agreements: Vec<Agreement>,
    /// Finished runs already added, as `session#exercise-number`.
    pub applied: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    pub id: String,
    pub owner: String,
    pub text: String,
    pub due: Option<NaiveDate>,
    pub due_text: Option<String>,
    pub made: DateTime<Utc>,
    pub session: String,
    pub status: Status,
    /// Every change of status, oldest first.
    pub history: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub status: Status,
    pub at: DateTime<Utc>,
    pub session: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: String,
    pub text: String,
    pub topic: Option<String>,
    pub revisit: Option<NaiveDate>,
    pub revisit_text: Option<String>,
    pub made: DateTime<Utc>,
    pub session: String,
}

/// What exercises see as `ledger`: plain lists, dates as `YYYY-MM-DD` (empty
/// when none), computed for one day so the engine never reads the clock.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerView {
    /// The day the view was made (empty in a run without a ledger).
    pub today: String,
    /// Open commitments, earliest due first.
    pub open: Vec<CommitmentView>,
    /// Open commitments due today or earlier.
    pub due: Vec<CommitmentView>,
    /// Every commitment, open or not, in the order they were made.
    pub commitments: Vec<CommitmentView>,
    pub agreements: Vec<AgreementView>,
    /// Agreements whose revisit date is today or past.
    pub revisit: Vec<AgreementView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitmentView {
    pub id: String,
    pub owner: String,
    pub text: String,
    pub due: String,
    pub due_text: String,
    pub status: String,
    pub overdue: bool,
    pub made: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreementView {
    pub id: String,
    pub text: String,
    pub topic: String,
    pub revisit: String,
    pub revisit_text: String,
    /// The revisit date is today or past.
    pub revisit_due: bool,
    pub made: String,
}

/// Commitments and agreements a ledger starts with: a test plan's
/// `ledger:`, so a check-in can be tested without earlier sessions.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    #[serde(default)]
    pub commitments: Vec<SeedCommitment>,
    #[serde(default)]
    pub agreements: Vec<SeedAgreement>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCommitment {
    pub owner: String,
    pub text: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAgreement {
    pub text: String,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub revisit: Option<NaiveDate>,
}

impl Seed {
    /// The seed as records made at `at`, as a run would have made them.
    pub fn records(&self, at: DateTime<Utc>) -> Vec<Record> {
        let record = |kind, owner: Option<&str>, text: &str, date, topic: Option<&String>| Record {
            kind,
            step: "seed".to_owned(),
            owner: owner.map(str::to_owned),
            text: text.to_owned(),
            date,
            date_text: None,
            topic: topic.cloned(),
            at,
            commitment: None,
            status: None,
        };
        self.commitments
            .iter()
            .map(|c| record(RecordKind::Commitment, Some(&c.owner), &c.text, c.due, None))
            .chain(self.agreements.iter().map(|a| {
                record(
                    RecordKind::Agreement,
                    None,
                    &a.text,
                    a.revisit,
                    a.topic.as_ref(),
                )
            }))
            .collect()
    }
}

/// The ledger's key: both names, trimmed, case-folded, in either order.
pub fn couple_key(partners: &[String; 2]) -> String {
    let mut names: Vec<String> = partners
        .iter()
        .map(|n| {
            n.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .collect();
    names.sort();
    names.join("\n")
}

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

impl Ledger {
    pub fn new(partners: &[String; 2]) -> Ledger {
        Ledger {
            v: LEDGER_VERSION,
            partners: partners.clone(),
            commitments: Vec::new(),
            agreements: Vec::new(),
            applied: Vec::new(),
        }
    }

    /// Where a couple's ledger lives: readable names plus a hash of the key,
    /// so names that slug alike never share a file.
    pub fn path(data: &DataDir, partners: &[String; 2]) -> PathBuf {
        let key = couple_key(partners);
        let mut slugs: Vec<String> = key.split('\n').map(slug).collect();
        slugs.retain(|s| !s.is_empty());
        let hash = content_hash(&key);
        data.ledgers()
            .join(format!("{}-{}.json", slugs.join("+"), &hash[..8]))
    }

    pub fn load(data: &DataDir, partners: &[String; 2]) -> anyhow::Result<Ledger> {
        let path = Self::path(data, partners);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .with_context(|| format!("the ledger `{}` cannot be read", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ledger::new(partners)),
            Err(e) => Err(e).with_context(|| format!("cannot read `{}`", path.display())),
        }
    }

    /// Changes the couple's ledger under an exclusive lock, storing it when
    /// `change` says it changed anything, so two mends finishing at once
    /// each keep the other's additions.
    pub fn update(
        data: &DataDir,
        partners: &[String; 2],
        change: impl FnOnce(&mut Ledger) -> bool,
    ) -> anyhow::Result<Ledger> {
        data.ensure(&data.ledgers())?;
        let lock_path = Self::path(data, partners).with_extension("lock");
        let lock = private_file()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .with_context(|| format!("cannot open `{}`", lock_path.display()))?;
        lock.lock()
            .with_context(|| format!("cannot lock `{}`", lock_path.display()))?;
        let path = Self::path(data, partners);
        let (mut ledger, rebuilt) = match Self::load(data, partners) {
            Ok(ledger) => (ledger, false),
            // Everything in a ledger comes from the session journals, so a
            // damaged one is set aside and rebuilt, not a dead end.
            Err(error) if path.is_file() => {
                let aside = path.with_extension("json.damaged");
                std::fs::rename(&path, &aside)
                    .with_context(|| format!("{error:#}; and it could not be moved aside"))?;
                eprintln!(
                    "note: {error:#}; it was moved to `{}` and is rebuilt from the session journals",
                    aside.display()
                );
                (Ledger::new(partners), true)
            }
            Err(error) => return Err(error),
        };
        if change(&mut ledger) || rebuilt {
            ledger.store(data)?;
        }
        Ok(ledger)
    }

    fn store(&self, data: &DataDir) -> anyhow::Result<()> {
        let dir = data.ledgers();
        data.ensure(&dir)?;
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        write_atomic(&Self::path(data, &self.partners), &bytes)
    }

    /// Adds a finished run's records. `run_key` identifies the run; adding the
    /// same run again changes nothing. Returns whether anything was added.
    pub fn apply(&mut self, run_key: &str, session: &str, records: &[Record]) -> bool {
        if self.applied.iter().any(|k| k == run_key) {
            return false;
        }
        self.applied.push(run_key.to_owned());
        for record in records {
            match record.kind {
                RecordKind::Commitment => {
                    let id = format!("c{}", self.commitments.len() + 1);
                    self.commitments.push(Commitment {
                        id,
                        owner: record.owner.clone().unwrap_or_default(),
                        text: record.text.clone(),
                        due: record.date,
                        due_text: record.date_text.clone(),
                        made: record.at,
                        session: session.to_owned(),
                        status: Status::Open,
                        history: Vec::new(),
                    });
                }
                RecordKind::Agreement => {
                    let id = format!("a{}", self.agreements.len() + 1);
                    self.agreements.push(Agreement {
                        id,
                        text: record.text.clone(),
                        topic: record.topic.clone(),
                        revisit: record.date,
                        revisit_text: record.date_text.clone(),
                        made: record.at,
                        session: session.to_owned(),
                    });
                }
                RecordKind::Mark => {
                    let status = record.status.as_deref().and_then(Status::parse_mark);
                    if let (Some(status), Some(c)) = (status, self.marked(record)) {
                        c.status = status;
                        c.history.push(Change {
                            status,
                            at: record.at,
                            session: session.to_owned(),
                        });
                    }
                }
            }
        }
        true
    }

    /// Adds a seed's commitments and agreements, as made at `at`.
    pub fn seed(&mut self, seed: &Seed, at: DateTime<Utc>) {
        self.apply("seed", "seed", &seed.records(at));
    }

    /// The commitment a mark is about: its id, when the text still matches
    /// (ids are given in the order runs are added, which a rebuild from the
    /// journals may change), else the same owner and text.
    fn marked(&mut self, mark: &Record) -> Option<&mut Commitment> {
        let same = |c: &Commitment| c.text == mark.text && Some(&c.owner) == mark.owner.as_ref();
        let by_id = self
            .commitments
            .iter()
            .position(|c| Some(c.id.as_str()) == mark.commitment.as_deref());
        let found = by_id
            .filter(|&i| same(&self.commitments[i]))
            .or_else(|| self.commitments.iter().position(same))
            .or(by_id)?;
        self.commitments.get_mut(found)
    }

    pub fn view(&self, today: NaiveDate) -> LedgerView {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let commitments: Vec<CommitmentView> = self
            .commitments
            .iter()
            .map(|c| CommitmentView {
                id: c.id.clone(),
                owner: c.owner.clone(),
                text: c.text.clone(),
                due: date(c.due),
                due_text: c.due_text.clone().unwrap_or_default(),
                status: c.status.word().to_owned(),
                overdue: c.status == Status::Open && c.due.is_some_and(|d| d < today),
                made: c.made.date_naive().to_string(),
            })
            .collect();
        let mut open: Vec<CommitmentView> = commitments
            .iter()
            .filter(|c| c.status == "open")
            .cloned()
            .collect();
        // Dated first, earliest first; undated after, in the order made.
        open.sort_by_key(|c| (c.due.is_empty(), c.due.clone()));
        let due = open
            .iter()
            .filter(|c| !c.due.is_empty() && c.due <= today.to_string())
            .cloned()
            .collect();
        let agreements: Vec<AgreementView> = self
            .agreements
            .iter()
            .map(|a| AgreementView {
                id: a.id.clone(),
                text: a.text.clone(),
                topic: a.topic.clone().unwrap_or_default(),
                revisit: date(a.revisit),
                revisit_text: a.revisit_text.clone().unwrap_or_default(),
                revisit_due: a.revisit.is_some_and(|d| d <= today),
                made: a.made.date_naive().to_string(),
            })
            .collect();
        let revisit = agreements
            .iter()
            .filter(|a| a.revisit_due)
            .cloned()
            .collect();
        LedgerView {
            today: today.to_string(),
            open,
            due,
            commitments,
            agreements,
            revisit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(a: &str, b: &str) -> [String; 2] {
        [a.to_owned(), b.to_owned()]
    }

    #[test]
    fn the_key_ignores_order_case_and_spacing() {
        assert_eq!(
            couple_key(&names("Alex", "Sam")),
            couple_key(&names(" sam", "ALEX "))
        );
        assert_ne!(
            couple_key(&names("Alex", "Sam")),
            couple_key(&names("Alex", "Sasha"))
        );
    }

    fn record(kind: RecordKind, text: &str) -> Record {
        Record {
            kind,
            step: "s".into(),
            owner: Some("Alex".into()),
            text: text.into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 27),
            date_text: Some("by Friday".into()),
            topic: None,
            at: DateTime::<Utc>::UNIX_EPOCH,
            commitment: None,
            status: None,
        }
    }

    #[test]
    fn a_run_is_added_once_and_marks_change_status() {
        let mut ledger = Ledger::new(&names("Alex", "Sam"));
        let made = [record(RecordKind::Commitment, "text when late")];
        assert!(ledger.apply("s1#1", "s1", &made));
        assert!(!ledger.apply("s1#1", "s1", &made));
        assert_eq!(ledger.commitments.len(), 1);
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert!(ledger.view(today).open[0].overdue);
        let mut mark = record(RecordKind::Mark, "");
        mark.commitment = Some("c1".into());
        mark.status = Some("kept".into());
        ledger.apply("s2#1", "s2", &[mark]);
        assert_eq!(ledger.commitments[0].status, Status::Kept);
        assert_eq!(ledger.commitments[0].history.len(), 1);
        assert!(ledger.view(today).open.is_empty());
    }
}
