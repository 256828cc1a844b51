//! Hover documentation: for a key, a helper, a name scripts read, or a step id.

use crate::lsp::keys;
use crate::lsp::outline::{Outline, word_at};
use crate::script::helpers::HELPERS;
use crate::script::scope_names::SCOPE_NAMES;

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
    if let Some(entry) = SCOPE_NAMES.iter().find(|e| e.word == word) {
        return Some(format!("**{word}**: {}", entry.doc));
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
