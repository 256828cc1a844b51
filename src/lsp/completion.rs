//! What to offer where the cursor is: keys where a key goes, step ids after
//! `goto:` and `answers.`, roles after `by:` and in `swap:`, and the names and
//! helpers a script or template can use elsewhere.

use crate::lsp::keys;
use crate::lsp::outline::Outline;
use crate::script::helpers::HELPERS;
use crate::script::scope_names::{Kind, SCOPE_NAMES};
use serde::Serialize;

/// An LSP `CompletionItem` (the fields mend fills).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub label: String,
    /// LSP's CompletionItemKind: 3 function, 6 variable, 10 property, 18 reference.
    pub kind: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

const FUNCTION: u32 = 3;
const VARIABLE: u32 = 6;
const PROPERTY: u32 = 10;
const REFERENCE: u32 = 18;

/// The items for the cursor at 0-based `line` and `character` of `text`.
pub fn complete(text: &str, line: usize, character: usize) -> Vec<Item> {
    let current = text.lines().nth(line).unwrap_or("");
    let before: String = current.chars().take(character).collect();
    let outline = Outline::of(text);
    let partial_start = before
        .trim_end_matches(|c: char| c.is_alphanumeric() || c == '_')
        .len();
    let lead = &before[..partial_start];
    let item = |label: &str, kind: u32, detail: Option<String>| Item {
        label: label.to_owned(),
        kind,
        detail,
    };
    if lead.ends_with("answers.") {
        return outline
            .steps
            .iter()
            .filter(|s| s.question)
            .map(|s| {
                item(
                    &s.id,
                    REFERENCE,
                    Some(format!("the answer given at step `{}`", s.id)),
                )
            })
            .collect();
    }
    let key = lead.trim_start().trim_start_matches("- ").trim_end();
    if key == "goto:" {
        return outline
            .steps
            .iter()
            .map(|s| {
                item(
                    &s.id,
                    REFERENCE,
                    Some(format!("step on line {}", s.line + 1)),
                )
            })
            .collect();
    }
    if key == "by:" || key.starts_with("swap:") {
        return outline
            .roles
            .iter()
            .map(|r| item(r, VARIABLE, Some("role".to_owned())))
            .collect();
    }
    if !lead.contains(':') {
        let indent = current.len() - current.trim_start().len();
        let table: &[(&str, &str)] = if indent == 0 {
            &keys::TOP_LEVEL
        } else {
            &keys::STEP
        };
        return table
            .iter()
            .map(|(k, doc)| item(k, PROPERTY, Some((*doc).to_owned())))
            .collect();
    }
    let mut items: Vec<Item> = HELPERS
        .iter()
        .map(|(name, doc)| item(name, FUNCTION, Some((*doc).to_owned())))
        .collect();
    items.extend(
        SCOPE_NAMES
            .iter()
            .filter(|e| e.kind != Kind::Helper)
            .map(|e| item(e.word, VARIABLE, Some(e.doc.to_owned()))),
    );
    items.extend(outline.roles.iter().map(|r| {
        item(
            r,
            VARIABLE,
            Some("role: the partner playing it now".to_owned()),
        )
    }));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "title: T\nroles:\n  speaker: S\n  listener: L\nsteps:\n  - id: hello\n    say: Hi\n  - id: feeling\n    ask: How?\n    by: \n    goto: \n    when: answers.\n    ch\n";

    fn labels(line: usize, character: usize) -> Vec<String> {
        complete(TEXT, line, character)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn offers_what_fits_the_place() {
        assert_eq!(labels(9, 8), ["speaker", "listener"]);
        assert_eq!(labels(10, 10), ["hello", "feeling"]);
        assert_eq!(labels(11, 18), ["feeling"]);
        assert!(labels(12, 6).contains(&"check".to_owned()));
        assert!(labels(0, 2).contains(&"summary".to_owned()));
    }
}
