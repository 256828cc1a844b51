//! Hover documentation: for a key, a helper, a name scripts read, or a step id.

use crate::lsp::keys;
use crate::lsp::outline::{Outline, word_at};
use crate::script::helpers::HELPERS;

/// What scripts and templates read, in a line each.
const NAMES: [(&str, &str); 12] = [
    ("answer", "The answer being checked (check rules only)."),
    (
        "answers",
        "Step id → answer text (or chosen key); this round's inside a swap block.",
    ),
    (
        "answers_by",
        "Partner name → step id → that partner's latest answer.",
    ),
    ("vars", "The exercise variables; `set` may change them."),
    ("partners", "The two names, in order."),
    ("roles", "Role → name of the partner playing it now."),
    (
        "by",
        "The name of the partner whose turn it is at this step.",
    ),
    ("round", "0 outside a swap block, else 1 or 2."),
    (
        "transcript",
        "Every answer so far: step, round, name, role, question, text (and label for choices).",
    ),
    ("records", "Commitments, agreements and marks made so far."),
    ("exercise", "The exercise's id and title."),
    (
        "ledger",
        "The couple's ledger from earlier sessions: open, due, commitments, agreements, revisit, today.",
    ),
];

/// Markdown for the word under the cursor, if mend knows it.
pub fn hover(text: &str, line: usize, character: usize) -> Option<String> {
    let current = text.lines().nth(line)?;
    let (word, start) = word_at(current, character)?;
    let after: String = current.chars().skip(start + word.chars().count()).collect();
    if after.starts_with(':')
        && let Some(doc) = keys::doc(&word)
    {
        return Some(format!("**{word}**: {doc}"));
    }
    if let Some((_, doc)) = HELPERS.iter().find(|(name, _)| *name == word) {
        return Some((*doc).to_owned());
    }
    if let Some((_, doc)) = NAMES.iter().find(|(name, _)| *name == word) {
        return Some(format!("**{word}**: {doc}"));
    }
    let outline = Outline::of(text);
    if let Some(step) = outline.step(&word) {
        let what = if step.question {
            "a question"
        } else {
            "a step"
        };
        return Some(format!("**{word}**: {what}, line {}", step.line + 1));
    }
    outline.roles.contains(&word).then(|| {
        format!("**{word}**: a role; in scripts and templates, the partner playing it now")
    })
}
