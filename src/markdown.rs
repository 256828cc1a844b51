//! Putting a partner's words into Markdown without letting them become markup.

/// Escapes `text` so that it renders as the same words in any CommonMark
/// renderer: no headings, lists, links, emphasis, code, tables or HTML, and no
/// way to leave the block it is placed in (a blank line would end a quote, so
/// line breaks become hard breaks and blank lines collapse).
pub fn escape(text: &str) -> String {
    let text = crate::text::neutralize(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).peekable();
    while let Some(line) = lines.next() {
        let line = line.trim_end();
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
    fn cannot_leave_the_block() {
        assert_eq!(escape("one\n\n# two"), "one\\\n\\# two");
    }
}
