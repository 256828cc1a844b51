//! Static analysis of a compiled exercise: problems that compile fine but
//! would trip a couple mid-session. Each warning has a stable code, listed
//! with an example in docs/diagnostics.md.
//!
//! The analysis reads the step graph (every `when` may go either way) and
//! the code of scripts and templates (`references`). It only warns where it
//! is sure: an unknown path through the graph counts as a possible path.

use crate::diagnostic::report::{Diagnostic, Severity};
use crate::diagnostic::source::Inner;
use crate::diagnostic::yaml_path::{Point, YamlPath};
use crate::engine::exercise::{Exercise, Step, StepKind};
use crate::engine::ledger::LedgerView;
use crate::format::references::{self, Area, Reference};
use crate::format::spec::StepSpec;
use crate::script::scope_names::{SCOPE_NAMES, ScopeName};
use rhai::{Dynamic, Map, Scope};
use std::collections::BTreeMap;

pub const UNREACHABLE_STEP: &str = "M001";
pub const ENDLESS_LOOP: &str = "M002";
pub const READ_BEFORE_SET: &str = "M003";
pub const DEAD_END_OPTION: &str = "M004";
pub const UNKNOWN_ANSWER: &str = "M005";
pub const SILENT_ROLE: &str = "M006";
pub const EXAMPLE_FAILS_CHECK: &str = "M007";
pub const CONTROL_CHARACTER: &str = "M008";
pub const MAYBE_UNANSWERED: &str = "M009";
/// Every warning code, in order; docs/diagnostics.md has a section for
/// each. (M005, an answer no step gives, is an error the compiler reports.)
pub const CODES: [&str; 8] = [
    UNREACHABLE_STEP,
    ENDLESS_LOOP,
    READ_BEFORE_SET,
    DEAD_END_OPTION,
    SILENT_ROLE,
    EXAMPLE_FAILS_CHECK,
    CONTROL_CHARACTER,
    MAYBE_UNANSWERED,
];

/// Every warning for `exercise`, in file order, from its steps and notes as
/// written (the compiler passes them on, so the file is read once).
pub(crate) fn analyze(
    exercise: &Exercise,
    steps: &[StepSpec],
    notes: Option<&str>,
) -> Vec<Diagnostic> {
    let mut specs = Vec::new();
    flatten(steps, &mut specs);
    let same_steps = specs.len() == exercise.steps.len()
        && specs.iter().zip(&exercise.steps).all(|(s, t)| s.id == t.id);
    if !same_steps {
        return Vec::new();
    }
    let graph = Graph::new(exercise);
    let mut analysis = Analysis {
        exercise,
        code: code(exercise, &specs, notes),
        graph,
        warnings: Vec::new(),
    };
    analysis.unreachable_steps();
    analysis.endless_loops();
    analysis.dead_end_options();
    analysis.reads();
    analysis.silent_roles();
    analysis.failing_examples();
    let mut warnings = analysis.warnings;
    warnings.sort_by(|a, b| (a.line, a.column, &a.message).cmp(&(b.line, b.column, &b.message)));
    warnings.dedup();
    warnings
}

/// The same pre-order the compiler uses: a block, then its steps.
fn flatten<'s>(steps: &'s [StepSpec], out: &mut Vec<&'s StepSpec>) {
    for step in steps {
        out.push(step);
        if let Some(children) = &step.steps {
            flatten(children, out);
        }
    }
}

/// One script or template of the file, with the node of the graph where it
/// runs (`steps.len()` for the notes, rendered at the end).
struct Code<'s> {
    node: usize,
    path: YamlPath,
    text: &'s str,
    template: bool,
    /// Runs only under its step's `when` (everything but the `when` itself).
    conditional: bool,
    references: Vec<Reference>,
}

fn code<'s>(exercise: &Exercise, specs: &[&'s StepSpec], notes: Option<&'s str>) -> Vec<Code<'s>> {
    let mut out = Vec::new();
    let mut add = |node: usize, path: YamlPath, text: &'s str, template: bool| {
        let references = if template {
            references::in_template(text)
        } else {
            references::in_script(text)
        };
        let conditional =
            node < specs.len() && specs[node].when.is_some() && path.last_key() != Some("when");
        out.push(Code {
            node,
            path,
            text,
            template,
            conditional,
            references,
        });
    };
    for (i, (spec, step)) in specs.iter().zip(&exercise.steps).enumerate() {
        let path = &step.path;
        let scripts = [("when", &spec.when), ("set", &spec.set)];
        for (key, text) in scripts {
            if let Some(text) = text {
                add(i, path.key(key), text, false);
            }
        }
        let templates = [
            ("say", &spec.say),
            ("ask", &spec.ask),
            ("choose", &spec.choose),
            ("example", &spec.example),
        ];
        for (key, text) in templates {
            if let Some(text) = text {
                add(i, path.key(key), text, true);
            }
        }
        for (n, check) in spec.check.iter().enumerate() {
            let cpath = path.key("check").index(n);
            add(i, cpath.key("rule"), &check.rule, false);
            add(i, cpath.key("hint"), &check.hint, true);
        }
        for (n, option) in spec.options.iter().enumerate() {
            add(
                i,
                path.key("options").index(n).key("label"),
                &option.label,
                true,
            );
        }
    }
    if let Some(notes) = notes {
        add(
            exercise.steps.len(),
            YamlPath::root().key("notes"),
            notes,
            true,
        );
    }
    out
}

/// Steps as nodes, plus one node for the end of the exercise.
struct Graph {
    next: Vec<Vec<usize>>,
    /// `reach[a][b]`: b can follow a, one or more moves later.
    reach: Vec<Vec<bool>>,
    /// Reachable from the first step (the first step included).
    live: Vec<bool>,
}

impl Graph {
    fn new(exercise: &Exercise) -> Graph {
        let end = exercise.steps.len();
        let mut next = vec![Vec::new(); end + 1];
        for (i, step) in exercise.steps.iter().enumerate() {
            let out = &mut next[i];
            if step.when.is_some() {
                out.push(match step.kind {
                    StepKind::Block { end, .. } => end,
                    _ => i + 1,
                });
            }
            match &step.kind {
                StepKind::Choose(choose) => {
                    out.extend(
                        choose
                            .options
                            .iter()
                            .map(|o| o.goto.or(step.goto).unwrap_or(i + 1)),
                    );
                    // Skipping an optional choice takes the step's own way on.
                    if choose.optional {
                        out.push(step.goto.unwrap_or(i + 1));
                    }
                }
                StepKind::Block { .. } => out.push(i + 1),
                _ => out.push(step.goto.unwrap_or(i + 1)),
            }
            // A "no" to a confirmation goes its own way.
            if let Some(confirm) = &step.confirm {
                out.push(confirm.if_no.or(step.goto).unwrap_or(i + 1));
            }
            out.iter_mut().for_each(|n| *n = (*n).min(end));
        }
        let reach: Vec<Vec<bool>> = (0..=end).map(|i| walk(&next, &next[i])).collect();
        let mut live = walk(&next, &[0]);
        if end == 0 {
            live[0] = true;
        }
        Graph { next, reach, live }
    }

    fn end(&self) -> usize {
        self.next.len() - 1
    }

    /// Whether some path from the first step reaches `node` without
    /// passing `avoid`.
    fn reaches_avoiding(&self, node: usize, avoid: usize) -> bool {
        let mut seen = vec![false; self.next.len()];
        seen[avoid] = true;
        let mut stack = vec![0];
        while let Some(n) = stack.pop() {
            if n == node {
                return true;
            }
            if !std::mem::replace(&mut seen[n], true) {
                stack.extend(&self.next[n]);
            }
        }
        false
    }

    fn exits(&self, node: usize) -> bool {
        node == self.end() || self.reach[node][self.end()]
    }
}

/// Every node reachable from `starts` (the starts included).
fn walk(next: &[Vec<usize>], starts: &[usize]) -> Vec<bool> {
    let mut seen = vec![false; next.len()];
    let mut stack: Vec<usize> = starts.to_vec();
    while let Some(n) = stack.pop() {
        if !std::mem::replace(&mut seen[n], true) {
            stack.extend(&next[n]);
        }
    }
    seen
}

struct Analysis<'e, 's> {
    exercise: &'e Exercise,
    code: Vec<Code<'s>>,
    graph: Graph,
    warnings: Vec<Diagnostic>,
}

impl Analysis<'_, '_> {
    fn warn(&mut self, path: &YamlPath, point: Point, code: &'static str, message: String) {
        let d = self.exercise.source.warning_at(path, point, code, message);
        self.warnings.push(d);
    }

    fn warn_inside(&mut self, path: &YamlPath, r: &Reference, code: &'static str, message: String) {
        let inner = Inner {
            line: r.line,
            column: r.column,
            width: r.width,
        };
        let mut d = self.exercise.source.error_inside(path, inner, message);
        d.severity = Severity::Warning;
        d.code = Some(code);
        self.warnings.push(d);
    }

    /// M001: reported once per unreachable region: a step inside an
    /// unreachable block is covered by the block's warning.
    fn unreachable_steps(&mut self) {
        let ex = self.exercise;
        for (i, step) in ex.steps.iter().enumerate() {
            let block_live = step.block.is_none_or(|b| self.graph.live[b]);
            if !self.graph.live[i] && block_live {
                self.warn(
                    &step.path.key("id"),
                    Point::Value,
                    UNREACHABLE_STEP,
                    format!(
                        "step `{}` can never be reached: no path through the exercise leads here",
                        step.id
                    ),
                );
            }
        }
    }

    /// M002: a `goto` back into steps from which no path reaches the end.
    fn endless_loops(&mut self) {
        let ex = self.exercise;
        for (i, step) in ex.steps.iter().enumerate() {
            let Some(target) = step.goto else { continue };
            if target > i || !self.graph.live[i] || self.graph.exits(i) {
                continue;
            }
            self.warn(
                &step.path.key("goto"),
                Point::Value,
                ENDLESS_LOOP,
                format!(
                    "this loop back to `{}` has no way out: no path from it reaches the end, so every run stops at the visit limit (add a `when` or an option that leaves the loop)",
                    ex.steps[target].id
                ),
            );
        }
    }

    /// M004: an option that goes back to its own question with nothing in
    /// between, or into steps from which the exercise cannot end.
    fn dead_end_options(&mut self) {
        let ex = self.exercise;
        for (i, step) in ex.steps.iter().enumerate() {
            let StepKind::Choose(choose) = &step.kind else {
                continue;
            };
            if !self.graph.live[i] {
                continue;
            }
            for (n, option) in choose.options.iter().enumerate() {
                let Some(target) = option.goto else { continue };
                let why = if target == i {
                    format!(
                        "it goes straight back to the same question, `{}`, with nothing in between",
                        step.id
                    )
                } else if !self.graph.exits(target) {
                    format!(
                        "from `{}` no path reaches the end of the exercise",
                        ex.steps[target].id
                    )
                } else {
                    continue;
                };
                let path = step.path.key("options").index(n).key("goto");
                let message = format!("option `{}` leads nowhere: {why}", option.key);
                self.warn(&path, Point::Value, DEAD_END_OPTION, message);
            }
        }
    }

    /// M003 and M005: `answers.x` and `vars.x` that cannot hold a value
    /// where they are read.
    fn reads(&mut self) {
        let mut found = Vec::new();
        for code in &self.code {
            if code.node < self.exercise.steps.len() && !self.graph.live[code.node] {
                continue;
            }
            for r in &code.references {
                if let Some(warning) = self.read_problem(code, r) {
                    found.push((code.path.clone(), r.clone(), warning));
                }
            }
        }
        for (path, r, (code, message)) in found {
            // An answer no path gives before the read can never be there:
            // an error. A variable read early reads nothing: a warning.
            let error = code == READ_BEFORE_SET && r.area == Area::Answers;
            self.warn_inside(&path, &r, code, message);
            if let Some(last) = self.warnings.last_mut() {
                if error {
                    last.severity = Severity::Error;
                }
                if code == MAYBE_UNANSWERED {
                    last.help = Some(Box::new(format!(
                        "guard the read: `{{% if answers.{0} is defined %}}...{{% endif %}}` or `answers.{0} | default(\"\")`",
                        r.name
                    )));
                }
            }
        }
    }

    fn read_problem(&self, code: &Code, r: &Reference) -> Option<(&'static str, String)> {
        let ex = self.exercise;
        let here = match ex.steps.get(code.node) {
            Some(step) => format!("step `{}`", step.id),
            None => "the notes".to_owned(),
        };
        match r.area {
            Area::Answers if r.write => None,
            Area::Answers => {
                // A name that is no question is the compiler's error (M005).
                let w = ex
                    .step_index(&r.name)
                    .filter(|&w| is_question(&ex.steps[w]))?;
                if r.guarded {
                    return None;
                }
                if !self.graph.reach[w][code.node] {
                    return Some((
                        READ_BEFORE_SET,
                        format!(
                            "`answers.{}` is read in {here}, but no path answers `{}` before it",
                            r.name, r.name
                        ),
                    ));
                }
                // Only where the read itself is unconditional: a condition
                // the author wrote around it may track what the graph cannot.
                let unconditional = !r.conditional && !code.conditional;
                (unconditional && self.graph.reaches_avoiding(code.node, w)).then(|| {
                    (
                        MAYBE_UNANSWERED,
                        format!(
                            "`answers.{}` may be unanswered in {here}: some path reaches it without step `{}`",
                            r.name, r.name
                        ),
                    )
                })
            }
            Area::Vars if r.write || r.guarded || ex.vars.contains_key(&r.name) => None,
            Area::Vars => {
                let mut writers = self.code.iter().filter(|c| {
                    c.references
                        .iter()
                        .any(|w| w.area == Area::Vars && w.write && w.name == r.name)
                });
                let set_before = |c: &Code| {
                    self.graph.reach[c.node][code.node]
                        || (c.node == code.node
                            && c.path == code.path
                            && c.references.iter().any(|w| {
                                w.write
                                    && w.name == r.name
                                    && (w.line, w.column) < (r.line, r.column)
                            }))
                };
                if writers.any(set_before) {
                    return None;
                }
                Some((
                    READ_BEFORE_SET,
                    format!(
                        "`vars.{}` is read in {here} before any path sets it; give it a starting value under `vars:`",
                        r.name
                    ),
                ))
            }
        }
    }

    /// M006: a declared role that no reachable question is asked of.
    fn silent_roles(&mut self) {
        let ex = self.exercise;
        for (n, role) in ex.roles.iter().enumerate() {
            let answers = ex.steps.iter().enumerate().any(|(i, s)| {
                self.graph.live[i]
                    && is_question(s)
                    && s.turns().is_some_and(|t| t.both || t.role == n)
            });
            if !answers {
                self.warn(
                    &YamlPath::root().key("roles").key(&role.name),
                    Point::Key,
                    SILENT_ROLE,
                    format!(
                        "role `{}` never answers: no ask or choose step is `by: {}`",
                        role.name, role.name
                    ),
                );
            }
        }
    }

    /// M007: an example answer that the step's own nudges would refuse.
    fn failing_examples(&mut self) {
        let ex = self.exercise;
        for step in &ex.steps {
            let StepKind::Ask(ask) = &step.kind else {
                continue;
            };
            let Some(crate::script::template::Text::Plain(example)) = &ask.example else {
                continue;
            };
            // Strict rules check a form (a date, a length) and an example
            // may list several forms; nudges are the exercise's guidance.
            for (n, check) in ask.checks.iter().enumerate().filter(|(_, c)| !c.strict) {
                let mut scope = example_scope(ex, example);
                // A rule that needs run data it does not get here fails to
                // evaluate; only a clean `false` is reported.
                if let Ok(false) = check.rule.test(&mut scope, &BTreeMap::new(), None) {
                    let rule = self.code_text(&check.path.key("rule")).unwrap_or_default();
                    self.warn(
                        &step.path.key("example"),
                        Point::Value,
                        EXAMPLE_FAILS_CHECK,
                        format!(
                            "the example does not pass check {} of this step (`{}`), so it teaches what the hint corrects",
                            n + 1,
                            rule.trim()
                        ),
                    );
                }
            }
        }
    }

    fn code_text(&self, path: &YamlPath) -> Option<String> {
        self.code
            .iter()
            .find(|c| &c.path == path && !c.template)
            .map(|c| c.text.to_owned())
    }
}

/// Ask and choose steps and confirmations: the ones a partner answers.
pub fn is_question(step: &Step) -> bool {
    step.waits()
}

/// What a check rule sees when it is tried on an example: no answers yet,
/// the starting variables, the default partner names.
fn example_scope(exercise: &Exercise, example: &str) -> Scope<'static> {
    let partners = crate::partners::DEFAULT_PARTNERS;
    let mut scope = Scope::new();
    let vars = rhai::serde::to_dynamic(&exercise.vars).unwrap_or(Dynamic::UNIT);
    let roles: Map = exercise
        .roles
        .iter()
        .zip(partners)
        .map(|(r, p)| (r.name.as_str().into(), Dynamic::from(p.to_owned())))
        .collect();
    let partner_list: rhai::Array = partners
        .iter()
        .map(|p| Dynamic::from((*p).to_owned()))
        .collect();
    for entry in SCOPE_NAMES {
        let value = match entry.name {
            ScopeName::Answers
            | ScopeName::AnswersBy
            | ScopeName::TypedWords
            | ScopeName::Exercise => Dynamic::from(Map::new()),
            ScopeName::Vars => vars.clone(),
            ScopeName::Partners => Dynamic::from(partner_list.clone()),
            ScopeName::Roles => Dynamic::from(roles.clone()),
            ScopeName::Round => Dynamic::from(0_i64),
            ScopeName::By => Dynamic::from(String::new()),
            ScopeName::Transcript | ScopeName::Records => Dynamic::from(rhai::Array::new()),
            ScopeName::Ledger => {
                rhai::serde::to_dynamic(LedgerView::default()).unwrap_or(Dynamic::UNIT)
            }
            ScopeName::Answer => Dynamic::from(example.to_owned()),
            ScopeName::Visits => continue,
        };
        scope.push_dynamic(entry.word, value);
    }
    for (name, partner) in &roles {
        scope.push_dynamic(name.to_string(), partner.clone());
    }
    scope
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::source::Source;
    use crate::format::compiler::compile_and_analyze;

    fn codes(steps: &str) -> Vec<(&'static str, usize)> {
        let text = format!(
            "title: T\nsummary: S\nminutes: 5\nversion: 1\nroles:\n  speaker: Speaks.\nvars:\n  tries: 0\nsteps:\n{steps}"
        );
        let compiled = compile_and_analyze(
            "t",
            Source::new("t.yaml", text),
            &crate::format::WordLists::none(),
        );
        assert!(compiled.exercise.is_some(), "{:?}", compiled.diagnostics);
        compiled
            .diagnostics
            .iter()
            .map(|d| (d.code.unwrap_or_default(), d.line))
            .collect()
    }

    #[test]
    fn a_loop_with_a_conditional_exit_is_fine() {
        let steps = "  - id: feeling\n    ask: How?\n    by: speaker\n  - id: count\n    set: vars.tries += 1\n  - id: again\n    when: vars.tries < 3\n    goto: feeling\n  - id: done\n    say: Bye {{ answers.feeling }}\n";
        assert_eq!(codes(steps), []);
    }

    #[test]
    fn guarded_reads_and_reads_after_a_write_in_the_same_script_are_fine() {
        let steps = "  - id: intro\n    say: \"{% if answers.later is defined %}{{ answers.later }}{% endif %}\"\n  - id: calc\n    set: vars.fresh = 1; vars.fresh += 1;\n  - id: later\n    ask: \"Again? {{ vars.fresh }}\"\n    by: speaker\n";
        assert_eq!(codes(steps), []);
    }

    #[test]
    fn skipping_an_optional_choice_is_a_path() {
        let steps = "  - id: pick\n    choose: Which?\n    by: speaker\n    optional: true\n    options:\n      - key: a\n        label: A\n        goto: end\n      - key: b\n        label: B\n        goto: end\n  - id: skipped\n    say: You skipped.\n  - id: end\n    say: Bye.\n";
        assert_eq!(codes(steps), []);
    }

    #[test]
    fn an_unguarded_read_of_a_later_answer_is_reported_where_it_is() {
        let steps = "  - id: intro\n    say: \"{{ answers.later }}\"\n  - id: later\n    ask: Again?\n    by: speaker\n";
        assert_eq!(codes(steps), [(READ_BEFORE_SET, 11)]);
    }
}
