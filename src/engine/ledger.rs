//! The couple's ledger: commitments and agreements across sessions, so a
//! weekly check-in can ask what was promised, what was delivered and what is
//! still hard. A run's records enter it when the run finishes (until then
//! `:back` may still undo them); each finished run is added once.
//! This is the pure half (types, `apply`, `view`); `store::ledger_file`
//! keeps each couple's ledger on disk.

use crate::engine::state::{Record, RecordKind};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const LEDGER_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommitmentStatus {
    Open,
    Kept,
    Missed,
    Renegotiated,
}

impl CommitmentStatus {
    /// The statuses a `mark` step may set.
    pub const MARKS: [&str; 3] = ["kept", "missed", "renegotiated"];

    pub fn parse_mark(word: &str) -> Option<CommitmentStatus> {
        match word.trim().to_lowercase().as_str() {
            "kept" => Some(CommitmentStatus::Kept),
            "missed" => Some(CommitmentStatus::Missed),
            "renegotiated" => Some(CommitmentStatus::Renegotiated),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            CommitmentStatus::Open => "open",
            CommitmentStatus::Kept => "kept",
            CommitmentStatus::Missed => "missed",
            CommitmentStatus::Renegotiated => "renegotiated",
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
    pub status: CommitmentStatus,
    /// Every change of status, oldest first.
    pub history: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub status: CommitmentStatus,
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
                        status: CommitmentStatus::Open,
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
                    let status = record
                        .status
                        .as_deref()
                        .and_then(CommitmentStatus::parse_mark);
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
        let records: Vec<Record> = seed
            .commitments
            .iter()
            .map(|c| record(RecordKind::Commitment, Some(&c.owner), &c.text, c.due, None))
            .chain(seed.agreements.iter().map(|a| {
                record(
                    RecordKind::Agreement,
                    None,
                    &a.text,
                    a.revisit,
                    a.topic.as_ref(),
                )
            }))
            .collect();
        self.apply("seed", "seed", &records);
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
                overdue: c.status == CommitmentStatus::Open && c.due.is_some_and(|d| d < today),
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
        assert_eq!(ledger.commitments[0].status, CommitmentStatus::Kept);
        assert_eq!(ledger.commitments[0].history.len(), 1);
        assert!(ledger.view(today).open.is_empty());
    }
}
