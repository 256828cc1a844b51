//! Line breaks YAML and editors disagree on.
//!
//! libyaml ends a line at NEL (U+0085), LINE SEPARATOR (U+2028), PARAGRAPH
//! SEPARATOR (U+2029) and a lone carriage return, as well as at `\n`; most
//! editors, and mend's own positions, count only `\n`. A file holding one of
//! them would get diagnostics that point at the wrong line, so it is
//! refused at the first one, with a position both sides agree on.

use crate::diagnostic::{Diagnostic, Source};

/// An error at the first unusual line break in `source`, if it has one.
pub fn unusual(source: &Source) -> Option<Diagnostic> {
    let text = &*source.text;
    let (at, found) = text.char_indices().find(|&(at, c)| {
        matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
            || (c == '\r' && !text[at + 1..].starts_with('\n'))
    })?;
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let column = text[line_start..at].chars().count() + 1;
    let name = match found {
        '\u{85}' => "NEXT LINE (U+0085)",
        '\u{2028}' => "LINE SEPARATOR (U+2028)",
        '\u{2029}' => "PARAGRAPH SEPARATOR (U+2029)",
        _ => "carriage return without a newline",
    };
    Some(source.at(
        line,
        column,
        1,
        format!(
            "an unusual line break, {name}: YAML starts a new line here and most editors do not; replace it with an ordinary newline (or delete it)"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<(usize, usize)> {
        unusual(&Source::new("t.yaml", text)).map(|d| (d.line, d.column))
    }

    #[test]
    fn ordinary_files_pass() {
        assert_eq!(at("title: T\r\nsummary: S\n"), None);
        assert_eq!(at("say: \"é — ok\"\n"), None);
    }

    #[test]
    fn each_unusual_break_is_found_where_an_editor_shows_it() {
        assert_eq!(at("\u{2028}title: T\n"), Some((1, 1)));
        assert_eq!(at("title: T\nsay: a\u{2029}b\n"), Some((2, 7)));
        assert_eq!(at("title: T\nsay: é\u{85}\n"), Some((2, 7)));
        assert_eq!(at("title: T\rsay: b\n"), Some((1, 9)));
    }
}
