//! Making what a partner typed safe to show.

/// Replaces terminal control characters with visible stand-ins, so an answer
/// can never clear the screen, move the cursor or retitle the terminal when it
/// is echoed, written into notes or shown in a diagnostic. Newlines and tabs
/// stay; ESC becomes `^[`, other C0 controls `^X`, C1 controls and bidi
/// overrides `<U+XXXX>`. Nothing is dropped, so no answer loses text.
pub fn neutralize(s: &str) -> String {
    if is_plain(s) || !s.chars().any(needs_neutralizing) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_neutralizing(c) {
            out.push(c);
        } else if (c as u32) < 0x20 || c == '\u{7f}' {
            out.push('^');
            out.push(char::from(((c as u8) ^ 0x40) & 0x7f));
        } else {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        }
    }
    out
}

/// How many characters `neutralize(s)` has, without making it: an answer
/// too long to keep is refused before it is copied.
pub fn neutralized_len(s: &str) -> usize {
    if is_plain(s) {
        return s.len();
    }
    s.chars()
        .map(|c| match c {
            _ if !needs_neutralizing(c) => 1,
            '\u{0}'..='\u{1f}' | '\u{7f}' => 2,
            _ => "<U+0000>".len(),
        })
        .sum()
}

/// Printable ASCII (with newlines and tabs) needs nothing: checked by byte
/// first, since most answers are that and some are long.
fn is_plain(s: &str) -> bool {
    // A chunk at a time without stopping early inside it, which the
    // compiler turns into vector instructions: long answers are scanned
    // several times faster than byte by byte.
    s.as_bytes().chunks(64).all(|chunk| {
        chunk.iter().fold(true, |plain, &b| {
            plain & matches!(b, b' '..=b'~' | b'\n' | b'\t')
        })
    })
}

/// Whether `neutralize` would replace `c`.
pub fn needs_neutralizing(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidirectional overrides and isolates reorder text on screen.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// The ways an exercise may quote an answer: as typed, without its closing
/// punctuation (a template that writes `"{{ answer }}"` mid-sentence often
/// drops the full stop), and with its first letter in either case ("you
/// said that you hid…"). Used to find a `:private` answer wherever an
/// exercise repeats it. Longest first, no repeats.
pub fn quoted_forms(answer: &str) -> Vec<String> {
    let typed = answer.trim();
    let bare = typed.trim_end_matches(|c: char| ".!?…,;:".contains(c) || c.is_whitespace());
    let mut forms = Vec::new();
    for text in [typed, bare] {
        if text.is_empty() {
            continue;
        }
        forms.push(text.to_owned());
        let mut chars = text.chars();
        if let Some(first) = chars.next() {
            let rest = chars.as_str();
            forms.push(first.to_lowercase().chain(rest.chars()).collect());
            forms.push(first.to_uppercase().chain(rest.chars()).collect());
        }
    }
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    forms.dedup();
    forms
}

#[cfg(test)]
mod tests {
    use super::{neutralize, neutralized_len};

    #[test]
    fn escapes_become_visible() {
        assert_eq!(neutralize("a\u{1b}[2Jb"), "a^[[2Jb");
        assert_eq!(neutralize("bell\u{7}"), "bell^G");
        assert_eq!(neutralize("x\u{9b}y"), "x<U+009B>y");
        assert_eq!(neutralize("line\nnext\ttab"), "line\nnext\ttab");
        assert_eq!(neutralize("\u{202e}abc"), "<U+202E>abc");
    }

    #[test]
    fn lengths_are_counted_as_neutralized() {
        for s in [
            "a\u{1b}[2Jb",
            "x\u{9b}y\u{7f}",
            "plain text\n",
            "é\u{202e}😀",
            "",
        ] {
            assert_eq!(neutralized_len(s), neutralize(s).chars().count(), "{s:?}");
        }
    }
}

/// How wide text is on screen: columns, not characters (CJK and most
/// emoji take two, combining marks none).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// The widest mend's listings get, for easy reading.
pub const MAX_WIDTH: usize = 100;

/// The terminal's width (at most `MAX_WIDTH`), or `None` when output is not
/// a terminal: piped output is never wrapped.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0).min(MAX_WIDTH))
}

/// Wraps each line of `text` at `width` display columns without breaking
/// words, continuing a line under its own indent.
pub fn wrap_block(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return text.to_owned();
    };
    text.lines()
        .map(|line| {
            let indent = &line[..line.len() - line.trim_start().len()];
            let rest = format!("{indent}  ");
            let options = textwrap::Options::new(width.max(indent.len() + 20))
                .initial_indent(indent)
                .subsequent_indent(&rest)
                .break_words(false);
            textwrap::fill(line.trim_start(), &options)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod wrapping {
    use super::*;

    #[test]
    fn widths_count_columns_and_words_are_never_broken() {
        assert_eq!(display_width("会話"), 4);
        assert_eq!(display_width("ok"), 2);
        let wrapped = wrap_block(
            "  話し合い 話し合い 話し合い 話し合い 話し合い 話し合い",
            Some(24),
        );
        for line in wrapped.lines() {
            assert!(display_width(line) <= 24, "{line:?}");
        }
        assert!(wrapped.contains("話し合い"));
        assert_eq!(wrap_block("a b", None), "a b");
    }
}
