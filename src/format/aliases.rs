//! How large a YAML file becomes once its aliases are expanded, estimated
//! from the text before it is parsed. The parser bounds how many aliases
//! nest, but not what each one copies: one anchored string of 100 KiB
//! aliased a thousand times is 100 MB in memory from a 115 KB file.

/// An anchor (`&name`) and the text of the node it names.
struct Anchor<'t> {
    name: &'t str,
    start: usize,
    end: usize,
    /// The node's size with the aliases inside it expanded.
    size: usize,
}

/// The byte offset of the alias at which the expanded file would pass
/// `limit` bytes, or `None` if it stays within it. A
/// node's size is over-estimated (its anchor to the end of its lines), so
/// a file within the bound is never refused wrongly unless it is close.
pub fn past_limit(text: &str, limit: usize) -> Option<usize> {
    if !text.contains('&') || !text.contains('*') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut total = text.len();
    for (at, &b) in bytes.iter().enumerate() {
        if b != b'&' && b != b'*' {
            continue;
        }
        // Anchors and aliases are tokens of their own.
        let before = at.checked_sub(1).map(|i| bytes[i]);
        if !matches!(
            before,
            None | Some(b' ' | b'\n' | b'\t' | b'[' | b'{' | b',' | b'-' | b':')
        ) {
            continue;
        }
        let name_end = bytes[at + 1..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || b",[]{}".contains(c))
            .map_or(bytes.len(), |n| at + 1 + n);
        let Some(name) = text.get(at + 1..name_end).filter(|n| !n.is_empty()) else {
            continue;
        };
        if b == b'&' {
            let end = node_end(text, at);
            anchors.push(Anchor {
                name,
                start: at,
                end,
                size: end - at,
            });
            continue;
        }
        let Some(copied) = anchors
            .iter()
            .rev()
            .find(|a| a.name == name && a.end <= at)
            .map(|a| a.size)
        else {
            continue;
        };
        total = total.saturating_add(copied);
        for anchor in anchors.iter_mut().filter(|a| a.start < at && at < a.end) {
            anchor.size = anchor.size.saturating_add(copied);
        }
        if total > limit {
            return Some(at);
        }
    }
    None
}

/// Where the node anchored at `at` ends: the end of its line, and of the
/// lines after it indented deeper than that line.
fn node_end(text: &str, at: usize) -> usize {
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let indent = text[line_start..]
        .bytes()
        .take_while(|&b| b == b' ')
        .count();
    let mut end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    while end < text.len() {
        let next = &text[end + 1..];
        let line = next.split('\n').next().unwrap_or("");
        let deeper =
            line.trim().is_empty() || line.bytes().take_while(|&b| b == b' ').count() > indent;
        if !deeper {
            break;
        }
        end += 1 + line.len();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits;

    #[test]
    fn a_large_string_aliased_many_times_is_past_the_limit() {
        let big = "x".repeat(100 * 1024);
        let aliases = vec!["*a"; 20].join(", ");
        let text = format!("big: &a \"{big}\"\nmany: [{aliases}]\n");
        assert!(past_limit(&text, limits::YAML_EXPANDED_BYTES).is_some());
    }

    #[test]
    fn ordinary_aliases_and_ampersands_pass() {
        let text = "role: &r Speaks.\nother: *r\nsay: R&D and *stars* & more\nlist:\n  - &item\n    a: 1\n  - *item\n";
        assert_eq!(past_limit(text, limits::YAML_EXPANDED_BYTES), None);
    }

    #[test]
    fn a_block_node_counts_its_deeper_lines() {
        let text = "a: &a\n  b: 1\n  c: 2\nd: 3\n";
        assert_eq!(node_end(text, 3), "a: &a\n  b: 1\n  c: 2".len());
    }
}
