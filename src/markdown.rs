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
                _ => out.push(c),
            }
        }
        if lines.peek().is_some() {
            out.push_str("\\\n");
        }
    }
    escape_ordered_markers(out)
}

fn starts_ordered_list(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(line[digits..].chars().next(), Some('.') | Some(')'))
}

/// Escapes the `.` or `)` after leading digits on each line ("1. " → "1\. ").
fn escape_ordered_markers(text: String) -> String {
    if !text.lines().any(starts_ordered_list) {
        return text;
    }
    text.split('\n')
        .map(|line| {
            if starts_ordered_list(line) {
                let digits = line.chars().take_while(char::is_ascii_digit).count();
                format!("{}\\{}", &line[..digits], &line[digits..])
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
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
