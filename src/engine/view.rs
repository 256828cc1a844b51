//! What scripts and templates see of a run: the names of
//! `script::scope_names::SCOPE_NAMES` and the role names, as one map
//! converted for rhai or minijinja, or looked up one name at a time for the
//! fast paths. `View::part` and `RunNames::plain` are the two places that
//! say what each name's value is.

use crate::engine::ledger::LedgerView;
use crate::engine::run::Run;
use crate::engine::state::{AnswerRecord, Record, RunState};
use crate::script::fast_scope::{FastScope, NamePath, Plain, Segment};
use crate::script::scope_names::{Kind, SCOPE_NAMES, ScopeName};
use crate::script::uses::Uses;
use crate::script::words::Words;
use serde::Serialize;
use serde::ser::SerializeMap;
use std::cell::OnceCell;
use std::collections::BTreeMap;

/// One name's value, in the shapes the rhai and minijinja conversions know.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Part<'a> {
    Text(&'a str),
    Number(u32),
    /// Keys to strings: `answers`, `roles`.
    Texts(BTreeMap<&'a str, &'a str>),
    /// Keys to keys to strings: `answers_by`.
    TextsBy(BTreeMap<&'a str, BTreeMap<&'a str, &'a str>>),
    Partners(&'a [String; 2]),
    /// Anything else, converted through serde.
    Exercise(ExerciseView<'a>),
    Vars(VarsPart<'a>),
    Transcript(&'a [AnswerRecord]),
    Records(&'a [Record]),
    Ledger(LedgerPart<'a>),
}

/// `vars` as scripts and templates see it: what the run set or changed,
/// and the exercise's starting variables it did not (a run keeps only the
/// first in its state).
#[derive(Clone, Copy)]
pub(crate) struct VarsPart<'a> {
    run: &'a indexmap::IndexMap<String, serde_json::Value>,
    exercise: &'a crate::engine::exercise::Exercise,
    /// Only these variables, when a script names every one it reads
    /// (`vars.x`): the word lists it does not read are neither converted
    /// nor counted against the script's collection bound.
    only: Option<&'a [String]>,
}

impl<'a> VarsPart<'a> {
    fn entries(self) -> impl Iterator<Item = (&'a str, &'a serde_json::Value)> {
        let wanted = move |name: &str| self.only.is_none_or(|only| only.iter().any(|n| n == name));
        let starting = self
            .exercise
            .vars
            .iter()
            .filter(move |(name, _)| !self.run.contains_key(name.as_str()) && wanted(name))
            .map(|(k, v)| (k.as_str(), v));
        self.run
            .iter()
            .filter(move |(name, _)| wanted(name))
            .map(|(k, v)| (k.as_str(), v))
            .chain(starting)
    }

    pub(crate) fn get(self, name: &str) -> Option<&'a serde_json::Value> {
        self.run.get(name).or_else(|| self.exercise.vars.get(name))
    }
}

impl Serialize for VarsPart<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.entries())
    }
}

/// The run's ledger snapshot and its values for scripts and templates,
/// converted once per run: the snapshot never changes while a run lasts,
/// and converting a ledger with its lists on every script evaluation was
/// most of a check-in's work.
#[derive(Debug, Default)]
pub(crate) struct LedgerValues {
    rhai: OnceCell<rhai::Dynamic>,
    minijinja: OnceCell<minijinja::Value>,
}

#[derive(Clone, Copy)]
pub(crate) struct LedgerPart<'a> {
    view: &'a LedgerView,
    values: &'a LedgerValues,
}

impl Serialize for LedgerPart<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.view.serialize(serializer)
    }
}

impl LedgerPart<'_> {
    fn rhai(self) -> Result<rhai::Dynamic, Box<rhai::EvalAltResult>> {
        if let Some(value) = self.values.rhai.get() {
            return Ok(value.clone());
        }
        let value = rhai::serde::to_dynamic(self.view)?;
        // A script may change its copy; the cell keeps the original.
        let _ = self.values.rhai.set(value.clone());
        Ok(value)
    }

    fn minijinja(self) -> minijinja::Value {
        self.values
            .minijinja
            .get_or_init(|| minijinja::Value::from(minijinja::value::Serde(self.view)))
            .clone()
    }
}

/// The names a script or template reads, with their values; parts it does
/// not read are left out, since building them is most of a step's work.
pub(crate) struct View<'a> {
    /// By `ScopeName`, in table order.
    parts: [Option<Part<'a>>; SCOPE_NAMES.len()],
    /// Each role's name is also a variable of its own: `{{ speaker }}`.
    role_names: BTreeMap<&'a str, &'a str>,
}

impl<'a> View<'a> {
    /// What scripts and templates can see: only the parts `uses` says they
    /// may read.
    pub(crate) fn of(run: &'a Run, by: Option<&'a str>, uses: Uses) -> Self {
        let role_names = (uses.has_role_names() || uses.has(ScopeName::Roles)).then(|| {
            let s = run.state();
            run.exercise()
                .roles
                .iter()
                .enumerate()
                .map(|(i, r)| (r.name.as_str(), s.partners[run.partner_for(i)].as_str()))
                .collect::<BTreeMap<_, _>>()
        });
        let parts = std::array::from_fn(|i| {
            let entry = &SCOPE_NAMES[i];
            (entry.kind == Kind::Value && uses.has(entry.name))
                .then(|| Self::part(run, by, entry.name, role_names.as_ref()))
                .flatten()
        });
        View {
            parts,
            role_names: role_names
                .filter(|_| uses.has_role_names())
                .unwrap_or_default(),
        }
    }

    /// The value of one name of the table; `None` for names that are not
    /// values of the view (`answer` is pushed by the check rule that tests
    /// it, `visits` is a function).
    fn part(
        run: &'a Run,
        by: Option<&'a str>,
        name: ScopeName,
        role_names: Option<&BTreeMap<&'a str, &'a str>>,
    ) -> Option<Part<'a>> {
        let s = run.state();
        let round = s.cursor.round;
        Some(match name {
            ScopeName::Answers => Part::Texts(by_step(s, round, answer_text)),
            ScopeName::TypedWords => Part::Texts(by_step(s, round, typed_words)),
            ScopeName::AnswersBy => {
                let mut answers_by: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
                for a in &s.answers {
                    answers_by
                        .entry(a.name.as_str())
                        .or_default()
                        .insert(a.step.as_str(), answer_text(a));
                }
                for name in &s.partners {
                    answers_by.entry(name.as_str()).or_default();
                }
                Part::TextsBy(answers_by)
            }
            ScopeName::Vars => Part::Vars(VarsPart {
                run: &s.cursor.vars,
                exercise: run.exercise(),
                only: None,
            }),
            ScopeName::Partners => Part::Partners(&s.partners),
            ScopeName::Roles => Part::Texts(role_names.cloned().unwrap_or_default()),
            ScopeName::Round => Part::Number(round),
            ScopeName::By => Part::Text(by.unwrap_or("")),
            ScopeName::Transcript => Part::Transcript(&s.answers),
            ScopeName::Records => Part::Records(&s.records),
            ScopeName::Exercise => Part::Exercise(ExerciseView {
                id: &run.exercise().id,
                title: &run.exercise().title,
            }),
            ScopeName::Ledger => Part::Ledger(LedgerPart {
                view: run.ledger(),
                values: run.ledger_values(),
            }),
            ScopeName::Answer | ScopeName::Visits => return None,
        })
    }

    /// Every name in the view with its value: the table's, then the roles'.
    fn entries(self) -> impl Iterator<Item = (&'a str, Part<'a>)> {
        let View { parts, role_names } = self;
        SCOPE_NAMES
            .iter()
            .zip(parts)
            .filter_map(|(entry, part)| Some((entry.word, part?)))
            .chain(role_names.into_iter().map(|(k, v)| (k, Part::Text(v))))
    }

    /// The same view with only the variables `names` (all when `None`).
    pub(crate) fn only_vars(mut self, names: Option<&'a [String]>) -> Self {
        if let Some(Part::Vars(vars)) = &mut self.parts[ScopeName::Vars as usize] {
            vars.only = names;
        }
        self
    }

    #[cfg(test)]
    pub(crate) fn get(&self, name: ScopeName) -> Option<&Part<'a>> {
        self.parts[name as usize].as_ref()
    }
}

impl Serialize for View<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (entry, part) in SCOPE_NAMES.iter().zip(&self.parts) {
            if let Some(part) = part {
                map.serialize_entry(entry.word, part)?;
            }
        }
        for (name, partner) in &self.role_names {
            map.serialize_entry(name, partner)?;
        }
        map.end()
    }
}

impl View<'_> {
    /// The map `rhai::serde::to_dynamic` makes of the view, built directly
    /// where a part is only strings: serde's detour copies every key and
    /// value through an intermediate serializer on every script run.
    pub(crate) fn into_rhai(self) -> Result<rhai::Map, Box<rhai::EvalAltResult>> {
        use crate::script::rhai_script::string;
        use rhai::serde::to_dynamic as dynamic;
        fn strings<'s>(pairs: impl IntoIterator<Item = (&'s str, &'s str)>) -> rhai::Map {
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), string(v)))
                .collect()
        }
        let mut map = rhai::Map::new();
        for (name, part) in self.entries() {
            let value = match part {
                Part::Text(text) => string(text),
                Part::Number(n) => dynamic(n)?,
                Part::Texts(pairs) => strings(pairs).into(),
                Part::TextsBy(pairs) => pairs
                    .into_iter()
                    .map(|(k, inner)| (k.into(), strings(inner).into()))
                    .collect::<rhai::Map>()
                    .into(),
                Part::Partners(partners) => partners
                    .iter()
                    .map(|p| string(p))
                    .collect::<rhai::Array>()
                    .into(),
                Part::Exercise(exercise) => dynamic(exercise)?,
                Part::Vars(vars) => dynamic(vars)?,
                Part::Transcript(answers) => dynamic(answers)?,
                Part::Records(records) => dynamic(records)?,
                Part::Ledger(ledger) => ledger.rhai()?,
            };
            map.insert(name.into(), value);
        }
        Ok(map)
    }

    /// The value minijinja's serde support makes of the view, built directly
    /// where a part is only strings (see `into_rhai`).
    pub(crate) fn into_minijinja(self) -> minijinja::Value {
        use minijinja::Value;
        use minijinja::value::Serde;
        fn strings<'s>(pairs: impl IntoIterator<Item = (&'s str, &'s str)>) -> Value {
            let map: BTreeMap<Value, Value> = pairs
                .into_iter()
                .map(|(k, v)| (Value::from(k), Value::from(v)))
                .collect();
            Value::from(map)
        }
        let mut map = BTreeMap::<Value, Value>::new();
        for (name, part) in self.entries() {
            let value = match part {
                Part::Text(text) => Value::from(text),
                Part::Number(n) => Value::from(Serde(n)),
                Part::Texts(pairs) => strings(pairs),
                Part::TextsBy(pairs) => Value::from(
                    pairs
                        .into_iter()
                        .map(|(k, inner)| (Value::from(k), strings(inner)))
                        .collect::<BTreeMap<Value, Value>>(),
                ),
                Part::Partners(partners) => Value::from(Serde(partners)),
                Part::Exercise(exercise) => Value::from(Serde(exercise)),
                Part::Vars(vars) => Value::from(Serde(vars)),
                Part::Transcript(answers) => Value::from(Serde(answers)),
                Part::Records(records) => Value::from(Serde(records)),
                Part::Ledger(ledger) => ledger.minijinja(),
            };
            map.insert(Value::from(name), value);
        }
        Value::from(map)
    }
}

/// The values of a `View`, looked up one name at a time for the fast paths
/// (`fast_expr`, `fast_text`) instead of built whole: the same answers,
/// partners, roles and variables, read straight from the run.
pub(crate) struct RunNames<'a> {
    run: &'a Run<'a>,
    by: Option<&'a str>,
    answer: Option<&'a str>,
    words: OnceCell<Option<Words<'a>>>,
}

impl<'a> RunNames<'a> {
    fn vars(&self) -> VarsPart<'a> {
        VarsPart {
            run: &self.run.state().cursor.vars,
            exercise: self.run.exercise(),
            only: None,
        }
    }

    pub(crate) fn new(run: &'a Run<'a>, by: Option<&'a str>, answer: Option<&'a str>) -> Self {
        RunNames {
            run,
            by,
            answer,
            words: OnceCell::new(),
        }
    }

    /// The partner who plays the role called `name`.
    fn role(&self, name: &str) -> Option<&'a str> {
        let run = self.run;
        let role = run.exercise().roles.iter().position(|r| r.name == name)?;
        Some(run.state().partners[run.partner_for(role)].as_str())
    }
}

impl FastScope for RunNames<'_> {
    fn strings(&self, path: &NamePath) -> Option<Vec<&str>> {
        let (Some(ScopeName::Vars), [Segment::Key(name), keys @ ..]) =
            (ScopeName::of_word(&path.root), path.rest.as_slice())
        else {
            return None;
        };
        let mut value = self.vars().get(name)?;
        // `vars.blame_of[partner]`: a list in a map, by a string key.
        for key in keys {
            let Segment::Key(key) = key else {
                return None;
            };
            value = value.as_object()?.get(key)?;
        }
        match value {
            serde_json::Value::Array(items) => items.iter().map(|v| v.as_str()).collect(),
            _ => None,
        }
    }

    fn plain(&self, path: &NamePath) -> Option<Plain<'_>> {
        use Segment::{Index, Key};
        let s = self.run.state();
        let round = s.cursor.round;
        let Some(name) = ScopeName::of_word(&path.root) else {
            // Not a name of the table: a role's, or nothing.
            return match path.rest.as_slice() {
                [] if path.root != "notes" => self.role(&path.root).map(Plain::Str),
                _ => None,
            };
        };
        let value = match (name, path.rest.as_slice()) {
            // The latest, as in `View::of`, where later answers replace
            // earlier ones.
            (ScopeName::Answers, [Key(step)]) => latest(s, step, round).map(answer_text)?,
            (ScopeName::TypedWords, [Key(step)]) => latest(s, step, round).map(typed_words)?,
            (ScopeName::AnswersBy, [Key(name), Key(step)]) => s
                .answers
                .iter()
                .rev()
                .find(|a| a.name == *name && a.step == *step)
                .map(answer_text)?,
            (ScopeName::Partners, [Index(i)]) => s.partners.get(*i)?,
            (ScopeName::Roles, [Key(role)]) => self.role(role)?,
            (ScopeName::Round, []) => return Some(Plain::Int(i64::from(round))),
            (ScopeName::By, []) => self.by.unwrap_or(""),
            (ScopeName::Exercise, [Key(key)]) => match key.as_str() {
                "id" => &self.run.exercise().id,
                "title" => &self.run.exercise().title,
                _ => return None,
            },
            (ScopeName::Vars, [Key(name), keys @ ..]) => {
                let mut value = self.vars().get(name)?;
                // `vars.request_off[sharer]`, `vars.list[0]`: inside maps
                // and lists.
                for key in keys {
                    value = match key {
                        Key(key) => value.as_object()?.get(key)?,
                        Index(i) => value.as_array()?.get(*i)?,
                    };
                }
                return match value {
                    serde_json::Value::String(v) => Some(Plain::Str(v)),
                    serde_json::Value::Bool(b) => Some(Plain::Bool(*b)),
                    serde_json::Value::Number(n) => n.as_i64().map(Plain::Int),
                    _ => None,
                };
            }
            // A function, not a value: a role may take its name.
            (ScopeName::Visits, []) => self.role(&path.root)?,
            // Structured values, and `answer` (which `fast_expr` reads as a
            // node of its own), are the slow path's.
            (
                ScopeName::Answers
                | ScopeName::AnswersBy
                | ScopeName::TypedWords
                | ScopeName::Vars
                | ScopeName::Partners
                | ScopeName::Roles
                | ScopeName::Round
                | ScopeName::By
                | ScopeName::Transcript
                | ScopeName::Records
                | ScopeName::Exercise
                | ScopeName::Ledger
                | ScopeName::Answer
                | ScopeName::Visits,
                _,
            ) => return None,
        };
        Some(Plain::Str(value))
    }

    fn visits(&self, step: &str) -> u32 {
        self.run
            .state()
            .cursor
            .visits
            .get(step)
            .copied()
            .unwrap_or(0)
    }

    fn answer(&self) -> Option<&str> {
        self.answer
    }

    fn answer_words(&self) -> Option<&Words<'_>> {
        self.words
            .get_or_init(|| self.answer.map(Words::of))
            .as_ref()
    }
}

/// Whether `answers` shows this answer during `round`: inside a swap block
/// each round sees its own answers and those given outside the block.
fn seen_in_round(a: &AnswerRecord, round: u32) -> bool {
    round == 0 || a.round == 0 || a.round == round
}

/// Step id → what each answer seen in `round` reads as (`read`); a later
/// answer to a step replaces an earlier one.
fn by_step(s: &RunState, round: u32, read: fn(&AnswerRecord) -> &str) -> BTreeMap<&str, &str> {
    s.answers
        .iter()
        .filter(|a| seen_in_round(a, round))
        .map(|a| (a.step.as_str(), read(a)))
        .collect()
}

/// The latest answer to `step` seen in `round`, as `by_step` keeps it.
fn latest<'s>(s: &'s RunState, step: &str, round: u32) -> Option<&'s AnswerRecord> {
    s.answers
        .iter()
        .rev()
        .find(|a| a.step == step && seen_in_round(a, round))
}

/// The partner's own words a choice kept (`typed_words`); "" otherwise.
fn typed_words(a: &AnswerRecord) -> &str {
    a.words.as_deref().unwrap_or("")
}

/// What an answer reads as: a skipped question reads as "".
fn answer_text(a: &AnswerRecord) -> &str {
    a.text.as_deref().unwrap_or("")
}

#[derive(Serialize)]
pub(crate) struct ExerciseView<'a> {
    id: &'a str,
    title: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::source::Source;
    use crate::engine::event::Event;
    use crate::format::compiler::compile;
    use chrono::{DateTime, Utc};
    use rhai::Dynamic;

    /// `into_rhai` and `into_minijinja` make the values serde made of the
    /// view before them, for a view with every part filled in.
    #[test]
    fn views_convert_as_serde_converts_them() {
        let text = include_str!("../../tests/exercises/every-name.yaml");
        let source = Source::new("every-name.yaml", text);
        let exercise = compile("every-name", source, &crate::format::WordLists::none())
            .exercise
            .unwrap();
        let mut run = Run::start(&exercise, ["Alex".into(), "Sam".into()]);
        for answer in ["no", "yes"] {
            while !matches!(run.next_event().unwrap(), Event::Prompt(_)) {}
            run.answer(answer, DateTime::<Utc>::UNIX_EPOCH).unwrap();
        }
        while !matches!(run.next_event().unwrap(), Event::Prompt(_)) {}
        let view = || View::of(&run, Some("Sam"), Uses::ALL);
        assert!(matches!(
            view().get(ScopeName::AnswersBy),
            Some(Part::TextsBy(a)) if a["Alex"].contains_key("word")
        ));
        assert!(matches!(
            view().get(ScopeName::Transcript),
            Some(Part::Transcript(t)) if !t.is_empty()
        ));

        let direct = view().into_minijinja();
        let serde = minijinja::Value::from(minijinja::value::Serde(view()));
        assert_eq!(direct, serde);
        assert_eq!(format!("{direct:?}"), format!("{serde:?}"));

        let direct = Dynamic::from_map(view().into_rhai().unwrap());
        let serde = rhai::serde::to_dynamic(view()).unwrap();
        assert_eq!(format!("{direct:?}"), format!("{serde:?}"));
    }
}
