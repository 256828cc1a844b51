//! What the engine asks a front-end to show, and what it answers back.

use serde::Serialize;
use std::sync::Arc;

/// The next thing to show. `Say` has already moved the run on; `Prompt` stays
/// until it is answered, so asking again returns the same prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Event {
    Say {
        step: String,
        text: String,
    },
    /// Shared with the run, which hands out the same prompt until it is
    /// answered.
    Prompt(Arc<Prompt>),
    Finished,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prompt {
    pub step: String,
    pub text: String,
    pub example: Option<String>,
    /// The options of a choose step: (key, label). Empty for a free answer.
    pub options: Vec<(String, String)>,
    pub optional: bool,
    /// Whose turn it is: partner index (0 or 1), name, role.
    pub partner: usize,
    pub name: String,
    /// The role's name, as exercises and test plans refer to it.
    pub role: String,
    /// How the screen names the role (its `label`, else its name); empty
    /// where the role means nothing for this question (see
    /// `Exercise::shows_role_at`), and the screen shows just the name.
    pub role_label: String,
    pub progress: Progress,
}

/// "Question 3 of 8"; `round` is 1 or 2 inside a swap block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Questions asked so far in this run, this one included; it never
    /// restarts at a round, so it never goes back.
    pub question: usize,
    /// How many questions the run asks in all, only when every path asks
    /// the same number (see `Exercise::fixed_question_count`).
    pub of: Option<usize>,
    pub round: Option<u32>,
}

impl Progress {
    /// "question 3 of 8", or "question 12" where the total depends on the
    /// answers still to come.
    pub fn counter(&self) -> String {
        match self.of {
            Some(of) => format!("question {} of {of}", self.question),
            None => format!("question {}", self.question),
        }
    }
}

/// What became of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Reply {
    /// Stored; the run moved on.
    Accepted,
    /// Not stored; show the hint and ask the same question again. `check` is
    /// the index of the check rule that nudged, if one did; a strict rule's
    /// refusal is not a nudge (what it refuses can never stand), so it is
    /// `None` like a slip of typing.
    Retry { hint: String, check: Option<usize> },
}
