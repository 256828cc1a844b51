//! Words a partner kept out of the notes (`:private`), cleared from every
//! value the notes print. The answer itself is already left out; this
//! catches the places an exercise quotes it later: a question that repeats
//! it ("Sam, can you agree to share this: …"), an agreement or open item
//! built from it, the exercise's own notes.

use serde_json::Value;

/// What stands in for the words.
pub const KEPT_PRIVATE: &str = "(kept private)";

/// Shorter words are too likely to be someone else's words too ("no",
/// "ok"); they are cleared only where a value is exactly them.
const SHORTEST: usize = 3;

/// Replaces every occurrence of `words` in the strings of `value`, in every
/// form an exercise may quote them (`text::quoted_forms`), as written and
/// as the Markdown escape writes them, at word boundaries.
pub fn clear(value: &mut Value, words: &[String]) {
    let mut forms: Vec<String> = Vec::new();
    for word in words.iter().flat_map(|w| crate::text::quoted_forms(w)) {
        let escaped = crate::markdown::escape(&word);
        if escaped != word {
            forms.push(escaped);
        }
        forms.push(word);
    }
    // Longest first, so a whole answer goes before a shorter one inside it.
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    forms.dedup();
    if forms.is_empty() {
        return;
    }
    walk(value, &forms);
}

/// `text` (Markdown, as an exercise's notes render it) without `words`.
pub fn clear_text(text: &str, words: &[String]) -> String {
    let mut value = Value::String(text.to_owned());
    clear(&mut value, words);
    match value {
        Value::String(cleared) => cleared,
        _ => text.to_owned(),
    }
}

fn walk(value: &mut Value, forms: &[String]) {
    match value {
        Value::String(text) => {
            if let Some(cleared) = cleared(text, forms) {
                *text = cleared;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk(v, forms)),
        Value::Object(map) => map.values_mut().for_each(|v| walk(v, forms)),
        _ => {}
    }
}

/// `text` with the words replaced, or `None` when none occurs.
fn cleared(text: &str, forms: &[String]) -> Option<String> {
    let mut out = text.to_owned();
    let mut changed = false;
    for form in forms {
        if out.trim() == form {
            return Some(KEPT_PRIVATE.to_owned());
        }
        if form.chars().count() < SHORTEST {
            continue;
        }
        let mut from = 0;
        while let Some(found) = out[from..].find(form.as_str()).map(|i| i + from) {
            let end = found + form.len();
            let alone = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
            if alone(out[..found].chars().next_back()) && alone(out[end..].chars().next()) {
                out.replace_range(found..end, KEPT_PRIVATE);
                from = found + KEPT_PRIVATE.len();
                changed = true;
            } else {
                from = end;
            }
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_words_are_cleared_wherever_a_value_quotes_them() {
        let mut value = json!({
            "question": "Sam, can you agree to share this: my phone log?",
            "records": [{"text": "Share my phone log every evening"}],
            "notes": "Alex asked for: my phone log \\[daily\\]",
            "other": "a catalogue of photos",
        });
        clear(&mut value, &["my phone log".to_owned(), "log".to_owned()]);
        assert_eq!(
            value,
            json!({
                "question": "Sam, can you agree to share this: (kept private)?",
                "records": [{"text": "Share (kept private) every evening"}],
                "notes": "Alex asked for: (kept private) \\[daily\\]",
                "other": "a catalogue of photos",
            })
        );
    }

    #[test]
    fn a_quote_without_the_full_stop_or_with_a_small_first_letter_is_cleared() {
        let mut value = json!({
            "heading": "Alex most needs acknowledged: \"That you hid the messages for months\". Sam?",
            "echo": "You said that you hid the messages for months!",
        });
        clear(
            &mut value,
            &["That you hid the messages for months.".to_owned()],
        );
        assert_eq!(
            value,
            json!({
                "heading": "Alex most needs acknowledged: \"(kept private)\". Sam?",
                "echo": "You said (kept private)!",
            })
        );
    }

    #[test]
    fn escaped_words_and_short_words_alone_are_cleared_too() {
        let mut value = json!({"a": "I feel \\[left out\\]", "b": "ok", "c": "okay then"});
        clear(
            &mut value,
            &["I feel [left out]".to_owned(), "ok".to_owned()],
        );
        assert_eq!(
            value,
            json!({"a": "(kept private)", "b": "(kept private)", "c": "okay then"})
        );
    }
}
