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
    pub vars: IndexMap<String, serde_json::Value>,
    /// Runs of each step in the current round. Keys are shared, not
    /// copied, when the cursor is saved for `:back` after every answer.
    pub visits: Visits,
    /// Check rules (by index) that already nudged at the waiting step.
    pub nudged: Vec<usize>,
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
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub cursor: Cursor,
    pub bindings: Vec<usize>,
    pub answers: usize,
    #[serde(default)]
    pub records: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Commitment,
    Agreement,
    /// A commitment from the ledger marked kept, missed or renegotiated.
    Mark,
}

/// A commitment or agreement made during a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub kind: RecordKind,
    pub step: String,
    /// Who made a commitment (a partner's name); `None` for agreements.
    pub owner: Option<String>,
    pub text: String,
    /// A commitment's due date, or an agreement's date to revisit, when the
    /// words could be read as a date.
    pub date: Option<NaiveDate>,
    /// The words as given ("by Friday").
    pub date_text: Option<String>,
    pub topic: Option<String>,
    pub at: DateTime<Utc>,
    /// A mark's ledger commitment id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<String>,
    /// A mark's new status: kept, missed or renegotiated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
