//! Putting a partner's words into Markdown without letting them become markup.

/// Escapes `text` so that it renders as the same words in any CommonMark
/// renderer: no headings, lists, links, emphasis, code, tables or HTML, and no
/// way to leave the block it is placed in (a blank line would end a quote, so
/// line breaks become hard breaks and blank lines collapse).
pub fn escape(text: &str) -> String {
    let text = crate::text::neutralize(text);
    let mut out = String::with_capacity(text.len() + 16);
    // A value set inside a line (`{% set tail = " (as said)" %}`) keeps one
    // space at either end: without it the words run into their neighbours.
    // One space cannot open a code block, and the escapes below are decided
    // on the trimmed line, so `" - x"` still reads as words.
    let blank_at = |c: Option<char>| c.is_some_and(|c| c == ' ' || c == '\t');
    let words = text.trim();
    if blank_at(text.chars().next()) && !words.is_empty() {
        out.push(' ');
    }
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).peekable();
    while let Some(line) = lines.next() {
        // Every line starts at its first word: indentation would let a
        // continuation line open a list, heading or code block (` - x`,
        // `    code`), and a paragraph drops it anyway.
        let line = line.trim();
        // "1. text" or "1) text" at the start of a line is a list item.
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        for (i, c) in line.chars().enumerate() {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' | '{' | '}' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '-' | '+' | '=' if i == 0 => {
                    out.push('\\');
                    out.push(c);
                }
                '.' | ')' if i == digits && digits > 0 => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        if lines.peek().is_some() {
            out.push_str("\\\n");
        }
    }
    if blank_at(text.chars().next_back()) && !words.is_empty() {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_inert() {
        assert_eq!(escape("# title"), "\\# title");
        assert_eq!(escape("- item"), "\\- item");
        assert_eq!(escape("1. first"), "1\\. first");
        assert_eq!(
            escape("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(escape("[a](b)"), "\\[a\\](b)");
    }

    #[test]
    fn indented_lines_open_nothing() {
        assert_eq!(
            escape("a\n - x\n 1. y\n ===\n    code"),
            "a\\\n\\- x\\\n1\\. y\\\n\\===\\\ncode"
        );
    }

    #[test]
    fn a_value_set_inside_a_line_keeps_one_space_at_either_end() {
        assert_eq!(escape(" (kept as said)"), " (kept as said)");
        assert_eq!(escape("said, "), "said, ");
        assert_eq!(escape("   - x  "), " \\- x ");
        assert_eq!(escape("   "), "");
    }

    #[test]
    fn cannot_leave_the_block() {
        assert_eq!(escape("one\n\n# two"), "one\\\n\\# two");
    }
}

#[cfg(test)]
mod properties {
    use super::escape;
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    /// What a reader sees of `markdown`: every block and inline element,
    /// with the text of each.
    fn events(markdown: &str) -> Vec<Event<'_>> {
        Parser::new(markdown).collect()
    }

    /// Lines made of what Markdown reads as markup, led by spaces or not.
    fn answer() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just(" ".to_owned()),
            Just("    ".to_owned()),
            Just("\t".to_owned()),
            "[-+*=#>|`~_!\\[\\]()<&.:0-9]{1,3}",
            "[a-z]{1,6}",
            Just("1.".to_owned()),
            Just("2)".to_owned()),
            Just("***".to_owned()),
            Just("```".to_owned()),
            Just("===".to_owned()),
            Just("<div>".to_owned()),
            Just("&amp;".to_owned()),
        ];
        let line = prop::collection::vec(piece, 0..6).prop_map(|p| p.concat());
        prop::collection::vec(line, 1..5).prop_map(|l| l.join("\n"))
    }

    /// The answer's words as the escape keeps them: each line trimmed,
    /// blank lines gone, joined by line breaks.
    fn kept(text: &str) -> String {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Quoted as session notes quote it, followed by the next partner's
        /// line, any answer renders as one quote holding one paragraph of
        /// exactly its own words, and the next line stays outside it.
        #[test]
        fn an_answer_stays_words_inside_its_quote(text in answer()) {
            let markdown = format!("**A** said:\n\n> {}\n\n**B** said:\n", escape(&text));
            let events = events(&markdown);
            let mut depth = 0usize;
            let mut quoted = String::new();
            let mut quotes = 0;
            let mut after_quote = Vec::new();
            for event in &events {
                match event {
                    Event::Start(Tag::BlockQuote(_)) => { depth += 1; quotes += 1; }
                    Event::End(TagEnd::BlockQuote(_)) => depth -= 1,
                    Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) if depth > 0 => {}
                    Event::Text(t) if depth > 0 => quoted.push_str(t),
                    Event::HardBreak if depth > 0 => quoted.push('\n'),
                    other if depth > 0 => prop_assert!(false, "markup {other:?} in {markdown:?}"),
                    other if quotes > 0 => after_quote.push(other.clone()),
                    _ => {}
                }
            }
            if kept(&text).is_empty() {
                return Ok(());
            }
            prop_assert_eq!(quotes, 1, "{:?}", markdown);
            prop_assert_eq!(quoted, crate::text::neutralize(&kept(&text)), "{:?}", markdown);
            prop_assert_eq!(
                after_quote,
                vec![
                    Event::Start(Tag::Paragraph),
                    Event::Start(Tag::Strong),
                    Event::Text("B".into()),
                    Event::End(TagEnd::Strong),
                    Event::Text(" said:".into()),
                    Event::End(TagEnd::Paragraph),
                ]
            );
        }
    }
}
