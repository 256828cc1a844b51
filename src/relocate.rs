//! Fitting saved run state to an exercise file that was edited since. Steps
//! are addressed by id, so most edits need nothing; when the step that was
//! waiting is gone, the run continues at the next step of the old order that
//! still exists, and says so. Pure: both exercises and the state come in.

use crate::exercise::{Exercise, StepKind};
use crate::state::RunState;

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
    if old.is_some_and(|old| old.hash == new.hash) {
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
        let asks = matches!(new.steps[i].kind, StepKind::Ask(_) | StepKind::Choose(_));
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
    state.cursor.nudged.clear();
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
