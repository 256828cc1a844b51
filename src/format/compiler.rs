//! From a loaded spec to a runnable `Exercise`: resolves every step id,
//! compiles every script and template, and reports every problem it finds
//! with the file, line and column it comes from.

use crate::diagnostic::report::Diagnostic;
use crate::diagnostic::source::{Inner, Source};
use crate::diagnostic::yaml_path::{Point, YamlPath};
use crate::engine::exercise::{
    Agree, Ask, Check, Choice, Choose, Commit, Confirm, DateMode, Defer, Exercise, Mark, Pace,
    Role, Step, StepKind, Turns,
};
use crate::engine::pick::loose;
use crate::format::analysis;
use crate::format::loader::{self, did_you_mean};
use crate::format::references::{self, Area};
use crate::format::spec::{DateSpec, ExerciseSpec, OptionSpec, STEP_KINDS, StepSpec};
use crate::format::word_lists::WordLists;
use crate::limits;
use crate::script::helpers::HELPERS;
use crate::script::rhai_script::{Call, Script, ScriptError, known_functions};
use crate::script::scope_names::{ScopeName, is_reserved, script_words};
use crate::script::template::{MARKDOWN_SUFFIX, Templates, Text, is_template};
use rustc_hash::FxHashMap as HashMap;

/// The result of compiling one file: the exercise when there were no errors,
/// and every diagnostic found either way.
pub struct Compiled {
    pub exercise: Option<Exercise>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Compiles the exercise `id` read from `source`; `words` are the shared
/// lists its `words:` key may name (the library's `words.yaml`).
pub fn compile(id: &str, source: Source, words: &WordLists) -> Compiled {
    build(id, source, words, false)
}

/// `compile`, then `mend check`'s static analysis (warnings) of the file as
/// it was read for compiling, so the file is parsed once for both.
pub fn compile_and_analyze(id: &str, source: Source, words: &WordLists) -> Compiled {
    build(id, source, words, true)
}

fn build(id: &str, source: Source, words: &WordLists, analyze: bool) -> Compiled {
    let mut loaded = loader::load(&source);
    let Some(mut spec) = loaded.spec else {
        return Compiled {
            exercise: None,
            diagnostics: loaded.diagnostics,
        };
    };
    let shared_lists = take_shared_words(&mut spec, words, &source, &mut loaded.diagnostics);
    let role_names: Vec<&str> = spec.roles.keys().map(String::as_str).collect();
    let mut compiler = Compiler {
        id,
        source: &source,
        diagnostics: loaded.diagnostics,
        templates: Templates::new(),
        names: script_names(false, &role_names),
        check_names: script_names(true, &role_names),
        role_names,
        repeated: Vec::new(),
        check_roles: !loaded.roles_failed,
        answerable: Vec::new(),
        var_items: spec
            .vars
            .iter()
            .map(|(name, value)| {
                let items = crate::script::value_bounds::collection_items(value);
                (name.clone(), items)
            })
            .collect(),
    };
    let exercise = compiler.exercise(&spec);
    let pace = exercise
        .as_ref()
        .and_then(|parts| compiler.pace(&spec, parts));
    let Compiler {
        mut diagnostics,
        templates,
        ..
    } = compiler;
    // One mistake, one error: a problem found twice (a block's child read
    // once with the block and once on its own) is reported once.
    diagnostics.sort_by(|a, b| (a.line, a.column, &a.message).cmp(&(b.line, b.column, &b.message)));
    diagnostics.dedup();
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    let mut compiled = Compiled {
        exercise: exercise.filter(|_| !failed).map(|parts| Exercise {
            id: id.to_owned(),
            title: spec.title,
            summary: spec.summary,
            minutes: spec.minutes,
            tags: spec.tags,
            version: spec.version,
            roles: spec
                .roles
                .iter()
                .map(|(name, role)| Role {
                    name: name.clone(),
                    description: role.description().to_owned(),
                    label: role.label().unwrap_or(name).to_owned(),
                })
                .collect(),
            vars: spec.vars,
            shared_lists,
            steps: parts.steps,
            notes: parts.notes,
            suggest: parts.suggest,
            pace,
            source: source.clone(),
            templates,
            index: parts.index,
        }),
        diagnostics,
    };
    if analyze && let Some(exercise) = &compiled.exercise {
        let warnings = analysis::analyze(exercise, &spec.steps, spec.notes.as_deref());
        compiled.diagnostics.extend(warnings);
        compiled
            .diagnostics
            .extend(crate::format::control_chars::warnings(&exercise.source));
    }
    compiled
}

/// Makes each list `words:` names a variable of the exercise, as if it were
/// written under `vars`; a name that is no shared list, or is a variable
/// already, is an error at its place in `words:`. Returns the names made.
fn take_shared_words(
    spec: &mut ExerciseSpec,
    words: &WordLists,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut made = Vec::new();
    let at = |i: usize| YamlPath::root().key("words").index(i);
    for (i, name) in spec.words.iter().enumerate() {
        if spec.vars.contains_key(name) {
            diagnostics.push(source.error_at(
                &at(i),
                Point::Value,
                format!("`{name}` is both a shared list named in `words` and a variable under `vars`; keep one (to add phrases of this exercise's own, give them another variable and read both: `vars.{name} + vars.more_{name}`)"),
            ));
            continue;
        }
        match words.get(name) {
            Ok(Some(list)) => {
                spec.vars.insert(name.clone(), list.into());
                made.push(name.clone());
            }
            // A played session's journal holds the list's values.
            Ok(None) => {
                spec.vars
                    .insert(name.clone(), serde_json::Value::Array(Vec::new()));
                made.push(name.clone());
            }
            Err(why) => diagnostics.push(source.error_at(&at(i), Point::Value, why)),
        }
    }
    made
}

/// Lowercase letters, digits and underscores, starting with a letter: a
/// name scripts and templates can write as it is (`vars.NAME`).
pub(crate) fn is_plain_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

struct Parts {
    steps: Vec<Step>,
    notes: Option<Text>,
    suggest: Vec<(Script, String)>,
    index: HashMap<String, usize>,
}

/// A step in file order, blocks unrolled.
struct Flat<'s> {
    spec: &'s StepSpec,
    path: YamlPath,
    block: Option<usize>,
    end: usize,
}

struct Compiler<'a> {
    id: &'a str,
    source: &'a Source,
    diagnostics: Vec<Diagnostic>,
    templates: Templates,
    role_names: Vec<&'a str>,
    /// The names a `when` or `set` script may read, and a check rule.
    names: Vec<&'a str>,
    check_names: Vec<&'a str>,
    /// Scripts whose text comes more than once with the same names (a
    /// condition or rule repeated on several steps), compiled once: their
    /// kind and text, and the script once compiled.
    repeated: Vec<(ScriptPlace, String, Option<Script>)>,
    check_roles: bool,
    /// Every step id, and whether the step is a question (has an answer),
    /// for checking each `answers.x` a script or template reads.
    answerable: Vec<(String, bool)>,
    /// Each starting variable's array items and map entries (its shared
    /// lists included), for the items a script's `vars` would hold.
    var_items: Vec<(String, (usize, usize))>,
}

/// `exercise/step`, the start of a step's template names, written out only
/// when a text turns out to be a template.
struct NamePrefix<'n>(&'n str, &'n str);

impl NamePrefix<'_> {
    /// `exercise/step/what`, allocated once.
    fn name(&self, what: impl std::fmt::Display) -> String {
        use std::fmt::Write;
        let mut name = String::with_capacity(self.0.len() + self.1.len() + 16);
        // Writing into a String cannot fail.
        let _ = write!(name, "{}/{}/{what}", self.0, self.1);
        name
    }
}

/// Where a script sits, which decides the names it may read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ScriptPlace {
    /// `when` and `set`: the engine's names and the roles.
    Step,
    /// Check rules: those and `answer`.
    Check,
    /// Suggestions, read before any run: only the ledger.
    Suggestion,
}

/// Steps in file order with blocks unrolled, counted before they are.
fn count_steps(steps: &[StepSpec]) -> usize {
    steps
        .iter()
        .map(|s| 1 + s.steps.as_deref().map_or(0, count_steps))
        .sum()
}

/// The names a script may read: the engine's own, plus one per role.
fn script_names<'a>(check_rule: bool, role_names: &[&'a str]) -> Vec<&'a str> {
    let mut names: Vec<&str> = script_words(check_rule).collect();
    names.extend_from_slice(role_names);
    names
}

impl Compiler<'_> {
    fn error(&mut self, path: &YamlPath, point: Point, message: impl Into<String>) {
        self.diagnostics
            .push(self.source.error_at(path, point, message));
    }

    fn exercise(&mut self, spec: &ExerciseSpec) -> Option<Parts> {
        let root = YamlPath::root();
        for (key, value) in [("title", &spec.title), ("summary", &spec.summary)] {
            if value.trim().is_empty() && self.diagnostics.is_empty() {
                self.error(
                    &root.key(key),
                    Point::Value,
                    format!("`{key}` must not be empty"),
                );
            }
        }
        if spec.minutes == 0 {
            self.error(
                &root.key("minutes"),
                Point::Value,
                "`minutes` must be at least 1",
            );
        }
        self.check_roles_section(spec);
        for name in spec.vars.keys() {
            self.check_name(|| root.key("vars").key(name), name, "variable");
        }
        if let Err(e) =
            crate::script::value_bounds::check(spec.vars.iter().map(|(k, v)| (k.as_str(), v)))
        {
            let at = match &e {
                crate::script::value_bounds::OutOfBounds::TooDeep { name } => {
                    root.key("vars").key(name)
                }
                crate::script::value_bounds::OutOfBounds::TooLarge { .. } => root.key("vars"),
            };
            self.error(&at, Point::Key, e.to_string());
        }
        if spec.steps.is_empty() && self.diagnostics.is_empty() {
            self.error(
                &root.key("steps"),
                Point::Value,
                "an exercise needs at least one step",
            );
        }

        let mut flat = Vec::with_capacity(count_steps(&spec.steps));
        self.flatten(&spec.steps, &root.key("steps"), None, &mut flat);
        if flat.len() > limits::STEPS {
            self.error(
                &root.key("steps"),
                Point::Key,
                format!(
                    "{} steps; an exercise may have at most {}",
                    flat.len(),
                    limits::STEPS
                ),
            );
            return None;
        }
        let index = self.index_ids(&flat);
        self.answerable = flat
            .iter()
            .map(|f| {
                (
                    f.spec.id.clone(),
                    f.spec.ask.is_some() || f.spec.choose.is_some() || f.spec.confirm.is_some(),
                )
            })
            .collect();
        self.find_repeated_scripts(&flat);
        let steps = flat
            .iter()
            .enumerate()
            .map(|(i, f)| self.step(i, f, &flat, &index))
            .collect();
        let notes = spec.notes.as_ref().map(|notes| {
            let name = format!("{}/notes{MARKDOWN_SUFFIX}", self.id);
            self.text(|| root.key("notes"), || name, notes)
        });
        let suggest = spec
            .suggest
            .iter()
            .enumerate()
            .filter_map(|(n, s)| {
                let path = || root.key("suggest").index(n).key("when");
                let when = self.script(path, &s.when, true, ScriptPlace::Suggestion)?;
                Some((when, s.reason.trim().to_owned()))
            })
            .collect();
        Some(Parts {
            steps,
            notes,
            suggest,
            index,
        })
    }

    /// `pace`: a role of the exercise, and `STEP.OPTION` choices that exist.
    fn pace(&mut self, spec: &ExerciseSpec, parts: &Parts) -> Option<Pace> {
        let pace = spec.pace.as_ref()?;
        let path = YamlPath::root().key("pace");
        let role = if pace.by == "both" {
            None
        } else if let Some(role) = self.role_names.iter().position(|r| *r == pace.by) {
            Some(role)
        } else {
            let close = did_you_mean(&pace.by, &self.role_names)
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            self.error(
                &path.key("by"),
                Point::Value,
                format!(
                    "`pace.by` names `{}`, which is not a role of this exercise{close}",
                    pace.by
                ),
            );
            return None;
        };
        let mut declines = Vec::new();
        for (n, choice) in pace.declines.iter().enumerate() {
            let at = path.key("declines").index(n);
            let Some((step, option)) = choice.split_once('.') else {
                self.error(
                    &at,
                    Point::Value,
                    format!("`{choice}` should be `STEP.OPTION`, such as `ready.later`"),
                );
                continue;
            };
            let options: Option<Vec<&str>> =
                parts
                    .index
                    .get(step)
                    .and_then(|&i| match &parts.steps[i].kind {
                        StepKind::Choose(choose) => {
                            Some(choose.options.iter().map(|c| c.key.as_str()).collect())
                        }
                        _ => None,
                    });
            match options {
                None => self.error(
                    &at,
                    Point::Value,
                    format!("`{step}` is not a `choose` step of this exercise"),
                ),
                Some(keys) if !keys.contains(&option) => self.error(
                    &at,
                    Point::Value,
                    format!(
                        "step `{step}` has no option `{option}`; its options are {}",
                        keys.join(", ")
                    ),
                ),
                Some(_) => declines.push((step.to_owned(), option.to_owned())),
            }
        }
        Some(Pace { role, declines })
    }

    fn check_roles_section(&mut self, spec: &ExerciseSpec) {
        let path = YamlPath::root().key("roles");
        if !self.check_roles {
            return;
        }
        match spec.roles.len() {
            0 => self.error(&path, Point::Value, "an exercise needs one or two roles"),
            1 | 2 => {}
            n => self.error(
                &path,
                Point::Key,
                format!(
                    "{n} roles; mend binds roles to the two partners, so an exercise has one or two"
                ),
            ),
        }
        for name in spec.roles.keys() {
            self.check_name(|| path.key(name), name, "role");
        }
    }

    /// Roles, variables and step ids are named in scripts and templates, so
    /// they must be plain identifiers that mend does not use itself.
    fn check_name(&mut self, path: impl FnOnce() -> YamlPath, name: &str, what: &str) -> bool {
        let plain = is_plain_name(name);
        let point = if what == "step id" {
            Point::Value
        } else {
            Point::Key
        };
        if !plain {
            self.error(
                &path(),
                point,
                format!("{what} `{name}` must be lowercase letters, digits and underscores, starting with a letter (scripts and templates refer to it by name)"),
            );
            false
        } else if is_reserved(name) {
            self.error(
                &path(),
                point,
                format!("`{name}` is a name mend uses itself; choose another {what} name"),
            );
            false
        } else {
            true
        }
    }

    fn flatten<'s>(
        &mut self,
        steps: &'s [StepSpec],
        path: &YamlPath,
        block: Option<usize>,
        out: &mut Vec<Flat<'s>>,
    ) {
        for (i, spec) in steps.iter().enumerate() {
            let at = out.len();
            out.push(Flat {
                spec,
                path: path.index(i),
                block,
                end: at + 1,
            });
            if let Some(children) = &spec.steps {
                let path = out[at].path.key("steps");
                if block.is_some() {
                    self.error(
                        &path,
                        Point::Key,
                        "blocks cannot be nested; put this block's steps in the outer block",
                    );
                }
                if children.is_empty() {
                    self.error(&path, Point::Value, "a block needs at least one step");
                }
                self.flatten(children, &path, Some(at), out);
                out[at].end = out.len();
            }
        }
    }

    fn index_ids(&mut self, flat: &[Flat]) -> HashMap<String, usize> {
        let mut index: HashMap<String, usize> =
            HashMap::with_capacity_and_hasher(flat.len(), Default::default());
        for (i, f) in flat.iter().enumerate() {
            if f.spec.id.is_empty() {
                continue; // already reported as a missing or broken key
            }
            if !self.check_name(|| f.path.key("id"), &f.spec.id, "step id") {
                continue;
            }
            if let Some(&first) = index.get(&f.spec.id) {
                let (line, _) = self
                    .source
                    .position(&flat[first].path.key("id"), Point::Value);
                self.error(
                    &f.path.key("id"),
                    Point::Value,
                    format!(
                        "duplicate step id `{}`; it is first used on line {line}",
                        f.spec.id
                    ),
                );
            } else {
                index.insert(f.spec.id.clone(), i);
            }
        }
        index
    }

    fn step(&mut self, i: usize, f: &Flat, flat: &[Flat], index: &HashMap<String, usize>) -> Step {
        let spec = f.spec;
        let path = &f.path;
        let mut kinds = spec.present_kinds();
        let (first, second) = (kinds.next(), kinds.next());
        if let (Some(first), Some(second)) = (first, second) {
            self.error(
                &path.key(second),
                Point::Key,
                format!("a step is one kind; this one has both `{first}` and `{second}`"),
            );
        } else if first.is_none() && spec.goto.is_none() {
            self.error(
                path,
                Point::Value,
                format!(
                    "step `{}` needs one of: {} (or a goto)",
                    spec.id,
                    STEP_KINDS.join(", ")
                ),
            );
        }
        self.check_misplaced_keys(spec, path);
        let when = spec
            .when
            .as_ref()
            .and_then(|w| self.script(|| path.key("when"), w, true, ScriptPlace::Step));
        let goto = spec.goto.as_ref().and_then(|target| {
            self.resolve_goto(|| path.key("goto"), target, f.block, flat, index)
        });
        let max_visits = spec.max_visits.unwrap_or(limits::DEFAULT_VISITS);
        if !(1..=limits::MAX_VISITS).contains(&max_visits) {
            self.error(
                &path.key("max_visits"),
                Point::Value,
                format!("`max_visits` must be between 1 and {}", limits::MAX_VISITS),
            );
        }
        let kind = self.kind(i, f, flat, index);
        let confirm = spec.confirm.as_ref().map(|_| self.confirm(f, flat, index));
        let private_with = self.private_with(spec, path, flat, index);
        Step {
            id: spec.id.clone(),
            path: path.clone(),
            kind,
            when,
            goto,
            max_visits,
            block: f.block,
            confirm,
            private_with,
        }
    }

    /// `private_with`: each name a question (ask or choose) of the exercise.
    fn private_with(
        &mut self,
        spec: &StepSpec,
        path: &YamlPath,
        flat: &[Flat],
        index: &HashMap<String, usize>,
    ) -> Vec<String> {
        let mut steps = Vec::new();
        for (n, id) in spec.private_with.iter().enumerate() {
            let at = || path.key("private_with").index(n);
            match self.step_named(at, "private_with", id, index) {
                None => {}
                Some(to) if !matches!(flat[to].spec.kind(), Some("ask" | "choose")) => {
                    self.error(
                        &at(),
                        Point::Value,
                        format!(
                            "private_with names `{id}`, which asks nothing; name an ask or choose step whose answer a partner may keep private"
                        ),
                    );
                }
                Some(_) => steps.push(id.clone()),
            }
        }
        steps
    }

    fn kind(
        &mut self,
        i: usize,
        f: &Flat,
        flat: &[Flat],
        index: &HashMap<String, usize>,
    ) -> StepKind {
        let (spec, path) = (f.spec, &f.path);
        let base = NamePrefix(self.id, &spec.id);
        if let Some(say) = &spec.say {
            StepKind::Say(self.text(|| path.key("say"), || base.name("say"), say))
        } else if let Some(ask) = &spec.ask {
            let checks = spec
                .check
                .iter()
                .enumerate()
                .filter_map(|(n, c)| {
                    let cpath = path.key("check").index(n);
                    let rule = self.script(|| cpath.key("rule"), &c.rule, true, ScriptPlace::Check);
                    let hint = self.text(
                        || cpath.key("hint"),
                        || base.name(format_args!("check{n}")),
                        &c.hint,
                    );
                    rule.map(|rule| Check {
                        rule,
                        hint,
                        strict: c.strict,
                        path: cpath,
                    })
                })
                .collect();
            StepKind::Ask(Ask {
                prompt: self.text(|| path.key("ask"), || base.name("ask"), ask),
                by: self.turns(spec, path),
                example: spec
                    .example
                    .as_ref()
                    .map(|e| self.text(|| path.key("example"), || base.name("example"), e)),
                checks,
                optional: spec.optional,
                date: spec.date.map(|d| match d {
                    DateSpec::Required => DateMode::Required,
                    DateSpec::Words => DateMode::Words,
                }),
            })
        } else if let Some(choose) = &spec.choose {
            let by = self.turns(spec, path);
            let options = self.options(f, flat, index);
            if by.both
                && let Some(n) = spec.options.iter().position(|o| o.goto.is_some())
            {
                self.error(
                    &path.key("options").index(n).key("goto"),
                    Point::Key,
                    "the options of a `by: both` question cannot have `goto` (two answers could point two ways); branch afterwards with a `when` that reads `answers_by`",
                );
            }
            StepKind::Choose(Choose {
                prompt: self.text(|| path.key("choose"), || base.name("choose"), choose),
                by,
                options,
                optional: spec.optional,
            })
        } else if let Some(set) = &spec.set {
            self.script(|| path.key("set"), set, false, ScriptPlace::Step)
                .map_or(StepKind::Jump, StepKind::Set)
        } else if let Some(commit) = &spec.commit {
            StepKind::Commit(Commit {
                by: self.turns(spec, path),
                text: self.text(
                    || path.key("commit").key("text"),
                    || base.name("commit"),
                    &commit.text,
                ),
                due: self.text(
                    || path.key("commit").key("due"),
                    || base.name("due"),
                    &commit.due,
                ),
            })
        } else if let Some(agree) = &spec.agree {
            StepKind::Agree(Agree {
                by: match spec.by.as_deref() {
                    None | Some("both") => None,
                    Some(role) => self.role(role, || path.key("by")),
                },
                text: self.text(
                    || path.key("agree").key("text"),
                    || base.name("agree"),
                    &agree.text,
                ),
                topic: agree.topic.clone(),
                revisit: agree.revisit.as_ref().map(|r| {
                    self.text(
                        || path.key("agree").key("revisit"),
                        || base.name("revisit"),
                        r,
                    )
                }),
            })
        } else if let Some(mark) = &spec.mark {
            let path = path.key("mark");
            let (key, item) = match (&mark.item, &mark.commitment) {
                (Some(item), None) => ("item", item.as_str()),
                (None, Some(item)) => ("commitment", item.as_str()),
                (Some(item), Some(_)) => {
                    self.error(
                        &path.key("commitment"),
                        Point::Key,
                        "a mark names its item once: `item` (or the older `commitment`), not both",
                    );
                    ("item", item.as_str())
                }
                (None, None) => {
                    self.error(
                        &path,
                        Point::Value,
                        "a mark needs `item`: the ledger id of what it marks, e.g. \"{{ ledger.review[vars.i].id }}\"",
                    );
                    ("item", "")
                }
            };
            StepKind::Mark(Mark {
                item: self.text(|| path.key(key), || base.name("mark"), item),
                item_key: key,
                status: self.text(|| path.key("status"), || base.name("status"), &mark.status),
                text: mark
                    .text
                    .as_ref()
                    .map(|t| self.text(|| path.key("text"), || base.name("mark_text"), t)),
                due: mark
                    .due
                    .as_ref()
                    .map(|t| self.text(|| path.key("due"), || base.name("mark_due"), t)),
            })
        } else if let Some(defer) = &spec.defer {
            let by = self.turns(spec, path);
            let path = path.key("defer");
            StepKind::Defer(Defer {
                by,
                text: self.text(|| path.key("text"), || base.name("defer"), &defer.text),
                about: defer
                    .about
                    .as_ref()
                    .map(|t| self.text(|| path.key("about"), || base.name("about"), t)),
                topic: defer.topic.clone(),
                revisit: defer
                    .revisit
                    .as_ref()
                    .map(|t| self.text(|| path.key("revisit"), || base.name("revisit"), t)),
            })
        } else if spec.steps.is_some() {
            StepKind::Block {
                swap: self.swap(spec, path),
                end: f.end,
            }
        } else {
            debug_assert!(i < flat.len());
            StepKind::Jump
        }
    }

    fn options(&mut self, f: &Flat, flat: &[Flat], index: &HashMap<String, usize>) -> Vec<Choice> {
        let (spec, path) = (f.spec, &f.path);
        if spec.options.len() < 2 {
            self.error(
                &path.key("choose"),
                Point::Key,
                "a choose step needs at least two options",
            );
        }
        let mut keys: Vec<&str> = Vec::new();
        // Every key and alias of the step as typed words, with its option.
        let mut typed: Vec<(String, usize)> = spec
            .options
            .iter()
            .enumerate()
            .map(|(n, o)| (loose(&o.key), n))
            .collect();
        let mut choices = Vec::new();
        let base = NamePrefix(self.id, &spec.id);
        for (n, option) in spec.options.iter().enumerate() {
            let opath = || path.key("options").index(n);
            let key = option.key.trim();
            if key.is_empty() || key.chars().all(|c| c.is_ascii_digit()) || key.starts_with(':') {
                self.error(
                    &opath().key("key"),
                    Point::Value,
                    "an option key is a word (numbers pick options by position, and `:` starts a command)",
                );
            } else if keys.iter().any(|k| k.eq_ignore_ascii_case(key)) {
                self.error(
                    &opath().key("key"),
                    Point::Value,
                    format!("duplicate option key `{key}`"),
                );
            }
            keys.push(key);
            let aliases = self.aliases(option, n, &opath, &mut typed);
            let label = self.text(
                || opath().key("label"),
                || base.name(format_args!("option{n}")),
                &option.label,
            );
            let goto = option
                .goto
                .as_ref()
                .and_then(|t| self.resolve_goto(|| opath().key("goto"), t, f.block, flat, index));
            let when = option
                .when
                .as_ref()
                .and_then(|w| self.script(|| opath().key("when"), w, true, ScriptPlace::Step));
            if option.own_words && spec.options[..n].iter().any(|o| o.own_words) {
                self.error(
                    &opath().key("own_words"),
                    Point::Key,
                    "only one option of a step can take a partner's own words: typed words that pick no option go to it",
                );
            }
            choices.push(Choice {
                key: key.to_owned(),
                label,
                aliases,
                own_words: option.own_words,
                goto,
                when,
            });
        }
        choices
    }

    /// An option's aliases as compared when typed. An alias must be words
    /// (a number picks by position, `:` starts a command) and pick one
    /// option only: the same words on two options would pick neither.
    fn aliases(
        &mut self,
        option: &OptionSpec,
        n: usize,
        opath: &dyn Fn() -> YamlPath,
        typed: &mut Vec<(String, usize)>,
    ) -> Vec<String> {
        let mut aliases = Vec::new();
        for (a, alias) in option.aliases.iter().enumerate() {
            let words = loose(alias);
            let at = || opath().key("aliases").index(a);
            if words.is_empty() || words.parse::<usize>().is_ok() || alias.trim().starts_with(':') {
                self.error(
                    &at(),
                    Point::Value,
                    "an alias is words a partner might type, e.g. \"not yet\" (numbers pick options by position, and `:` starts a command)",
                );
                continue;
            }
            if let Some((_, other)) = typed
                .iter()
                .find(|(t, o)| *t == words && (*o != n || aliases.contains(&words)))
            {
                self.error(
                    &at(),
                    Point::Value,
                    format!(
                        "\"{alias}\" already picks option {} of this step; typed words pick one option only, so remove one of them",
                        other + 1
                    ),
                );
                continue;
            }
            typed.push((words.clone(), n));
            aliases.push(words);
        }
        aliases
    }

    fn swap(&mut self, spec: &StepSpec, path: &YamlPath) -> Option<(usize, usize)> {
        let swap = spec.swap.as_ref()?;
        let spath = || path.key("swap");
        if swap.len() != 2 || swap[0] == swap[1] {
            self.error(
                &spath(),
                Point::Value,
                "`swap` names the two roles that change places, e.g. [speaker, listener]",
            );
            return None;
        }
        let a = self.role(&swap[0], || spath().index(0));
        let b = self.role(&swap[1], || spath().index(1));
        a.zip(b)
    }

    /// Keys that only make sense on another kind of step are errors: a
    /// misplaced `check` would otherwise silently never run.
    fn check_misplaced_keys(&mut self, spec: &StepSpec, path: &YamlPath) {
        let kind = spec.kind();
        let is = |k: &str| kind == Some(k);
        let misplaced = [
            (
                "by",
                spec.by.is_some()
                    && !(is("ask") || is("choose") || is("commit") || is("agree") || is("defer")),
                "ask, choose, commit, agree and defer steps",
            ),
            (
                "first",
                spec.first.is_some() && spec.by.as_deref() != Some("both"),
                "steps with `by: both`",
            ),
            ("date", spec.date.is_some() && !is("ask"), "ask steps"),
            (
                "confirm",
                spec.confirm.is_some() && !(is("commit") || is("agree") || is("mark")),
                "commit, agree and mark steps",
            ),
            ("check", !spec.check.is_empty() && !is("ask"), "ask steps"),
            ("example", spec.example.is_some() && !is("ask"), "ask steps"),
            (
                "options",
                !spec.options.is_empty() && !is("choose"),
                "choose steps",
            ),
            (
                "optional",
                spec.optional && !(is("ask") || is("choose")),
                "ask and choose steps",
            ),
            (
                "private_with",
                !(spec.private_with.is_empty() || is("ask") || is("choose")),
                "ask and choose steps",
            ),
            (
                "swap",
                spec.swap.is_some() && !is("steps"),
                "blocks (steps with `steps`)",
            ),
        ];
        for (key, wrong, belongs) in misplaced {
            if wrong {
                self.error(
                    &path.key(key),
                    Point::Key,
                    format!("`{key}` belongs on {belongs}"),
                );
            }
        }
    }

    /// Whose turn a step is: `by: ROLE`, or `by: both` with the partner of
    /// `first` (default the first role) answering first.
    fn turns(&mut self, spec: &StepSpec, path: &YamlPath) -> Turns {
        self.turns_of(spec.by.as_deref(), spec.first.as_deref(), spec, path)
    }

    fn turns_of(
        &mut self,
        by: Option<&str>,
        first: Option<&str>,
        spec: &StepSpec,
        path: &YamlPath,
    ) -> Turns {
        match (by, first) {
            (Some("both"), Some(first)) => Turns {
                role: self.role(first, || path.key("first")).unwrap_or(0),
                both: true,
            },
            (Some("both"), None) => Turns {
                role: 0,
                both: true,
            },
            _ => Turns::one(self.by(spec, path)),
        }
    }

    fn confirm(&mut self, f: &Flat, flat: &[Flat], index: &HashMap<String, usize>) -> Confirm {
        let (spec, path) = (f.spec, &f.path);
        let Some(confirm) = &spec.confirm else {
            unreachable!("called for steps with `confirm`")
        };
        let base = NamePrefix(self.id, &spec.id);
        let cpath = path.key("confirm");
        let by = match confirm.by.as_str() {
            "both" => Turns {
                role: 0,
                both: true,
            },
            // Who is asked is known only when the confirmation is; for
            // counting questions and roles, either partner may be.
            "other" => Turns {
                role: 0,
                both: true,
            },
            role => Turns::one(self.role(role, || cpath.key("by")).unwrap_or(0)),
        };
        let other = confirm.by == "other";
        if other && self.role_names.contains(&"other") {
            self.error(
                &cpath.key("by"),
                Point::Value,
                "`by: other` asks the partner who does not own what is saved, but this exercise also has a role called `other`; rename the role so the two cannot be confused",
            );
        }
        if other && matches!(spec.by.as_deref(), None | Some("both")) && spec.commit.is_some() {
            self.error(
                &cpath.key("by"),
                Point::Value,
                "`confirm: {by: other}` asks the partner who does not own the commitment; a commitment both make is confirmed `by: both`",
            );
        }
        let label = |this: &mut Self, key: &str, given: &Option<String>, default: &str| {
            let text = given.as_deref().unwrap_or(default);
            this.text(
                || cpath.key(key),
                || base.name(format_args!("confirm_{key}")),
                text,
            )
        };
        Confirm {
            by,
            other,
            prompt: confirm
                .ask
                .as_ref()
                .map(|t| self.text(|| cpath.key("ask"), || base.name("confirm"), t)),
            yes: label(self, "yes", &confirm.yes, "Yes, I agree."),
            no: label(self, "no", &confirm.no, "Not yet."),
            if_no: confirm
                .if_no
                .as_ref()
                .and_then(|t| self.resolve_goto(|| cpath.key("if_no"), t, f.block, flat, index)),
        }
    }

    fn by(&mut self, spec: &StepSpec, path: &YamlPath) -> usize {
        match &spec.by {
            Some(role) => self.role(role, || path.key("by")).unwrap_or(0),
            None => {
                let kind = spec.kind().unwrap_or("ask");
                self.error(
                    &path.key(kind),
                    Point::Key,
                    format!("this {kind} step needs `by`: the role whose turn it is"),
                );
                0
            }
        }
    }

    fn role(&mut self, name: &str, path: impl FnOnce() -> YamlPath) -> Option<usize> {
        if let Some(i) = self.role_names.iter().position(|r| *r == name) {
            return Some(i);
        }
        if self.check_roles {
            let known = &self.role_names;
            let hint = match did_you_mean(name, known) {
                Some(close) => format!("; did you mean `{close}`?"),
                None => format!("; declared roles: {}", known.join(", ")),
            };
            self.error(
                &path(),
                Point::Value,
                format!("role `{name}` is not declared in `roles`{hint}"),
            );
        }
        None
    }

    /// The step `id` names, or an error at `path` that `key` names an
    /// unknown step, with the closest id.
    fn step_named(
        &mut self,
        path: impl Fn() -> YamlPath,
        key: &str,
        id: &str,
        index: &HashMap<String, usize>,
    ) -> Option<usize> {
        if let Some(&to) = index.get(id) {
            return Some(to);
        }
        let known: Vec<&str> = index.keys().map(String::as_str).collect();
        let hint = did_you_mean(id, &known)
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        self.error(
            &path(),
            Point::Value,
            format!("{key} names an unknown step `{id}`{hint}"),
        );
        None
    }

    fn resolve_goto(
        &mut self,
        path: impl Fn() -> YamlPath,
        target: &str,
        block: Option<usize>,
        flat: &[Flat],
        index: &HashMap<String, usize>,
    ) -> Option<usize> {
        let to = self.step_named(&path, "goto", target, index)?;
        if flat[to].block != block {
            self.error(
                &path(),
                Point::Value,
                format!("goto `{target}` would jump into or out of a block; a goto stays within its own block"),
            );
            return None;
        }
        Some(to)
    }

    /// `path` is joined only when there is an error to report.
    fn script(
        &mut self,
        path: impl Fn() -> YamlPath,
        text: &str,
        expression: bool,
        place: ScriptPlace,
    ) -> Option<Script> {
        let kind = place;
        // Only expressions (`when`, check rules) are shared; `set` is
        // compiled as statements.
        let repeated = self
            .repeated
            .iter()
            .position(|(n, t, _)| expression && *n == kind && t == text);
        if let Some((.., Some(script))) = repeated.map(|at| &self.repeated[at]) {
            return Some(script.clone());
        }
        let names: &[&str] = match place {
            ScriptPlace::Step => &self.names,
            ScriptPlace::Check => &self.check_names,
            ScriptPlace::Suggestion => &[ScopeName::Ledger.word()],
        };
        let compiled = if expression {
            Script::expression(text, names)
        } else {
            Script::statements(text, names)
        };
        let script = match compiled {
            Ok(script) => script,
            Err(error) => {
                let d = self.script_error(&path(), text, error);
                self.diagnostics.push(d);
                return None;
            }
        };
        self.check_answers(&path, text, false);
        if !expression {
            self.check_collection_items(&path, &script);
        }
        for call in script.unknown_calls() {
            let d = self.unknown_call(&path(), &call);
            self.diagnostics.push(d);
        }
        if let Some(at) = repeated {
            self.repeated[at].2 = Some(script.clone());
        }
        Some(script)
    }

    /// A `set` script's `vars` (the variables it names, or all when it may
    /// reach any) must fit rhai's collection bound: rhai counts the whole
    /// map each time the script changes a variable, so it would fail in the
    /// room the first time it ran. (A condition or rule only reads.)
    fn check_collection_items(&mut self, path: &impl Fn() -> YamlPath, script: &Script) {
        let named = script.vars_read();
        if !script.uses().has(ScopeName::Vars) && named.is_none_or(<[String]>::is_empty) {
            return;
        }
        let seen: Vec<&(String, (usize, usize))> = self
            .var_items
            .iter()
            .filter(|(name, _)| named.is_none_or(|n| n.iter().any(|x| x == name)))
            .collect();
        let items: usize = seen.iter().map(|(_, (items, _))| items).sum();
        let entries: usize = seen.len() + seen.iter().map(|(_, (_, e))| e).sum::<usize>();
        let limit = crate::limits::SCRIPT_COLLECTION_ITEMS;
        if items <= limit && entries <= limit {
            return;
        }
        let mut largest: Vec<_> = seen
            .iter()
            .map(|(name, (items, entries))| (name, items + entries))
            .filter(|(_, n)| *n > 0)
            .collect();
        largest.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let listed: Vec<String> = largest
            .iter()
            .take(4)
            .map(|(name, n)| format!("`vars.{name}` {n}"))
            .collect();
        let reads = if named.is_some() {
            "the variables this script names hold"
        } else {
            "this script may reach every variable (it reads `vars` other than as `vars.NAME`), and they hold"
        };
        let d = self
            .source
            .error_at(&path(), Point::Value, format!(
                "{reads} {} list items and {} map entries together ({}); a script can hold at most {limit}, so it would fail the first time it ran",
                items,
                entries,
                listed.join(", ")
            ))
            .with_help("read fewer or shorter lists in one `set`: split it into two steps, each reading part of the lists".to_owned());
        self.diagnostics.push(d);
    }

    fn script_error(&self, path: &YamlPath, text: &str, error: ScriptError) -> Diagnostic {
        // `rule: !has_absolutes(answer)`: YAML reads a leading `!` as a tag
        // and hands over an empty rule.
        let key = path.last_key().unwrap_or("rule");
        let (line, _) = self.source.position(path, Point::Value);
        let written = self.source.line(line).and_then(|l| {
            let (_, value) = l.split_once(&format!("{key}:"))?;
            let value = value.trim_start();
            let column = l.chars().count() - value.chars().count() + 1;
            Some((column, value.trim_end().to_owned()))
        });
        if let Some((column, written)) =
            written.filter(|(_, w)| w.starts_with('!') && !text.trim_start().starts_with('!'))
        {
            let width = written.chars().count();
            return self
                .source
                .at(
                    line,
                    column,
                    width,
                    "YAML reads a `!` at the start of a value as a tag, so this script is lost",
                )
                .with_help(format!("quote the script: {key}: '{written}'"));
        }
        error.locate(self.source, path, |m| format!("script error: {m}"))
    }

    fn unknown_call(&self, path: &YamlPath, call: &Call) -> Diagnostic {
        let known = known_functions();
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        let what = if call.method { "method" } else { "function" };
        let close = did_you_mean(&call.name, &known)
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        let inner = Inner {
            line: call.line,
            column: call.column,
            width: call.name.chars().count(),
        };
        let helpers: Vec<&str> = HELPERS.iter().map(|(name, _)| *name).collect();
        self.source
            .error_inside(path, inner, format!("script error: unknown {what} `{}`{close}", call.name))
            .with_help(format!(
                "mend's helpers are {}; text has methods such as to_lower, starts_with, contains and len",
                helpers.join(", ")
            ))
    }

    /// Finds the scripts that come more than once with the same names.
    fn find_repeated_scripts(&mut self, flat: &[Flat]) {
        let mut all: Vec<(ScriptPlace, &str)> = Vec::new();
        for f in flat {
            let spec = f.spec;
            // `set` is compiled as statements, `when` as an expression: the
            // same text would be two scripts, so only `when` is shared.
            all.extend(spec.when.iter().map(|w| (ScriptPlace::Step, w.as_str())));
            all.extend(
                spec.check
                    .iter()
                    .map(|c| (ScriptPlace::Check, c.rule.as_str())),
            );
        }
        for (i, (names, text)) in all.iter().enumerate() {
            let again = all[i + 1..].contains(&(*names, *text));
            let known = self
                .repeated
                .iter()
                .any(|(n, t, _)| n == names && t == text);
            if again && !known {
                self.repeated.push((*names, (*text).to_owned(), None));
            }
        }
    }

    /// Plain text needs neither its template name nor its path (joined only
    /// for an error): both are built only when needed.
    fn text(
        &mut self,
        path: impl Fn() -> YamlPath,
        name: impl FnOnce() -> String,
        source: &str,
    ) -> Text {
        if !is_template(source) {
            return Text::Plain(source.to_owned());
        }
        match self.templates.add(name(), source) {
            Ok(text) => {
                self.check_answers(&path, source, true);
                for unknown in self.templates.undeclared(&text) {
                    if !self.names.contains(&unknown.as_str()) {
                        let d = self.unknown_template_name(&path(), source, &unknown);
                        self.diagnostics.push(d);
                    }
                }
                text
            }
            Err(e) => {
                let d = e.locate(self.source, &path(), str::to_owned);
                self.diagnostics.push(d);
                Text::Plain(String::new())
            }
        }
    }
}

impl Compiler<'_> {
    /// M005: each `answers.x` read must name a question: a step with an
    /// answer. (Whether one can come before the read is the analysis's.)
    fn check_answers(&mut self, path: &impl Fn() -> YamlPath, text: &str, template: bool) {
        let refs = if template {
            references::in_template(text)
        } else {
            references::in_script(text)
        };
        for r in refs.iter().filter(|r| r.area == Area::Answers && !r.write) {
            let message = match self.answerable.iter().find(|(id, _)| *id == r.name) {
                Some((_, true)) => continue,
                Some((_, false)) => format!(
                    "`answers.{}` is never set: step `{}` is not an ask or choose step or a confirmation, so it has no answer",
                    r.name, r.name
                ),
                None => {
                    let ids: Vec<&str> = self
                        .answerable
                        .iter()
                        .filter(|(_, question)| *question)
                        .map(|(id, _)| id.as_str())
                        .collect();
                    let close = did_you_mean(&r.name, &ids)
                        .map(|c| format!("; did you mean `{c}`?"))
                        .unwrap_or_default();
                    format!("`answers.{}` names no step{close}", r.name)
                }
            };
            let inner = Inner {
                line: r.line,
                column: r.column,
                width: r.width,
            };
            let mut d = self.source.error_inside(&path(), inner, message);
            d.code = Some(crate::format::analysis::UNKNOWN_ANSWER);
            self.diagnostics.push(d);
        }
    }

    /// A name a template reads that no run provides: rendering it would
    /// fail mid-session, so it is an error now.
    fn unknown_template_name(&self, path: &YamlPath, source: &str, name: &str) -> Diagnostic {
        let (line, column) = references::find_name(source, true, name).unwrap_or((1, 1));
        let inner = Inner {
            line,
            column,
            width: name.chars().count(),
        };
        let mut readable: Vec<&str> = self.names.clone();
        readable.sort_unstable();
        let message = match did_you_mean(name, &readable) {
            Some(close) => format!("unknown name `{name}`; did you mean `{close}`?"),
            None => format!("unknown name `{name}`"),
        };
        self.source
            .error_inside(path, inner, message)
            .with_help(format!("a template can read: {}", readable.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_steps_when(condition: &str) -> Compiled {
        let text = format!(
            "title: t\nsummary: s\nminutes: 1\nversion: 1\nroles:\n  a: A\nsteps:\n  - id: one\n    say: hi\n    when: {condition}\n  - id: two\n    say: ho\n    when: {condition}\n"
        );
        compile("x", Source::new("x.yaml", text), &WordLists::none())
    }

    #[test]
    fn a_condition_on_two_steps_is_compiled_for_both() {
        let compiled = two_steps_when("round == 1");
        assert!(compiled.diagnostics.is_empty());
        let exercise = compiled.exercise.expect("compiles");
        assert!(exercise.steps.iter().all(|s| s.when.is_some()));
    }

    #[test]
    fn a_broken_condition_on_two_steps_is_reported_on_both() {
        let compiled = two_steps_when("round ==");
        let lines: Vec<usize> = compiled.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, [10, 13]);
    }
}
