//! M008: exercise text holding terminal control characters. mend shows them
//! as visible stand-ins (`^[`, `<U+202E>`), as it does in answers, so a
//! title cannot clear the screen, set the window title or write the
//! clipboard; the warning tells the author the text will not look as meant.

use crate::diagnostic::report::Diagnostic;
use crate::diagnostic::source::Source;
use crate::diagnostic::yaml_path::{Point, YamlPath};
use crate::format::analysis::CONTROL_CHARACTER;
use crate::text::needs_neutralizing;
use serde_yaml::Value;

/// One warning per string in the file that holds a control character,
/// written raw or as a YAML escape (`"\e"`, `"\u202e"`).
pub fn warnings(source: &Source) -> Vec<Diagnostic> {
    let text = &source.text;
    // Only a raw control character or an escape can make one: most files
    // have neither and are not parsed again.
    if !text.contains('\\') && !text.chars().any(|c| c != '\r' && needs_neutralizing(c)) {
        return Vec::new();
    }
    let Ok(value) = serde_yaml::from_str::<Value>(text) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    let mut pending = vec![(value, YamlPath::root())];
    while let Some((value, path)) = pending.pop() {
        match value {
            Value::String(s) => {
                if let Some(c) = s.chars().find(|&c| needs_neutralizing(c)) {
                    let shown = crate::text::neutralize(&c.to_string());
                    warnings.push(source.warning_at(
                        &path,
                        Point::Value,
                        CONTROL_CHARACTER,
                        format!("this text holds a terminal control character, which mend shows as `{shown}` (it never sends one to the screen); remove it"),
                    ));
                }
            }
            Value::Sequence(items) => pending.extend(
                items
                    .into_iter()
                    .enumerate()
                    .rev()
                    .map(|(i, item)| (item, path.index(i))),
            ),
            Value::Mapping(map) => {
                let entries: Vec<_> = map
                    .into_iter()
                    .filter_map(|(k, v)| k.as_str().map(|k| (v, path.key(k))))
                    .collect();
                pending.extend(entries.into_iter().rev());
            }
            Value::Tagged(tagged) => pending.push((tagged.value, path)),
            _ => {}
        }
    }
    warnings
}
