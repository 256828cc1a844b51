//! YAML syntax errors in an author's words: the parser's messages ("did not
//! find expected '-' indicator, while parsing a block collection") become what
//! went wrong on the line and how to fix it.

use crate::diagnostic::report::Diagnostic;
use crate::diagnostic::source::Source;

/// The located diagnostic for a YAML parse failure.
pub fn yaml_syntax_error(source: &Source, error: &serde_yaml::Error) -> Diagnostic {
    let text = error.to_string();
    let parser_words = strip_locations(&text);
    let (mut message, mut help) = in_authors_words(&parser_words);
    let lines = source.text.lines().count();
    // `ask: {{ speaker }}, hello`: YAML reads `{` as a mapping, whatever it
    // then says went wrong.
    let value_starts_with_brace = error
        .location()
        .and_then(|l| source.line(l.line()))
        .and_then(|l| l.split_once(": "))
        .is_some_and(|(_, value)| value.trim_start().starts_with('{'));
    // Name the character YAML cannot start a value with.
    if parser_words.contains("cannot start any token")
        && let Some(c) = error.location().and_then(|l| {
            source
                .line(l.line())?
                .chars()
                .nth(l.column().saturating_sub(1))
        })
    {
        message = match c {
            '\t' => "a tab where YAML expects a value or spaces".to_owned(),
            '`' => "a value cannot start with a backtick".to_owned(),
            c => format!("a value cannot start with `{c}`"),
        };
    }
    // `title: 'it's fine'`: the apostrophe closes the quote.
    let quote_closed_early = error
        .location()
        .and_then(|l| source.line(l.line()))
        .and_then(|l| l.split_once(": "))
        .map(|(_, value)| value.trim())
        .is_some_and(|v| {
            v.chars()
                .next()
                .filter(|q| *q == '\'' || *q == '"')
                .is_some_and(|q| v.matches(q).count() > 2)
        });
    if quote_closed_early {
        message = "the quoted text ends early: a quote inside it closes it".to_owned();
        help = Some(
            "inside '...' write an apostrophe twice ('it''s fine'), or put the text in \"...\"",
        );
    }
    if value_starts_with_brace {
        message = "YAML reads a value that starts with `{` as a mapping, not text".to_owned();
        help = Some(
            "put a template that starts the text in quotes: ask: \"{{ speaker }}, how do you feel?\"",
        );
    }
    // An unclosed bracket, a key missing its colon or an alias is found
    // past where it starts: point at the start.
    let opened = parser_words.contains("did not find expected ',' or")
        || parser_words.contains("could not find expected ':'")
        || parser_words.contains("while scanning an alias");
    let located = match (error.location(), context_position(&text)) {
        (Some(_), Some((line, column))) if opened => source.at(line, column, 1, message),
        // "unexpected end of stream" points past the end; the context mark
        // (where the unclosed quote or bracket began) is where to look.
        (Some(l), Some((line, column))) if l.line() > lines => source.at(line, column, 1, message),
        // Past the end with no context mark: the end of the last line.
        (Some(l), None) if l.line() > lines => {
            let last = lines.max(1);
            let column = source.line(last).map_or(1, |t| t.chars().count() + 1);
            source.at(last, column, 1, message)
        }
        (Some(l), _) => match duplicate_key(&parser_words)
            .and_then(|key| Some((key, find_duplicate(source, l.line(), l.column(), key)?)))
        {
            Some((key, (first, line, column))) => source.at(
                line,
                column,
                key.chars().count(),
                format!("{message} (first at line {first})"),
            ),
            None => source.at(l.line(), l.column(), 1, message),
        },
        (None, _) => source.whole_file(message),
    };
    match help {
        Some(help) => located.with_help(help),
        None => located,
    }
}

/// What the parser meant, and the fix. Messages not in the table keep the
/// parser's words after "invalid YAML:".
fn in_authors_words(parser: &str) -> (String, Option<&'static str>) {
    const TABLE: [(&str, &str, &str); 15] = [
        (
            "repetition limit exceeded",
            "too many YAML aliases: the file would expand beyond a safe size",
            "",
        ),
        ("recursion limit exceeded", "the YAML nests too deeply", ""),
        (
            "more than one document",
            "the file holds more than one YAML document (`---`); put one exercise in each file",
            "",
        ),
        (
            "did not find expected '-' indicator",
            "this line is indented differently from the items above it",
            "start each item of a list with `-` at the same column, and indent an item's keys the same way under it",
        ),
        (
            "did not find expected key",
            "this line is indented differently from the keys above it, or a quote ends too early",
            "keys of one mapping start at the same column; inside '...' an apostrophe is written twice ('it''s'), or use \"...\"",
        ),
        (
            "mapping values are not allowed in this context",
            "YAML read `: ` here as a key where none can start",
            "if this is text that contains `: `, put the whole text in quotes; if it is a key, line it up with the keys above it",
        ),
        (
            "tab character",
            "a tab is used for indenting; YAML indents with spaces only",
            "replace the tab with spaces",
        ),
        (
            "did not find expected ',' or ']'",
            "a `[` list is never closed with `]`",
            "close the list with `]`, or put text that starts with `[` in quotes",
        ),
        (
            "did not find expected ',' or '}'",
            "a `{` is read as the start of a mapping that is never closed",
            "a value that starts with `{` (a template such as `{{ speaker }}, hello`) must be in quotes: \"{{ speaker }}, hello\"",
        ),
        (
            "unexpected end of stream, while scanning a quoted scalar",
            "this quote is never closed",
            "end the text with the same quote it starts with",
        ),
        (
            "unknown anchor",
            "a value starting with `*` refers to an anchor (`&name`) that is not defined",
            "put text that starts with `*` in quotes",
        ),
        (
            "while scanning an alias",
            "a value starting with `*` is read as an alias (`*name`), not text",
            "put text that starts with `*` in quotes",
        ),
        (
            "found character that cannot start any token",
            "a value cannot start with this character",
            "put the text in quotes",
        ),
        (
            "could not find expected ':'",
            "a key without a `:` after it",
            "write `key: value`, or put a line of text in quotes under a key",
        ),
        (
            "block sequence entries are not allowed in this context",
            "a list item `-` where a value was expected",
            "start the list on the next line, indented under its key",
        ),
    ];
    if let Some(key) = duplicate_key(parser) {
        return (
            format!("`{key}` is given twice in the same mapping"),
            Some("a mapping holds each key once: rename or remove one"),
        );
    }
    match TABLE.iter().find(|(words, ..)| parser.contains(words)) {
        Some((_, message, help)) => ((*message).to_owned(), Some(*help).filter(|h| !h.is_empty())),
        None => (format!("invalid YAML: {parser}"), None),
    }
}

/// The key in "steps[0]: duplicate entry with key \"ask\"".
fn duplicate_key(parser: &str) -> Option<&str> {
    let (_, rest) = parser.split_once("duplicate entry with key \"")?;
    rest.split('"').next()
}

/// Where `key` appears a second time in the block mapping whose first key
/// is at `line`:`column` (where serde_yaml points): (first line, line,
/// column). Only keys at the mapping's own indent count, and the search
/// stops where the mapping ends. `None` for a flow mapping or anything
/// unexpected, so the caller keeps serde_yaml's position.
fn find_duplicate(
    source: &Source,
    line: usize,
    column: usize,
    key: &str,
) -> Option<(usize, usize, usize)> {
    let indent = column.checked_sub(1)?;
    let mut first = None;
    for number in line.. {
        let text = source.line(number)?;
        // On the first line the mapping may follow `- ` of a sequence item.
        let (lead, rest) = if number == line {
            (indent, text.get(indent..)?)
        } else {
            let rest = text.trim_start_matches(' ');
            (text.len() - rest.len(), rest)
        };
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if lead < indent {
            return None;
        }
        if lead > indent {
            continue;
        }
        let named = [key.to_owned(), format!("\"{key}\""), format!("'{key}'")]
            .iter()
            .any(|k| {
                rest.strip_prefix(k.as_str())
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            });
        if named {
            match first {
                None => first = Some(number),
                Some(first) => return Some((first, number, indent + 1)),
            }
        }
    }
    None
}

/// The position in "..., while scanning a quoted scalar at line 9 column 10".
fn context_position(text: &str) -> Option<(usize, usize)> {
    let (_, context) = text.split_once(", while ")?;
    let (_, at) = context.rsplit_once(" at line ")?;
    let (line, column) = at.split_once(" column ")?;
    let column: String = column.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// serde_yaml appends " at line N column M" (sometimes twice); the diagnostic
/// already carries the position.
fn strip_locations(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(" at line ") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + " at line ".len()..];
        let skip = tail
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(tail.len());
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_serde_yaml_positions() {
        assert_eq!(
            strip_locations(
                "did not find expected key at line 3 column 5, while parsing a block mapping at line 1 column 1"
            ),
            "did not find expected key, while parsing a block mapping"
        );
    }

    #[test]
    fn no_parser_jargon_is_left_in_known_messages() {
        for parser in [
            "did not find expected '-' indicator, while parsing a block collection",
            "did not find expected key, while parsing a block mapping",
            "mapping values are not allowed in this context",
        ] {
            let (message, help) = in_authors_words(parser);
            assert!(!message.contains("while parsing"), "{message}");
            assert!(help.is_some(), "{parser}");
        }
    }
}
