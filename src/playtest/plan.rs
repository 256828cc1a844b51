//! Test plans: `exercises/<id>.test.yaml` beside an exercise, each plan a
//! scripted playthrough (what each partner types, what must be seen).
//! docs/authoring.md documents the format; `playtest/runner.rs` plays them.

use crate::diagnostic::report::Diagnostic;
use crate::diagnostic::source::Source;
use crate::diagnostic::yaml_path::{Point, YamlPath};
use crate::engine::exercise::Exercise;
use crate::engine::ledger::Seed;
use crate::format::loader::{self, did_you_mean, unknown_key};
use crate::partners::DEFAULT_PARTNERS;
use indexmap::IndexMap;
use serde::Deserialize;
use serde_yaml::Value;

/// A test plan file, for its JSON Schema (`mend schema --plan`): the
/// plans are read one by one, so each problem is located on its own.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PlanFileSpec {
    /// The playthroughs, each played by `mend test`.
    pub plans: Vec<PlanSpec>,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    pub name: String,
    #[serde(default)]
    pub partners: Option<Vec<String>>,
    #[serde(default)]
    pub swap_roles: bool,
    /// The couple's ledger as the exercise sees it (`ledger` in scripts):
    /// `commitments` (owner, text, due) and `agreements` (text, topic, revisit).
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub ledger: Option<Seed>,
    /// The day the plan is played on (default 2026-01-01), so timings
    /// like "in a fortnight" have fixed answers.
    #[serde(default)]
    pub today: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub turns: Vec<TurnSpec>,
    #[serde(default)]
    pub expect: ExpectSpec,
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TurnSpec {
    #[serde(default)]
    pub answer: Option<Scalar>,
    #[serde(default)]
    pub hint: Option<String>,
    #[serde(default)]
    pub see: Option<String>,
    /// Text that must not be on screen since the last answer (a nudge
    /// that must not come, a line a partner asked to keep out).
    #[serde(default)]
    pub not_see: Option<String>,
    #[serde(default)]
    pub command: Option<String>,
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectSpec {
    #[serde(default)]
    pub finished: Option<bool>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub vars: IndexMap<String, serde_json::Value>,
    #[serde(default)]
    pub answers: IndexMap<String, Scalar>,
    #[serde(default)]
    pub notes: Vec<String>,
    /// Lines the couple's ledger shows after the run (the seed with the
    /// run's records applied), each found in one item's line, e.g.
    /// `a1 [agreement, open, marked renewed]`.
    #[serde(default)]
    pub ledger: Vec<String>,
    /// Text the notes must not hold anywhere (a decline that must not read
    /// as agreed, words kept out).
    #[serde(default)]
    pub not_notes: Vec<String>,
    /// Text no ledger item's line may hold after the run (nothing saved
    /// that was not agreed).
    #[serde(default)]
    pub not_ledger: Vec<String>,
}

/// Text that may be written as a number or true/false in YAML (`answer: 2`
/// picks the second option).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub String);

impl schemars::JsonSchema for Scalar {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Scalar".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": ["string", "number", "boolean"] })
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_owned()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// A checked plan, ready to play.
#[derive(Debug, Clone)]
pub struct Plan {
    pub name: String,
    pub partners: [String; 2],
    pub swap_roles: bool,
    pub ledger: Option<Seed>,
    pub today: Option<chrono::NaiveDate>,
    pub turns: Vec<Turn>,
    pub expect: Expect,
    /// Where `name` is, for failure reports.
    pub path: YamlPath,
}

#[derive(Debug, Clone)]
pub struct Turn {
    pub action: Action,
    /// Whose turn it must be (a partner name, or a role).
    pub by: Option<String>,
    /// The step that must be waiting.
    pub at: Option<String>,
    /// Where the turn is in the plan file, for failure reports.
    pub path: YamlPath,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Answer(String),
    Hint(String),
    See(String),
    NotSee(String),
    Back,
    Skip,
    /// `:private`: the next answer stays out of the notes.
    Private,
}

impl Action {
    /// What the turn types into the run: an answer or a command; `None`
    /// for a turn that only looks at the screen.
    pub fn typed(&self) -> Option<String> {
        match self {
            Action::Answer(text) => Some(text.clone()),
            Action::Back => Some(":back".to_owned()),
            Action::Skip => Some(":skip".to_owned()),
            Action::Private => Some(":private".to_owned()),
            Action::Hint(_) | Action::See(_) | Action::NotSee(_) => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub finished: Option<bool>,
    pub at: Option<String>,
    pub vars: IndexMap<String, serde_json::Value>,
    pub answers: IndexMap<String, String>,
    pub notes: Vec<String>,
    pub ledger: Vec<String>,
    pub not_notes: Vec<String>,
    pub not_ledger: Vec<String>,
    /// Where `expect` is, for failure reports.
    pub path: YamlPath,
}

/// The plans in `source`, checked against `exercise`, and every problem.
pub fn load(source: &Source, exercise: &Exercise) -> (Vec<Plan>, Vec<Diagnostic>) {
    let mut loader = Loader {
        source,
        exercise,
        diagnostics: Vec::new(),
    };
    let plans = loader.file();
    (plans, loader.diagnostics)
}

struct Loader<'a> {
    source: &'a Source,
    exercise: &'a Exercise,
    diagnostics: Vec<Diagnostic>,
}

impl Loader<'_> {
    fn error(&mut self, path: &YamlPath, point: Point, message: impl Into<String>) {
        self.diagnostics
            .push(self.source.error_at(path, point, message));
    }

    fn file(&mut self) -> Vec<Plan> {
        let root = YamlPath::root();
        let value = match loader::parse_yaml(self.source) {
            Ok(value) => value,
            Err(d) => {
                self.diagnostics.push(d);
                return Vec::new();
            }
        };
        let Value::Mapping(map) = value else {
            self.error(
                &root,
                Point::Value,
                "a test plan file is a mapping with `plans:`",
            );
            return Vec::new();
        };
        let mut plans = Vec::new();
        let mut found = false;
        for (key, value) in map {
            let key = key.as_str().unwrap_or_default().to_owned();
            if key != "plans" {
                self.error(&root.key(&key), Point::Key, unknown_key(&key, &["plans"]));
                continue;
            }
            found = true;
            let path = root.key("plans");
            let Value::Sequence(items) = value else {
                self.error(&path, Point::Value, "`plans` is a list of plans");
                continue;
            };
            for (i, item) in items.into_iter().enumerate() {
                let path = path.index(i);
                match loader::read_as::<PlanSpec>(self.source, item, &path) {
                    Ok(spec) => plans.extend(self.plan(spec, &path)),
                    Err(ds) => self.diagnostics.extend(ds),
                }
            }
        }
        if !found {
            self.error(&root, Point::Value, "missing required key `plans`");
        } else if plans.is_empty() && self.diagnostics.is_empty() {
            self.error(
                &root.key("plans"),
                Point::Key,
                "`plans` needs at least one plan",
            );
        }
        plans
    }

    fn plan(&mut self, spec: PlanSpec, path: &YamlPath) -> Option<Plan> {
        let before = self.diagnostics.len();
        let partners = match spec.partners.as_deref() {
            None => Ok(DEFAULT_PARTNERS.map(str::to_owned)),
            // The same rules as `--partners`: names a screen can show.
            Some(names @ [_, _]) => {
                crate::partners::parse(&names.join(",")).map_err(|e| e.to_string())
            }
            Some(_) => Err("`partners` names the two partners, like [Alex, Sam]".to_owned()),
        };
        let partners = partners.unwrap_or_else(|message| {
            self.error(&path.key("partners"), Point::Value, message);
            DEFAULT_PARTNERS.map(str::to_owned)
        });
        let no_turns = spec.turns.is_empty();
        let turns = spec
            .turns
            .into_iter()
            .enumerate()
            .filter_map(|(n, turn)| self.turn(turn, &path.key("turns").index(n), &partners))
            .collect();
        let epath = path.key("expect");
        let expect = spec.expect;
        let checks_nothing = expect.finished.is_none()
            && expect.at.is_none()
            && expect.vars.is_empty()
            && expect.answers.is_empty()
            && expect.notes.is_empty()
            && expect.ledger.is_empty()
            && expect.not_notes.is_empty()
            && expect.not_ledger.is_empty();
        if no_turns && checks_nothing {
            self.error(
                &path.key("name"),
                Point::Value,
                format!(
                    "plan `{}` has no turns and no `expect`, so it cannot fail; give it the turns it plays and what it expects, or remove it",
                    spec.name
                ),
            );
        }
        if expect.finished.is_some() && expect.at.is_some() {
            self.error(
                &epath.key("at"),
                Point::Key,
                "`expect` takes `finished` or `at`, not both",
            );
        }
        if let Some(at) = &expect.at {
            self.step_id(&epath.key("at"), at, false);
        }
        for step in expect.answers.keys() {
            self.step_id(&epath.key("answers").key(step), step, true);
        }
        let plan = Plan {
            name: spec.name,
            partners,
            swap_roles: spec.swap_roles,
            ledger: spec.ledger,
            today: spec.today,
            turns,
            expect: Expect {
                finished: expect.finished,
                at: expect.at,
                vars: expect.vars,
                answers: expect.answers.into_iter().map(|(k, v)| (k, v.0)).collect(),
                notes: expect.notes,
                ledger: expect.ledger,
                not_notes: expect.not_notes,
                not_ledger: expect.not_ledger,
                path: epath,
            },
            path: path.key("name"),
        };
        (self.diagnostics.len() == before).then_some(plan)
    }

    fn turn(&mut self, spec: TurnSpec, path: &YamlPath, partners: &[String; 2]) -> Option<Turn> {
        let given: Vec<&str> = [
            ("answer", spec.answer.is_some()),
            ("hint", spec.hint.is_some()),
            ("see", spec.see.is_some()),
            ("not_see", spec.not_see.is_some()),
            ("command", spec.command.is_some()),
        ]
        .iter()
        .filter_map(|(k, here)| here.then_some(*k))
        .collect();
        if given.len() != 1 {
            let message = match given.get(1) {
                Some(second) => format!(
                    "a turn is one thing; this one has both `{}` and `{second}`",
                    given[0]
                ),
                None => "a turn needs one of: answer, hint, see, not_see, command".to_owned(),
            };
            self.error(path, Point::Value, message);
            return None;
        }
        let action = if let Some(answer) = spec.answer {
            Action::Answer(answer.0)
        } else if let Some(hint) = spec.hint {
            Action::Hint(hint)
        } else if let Some(see) = spec.see {
            Action::See(see)
        } else if let Some(text) = spec.not_see {
            Action::NotSee(text)
        } else {
            match spec.command.as_deref().map(str::trim) {
                Some(":back") => Action::Back,
                Some(":skip") => Action::Skip,
                Some(":private") => Action::Private,
                other => {
                    self.error(
                        &path.key("command"),
                        Point::Value,
                        format!(
                            "a plan can use the commands :back, :skip and :private, not `{}`",
                            other.unwrap_or_default()
                        ),
                    );
                    return None;
                }
            }
        };
        let acts = matches!(
            action,
            Action::Answer(_) | Action::Back | Action::Skip | Action::Private
        );
        for (key, value) in [("by", &spec.by), ("at", &spec.at)] {
            if value.is_some() && !acts {
                self.error(
                    &path.key(key),
                    Point::Key,
                    format!("`{key}` belongs on a turn with `answer` or `command`"),
                );
            }
        }
        if let Some(at) = &spec.at {
            self.step_id(&path.key("at"), at, false);
        }
        if let Some(by) = &spec.by {
            let roles = self.exercise.roles.iter().map(|r| r.name.as_str());
            let known: Vec<&str> = partners.iter().map(String::as_str).chain(roles).collect();
            if !known.contains(&by.as_str()) {
                self.error(
                    &path.key("by"),
                    Point::Value,
                    format!(
                        "`by: {by}` is neither a partner of this plan nor a role; expected one of: {}",
                        known.join(", ")
                    ),
                );
            }
        }
        Some(Turn {
            action,
            by: spec.by,
            at: spec.at,
            path: path.clone(),
        })
    }

    /// Reports `id` unless it names a step (one with an answer, if `answered`).
    fn step_id(&mut self, path: &YamlPath, id: &str, answered: bool) {
        let ex = self.exercise;
        let fits = |s: &&crate::engine::exercise::Step| {
            !answered || crate::format::analysis::is_question(s)
        };
        if ex.steps.iter().filter(fits).any(|s| s.id == id) {
            return;
        }
        let known: Vec<&str> = ex
            .steps
            .iter()
            .filter(fits)
            .map(|s| s.id.as_str())
            .collect();
        let hint = did_you_mean(id, &known)
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        let point = if path.last_key() == Some(id) {
            Point::Key
        } else {
            Point::Value
        };
        let what = if answered { "question" } else { "step" };
        self.error(
            path,
            point,
            format!("exercise `{}` has no {what} `{id}`{hint}", ex.id),
        );
    }
}
