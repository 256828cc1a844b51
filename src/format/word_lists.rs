//! Word lists the whole library shares: `words.yaml` beside the exercises,
//! a map of list name to phrases. An exercise names the lists it reads
//! (`words: [contempt_words]`) and each becomes one of its variables, so an
//! insult one exercise nudges is nudged by every exercise that reads the
//! list, instead of each file keeping a copy that drifts from the others.

use crate::diagnostic::report::Diagnostic;
use crate::diagnostic::source::Source;
use crate::diagnostic::yaml_path::{Point, YamlPath};
use crate::format::library::read_word_lists;
use crate::limits;
use indexmap::IndexMap;
use serde_yaml::Value;
use std::path::Path;

/// The file, in the exercise folder, that holds the shared lists.
pub const WORD_LISTS_FILE: &str = "words.yaml";

/// The shared lists an exercise may read, and where they came from.
#[derive(Debug, Clone, Default)]
pub struct WordLists {
    /// The file's name as diagnostics show it; `None` when there is none.
    origin: Option<String>,
    lists: IndexMap<String, Vec<String>>,
    /// Problems reading the file; an exercise that names a list reports
    /// that the file has them, and `mend check` shows them.
    pub diagnostics: Vec<Diagnostic>,
    /// The lists a played session kept in its variables: the journal holds
    /// their values, so a list missing here is not the exercise's error.
    played: bool,
}

impl WordLists {
    /// No shared lists: an exercise that names one is told where they go.
    pub fn none() -> Self {
        WordLists::default()
    }

    /// `words.yaml` in `dir`; without one there, mend's built-in lists, so
    /// an exercise copied into a folder of its own (`mend new --from`) reads
    /// the same lists it did in the library.
    pub fn in_dir(dir: &Path) -> Self {
        let path = dir.join(WORD_LISTS_FILE);
        if std::fs::symlink_metadata(&path).is_err() {
            return WordLists::built_in();
        }
        match read_word_lists(&path) {
            Ok(source) => WordLists::read(&source),
            Err(d) => WordLists {
                origin: Some(path.display().to_string()),
                diagnostics: vec![d],
                ..WordLists::default()
            },
        }
    }

    /// The lists built into mend with its library.
    pub fn built_in() -> Self {
        crate::format::library::built_in_file(WORD_LISTS_FILE)
            .map_or_else(WordLists::none, |(name, text)| {
                WordLists::read(&Source::new(format!("<built-in>/{name}"), text))
            })
    }

    /// The lists beside the exercise file at `path` (see `in_dir`).
    pub fn beside(path: &Path) -> Self {
        WordLists::in_dir(path.parent().unwrap_or(Path::new("")))
    }

    /// The values a played session kept of its variables (see `played`).
    pub fn played(vars: &IndexMap<String, serde_json::Value>) -> Self {
        let lists = vars
            .iter()
            .filter_map(|(name, value)| {
                let items = value.as_array()?;
                let words = items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()?;
                Some((name.clone(), words))
            })
            .collect();
        WordLists {
            lists,
            played: true,
            ..WordLists::default()
        }
    }

    /// Reads the lists in `source`, with every problem found.
    pub fn read(source: &Source) -> Self {
        let mut lists = WordLists {
            origin: Some(source.name.clone()),
            ..WordLists::default()
        };
        let value = match crate::format::loader::parse_yaml(source) {
            Ok(value) => value,
            Err(d) => {
                lists.diagnostics.push(d);
                return lists;
            }
        };
        let root = YamlPath::root();
        let map = match value {
            Value::Mapping(map) => map,
            Value::Null => return lists,
            _ => {
                lists.diagnostics.push(source.error_at(
                    &root,
                    Point::Value,
                    format!("`{WORD_LISTS_FILE}` is a mapping of list names to lists of phrases, e.g. `contempt_words: [\"pathetic\", \"grow up\"]`"),
                ));
                return lists;
            }
        };
        for (key, value) in map {
            let Some(name) = key.as_str() else {
                lists.diagnostics.push(source.error_at(
                    &root,
                    Point::Value,
                    "list names in `words.yaml` are words, e.g. `contempt_words`",
                ));
                continue;
            };
            let path = root.key(name);
            if !crate::format::compiler::is_plain_name(name) {
                lists.diagnostics.push(source.error_at(
                    &path,
                    Point::Key,
                    format!("list name `{name}` must be lowercase letters, digits and underscores, starting with a letter (exercises name it in `words:` and read it as `vars.{name}`)"),
                ));
                continue;
            }
            let Value::Sequence(items) = value else {
                lists.diagnostics.push(source.error_at(
                    &path,
                    Point::Value,
                    format!("`{name}` must be a list of phrases, e.g. `{name}: [\"grow up\", \"pathetic\"]`"),
                ));
                continue;
            };
            if items.len() > limits::SCRIPT_COLLECTION_ITEMS {
                lists.diagnostics.push(source.error_at(
                    &path,
                    Point::Key,
                    format!(
                        "`{name}` has {} phrases; a list holds at most {} (split it into two lists an exercise joins: `vars.a + vars.b`)",
                        items.len(),
                        limits::SCRIPT_COLLECTION_ITEMS
                    ),
                ));
                continue;
            }
            let mut words = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    Value::String(s) => words.push(s),
                    _ => lists.diagnostics.push(source.error_at(
                        &path.index(i),
                        Point::Value,
                        format!("every entry of `{name}` is a phrase in quotes, e.g. \"grow up\""),
                    )),
                }
            }
            lists.lists.insert(name.to_owned(), words);
        }
        lists
    }

    /// The list called `name`, or why there is none, in a sentence.
    pub fn get(&self, name: &str) -> Result<Option<&[String]>, String> {
        if let Some(words) = self.lists.get(name) {
            return Ok(Some(words));
        }
        if self.played {
            return Ok(None);
        }
        let Some(origin) = &self.origin else {
            return Err(format!(
                "there is no `{WORD_LISTS_FILE}` beside this exercise, so no shared list `{name}`; put the lists the library shares there, or list the phrases under `vars`"
            ));
        };
        if !self.diagnostics.is_empty() && !self.lists.contains_key(name) {
            return Err(format!(
                "no list `{name}` could be read from `{origin}`, which has errors (`mend check {origin}` shows them)"
            ));
        }
        let known: Vec<&str> = self.lists.keys().map(String::as_str).collect();
        let hint = match crate::diagnostic::did_you_mean::did_you_mean(name, &known) {
            Some(close) => format!("; did you mean `{close}`?"),
            None if known.is_empty() => String::new(),
            None => format!("; it has: {}", known.join(", ")),
        };
        Err(format!("`{origin}` has no list `{name}`{hint}"))
    }

    /// The names of the lists, in file order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.lists.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> WordLists {
        WordLists::read(&Source::new("words.yaml", text))
    }

    #[test]
    fn shared_lists_may_outgrow_an_exercise_file_up_to_their_own_bound() {
        let dir = tempfile::tempdir().unwrap();
        let list = vec!["\"some phrase\""; 1_000].join(", ");
        let text: String = (0..20).map(|i| format!("list_{i}: [{list}]\n")).collect();
        assert!(text.len() > crate::limits::EXERCISE_FILE_BYTES);
        std::fs::write(dir.path().join(WORD_LISTS_FILE), &text).unwrap();
        let lists = WordLists::in_dir(dir.path());
        assert!(lists.diagnostics.is_empty(), "{}", lists.diagnostics.len());
        assert_eq!(lists.get("list_19").unwrap().unwrap().len(), 1_000);

        let huge = "# x\n".repeat(crate::limits::WORD_LISTS_FILE_BYTES / 4 + 1);
        std::fs::write(dir.path().join(WORD_LISTS_FILE), huge).unwrap();
        let lists = WordLists::in_dir(dir.path());
        let message = &lists.diagnostics[0].message;
        assert!(
            message.contains("word list files are limited to 1024 KiB"),
            "{message}"
        );
    }

    #[test]
    fn lists_are_read_in_file_order() {
        let lists = read("# shared\nb_words: [\"x\", \"y z\"]\na_words:\n  - w\n");
        assert_eq!(lists.names().collect::<Vec<_>>(), ["b_words", "a_words"]);
        assert_eq!(
            lists.get("b_words").unwrap().unwrap(),
            ["x".to_owned(), "y z".to_owned()]
        );
        assert!(lists.diagnostics.is_empty());
    }

    #[test]
    fn every_problem_is_reported_at_its_line() {
        let lists = read("good: [a]\nBad: [b]\nnot_list: x\nmixed: [a, 3]\n");
        let lines: Vec<(usize, &str)> = lists
            .diagnostics
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines[0].0, 2);
        assert!(lines[0].1.contains("`Bad` must be lowercase"), "{lines:?}");
        assert_eq!(lines[1].0, 3);
        assert!(
            lines[1].1.contains("`not_list` must be a list"),
            "{lines:?}"
        );
        assert_eq!(lines[2].0, 4);
        assert!(lines[2].1.contains("every entry of `mixed`"), "{lines:?}");
    }

    #[test]
    fn a_missing_list_is_named_with_the_closest() {
        let lists = read("contempt_words: [a]\n");
        let error = lists.get("contemp_words").unwrap_err();
        assert_eq!(
            error,
            "`words.yaml` has no list `contemp_words`; did you mean `contempt_words`?"
        );
        let none = WordLists::none().get("contempt_words").unwrap_err();
        assert!(none.starts_with("there is no `words.yaml` beside this exercise"));
    }

    #[test]
    fn a_played_session_keeps_its_lists_in_its_variables() {
        let vars: IndexMap<String, serde_json::Value> =
            serde_json::from_str(r#"{"contempt_words": ["a"], "tries": 1}"#).unwrap();
        let lists = WordLists::played(&vars);
        assert_eq!(lists.get("contempt_words").unwrap().unwrap(), ["a"]);
        assert_eq!(lists.get("gone").unwrap(), None);
    }
}
