//! Bounds on the values an exercise keeps (its `vars`, from YAML or set by
//! scripts): how deeply they nest and how large they are together. Values
//! are checked where they are made, so whatever the engine accepts can be
//! saved and read back (serde_json stops reading at 128 levels).

use crate::limits;
use serde_json::Value;
use std::fmt;

/// A value past one of the bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutOfBounds {
    /// Variable `name` nests deeper than `limits::VALUE_DEPTH`.
    TooDeep { name: String },
    /// All variables together would take `bytes`, past `limits::RUN_VALUES_BYTES`.
    TooLarge { bytes: usize },
}

impl fmt::Display for OutOfBounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutOfBounds::TooDeep { name } => write!(
                f,
                "variable `{name}` nests more than {} levels deep; mend keeps values at most that deep, so every saved session can be read back",
                limits::VALUE_DEPTH
            ),
            OutOfBounds::TooLarge { bytes } => write!(
                f,
                "the exercise's variables would take {bytes} bytes together, more than the {} KiB mend keeps for one exercise",
                limits::RUN_VALUES_BYTES / 1024
            ),
        }
    }
}

impl std::error::Error for OutOfBounds {}

/// The array items and map entries `value` holds, nested ones included,
/// as rhai counts them against `limits::SCRIPT_COLLECTION_ITEMS` when a
/// script changes the map that holds them. Walked with a stack of its own.
pub fn collection_items(value: &Value) -> (usize, usize) {
    let (mut items, mut entries) = (0, 0);
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Array(list) => {
                items += list.len();
                stack.extend(list);
            }
            Value::Object(map) => {
                entries += map.len();
                stack.extend(map.values());
            }
            _ => {}
        }
    }
    (items, entries)
}

/// How many arrays and maps `value` nests, deepest path: 0 for a scalar.
/// Walked with a stack of its own, so no value can overflow mend's.
pub fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut pending = vec![(value, 0usize)];
    while let Some((value, above)) = pending.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => {
                deepest = deepest.max(above);
                continue;
            }
        };
        deepest = deepest.max(above + 1);
        pending.extend(children.map(|child| (child, above + 1)));
    }
    deepest
}

/// Checks a run's variables against both bounds.
pub fn check<'a>(vars: impl IntoIterator<Item = (&'a str, &'a Value)>) -> Result<(), OutOfBounds> {
    let mut bytes = 0;
    for (name, value) in vars {
        if depth(value) > limits::VALUE_DEPTH {
            return Err(OutOfBounds::TooDeep {
                name: name.to_owned(),
            });
        }
        bytes += name.len() + serde_json::to_vec(value).map_or(0, |v| v.len());
    }
    if bytes > limits::RUN_VALUES_BYTES {
        return Err(OutOfBounds::TooLarge { bytes });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nested(levels: usize) -> Value {
        (0..levels).fold(json!(1), |inner, _| json!([inner]))
    }

    #[test]
    fn depth_counts_arrays_and_maps() {
        assert_eq!(depth(&json!("x")), 0);
        assert_eq!(depth(&json!({"a": [1, {"b": []}]})), 4);
        assert_eq!(depth(&nested(1_000)), 1_000);
    }

    #[test]
    fn values_the_bounds_accept_read_back_in_a_journal_line() {
        let deepest = nested(limits::VALUE_DEPTH);
        assert_eq!(check([("v", &deepest)]), Ok(()));
        // A state line wraps a value in a few more levels.
        let line = (0..8).fold(deepest, |inner, _| json!({ "x": inner }));
        let text = serde_json::to_string(&line).unwrap();
        assert!(serde_json::from_str::<Value>(&text).is_ok());
        let deeper = nested(limits::VALUE_DEPTH + 1);
        assert_eq!(
            check([("v", &deeper)]),
            Err(OutOfBounds::TooDeep { name: "v".into() })
        );
    }

    #[test]
    fn many_values_together_are_bounded() {
        let big = json!("x".repeat(100 * 1024));
        let vars = [("a", &big), ("b", &big), ("c", &big)];
        assert!(matches!(check(vars), Err(OutOfBounds::TooLarge { bytes }) if bytes > 300 * 1024));
    }
}
