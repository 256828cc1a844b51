//! What happened during a sitting besides the answers, kept in the journal
//! so the notes can say it: breaks and resumes (who, when, at which
//! question), nudges, typing slips, `:back` revisions, answers kept private, answers that
//! named a safety concern, and when play stopped.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moment {
    pub at: DateTime<Utc>,
    pub kind: MomentKind,
    /// The partner it concerns (at a break, whose turn it was: who typed
    /// `:break`, not necessarily who asked for it; who was nudged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The step waiting or answered, and the question as it was shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The answer's place in the run (for `private` and `safety`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<usize>,
    /// What kind of nudge (the check rule's hint), which safety words
    /// matched, or, on `private`, the partner whose private answer this one
    /// follows (`private_with`). A slip keeps none: its hint may quote what
    /// was typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MomentKind {
    /// `:break` or Ctrl-D: a time-out, to be resumed.
    Break,
    /// The couple came back (`mend resume`) and said they were ready.
    Resume,
    /// Back from a break, a partner said not yet.
    #[serde(rename = "not-ready")]
    NotReady,
    /// `:quit` or Ctrl-C: stopped, to be resumed.
    Quit,
    /// A check rule of the exercise refused an answer with its hint.
    Nudge,
    /// An answer the question could not take as typed (not one of the
    /// options, no day where one is needed, empty, too long): a typing
    /// slip, not a nudge about what a partner said.
    Slip,
    /// `:back`: an answer was taken back to be revised.
    Back,
    /// A partner asked for an answer to stay out of the notes.
    Private,
    /// An answer named violence, fear or self-harm.
    Safety,
}

impl Moment {
    pub fn new(kind: MomentKind, at: DateTime<Utc>) -> Moment {
        Moment {
            at,
            kind,
            by: None,
            step: None,
            question: None,
            answer: None,
            detail: None,
        }
    }

    pub fn by(mut self, name: &str) -> Moment {
        self.by = Some(name.to_owned());
        self
    }

    pub fn at_question(mut self, step: &str, question: &str) -> Moment {
        self.step = Some(step.to_owned());
        self.question = Some(question.to_owned());
        self
    }

    pub fn answer(mut self, index: usize) -> Moment {
        self.answer = Some(index);
        self
    }

    pub fn detail(mut self, detail: &str) -> Moment {
        self.detail = Some(detail.to_owned());
        self
    }
}
