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
    /// The answer's place in the run (for `private`, `nudge` and `safety`);
    /// on `back`, the first place taken back.
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

/// The moments of `kind` about the answer at `index` that still stand. An
/// answer taken back with `:back` takes its moments (a nudge, `:private`, a
/// safety note) with it: the place may hold a new answer later, which they
/// are not about. A `back` moment names the first place it took back;
/// journals written before it did keep every moment.
pub fn about_answer(
    moments: &[Moment],
    kind: MomentKind,
    index: usize,
) -> impl Iterator<Item = &Moment> {
    standing(moments).filter(move |m| m.kind == kind && m.answer == Some(index))
}

/// Every moment about an answer that still stands (see `about_answer`),
/// latest first.
pub fn standing(moments: &[Moment]) -> impl Iterator<Item = &Moment> {
    moments
        .iter()
        .rev()
        .scan(usize::MAX, |taken_back_from, m| {
            if m.kind == MomentKind::Back
                && let Some(from) = m.answer
            {
                *taken_back_from = (*taken_back_from).min(from);
            }
            Some((m, *taken_back_from))
        })
        .filter(|(m, taken_back_from)| {
            m.kind != MomentKind::Back && m.answer.is_some_and(|i| i < *taken_back_from)
        })
        .map(|(m, _)| m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A nudge at the answer a partner then took back is not about the new
    /// answer that takes its place.
    #[test]
    fn a_moment_goes_with_the_answer_taken_back() {
        let at = chrono::Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap();
        let moments = [
            Moment::new(MomentKind::Nudge, at).answer(3),
            Moment::new(MomentKind::Private, at).answer(1),
            Moment::new(MomentKind::Back, at).answer(2),
            Moment::new(MomentKind::Nudge, at).answer(2),
        ];
        let nudged = |i| about_answer(&moments, MomentKind::Nudge, i).count();
        assert_eq!(nudged(3), 0);
        assert_eq!(nudged(2), 1);
        assert_eq!(about_answer(&moments, MomentKind::Private, 1).count(), 1);
        // A `back` written before it named a place takes nothing back.
        let old = [
            Moment::new(MomentKind::Nudge, at).answer(3),
            Moment::new(MomentKind::Back, at),
        ];
        assert_eq!(about_answer(&old, MomentKind::Nudge, 3).count(), 1);
    }
}
