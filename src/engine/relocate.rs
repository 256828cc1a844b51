//! Fitting saved run state to an exercise file that was edited since. Steps
//! are addressed by id, so most edits need nothing; when the step that was
//! waiting is gone, the run continues at the next step of the old order that
//! still exists, and says so. Pure: both exercises and the state come in.

use crate::engine::exercise::{Exercise, StepKind};
use crate::engine::state::RunState;

/// What happened to the saved position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Same file, same place.
    Unchanged,
    /// The file changed; the step still exists and the run continues there.
    Kept { at: String },
    /// The step is gone; the run continues at `to` (`None`: the end).
    Moved { gone: String, to: Option<String> },
    /// The run had finished.
    Finished,
}

/// Moves `state` onto `new`. `old` is the exercise as it was played, when its
/// saved text still compiles; without it, the run continues after the last
/// answer that still has its step.
pub fn relocate(old: Option<&Exercise>, new: &Exercise, state: &mut RunState) -> Placement {
    let Some(at) = state.cursor.at.clone() else {
        return Placement::Finished;
    };
    if old.is_some_and(|old| old.hash() == new.hash()) {
        return Placement::Unchanged;
    }
    // `:back` must not land on a step that no longer exists.
    state.trail.retain(|c| {
        c.cursor
            .at
            .as_ref()
            .is_none_or(|s| new.step_index(s).is_some())
    });
    if let Some(i) = new.step_index(&at) {
        let asks = new.steps[i].waits();
        if state.cursor.waiting && !asks {
            state.cursor.waiting = false;
        }
        fit_round(old, new, state, i);
        // A step that moved into a block continues at the block's start.
        let at = state.cursor.at.clone().unwrap_or(at);
        return Placement::Kept { at };
    }
    let target = next_surviving(old, new, state, &at);
    match target {
        Some(i) => fit_round(old, new, state, i),
        None => state.cursor.at = None,
    }
    state.cursor.waiting = false;
    state.cursor.forget_nudges();
    Placement::Moved {
        gone: at,
        to: state.cursor.at.clone(),
    }
}

/// The first step after `gone` in the old order that the new file still has;
/// without the old file, the step after the latest answer that still exists.
fn next_surviving(
    old: Option<&Exercise>,
    new: &Exercise,
    state: &RunState,
    gone: &str,
) -> Option<usize> {
    if let Some(old) = old
        && let Some(from) = old.step_index(gone)
    {
        return old.steps[from + 1..]
            .iter()
            .find_map(|s| new.step_index(&s.id));
    }
    let after_answer = state
        .answers
        .iter()
        .rev()
        .find_map(|a| new.step_index(&a.step))
        .map_or(0, |i| i + 1);
    (after_answer < new.steps.len()).then_some(after_answer)
}

/// Puts the cursor at step `i`, keeping the swap-block round consistent: a
/// round only continues inside a block, and a block is entered at its start.
fn fit_round(old: Option<&Exercise>, new: &Exercise, state: &mut RunState, i: usize) {
    let mut target = i;
    match new.steps[i].block {
        Some(block) if state.cursor.round == 0 => {
            target = block;
            state.cursor.waiting = false;
        }
        None if state.cursor.round > 0 => {
            // Leaving a swap block in its second round gives the roles back.
            if state.cursor.round == 2
                && let Some(old) = old
                && let Some(swap) = state
                    .cursor
                    .at
                    .as_deref()
                    .and_then(|s| old.step_index(s))
                    .and_then(|s| old.steps[s].block)
                    .and_then(|b| match old.steps[b].kind {
                        StepKind::Block { swap, .. } => swap,
                        _ => None,
                    })
                && swap.0 < state.bindings.len()
                && swap.1 < state.bindings.len()
            {
                state.bindings.swap(swap.0, swap.1);
            }
            state.cursor.round = 0;
        }
        _ => {}
    }
    state.cursor.at = Some(new.steps[target].id.clone());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::source::Source;
    use crate::engine::run::Run;
    use chrono::{DateTime, Utc};

    const OLD: &str = "title: T\nsummary: S\nminutes: 1\nversion: 1\nroles:\n  one: One.\nsteps:\n  - id: a\n    ask: A?\n    by: one\n  - id: b\n    ask: B?\n    by: one\n  - id: c\n    ask: C?\n    by: one\n  - id: d\n    ask: D?\n    by: one\n";

    fn exercise(text: &str) -> Exercise {
        crate::compile(
            "t",
            Source::new("t.yaml", text.to_owned()),
            &crate::format::WordLists::none(),
        )
        .exercise
        .unwrap()
    }

    /// A run of OLD waiting at `b`.
    fn waiting_at_b(old: &Exercise) -> RunState {
        let mut run = Run::start(old, ["A".into(), "B".into()]);
        run.next_event().unwrap();
        run.answer("first", DateTime::<Utc>::UNIX_EPOCH).unwrap();
        run.next_event().unwrap();
        run.into_state()
    }

    #[test]
    fn a_step_that_still_exists_keeps_its_place() {
        let old = exercise(OLD);
        let new = exercise(&OLD.replace("A?", "Now A?"));
        let mut state = waiting_at_b(&old);
        assert_eq!(
            relocate(Some(&old), &new, &mut state),
            Placement::Kept { at: "b".into() }
        );
        assert!(state.cursor.waiting);
    }

    #[test]
    fn a_gone_step_continues_at_the_next_surviving_one_in_the_old_order() {
        let old = exercise(OLD);
        let new = exercise(&OLD.replace(
            "  - id: b\n    ask: B?\n    by: one\n  - id: c\n    ask: C?\n    by: one\n",
            "",
        ));
        let mut state = waiting_at_b(&old);
        assert_eq!(
            relocate(Some(&old), &new, &mut state),
            Placement::Moved {
                gone: "b".into(),
                to: Some("d".into())
            }
        );
        assert!(!state.cursor.waiting);
        // Without the old file: the step after the latest answer still there.
        let mut state = waiting_at_b(&old);
        assert_eq!(
            relocate(None, &new, &mut state),
            Placement::Moved {
                gone: "b".into(),
                to: Some("d".into())
            }
        );
    }

    #[test]
    fn a_waiting_step_that_no_longer_asks_is_run_afresh() {
        let old = exercise(OLD);
        let new = exercise(&OLD.replace("    ask: B?\n    by: one\n", "    say: B.\n"));
        let mut state = waiting_at_b(&old);
        relocate(Some(&old), &new, &mut state);
        assert!(!state.cursor.waiting);
        let mut run = Run::restore(&new, state).unwrap();
        assert!(matches!(
            run.next_event().unwrap(),
            crate::Event::Say { text, .. } if text == "B."
        ));
    }
}
