//! What scripts and templates see of a run: its answers, partners, roles,
//! variables and records, as one map converted for rhai or minijinja.

use crate::engine::ledger::LedgerView;
use crate::engine::run::Run;
use crate::engine::state::{AnswerRecord, Record};
use crate::script::helpers::Words;
use crate::script::names::{NamePath, Names, Plain, Segment};
use crate::script::uses::Uses;
use serde::Serialize;
use std::cell::OnceCell;
use std::collections::BTreeMap;

/// Parts a script or template does not read are left out (`None`).
#[derive(Serialize)]
pub(crate) struct View<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    exercise: Option<ExerciseView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partners: Option<&'a [String; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roles: Option<BTreeMap<&'a str, &'a str>>,
    /// Each role's name is also a variable of its own: `{{ speaker }}`.
    #[serde(flatten)]
    role_names: BTreeMap<&'a str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answers: Option<BTreeMap<&'a str, &'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answers_by: Option<BTreeMap<&'a str, BTreeMap<&'a str, &'a str>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vars: Option<&'a indexmap::IndexMap<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    round: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transcript: Option<&'a [AnswerRecord]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    records: Option<&'a [Record]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ledger: Option<&'a LedgerView>,
}

impl<'a> View<'a> {
    /// What scripts and templates can see: only the parts `uses` says they
    /// may read, since building the rest is most of a step's work.
    pub(crate) fn of(run: &'a Run, by: Option<&'a str>, uses: Uses) -> Self {
        let s = run.state();
        let round = s.cursor.round;
        let answers = uses.has("answers").then(|| {
            s.answers
                .iter()
                .filter(|a| seen_in_round(a, round))
                .map(|a| (a.step.as_str(), answer_text(a)))
                .collect()
        });
        let answers_by = uses.has("answers_by").then(|| {
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
            answers_by
        });
        let role_names = if uses.has_role_names() || uses.has("roles") {
            run.exercise()
                .roles
                .iter()
                .enumerate()
                .map(|(i, r)| (r.name.as_str(), s.partners[run.partner_for(i)].as_str()))
                .collect::<BTreeMap<_, _>>()
        } else {
            BTreeMap::new()
        };
        View {
            exercise: uses.has("exercise").then_some(ExerciseView {
                id: &run.exercise().id,
                title: &run.exercise().title,
            }),
            partners: uses.has("partners").then_some(&s.partners),
            roles: uses.has("roles").then(|| role_names.clone()),
            role_names: if uses.has_role_names() {
                role_names
            } else {
                BTreeMap::new()
            },
            answers,
            answers_by,
            vars: uses.has("vars").then_some(&s.cursor.vars),
            round: uses.has("round").then_some(round),
            by: uses.has("by").then(|| by.unwrap_or("")),
            transcript: uses.has("transcript").then_some(&s.answers),
            records: uses.has("records").then_some(&s.records),
            ledger: uses.has("ledger").then_some(run.ledger()),
        }
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
        // Inserted in the order serde writes the fields, so a name given
        // twice ends up with the same value.
        if let Some(exercise) = self.exercise {
            map.insert("exercise".into(), dynamic(exercise)?);
        }
        if let Some(partners) = self.partners {
            let partners: rhai::Array = partners.iter().map(|p| string(p)).collect();
            map.insert("partners".into(), partners.into());
        }
        if let Some(roles) = self.roles {
            map.insert("roles".into(), strings(roles).into());
        }
        for (name, partner) in self.role_names {
            map.insert(name.into(), string(partner));
        }
        if let Some(answers) = self.answers {
            map.insert("answers".into(), strings(answers).into());
        }
        if let Some(answers_by) = self.answers_by {
            let by: rhai::Map = answers_by
                .into_iter()
                .map(|(name, answers)| (name.into(), strings(answers).into()))
                .collect();
            map.insert("answers_by".into(), by.into());
        }
        if let Some(vars) = self.vars {
            map.insert("vars".into(), dynamic(vars)?);
        }
        if let Some(round) = self.round {
            map.insert("round".into(), dynamic(round)?);
        }
        if let Some(by) = self.by {
            map.insert("by".into(), string(by));
        }
        if let Some(transcript) = self.transcript {
            map.insert("transcript".into(), dynamic(transcript)?);
        }
        if let Some(records) = self.records {
            map.insert("records".into(), dynamic(records)?);
        }
        if let Some(ledger) = self.ledger {
            map.insert("ledger".into(), dynamic(ledger)?);
        }
        Ok(map)
    }
}

impl View<'_> {
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
        if let Some(exercise) = self.exercise {
            map.insert(Value::from("exercise"), Value::from(Serde(exercise)));
        }
        if let Some(partners) = self.partners {
            map.insert(Value::from("partners"), Value::from(Serde(partners)));
        }
        if let Some(roles) = self.roles {
            map.insert(Value::from("roles"), strings(roles));
        }
        for (name, partner) in self.role_names {
            map.insert(Value::from(name), Value::from(partner));
        }
        if let Some(answers) = self.answers {
            map.insert(Value::from("answers"), strings(answers));
        }
        if let Some(answers_by) = self.answers_by {
            let by: BTreeMap<Value, Value> = answers_by
                .into_iter()
                .map(|(name, answers)| (Value::from(name), strings(answers)))
                .collect();
            map.insert(Value::from("answers_by"), Value::from(by));
        }
        if let Some(vars) = self.vars {
            map.insert(Value::from("vars"), Value::from(Serde(vars)));
        }
        if let Some(round) = self.round {
            map.insert(Value::from("round"), Value::from(Serde(round)));
        }
        if let Some(by) = self.by {
            map.insert(Value::from("by"), Value::from(by));
        }
        if let Some(transcript) = self.transcript {
            map.insert(Value::from("transcript"), Value::from(Serde(transcript)));
        }
        if let Some(records) = self.records {
            map.insert(Value::from("records"), Value::from(Serde(records)));
        }
        if let Some(ledger) = self.ledger {
            map.insert(Value::from("ledger"), Value::from(Serde(ledger)));
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

impl Names for RunNames<'_> {
    fn plain(&self, path: &NamePath) -> Option<Plain<'_>> {
        use Segment::{Index, Key};
        let s = self.run.state();
        let round = s.cursor.round;
        let value = match (path.root.as_str(), path.rest.as_slice()) {
            // The latest, as in `View::of`, where later answers replace
            // earlier ones.
            ("answers", [Key(step)]) => s
                .answers
                .iter()
                .rev()
                .find(|a| a.step == *step && seen_in_round(a, round))
                .map(answer_text)?,
            ("answers_by", [Key(name), Key(step)]) => s
                .answers
                .iter()
                .rev()
                .find(|a| a.name == *name && a.step == *step)
                .map(answer_text)?,
            ("partners", [Index(i)]) => s.partners.get(*i)?,
            ("roles", [Key(role)]) => self.role(role)?,
            ("round", []) => return Some(Plain::Int(i64::from(round))),
            ("by", []) => self.by.unwrap_or(""),
            ("exercise", [Key(key)]) => match key.as_str() {
                "id" => &self.run.exercise().id,
                "title" => &self.run.exercise().title,
                _ => return None,
            },
            ("vars", [Key(name)]) => {
                return match s.cursor.vars.get(name)? {
                    serde_json::Value::String(v) => Some(Plain::Str(v)),
                    serde_json::Value::Bool(b) => Some(Plain::Bool(*b)),
                    serde_json::Value::Number(n) => n.as_i64().map(Plain::Int),
                    _ => None,
                };
            }
            (name, []) if !crate::script::scope_names::is_reserved(name) => self.role(name)?,
            _ => return None,
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

/// What an answer reads as: a skipped question reads as "".
fn answer_text(a: &AnswerRecord) -> &str {
    a.text.as_deref().unwrap_or("")
}

#[derive(Serialize)]
struct ExerciseView<'a> {
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
        let exercise = compile("every-name", source).exercise.unwrap();
        let mut run = Run::start(&exercise, ["Alex".into(), "Sam".into()]);
        for answer in ["no", "yes"] {
            while !matches!(run.next_event().unwrap(), Event::Prompt(_)) {}
            run.answer(answer, DateTime::<Utc>::UNIX_EPOCH).unwrap();
        }
        while !matches!(run.next_event().unwrap(), Event::Prompt(_)) {}
        let view = || View::of(&run, Some("Sam"), Uses::ALL);
        assert!(
            view()
                .answers_by
                .is_some_and(|a| a["Alex"].contains_key("word"))
        );
        assert!(view().transcript.is_some_and(|t| !t.is_empty()));

        let direct = view().into_minijinja();
        let serde = minijinja::Value::from(minijinja::value::Serde(view()));
        assert_eq!(direct, serde);
        assert_eq!(format!("{direct:?}"), format!("{serde:?}"));

        let direct = Dynamic::from_map(view().into_rhai().unwrap());
        let serde = rhai::serde::to_dynamic(view()).unwrap();
        assert_eq!(format!("{direct:?}"), format!("{serde:?}"));
    }
}
