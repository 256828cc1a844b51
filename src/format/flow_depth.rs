//! How deeply a YAML file's flow collections (`[...]`, `{...}`) nest,
//! counted from the text before it is parsed. The parser refuses nesting
//! past its own limit only after it has scanned the whole flow, and its
//! scanner does work for every open level at every token: 100,000 `[` in a
//! 200 KB file kept `mend check` busy for minutes.

use crate::limits;

/// The byte offset of the bracket at which the file's flow nesting passes
/// `limits::YAML_FLOW_DEPTH`, or `None`. Brackets are counted wherever they
/// are, in prose and quotes too, so the count is never below the real depth;
/// it is far above the parser's own limit, so prose with stray brackets is
/// not refused.
pub fn past_limit(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > limits::YAML_FLOW_DEPTH {
                    return Some(at);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_within_the_bound_passes_and_past_it_is_found_where_it_passes() {
        let within = format!(
            "{}{}",
            "[".repeat(limits::YAML_FLOW_DEPTH),
            "]".repeat(limits::YAML_FLOW_DEPTH)
        );
        assert_eq!(past_limit(&within), None);
        let past = format!("x: {}", "[".repeat(100_000));
        assert_eq!(past_limit(&past), Some(3 + limits::YAML_FLOW_DEPTH));
    }

    #[test]
    fn balanced_brackets_in_prose_never_add_up() {
        let prose = "say: I feel [x] when {{ y }} because [z]\n".repeat(10_000);
        assert_eq!(past_limit(&prose), None);
    }
}
