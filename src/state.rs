//! Everything a run has to remember, as plain data addressed by step ids, so
//! a session can be saved, restored after a crash, and resumed after the
//! exercise file was edited.

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Runs of each step in the current round.
    pub visits: BTreeMap<String, u32>,
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
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub cursor: Cursor,
    pub bindings: Vec<usize>,
    pub answers: usize,
}
