//! The engine: a pure state machine over a compiled exercise. It reads no
//! input, prints nothing and never looks at the clock: front-ends ask it for
//! the next event, hand it answers (with the time they were given), and save
//! its state wherever they like.

use crate::diagnostic::Diagnostic;
use crate::event::{Event, Progress, Prompt, Reply};
use crate::exercise::{Choose, Exercise, Mark, Step, StepKind};
use crate::ledger::{LedgerView, Status};
use crate::limits;
use crate::script::{Script, ScriptError};
use crate::source::Inner;
use crate::state::{AnswerRecord, Checkpoint, Cursor, Record, RecordKind, RunState, STATE_VERSION};
use crate::template::{TemplateError, Text};
use crate::text::neutralize;
use crate::uses::Uses;
use crate::yaml_path::{Point, YamlPath};
use chrono::{DateTime, Utc};
use rhai::{Dynamic, Scope};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

pub struct Run<'e> {
    exercise: &'e Exercise,
    state: RunState,
    /// The couple's ledger as it was when the run began: an input, like the
    /// time, so the engine never reads files.
    ledger: LedgerView,
    /// Which steps ran at least once, by index, when a tester asked for it
    /// (`track_steps`); visit counts alone forget a block's first round.
    entered: Option<Vec<bool>>,
    /// The waiting question as last rendered, with its step index: a
    /// front-end asks for it again and again while a partner types, and
    /// `accept` records its text. Not part of `RunState`; cleared by every
    /// change that could alter what it renders to (`forget_prompt`).
    prompt: Option<(usize, Prompt)>,
}

/// A problem while running: a script or template failing on the data it got,
/// or a loop that went past its visit limit. Carries a diagnostic pointing
/// into the exercise file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    pub step: String,
    pub diagnostic: Box<Diagnostic>,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl std::error::Error for RunError {}

impl<'e> Run<'e> {
    pub fn start(exercise: &'e Exercise, partners: [String; 2]) -> Self {
        let first = exercise.steps.first().map(|s| s.id.clone());
        Run {
            exercise,
            state: RunState {
                state_version: STATE_VERSION,
                exercise: exercise.id.clone(),
                exercise_version: exercise.version,
                partners,
                bindings: (0..exercise.roles.len()).collect(),
                cursor: Cursor {
                    at: first,
                    waiting: false,
                    round: 0,
                    vars: exercise.vars.clone(),
                    visits: BTreeMap::new(),
                    nudged: Vec::new(),
                },
                answers: Vec::new(),
                records: Vec::new(),
                trail: Vec::new(),
            },
            ledger: LedgerView::default(),
            entered: None,
            prompt: None,
        }
    }

    /// Gives the run the couple's ledger, seen by exercises as `ledger`.
    pub fn with_ledger(mut self, ledger: LedgerView) -> Self {
        self.ledger = ledger;
        self.forget_prompt();
        self
    }

    pub fn ledger(&self) -> &LedgerView {
        &self.ledger
    }

    /// Starts noting which steps run, for coverage reports.
    pub fn track_steps(&mut self) {
        self.entered = Some(vec![false; self.exercise.steps.len()]);
    }

    /// The steps that ran since `track_steps`, by index.
    pub fn entered(&self) -> Option<&[bool]> {
        self.entered.as_deref()
    }

    /// Continues from saved state. The step it was at must still exist.
    pub fn restore(exercise: &'e Exercise, state: RunState) -> Result<Self, String> {
        if let Some(at) = &state.cursor.at
            && exercise.step_index(at).is_none()
        {
            return Err(format!(
                "step `{at}` is no longer in exercise `{}`",
                exercise.id
            ));
        }
        if state.bindings.len() != exercise.roles.len() {
            return Err(format!(
                "exercise `{}` now has different roles",
                exercise.id
            ));
        }
        Ok(Run {
            exercise,
            state,
            ledger: LedgerView::default(),
            entered: None,
            prompt: None,
        })
    }

    pub fn exercise(&self) -> &'e Exercise {
        self.exercise
    }

    pub fn state(&self) -> &RunState {
        &self.state
    }

    pub fn into_state(self) -> RunState {
        self.state
    }

    pub fn is_finished(&self) -> bool {
        self.state.cursor.at.is_none()
    }

    /// Exchanges which partner plays which role. Only before the first answer.
    pub fn swap_roles(&mut self) -> bool {
        if !self.state.answers.is_empty() || self.state.bindings.len() < 2 {
            return false;
        }
        self.state.bindings.swap(0, 1);
        self.forget_prompt();
        true
    }

    /// The partner who plays `role` right now.
    pub fn partner_for(&self, role: usize) -> usize {
        self.state.bindings.get(role).copied().unwrap_or(0)
    }

    /// The next event. Say steps are consumed as they are returned; a prompt
    /// is returned again until it is answered.
    pub fn next_event(&mut self) -> Result<Event, RunError> {
        let ex = self.exercise;
        loop {
            let Some(i) = self.position() else {
                return Ok(Event::Finished);
            };
            let step = &ex.steps[i];
            if self.state.cursor.waiting {
                return self.cached_prompt(i).map(|p| Event::Prompt(p.clone()));
            }
            if let Some(when) = &step.when
                && !self.test(when, step, (&step.path, "when"), None)?
            {
                let past = match step.kind {
                    StepKind::Block { end, .. } => end,
                    _ => i + 1,
                };
                self.move_to(past, i);
                continue;
            }
            if let Some(entered) = self.entered.as_mut() {
                entered[i] = true;
            }
            let visits = self.state.cursor.visits.entry(step.id.clone()).or_insert(0);
            *visits += 1;
            if *visits > step.max_visits {
                let message = format!(
                    "step `{}` ran more than {} times in one round; the exercise seems to loop without end (raise `max_visits` or add an exit)",
                    step.id, step.max_visits
                );
                return Err(self.error(step, &step.path.key("id"), message));
            }
            match &step.kind {
                StepKind::Say(text) => {
                    let text = self.render(text, step, "say")?;
                    self.move_to(step.goto.unwrap_or(i + 1), i);
                    return Ok(Event::Say {
                        step: step.id.clone(),
                        text,
                    });
                }
                StepKind::Ask(_) | StepKind::Choose(_) => {
                    self.forget_prompt();
                    self.state.cursor.waiting = true;
                    self.state.cursor.nudged.clear();
                }
                StepKind::Set(script) => {
                    self.set(script, step)?;
                    self.move_to(step.goto.unwrap_or(i + 1), i);
                }
                StepKind::Commit(commit) => {
                    let owner = self.state.partners[self.partner_for(commit.by)].clone();
                    let path = step.path.key("commit");
                    let text = self.render_at(&commit.text, step, (&path, "text"))?;
                    let due = self.render_at(&commit.due, step, (&path, "due"))?;
                    self.record(
                        RecordKind::Commitment,
                        step,
                        Some(owner),
                        text,
                        Some(due),
                        None,
                    );
                    self.move_to(step.goto.unwrap_or(i + 1), i);
                }
                StepKind::Agree(agree) => {
                    let path = step.path.key("agree");
                    let text = self.render_at(&agree.text, step, (&path, "text"))?;
                    let revisit = match &agree.revisit {
                        Some(r) => Some(self.render_at(r, step, (&path, "revisit"))?),
                        None => None,
                    };
                    self.record(
                        RecordKind::Agreement,
                        step,
                        None,
                        text,
                        revisit,
                        agree.topic.clone(),
                    );
                    self.move_to(step.goto.unwrap_or(i + 1), i);
                }
                StepKind::Mark(mark) => {
                    self.mark(mark, step)?;
                    self.move_to(step.goto.unwrap_or(i + 1), i);
                }
                StepKind::Jump => self.move_to(step.goto.unwrap_or(i + 1), i),
                StepKind::Block { .. } => {
                    self.state.cursor.round = 1;
                    self.reset_block_visits(i);
                    self.set_at(i + 1);
                }
            }
        }
    }

    /// Offers an answer to the waiting prompt.
    pub fn answer(&mut self, input: &str, now: DateTime<Utc>) -> Result<Reply, RunError> {
        let Some(i) = self.waiting() else {
            return Ok(retry("There is no question waiting for an answer."));
        };
        let step = &self.exercise.steps[i];
        let text = neutralize(input.trim());
        let length = text.chars().count();
        if length > limits::ANSWER_CHARS {
            return Ok(retry(&format!(
                "That answer is {length} characters long; mend keeps answers under {} characters. Could you say it more briefly?",
                limits::ANSWER_CHARS
            )));
        }
        match &step.kind {
            StepKind::Ask(ask) => {
                if text.is_empty() {
                    return if ask.optional {
                        self.accept(i, None, None, now)
                    } else {
                        Ok(retry(
                            "Take your time. When you are ready, write a few words (or type :break for a pause).",
                        ))
                    };
                }
                // One shared string for every rule: rhai copies it only if a
                // rule changes it in place.
                let shared = rhai::ImmutableString::from(text.as_str());
                for (n, check) in ask.checks.iter().enumerate() {
                    let passed =
                        self.test(&check.rule, step, (&check.path, "rule"), Some(&shared))?;
                    if !passed && (check.strict || !self.state.cursor.nudged.contains(&n)) {
                        self.state.cursor.nudged.push(n);
                        let hint = self.render_at(&check.hint, step, (&check.path, "hint"))?;
                        return Ok(Reply::Retry {
                            hint,
                            check: Some(n),
                        });
                    }
                }
                self.accept(i, Some(text), None, now)
            }
            StepKind::Choose(choose) => {
                if text.is_empty() && choose.optional {
                    return self.accept(i, None, None, now);
                }
                match pick(choose, &text, |label| self.render_label(label, step)) {
                    Some(n) => {
                        let option = &choose.options[n];
                        self.accept(i, Some(option.key.clone()), option.goto, now)
                    }
                    None => {
                        let keys: Vec<&str> =
                            choose.options.iter().map(|o| o.key.as_str()).collect();
                        Ok(retry(&format!(
                            "Please choose a number from 1 to {}, or type one of: {}.",
                            keys.len(),
                            keys.join(", ")
                        )))
                    }
                }
            }
            _ => Ok(retry("There is no question waiting for an answer.")),
        }
    }

    /// Skips the waiting question if the exercise allows it.
    pub fn skip(&mut self, now: DateTime<Utc>) -> Result<Reply, RunError> {
        let Some(i) = self.waiting() else {
            return Ok(retry("There is no question waiting for an answer."));
        };
        let optional = match &self.exercise.steps[i].kind {
            StepKind::Ask(a) => a.optional,
            StepKind::Choose(c) => c.optional,
            _ => false,
        };
        if optional {
            self.accept(i, None, None, now)
        } else {
            Ok(retry(
                "This question can't be skipped; it matters for what comes next. Take your time, or type :break for a pause.",
            ))
        }
    }

    /// Goes back to the previous question. Returns the answer given there
    /// (empty when it was skipped), so a front-end can offer it for editing.
    pub fn back(&mut self) -> Option<String> {
        let checkpoint = self.state.trail.pop()?;
        let previous = self
            .state
            .answers
            .get(checkpoint.answers)
            .and_then(|a| a.text.clone())
            .unwrap_or_default();
        self.state.answers.truncate(checkpoint.answers);
        self.state.records.truncate(checkpoint.records);
        self.state.cursor = checkpoint.cursor;
        self.state.bindings = checkpoint.bindings;
        self.forget_prompt();
        Some(previous)
    }

    /// The Markdown this exercise contributes to session notes.
    pub fn notes(&self) -> Result<Option<String>, RunError> {
        let Some(notes) = &self.exercise.notes else {
            return Ok(None);
        };
        self.exercise
            .templates
            .render_value(
                notes,
                self.view(None, self.exercise.templates.uses(notes))
                    .into_minijinja(),
            )
            .map(Some)
            .map_err(|e| self.template_error(None, &YamlPath::root().key("notes"), e))
    }

    fn position(&self) -> Option<usize> {
        let at = self.state.cursor.at.as_ref()?;
        self.exercise.step_index(at)
    }

    fn waiting(&self) -> Option<usize> {
        self.position().filter(|_| self.state.cursor.waiting)
    }

    fn set_at(&mut self, index: usize) {
        self.forget_prompt();
        let cursor = &mut self.state.cursor;
        cursor.at = self.exercise.steps.get(index).map(|s| s.id.clone());
        cursor.waiting = false;
        cursor.nudged.clear();
    }

    /// Moves on from step `from` to `target`, closing a block round when the
    /// move leaves the block.
    fn move_to(&mut self, target: usize, from: usize) {
        let ex = self.exercise;
        if let Some(b) = ex.steps[from].block
            && let StepKind::Block { swap, end } = ex.steps[b].kind
            && target == end
        {
            if let Some((r1, r2)) = swap {
                self.state.bindings.swap(r1, r2);
                if self.state.cursor.round == 1 {
                    self.state.cursor.round = 2;
                    self.reset_block_visits(b);
                    self.set_at(b + 1);
                    return;
                }
            }
            self.state.cursor.round = 0;
        }
        self.set_at(target);
    }

    fn reset_block_visits(&mut self, block: usize) {
        let ex = self.exercise;
        if let StepKind::Block { end, .. } = ex.steps[block].kind {
            for step in &ex.steps[block + 1..end] {
                self.state.cursor.visits.remove(&step.id);
            }
        }
    }

    fn accept(
        &mut self,
        i: usize,
        text: Option<String>,
        goto: Option<usize>,
        now: DateTime<Utc>,
    ) -> Result<Reply, RunError> {
        let prompt = self.take_prompt(i)?;
        self.state.trail.push(Checkpoint {
            cursor: self.state.cursor.clone(),
            bindings: self.state.bindings.clone(),
            answers: self.state.answers.len(),
            records: self.state.records.len(),
        });
        self.state.answers.push(AnswerRecord {
            step: prompt.step,
            round: self.state.cursor.round,
            partner: prompt.partner,
            name: prompt.name,
            role: prompt.role,
            question: prompt.text,
            text,
            at: now,
        });
        let step = &self.exercise.steps[i];
        self.move_to(goto.or(step.goto).unwrap_or(i + 1), i);
        Ok(Reply::Accepted)
    }

    /// Records a commitment or agreement. Dates are read relative to the
    /// latest answer, the engine's only notion of "now".
    fn record(
        &mut self,
        kind: RecordKind,
        step: &Step,
        owner: Option<String>,
        text: String,
        date_text: Option<String>,
        topic: Option<String>,
    ) {
        let at = self
            .state
            .answers
            .last()
            .map_or(DateTime::<Utc>::UNIX_EPOCH, |a| a.at);
        let date = date_text
            .as_deref()
            .and_then(|t| crate::due::parse_due(t, at.date_naive()));
        self.state.records.push(Record {
            kind,
            step: step.id.clone(),
            owner,
            text: neutralize(text.trim()),
            date,
            date_text: date_text.map(|t| neutralize(t.trim())),
            topic,
            at,
            commitment: None,
            status: None,
        });
    }

    /// Records a new status for a commitment in the ledger snapshot.
    fn mark(&mut self, mark: &Mark, step: &Step) -> Result<(), RunError> {
        let path = step.path.key("mark");
        let id = self.render_at(&mark.commitment, step, (&path, "commitment"))?;
        let id = id.trim();
        let status = self.render_at(&mark.status, step, (&path, "status"))?;
        let Some(status) = Status::parse_mark(&status) else {
            let message = format!(
                "step `{}` marks a commitment `{}`; a mark's status is one of: {}",
                step.id,
                status.trim(),
                Status::MARKS.join(", ")
            );
            return Err(self.error(step, &path.key("status"), message));
        };
        let Some(commitment) = self.ledger.commitments.iter().find(|c| c.id == id) else {
            let message = format!(
                "step `{}` marks commitment `{id}`, which is not in the couple's ledger",
                step.id
            );
            return Err(self.error(step, &path.key("commitment"), message));
        };
        let (owner, text) = (commitment.owner.clone(), commitment.text.clone());
        self.record(RecordKind::Mark, step, Some(owner), text, None, None);
        if let Some(record) = self.state.records.last_mut() {
            record.commitment = Some(id.to_owned());
            record.status = Some(status.word().to_owned());
        }
        Ok(())
    }

    /// The prompt of waiting step `i`, rendered once per wait.
    fn cached_prompt(&mut self, i: usize) -> Result<&Prompt, RunError> {
        let prompt = self.take_prompt(i)?;
        Ok(&self.prompt.insert((i, prompt)).1)
    }

    /// The stored prompt of step `i`, or a freshly rendered one.
    fn take_prompt(&mut self, i: usize) -> Result<Prompt, RunError> {
        match self.prompt.take() {
            Some((at, prompt)) if at == i => Ok(prompt),
            _ => self.prompt(i),
        }
    }

    /// Drops the rendered prompt; called by everything that moves the run
    /// or changes what a template could read while a question waits.
    fn forget_prompt(&mut self) {
        self.prompt = None;
    }

    fn prompt(&self, i: usize) -> Result<Prompt, RunError> {
        let ex = self.exercise;
        let step = &ex.steps[i];
        let (text, example, options, optional) = match &step.kind {
            StepKind::Ask(ask) => (
                self.render(&ask.prompt, step, "ask")?,
                match &ask.example {
                    Some(e) => Some(self.render(e, step, "example")?),
                    None => None,
                },
                Vec::new(),
                ask.optional,
            ),
            StepKind::Choose(choose) => (
                self.render(&choose.prompt, step, "choose")?,
                None,
                choose
                    .options
                    .iter()
                    .map(|o| Ok((o.key.clone(), self.render_label(&o.label, step)?)))
                    .collect::<Result<_, RunError>>()?,
                choose.optional,
            ),
            _ => unreachable!("only ask and choose steps wait for answers"),
        };
        let role = step.by().unwrap_or(0);
        let partner = self.partner_for(role);
        Ok(Prompt {
            step: step.id.clone(),
            text,
            example,
            options,
            optional,
            partner,
            name: self.state.partners[partner].clone(),
            role: ex
                .roles
                .get(role)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            progress: Progress {
                question: self.state.answers.len() + 1,
                of: ex.question_count().max(self.state.answers.len() + 1),
                round: (self.state.cursor.round > 0
                    && matches!(
                        step.block.map(|b| &ex.steps[b].kind),
                        Some(StepKind::Block { swap: Some(_), .. })
                    ))
                .then_some(self.state.cursor.round),
            },
        })
    }

    /// What scripts and templates can see: only the parts `uses` says they
    /// may read, since building the rest is most of a step's work.
    fn view<'a>(&'a self, by: Option<&'a str>, uses: Uses) -> View<'a> {
        let s = &self.state;
        let round = s.cursor.round;
        let answers = uses.has("answers").then(|| {
            s.answers
                .iter()
                .filter(|a| round == 0 || a.round == 0 || a.round == round)
                .map(|a| (a.step.as_str(), a.text.as_deref().unwrap_or("")))
                .collect()
        });
        let answers_by = uses.has("answers_by").then(|| {
            let mut answers_by: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
            for a in &s.answers {
                answers_by
                    .entry(a.name.as_str())
                    .or_default()
                    .insert(a.step.as_str(), a.text.as_deref().unwrap_or(""));
            }
            for name in &s.partners {
                answers_by.entry(name.as_str()).or_default();
            }
            answers_by
        });
        let role_names = if uses.has_role_names() || uses.has("roles") {
            self.exercise
                .roles
                .iter()
                .enumerate()
                .map(|(i, r)| (r.name.as_str(), s.partners[self.partner_for(i)].as_str()))
                .collect::<BTreeMap<_, _>>()
        } else {
            BTreeMap::new()
        };
        View {
            exercise: uses.has("exercise").then_some(ExerciseView {
                id: &self.exercise.id,
                title: &self.exercise.title,
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
            ledger: uses.has("ledger").then_some(&self.ledger),
        }
    }

    fn by_name(&self, step: &Step) -> Option<&str> {
        step.by()
            .map(|role| self.state.partners[self.partner_for(role)].as_str())
    }

    fn render(&self, text: &Text, step: &Step, key: &str) -> Result<String, RunError> {
        self.render_at(text, step, (&step.path, key))
    }

    fn render_label(&self, text: &Text, step: &Step) -> Result<String, RunError> {
        self.render_at(text, step, (&step.path, "options"))
    }

    fn render_at(&self, text: &Text, step: &Step, at: At) -> Result<String, RunError> {
        if let Text::Plain(s) = text {
            return Ok(s.clone());
        }
        self.exercise
            .templates
            .render_value(
                text,
                self.view(self.by_name(step), self.exercise.templates.uses(text))
                    .into_minijinja(),
            )
            .map_err(|e| self.template_error(Some(step), &at.0.key(at.1), e))
    }

    fn scope(
        &self,
        uses: Uses,
        step: &Step,
        answer: Option<&rhai::ImmutableString>,
    ) -> Result<Scope<'static>, RunError> {
        let view = self.view(self.by_name(step), uses);
        let map = view.into_rhai().map_err(|e| {
            self.error(
                step,
                &step.path,
                format!("could not prepare script data: {e}"),
            )
        })?;
        let mut scope = Scope::new();
        for (name, value) in map {
            scope.push_dynamic(name, value);
        }
        if let Some(answer) = answer {
            scope.push_dynamic("answer", Dynamic::from(answer.clone()));
        }
        Ok(scope)
    }

    fn test(
        &self,
        script: &Script,
        step: &Step,
        at: At,
        answer: Option<&rhai::ImmutableString>,
    ) -> Result<bool, RunError> {
        let mut scope = self.scope(script.uses(), step, answer)?;
        script
            .test(&mut scope, &self.state.cursor.visits)
            .map_err(|e| self.script_error(step, &at.0.key(at.1), e))
    }

    fn set(&mut self, script: &Script, step: &Step) -> Result<(), RunError> {
        let path = step.path.key("set");
        // `vars` is read back after every set script, so it is always there.
        let mut scope = self.scope(script.uses().and("vars"), step, None)?;
        script
            .eval(&mut scope, &self.state.cursor.visits)
            .map(drop)
            .map_err(|e| self.script_error(step, &path, e))?;
        let vars = scope.get_value::<rhai::Map>("vars").ok_or_else(|| {
            self.error(
                step,
                &path,
                "`vars` must stay a map of variables".to_owned(),
            )
        })?;
        let mut updated = indexmap::IndexMap::new();
        for (name, value) in vars {
            let value: serde_json::Value = rhai::serde::from_dynamic(&value).map_err(|e| {
                self.error(
                    step,
                    &path,
                    format!("variable `{name}` holds a value mend cannot save: {e}"),
                )
            })?;
            updated.insert(name.to_string(), value);
        }
        self.state.cursor.vars = updated;
        Ok(())
    }

    fn error(&self, step: &Step, path: &YamlPath, message: String) -> RunError {
        let diagnostic = self.exercise.source.error_at(path, Point::Value, message);
        run_error(&step.id, diagnostic)
    }

    fn script_error(&self, step: &Step, path: &YamlPath, e: ScriptError) -> RunError {
        let inner = Inner {
            line: e.line,
            column: e.column,
            width: 1,
        };
        let message = format!("script error in step `{}`: {}", step.id, e.message);
        run_error(
            &step.id,
            self.exercise.source.error_inside(path, inner, message),
        )
    }

    fn template_error(&self, step: Option<&Step>, path: &YamlPath, e: TemplateError) -> RunError {
        let inner = Inner {
            line: e.line,
            column: e.column,
            width: e.width,
        };
        let id = step.map_or("notes", |s| s.id.as_str());
        let message = format!("{} (in step `{id}`)", e.message);
        run_error(id, self.exercise.source.error_inside(path, inner, message))
    }
}

/// Where in the file a script or template sits: its parent's path and key,
/// joined only when there is an error to report.
type At<'a> = (&'a YamlPath, &'a str);

fn run_error(step: &str, diagnostic: Diagnostic) -> RunError {
    RunError {
        step: step.to_owned(),
        diagnostic: Box::new(diagnostic),
    }
}

fn retry(hint: &str) -> Reply {
    Reply::Retry {
        hint: hint.to_owned(),
        check: None,
    }
}

/// Matches input to an option: its number, its key, or its label.
fn pick(
    choose: &Choose,
    input: &str,
    label: impl Fn(&Text) -> Result<String, RunError>,
) -> Option<usize> {
    let input = input.trim();
    if let Ok(n) = input.parse::<usize>() {
        return (1..=choose.options.len()).contains(&n).then(|| n - 1);
    }
    let input = input.to_lowercase();
    choose
        .options
        .iter()
        .position(|o| o.key.to_lowercase() == input)
        .or_else(|| {
            choose
                .options
                .iter()
                .position(|o| label(&o.label).is_ok_and(|l| l.trim().to_lowercase() == input))
        })
}

/// Parts a script or template does not read are left out (`None`).
#[derive(Serialize)]
struct View<'a> {
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

impl View<'_> {
    /// The map `rhai::serde::to_dynamic` makes of the view, built directly
    /// where a part is only strings: serde's detour copies every key and
    /// value through an intermediate serializer on every script run.
    fn into_rhai(self) -> Result<rhai::Map, Box<rhai::EvalAltResult>> {
        use crate::script::string;
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
    fn into_minijinja(self) -> minijinja::Value {
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

#[derive(Serialize)]
struct ExerciseView<'a> {
    id: &'a str,
    title: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::compile;
    use crate::source::Source;

    /// `into_rhai` and `into_minijinja` make the values serde made of the
    /// view before them, for a view with every part filled in.
    #[test]
    fn views_convert_as_serde_converts_them() {
        let text = include_str!("../tests/exercises/every-name.yaml");
        let source = Source::new("every-name.yaml", text);
        let exercise = compile("every-name", source).exercise.unwrap();
        let mut run = Run::start(&exercise, ["Alex".into(), "Sam".into()]);
        for answer in ["no", "yes"] {
            while !matches!(run.next_event().unwrap(), Event::Prompt(_)) {}
            run.answer(answer, DateTime::<Utc>::UNIX_EPOCH).unwrap();
        }
        while !matches!(run.next_event().unwrap(), Event::Prompt(_)) {}
        let view = || run.view(Some("Sam"), Uses::ALL);
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
