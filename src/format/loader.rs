//! From file text to an `ExerciseSpec`, with every YAML and type problem
//! reported at its line and column.
//!
//! A valid file is read in one pass straight into the typed spec. Only when
//! that fails do we go the slow way: parse to a YAML value, then read each
//! top-level key and each step on its own, so one typo does not hide the
//! next and the therapist sees every problem at once.

pub use crate::diagnostic::did_you_mean::did_you_mean;
use crate::diagnostic::report::Diagnostic;
use crate::diagnostic::source::Source;
use crate::diagnostic::yaml_path::{Point, YamlPath};
use crate::format::spec::{ExerciseSpec, StepSpec};
use crate::format::yaml_error::yaml_syntax_error;
use crate::limits;
use serde::de::DeserializeOwned;
use serde_yaml::Value;

/// The spec (possibly with placeholders where parts failed, so later checks
/// can still run) and the problems found.
pub struct Loaded {
    pub spec: Option<ExerciseSpec>,
    pub diagnostics: Vec<Diagnostic>,
    /// True when the roles failed to load, so role checks would only echo that.
    pub roles_failed: bool,
}

const TOP_LEVEL_KEYS: [&str; 12] = [
    "title", "summary", "minutes", "tags", "version", "roles", "vars", "words", "steps", "notes",
    "suggest", "pace",
];
const REQUIRED_KEYS: [&str; 6] = ["title", "summary", "minutes", "version", "roles", "steps"];

pub fn load(source: &Source) -> Loaded {
    let text = &*source.text;
    if text.len() > limits::EXERCISE_FILE_BYTES {
        return failed(source.whole_file(format!(
            "the file is {} KiB; exercise files are limited to {} KiB",
            text.len().div_ceil(1024),
            limits::EXERCISE_FILE_BYTES / 1024
        )));
    }
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return failed(source.whole_file(format!(
            "the file is empty; an exercise needs at least: {}",
            REQUIRED_KEYS.join(", ")
        )));
    }
    if let Some(error) = too_many_aliases(source, limits::YAML_EXPANDED_BYTES) {
        return failed(error);
    }
    if let Some(error) = crate::format::line_breaks::unusual(source) {
        return failed(error);
    }
    if let Some(error) = too_deep(source) {
        return failed(error);
    }
    // The fast path needs no error details: on any error the slow path
    // below finds and locates every problem.
    match serde_yaml::from_str::<ExerciseSpec>(text) {
        Ok(spec) => Loaded {
            spec: Some(spec),
            diagnostics: Vec::new(),
            roles_failed: false,
        },
        Err(_) => load_slowly(source),
    }
}

/// Parses a YAML file that is not an exercise (a test plan), reporting a
/// syntax error at its line and column.
pub fn parse_yaml(source: &Source) -> Result<Value, Diagnostic> {
    if let Some(error) = crate::format::line_breaks::unusual(source) {
        return Err(error);
    }
    if let Some(error) = too_many_aliases(source, limits::PLAN_EXPANDED_BYTES) {
        return Err(error);
    }
    if let Some(error) = too_deep(source) {
        return Err(error);
    }
    serde_yaml::from_str(&source.text).map_err(|e| yaml_syntax_error(source, &e))
}

/// Reads `value`, found at `path` in `source`, as a `T`, with the same
/// located messages as exercise files (unknown keys, wrong types).
pub fn read_as<T: DeserializeOwned>(
    source: &Source,
    value: Value,
    path: &YamlPath,
) -> Result<T, Vec<Diagnostic>> {
    let mut reader = Reader {
        source,
        diagnostics: Vec::new(),
    };
    reader.read(value, path).ok_or(reader.diagnostics)
}

/// The alias at which `source`, its aliases expanded, would pass `limit`
/// bytes: refused before the parser copies anything.
fn too_many_aliases(source: &Source, limit: usize) -> Option<Diagnostic> {
    let text = &*source.text;
    let at = crate::format::aliases::past_limit(text, limit)?;
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let column = text[line_start..at].chars().count() + 1;
    Some(source.at(
        line,
        column,
        1,
        format!(
            "too many YAML aliases: with its aliases expanded the file would pass {} KiB, so it is not read",
            limit / 1024
        ),
    ))
}

fn failed(diagnostic: Diagnostic) -> Loaded {
    Loaded {
        spec: None,
        diagnostics: vec![diagnostic],
        roles_failed: true,
    }
}

fn load_slowly(source: &Source) -> Loaded {
    let value: Value = match serde_yaml::from_str(&source.text) {
        Ok(value) => value,
        Err(error) => return failed(yaml_syntax_error(source, &error)),
    };
    let Value::Mapping(map) = value else {
        return failed(source.whole_file(format!(
            "an exercise file is a mapping of keys ({}), not a {}",
            REQUIRED_KEYS.join(", "),
            kind_of(&value)
        )));
    };
    let mut reader = Reader {
        source,
        diagnostics: Vec::new(),
    };
    let mut spec = ExerciseSpec {
        title: String::new(),
        summary: String::new(),
        minutes: 1,
        tags: Vec::new(),
        version: 1,
        roles: Default::default(),
        vars: Default::default(),
        words: Vec::new(),
        steps: Vec::new(),
        notes: None,
        suggest: Vec::new(),
        pace: None,
    };
    let mut roles_failed = false;
    let mut seen = Vec::new();
    let root = YamlPath::root();
    for (key, value) in map {
        let Some(key) = key.as_str().map(str::to_owned) else {
            reader.error(
                &root,
                Point::Value,
                "keys at the top of an exercise file are words".to_owned(),
            );
            continue;
        };
        let path = root.key(&key);
        seen.push(key.clone());
        match key.as_str() {
            "title" => {
                reader.read_into(value, &path, &mut spec.title);
            }
            "summary" => {
                reader.read_into(value, &path, &mut spec.summary);
            }
            "minutes" => {
                reader.read_into(value, &path, &mut spec.minutes);
            }
            "tags" => {
                reader.read_into(value, &path, &mut spec.tags);
            }
            "version" => {
                reader.read_into(value, &path, &mut spec.version);
            }
            "vars" => {
                reader.read_into(value, &path, &mut spec.vars);
            }
            "words" => {
                reader.read_into(value, &path, &mut spec.words);
            }
            "notes" => {
                reader.read_into(value, &path, &mut spec.notes);
            }
            "suggest" => {
                reader.read_into(value, &path, &mut spec.suggest);
            }
            "pace" => {
                reader.read_into(value, &path, &mut spec.pace);
            }
            "roles" => roles_failed = !reader.read_into(value, &path, &mut spec.roles),
            "steps" => spec.steps = reader.read_steps(value, &path),
            _ => {
                let message = unknown_key(&key, &TOP_LEVEL_KEYS);
                reader.error(&path, Point::Key, message);
            }
        }
    }
    for required in REQUIRED_KEYS {
        if !seen.iter().any(|k| k == required) {
            reader.error(
                &root,
                Point::Value,
                format!("missing required key `{required}`"),
            );
            roles_failed |= required == "roles";
        }
    }
    Loaded {
        spec: Some(spec),
        diagnostics: reader.diagnostics,
        roles_failed,
    }
}

struct Reader<'s> {
    source: &'s Source,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error(&mut self, path: &YamlPath, point: Point, message: String) {
        self.diagnostics
            .push(self.source.error_at(path, point, message));
    }

    /// Reads `value` as a `T` into `slot`; on failure reports where and why.
    fn read_into<T: DeserializeOwned>(
        &mut self,
        value: Value,
        path: &YamlPath,
        slot: &mut T,
    ) -> bool {
        match self.read(value, path) {
            Some(v) => {
                *slot = v;
                true
            }
            None => false,
        }
    }

    fn read<T: DeserializeOwned>(&mut self, value: Value, path: &YamlPath) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(v) => Some(v),
            Err(error) => {
                let mut inner = path.clone();
                inner.0.extend(YamlPath::parse(&error.path().to_string()).0);
                let message = error.inner().to_string();
                self.report_type_error(inner, &message);
                None
            }
        }
    }

    fn report_type_error(&mut self, path: YamlPath, message: &str) {
        if let Some(key) = between_backticks(message, "unknown field `") {
            let mut path = path;
            if path.last_key() != Some(key) {
                path = path.key(key);
            }
            let expected = backticked_list(message);
            let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
            let message = unknown_key(key, &expected);
            self.error(&path, Point::Key, message);
        } else if let Some(key) = between_backticks(message, "missing field `") {
            self.error(&path, Point::Value, format!("missing required key `{key}`"));
        } else if let Some(rest) = message.strip_prefix("invalid type: ") {
            let (found, expected) = rest
                .split_once(", expected ")
                .unwrap_or((rest, "another type"));
            let message = format!(
                "expected {}, found {}",
                plain_type(expected),
                plain_type(found)
            );
            self.error(&path, Point::Value, message);
        } else {
            self.error(&path, Point::Value, message.to_owned());
        }
    }

    /// Reads steps one by one so every broken step is reported. A step that
    /// fails becomes a placeholder with its id, so a `goto` naming it is not
    /// reported a second time.
    fn read_steps(&mut self, value: Value, path: &YamlPath) -> Vec<StepSpec> {
        let Value::Sequence(items) = value else {
            let found = kind_of(&value);
            self.error(
                path,
                Point::Value,
                format!("expected a list of steps, found {found}"),
            );
            return Vec::new();
        };
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| self.read_step(item, &path.index(i)))
            .collect()
    }

    fn read_step(&mut self, item: Value, path: &YamlPath) -> StepSpec {
        let id = item
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let nested = item.get("steps").cloned();
        match self.read::<StepSpec>(item, path) {
            Some(step) => step,
            None => {
                // Keep reading the block's children so their problems show too.
                let steps = match nested {
                    Some(Value::Sequence(_)) => {
                        nested.map(|v| self.read_steps(v, &path.key("steps")))
                    }
                    _ => None,
                };
                StepSpec {
                    id,
                    say: steps.is_none().then(String::new),
                    steps,
                    ..StepSpec::default()
                }
            }
        }
    }
}

/// Flow collections nested past the bound, refused before the parser
/// spends minutes on them, with the parser's own message.
fn too_deep(source: &Source) -> Option<Diagnostic> {
    let text = &source.text;
    let at = crate::format::flow_depth::past_limit(text)?;
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let column = text[line_start..at].chars().count() + 1;
    Some(source.at(line, column, 1, "the YAML nests too deeply".to_owned()))
}

/// serde's type names, in words a therapist uses.
fn plain_type(name: &str) -> String {
    let name = name.trim();
    let word = match name {
        "u32" | "u64" | "i64" | "usize" | "u8" | "u16" => "a whole number",
        "a string" | "string" => "text",
        "a boolean" => "true or false",
        "a sequence" | "sequence" => "a list",
        "a map" | "map" => "a mapping",
        "unit value" => "nothing",
        _ if name.starts_with("struct ") => "a mapping of keys",
        _ => {
            return name
                .replace("string \"", "text \"")
                .replace("a sequence", "a list");
        }
    };
    word.to_owned()
}

fn between_backticks<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next()
}

/// The keys serde lists after "expected": "one of `a`, `b`", "`a` or `b`", "`a`".
fn backticked_list(message: &str) -> Vec<String> {
    let Some((_, list)) = message.split_once(", expected ") else {
        return Vec::new();
    };
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// `unknown key `tittle`; did you mean `title`?` or the list of known keys.
pub fn unknown_key(key: &str, known: &[&str]) -> String {
    match did_you_mean(key, known) {
        Some(close) => format!("unknown key `{key}`; did you mean `{close}`?"),
        None if known.is_empty() => format!("unknown key `{key}`"),
        None => format!("unknown key `{key}`; expected one of: {}", known.join(", ")),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys() {
        assert_eq!(did_you_mean("tittle", &TOP_LEVEL_KEYS), Some("title"));
        assert_eq!(did_you_mean("zzz", &TOP_LEVEL_KEYS), None);
    }
}
