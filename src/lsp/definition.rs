//! Go-to-definition: from a step id (after `goto:`, in `answers.ID`, in
//! `visits("ID")`) to the step that declares it.

use crate::lsp::outline::{Outline, StepId, word_at};

/// The step the word under the cursor names, unless the cursor is on the
/// declaration itself.
pub fn definition(text: &str, line: usize, character: usize) -> Option<StepId> {
    let current = text.lines().nth(line)?;
    let (word, _) = word_at(current, character)?;
    let step = Outline::of(text).step(&word)?.clone();
    (step.line != line).then_some(step)
}
