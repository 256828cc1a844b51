//! Everything a run has to remember, as plain data addressed by step ids, so
//! a session can be saved, restored after a crash, and resumed after the
//! exercise file was edited.

use crate::script::scope_names::Visits;
use chrono::{DateTime, NaiveDate, Utc};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Bumped whenever the shape below changes incompatibly.
pub const STATE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunState {
    pub state_version: u32,
    pub exercise: String,
    pub exercise_version: u32,
    pub partners: [String; 2],
    /// Role index → partner index.
    pub bindings: Vec<usize>,
    #[serde(flatten)]
    pub cursor: Cursor,
    pub answers: Vec<AnswerRecord>,
    /// Commitments and agreements made in this run, for the couple's ledger.
    #[serde(default)]
    pub records: Vec<Record>,
    /// Undo points for `:back`, one per accepted answer.
    pub trail: Vec<Checkpoint>,
}

/// Where the run is and what it has computed so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// The step about to run, or waiting for an answer; `None` when finished.
    pub at: Option<String>,
    /// True once the step at `at` is shown and waits for an answer.
    pub waiting: bool,
    /// 0 outside a swap block, else 1 or 2.
    pub round: u32,
    /// The variables the run set or changed; the rest are the exercise's
    /// starting values (`Exercise::vars`), read from there. States saved
    /// before this held every variable, which reads the same.
    pub vars: IndexMap<String, serde_json::Value>,
    /// Runs of each step in the current round. Keys are shared, not
    /// copied, when the cursor is saved for `:back` after every answer.
    pub visits: Visits,
    /// Check rules (by index) that already nudged at the waiting step;
    /// `DATE_NUDGE` for the built-in nudge of a `date: words` question.
    pub nudged: Vec<usize>,
    /// The answer the last nudge at the waiting step was about: giving the
    /// same words again lets them stand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nudged_answer: Option<String>,
    /// At a question both partners answer: 0 while the first answers, 1
    /// while the second does.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub turn: u32,
}

/// In `Cursor::nudged`: the built-in nudge about a past day already shown.
pub const DATE_NUDGE: usize = usize::MAX;

impl Cursor {
    /// A new question, or the same one asked afresh: no nudge shown yet.
    pub fn forget_nudges(&mut self) {
        self.nudged.clear();
        self.nudged_answer = None;
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerRecord {
    pub step: String,
    pub round: u32,
    pub partner: usize,
    pub name: String,
    pub role: String,
    /// The question as it was shown.
    pub question: String,
    /// The answer, or the key of the chosen option; `None` when skipped.
    pub text: Option<String>,
    /// The chosen option's label as it was shown, for notes a reader can
    /// follow without the exercise file. Only on `choose` answers; absent
    /// in journals written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The partner's own words, when they typed words at a choice that no
    /// option named and its `own_words` option took them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<String>,
    pub at: DateTime<Utc>,
}

impl AnswerRecord {
    /// The words the partner typed: `None` for a skipped question and for
    /// a choice, whose key and label are the exercise's words, not theirs.
    /// A choice kept `:private` is left out of the notes where it is the
    /// answer, but "Yes" is never cleared from everyone else's answers.
    pub fn typed_words(&self) -> Option<&str> {
        match (&self.label, &self.words) {
            (_, Some(words)) => Some(words),
            (Some(_), None) => None,
            (None, None) => self.text.as_deref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub cursor: Cursor,
    pub bindings: Vec<usize>,
    pub answers: usize,
    #[serde(default)]
    pub records: usize,
}

/// What a record does to the couple's ledger. Each record is one event:
/// the first three make an item, a mark changes one, so the ledger is the
/// events applied in order and a store can keep them append-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    /// Makes a commitment (one partner's, or both partners').
    Commitment,
    /// Makes an agreement (both partners', or one partner's, e.g. a pace).
    Agreement,
    /// Makes an open item: a decline or pause in the partner's words.
    Open,
    /// Changes a ledger item: kept, missed, retried, renegotiated, renegotiating, renewed, changed,
    /// retired, reached or settled (`status`).
    Mark,
}

/// One event for the couple's ledger, made during a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub kind: RecordKind,
    pub step: String,
    /// The exercise that made it (absent in journals written before it
    /// existed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub exercise: String,
    /// Whose it is (a partner's name); `None` for an agreement of both.
    /// For a mark, the marked item's owner as the run saw it.
    pub owner: Option<String>,
    /// Both names, for a commitment or open item both partners own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    /// The partner's words (for a mark, the marked item's words as the run
    /// saw them; `changed` puts the new words in `new_text`).
    pub text: String,
    /// An open item's subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// A due date or a date to revisit, when the words name one day; a
    /// habit's first day.
    pub date: Option<NaiveDate>,
    /// The timing as said ("by Friday", "when I feel ready").
    pub date_text: Option<String>,
    /// The timing is a habit ("every evening") starting on `date`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ongoing: bool,
    pub topic: Option<String>,
    pub at: DateTime<Utc>,
    /// A mark's ledger item id (`commitment` in journals written before
    /// any item could be marked).
    #[serde(default, alias = "commitment", skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// A mark's status: kept, missed, retried, renegotiated, renegotiating, renewed, changed,
    /// retired, reached or settled. A mark's `date`/`date_text` are the new
    /// timing of `retried`, `renewed` and `changed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A `changed` mark's new words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_text: Option<String>,
    /// The answers a partner kept out of the session notes (`:private`)
    /// that its words hold: the couple's ledger keeps the words, and notes,
    /// in this session and later ones, show each as kept private. Set by
    /// the store when the run's records reach the ledger.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_words: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mark written before any ledger item could be marked names its
    /// commitment as `commitment`; it still reads, as the item it marks.
    #[test]
    fn an_old_mark_reads_as_a_mark_of_its_item() {
        let old = r#"{"kind":"mark","step":"mark","owner":"Alex","text":"Text when late","date":null,"date_text":null,"topic":null,"at":"2026-11-25T18:00:00Z","commitment":"c1","status":"kept"}"#;
        let record: Record = serde_json::from_str(old).unwrap();
        assert_eq!(record.item.as_deref(), Some("c1"));
        assert_eq!(record.exercise, "");
        assert!(record.owners.is_empty() && !record.ongoing);
        let written = serde_json::to_string(&record).unwrap();
        assert!(written.contains(r#""item":"c1""#), "{written}");
        assert!(
            !written.contains("owners") && !written.contains("ongoing"),
            "{written}"
        );
    }

    /// Journals written before `label` existed still load, and answers
    /// without one are written as before.
    #[test]
    fn an_answer_without_a_label_reads_and_writes_as_before() {
        let old = r#"{"step":"share","round":0,"partner":0,"name":"Alex","role":"speaker","question":"What happened?","text":"We argued","at":"2026-11-25T18:00:00Z"}"#;
        let record: AnswerRecord = serde_json::from_str(old).unwrap();
        assert_eq!(record.label, None);
        assert_eq!(serde_json::to_string(&record).unwrap(), old);

        let chosen = AnswerRecord {
            label: Some("Yes, that's it.".into()),
            ..record
        };
        let text = serde_json::to_string(&chosen).unwrap();
        assert!(text.contains(r#""label":"Yes, that's it.""#), "{text}");
        assert_eq!(serde_json::from_str::<AnswerRecord>(&text).unwrap(), chosen);
    }
}
