//! The engine: a pure state machine over a compiled exercise. It reads no
//! input, prints nothing and never looks at the clock: front-ends ask it for
//! the next event, hand it answers (with the time they were given), and save
//! its state wherever they like.

use crate::diagnostic::yaml_path::{Point, YamlPath};
use crate::engine::error::{RestoreError, RunError, run_error};
use crate::engine::event::{Event, Progress, Prompt, Reply};
use crate::engine::exercise::{Ask, Choice, Choose, DateMode, Exercise, Mark, Step, StepKind};
use crate::engine::ledger::{Action, LedgerView};
use crate::engine::pick::{pick_among, pick_declined, pick_named};
use crate::engine::state::{
    AnswerRecord, Checkpoint, Cursor, DATE_NUDGE, Record, RecordKind, RunState, STATE_VERSION,
};
use crate::engine::view::{LedgerValues, RunNames, View};
use crate::limits;
use crate::script::due::{Timing, read_timing, spoken};
use crate::script::fast_scope::FastScope;
use crate::script::rhai_script::{Script, ScriptError};
use crate::script::scope_names::ScopeName;
use crate::script::template::{TemplateError, Text};
use crate::script::uses::Uses;
use crate::text::{neutralize, neutralized_len};
use chrono::{DateTime, Utc};
use rhai::{Dynamic, Scope};
use std::collections::BTreeMap;
use std::sync::Arc;

pub struct Run<'e> {
    exercise: &'e Exercise,
    state: RunState,
    /// The couple's ledger as it was when the run began: an input, like the
    /// time, so the engine never reads files.
    ledger: LedgerView,
    /// `ledger` as scripts and templates read it, made when first read.
    ledger_values: LedgerValues,
    /// Which steps ran at least once, by index, when a tester asked for it
    /// (`track_steps`); visit counts alone forget a block's first round.
    entered: Option<Vec<bool>>,
    /// The waiting question as last rendered, with its step index: a
    /// front-end asks for it again and again while a partner types, and
    /// `accept` records its text. Not part of `RunState`; cleared by every
    /// change that could alter what it renders to (`forget_prompt`).
    prompt: Option<(usize, Arc<Prompt>)>,
    /// Texts that failed to render and were shown with the names they could
    /// not fill: a broken template never ends a sitting, but each failure
    /// is kept for the front-end to report.
    problems: std::sync::Mutex<Vec<RunError>>,
    /// The day of the answer being checked, from the time `answer` is
    /// given: `due_within` counts from it (scripts never read the clock).
    answer_day: Option<chrono::NaiveDate>,
}

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
                    // Only what the run sets or changes (`Run::var`).
                    vars: indexmap::IndexMap::new(),
                    visits: BTreeMap::new(),
                    nudged: Vec::new(),
                    nudged_answer: None,
                    turn: 0,
                },
                answers: Vec::new(),
                records: Vec::new(),
                trail: Vec::new(),
            },
            ledger: LedgerView::default(),
            ledger_values: LedgerValues::default(),
            entered: None,
            prompt: None,
            answer_day: None,
            problems: Default::default(),
        }
    }

    /// Gives the run the couple's ledger, seen by exercises as `ledger`.
    pub fn with_ledger(mut self, ledger: LedgerView) -> Self {
        self.ledger = ledger;
        self.ledger_values = LedgerValues::default();
        self.forget_prompt();
        self
    }

    pub fn ledger(&self) -> &LedgerView {
        &self.ledger
    }

    pub(crate) fn ledger_values(&self) -> &LedgerValues {
        &self.ledger_values
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
    pub fn restore(exercise: &'e Exercise, state: RunState) -> Result<Self, RestoreError> {
        if let Some(at) = &state.cursor.at
            && exercise.step_index(at).is_none()
        {
            return Err(RestoreError::StepGone {
                step: at.clone(),
                exercise: exercise.id.clone(),
            });
        }
        if state.bindings.len() != exercise.roles.len() {
            return Err(RestoreError::RolesChanged {
                exercise: exercise.id.clone(),
            });
        }
        Ok(Run {
            exercise,
            state,
            ledger: LedgerView::default(),
            ledger_values: LedgerValues::default(),
            entered: None,
            prompt: None,
            answer_day: None,
            problems: Default::default(),
        })
    }

    pub fn exercise(&self) -> &'e Exercise {
        self.exercise
    }

    /// A variable as scripts read it: the run's value, else the exercise's
    /// starting one.
    pub fn var(&self, name: &str) -> Option<&serde_json::Value> {
        self.state
            .cursor
            .vars
            .get(name)
            .or_else(|| self.exercise.vars.get(name))
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
                return self.cached_prompt(i).map(|p| Event::Prompt(Arc::clone(p)));
            }
            if let Some(when) = &step.when
                && !self.test(
                    when,
                    step,
                    (&step.path, "when"),
                    &RunNames::new(self, self.by_name(step), None),
                )?
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
            let visits = &mut self.state.cursor.visits;
            let visits = match visits.get_mut(step.id.as_str()) {
                Some(count) => count,
                None => visits.entry(step.id.as_str().into()).or_insert(0),
            };
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
                _ if step.waits() => {
                    self.forget_prompt();
                    self.state.cursor.waiting = true;
                    self.state.cursor.forget_nudges();
                    self.state.cursor.turn = 0;
                }
                StepKind::Set(script) => {
                    self.set(script, step)?;
                    self.move_to(step.goto.unwrap_or(i + 1), i);
                }
                StepKind::Commit(_)
                | StepKind::Agree(_)
                | StepKind::Mark(_)
                | StepKind::Defer(_) => {
                    self.save(step)?;
                    self.move_to(step.goto.unwrap_or(i + 1), i);
                }
                StepKind::Ask(_) | StepKind::Choose(_) => {
                    unreachable!("ask and choose steps wait")
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
        let input = input.trim();
        let length = neutralized_len(input);
        if length > limits::ANSWER_CHARS {
            return Ok(retry(&too_long(length)));
        }
        let text = neutralize(input);
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
                // `due_within` counts days from the day of this answer.
                self.answer_day = Some(now.date_naive());
                if let Some(mode) = ask.date
                    && let Some(reply) = self.date_refusal(mode, &text, now)
                {
                    return Ok(reply);
                }
                if let Some(n) = self.refusing_check(ask, step, &text)? {
                    let check = &ask.checks[n];
                    // A strict rule refuses; only nudges count and let
                    // insisted words stand.
                    if !check.strict {
                        self.state.cursor.nudged.push(n);
                        self.state.cursor.nudged_answer = Some(text.clone());
                    }
                    let hint = self.render_at(&check.hint, step, (&check.path, "hint"))?;
                    return Ok(Reply::Retry {
                        hint,
                        // The answer a strict rule lets through passes it:
                        // nothing it refused can stand.
                        check: (!check.strict).then_some(n),
                    });
                }
                self.accept(i, Some(text), None, now)
            }
            StepKind::Choose(choose) => {
                if text.is_empty() && choose.optional {
                    return self.accept(i, None, None, now);
                }
                // The options as shown: those whose `when` holds.
                let prompt = Arc::clone(self.cached_prompt(i)?);
                let aliases = |key: &str| -> &[String] {
                    choose
                        .options
                        .iter()
                        .find(|o| o.key == key)
                        .map_or(&[], |o| &o.aliases)
                };
                let picked = pick_named(&prompt.options, aliases, &text);
                // Words that pick no option, taken by the option that keeps
                // a partner's own words (when it is shown): a number or a
                // stray mark is still asked again.
                let own = || {
                    let shown = |o: &&Choice| prompt.options.iter().any(|(k, _)| *k == o.key);
                    let words = text.chars().any(char::is_alphabetic) && !text.starts_with(':');
                    choose
                        .options
                        .iter()
                        .filter(shown)
                        .find(|o| o.own_words && words)
                };
                let goto_of = |key: &str| {
                    choose
                        .options
                        .iter()
                        .find(|o| o.key == key)
                        .and_then(|o| o.goto)
                };
                match picked {
                    Some(n) => {
                        let key = prompt.options[n].0.clone();
                        self.accept(i, Some(key.clone()), goto_of(&key), now)
                    }
                    // A no or not-yet in their own words is kept as theirs
                    // where an option takes own words, else picks the pause.
                    None if let Some(option) = own() => {
                        let (key, goto) = (option.key.clone(), option.goto);
                        self.accept_words(i, Some(key), Some(text.trim().to_owned()), goto, now)
                    }
                    None if let Some(n) = pick_declined(&prompt.options, &text) => {
                        let key = prompt.options[n].0.clone();
                        self.accept(i, Some(key.clone()), goto_of(&key), now)
                    }
                    None => Ok(retry(&format!(
                        "Please choose a number from 1 to {}, or type an option's words. To stop for now, type :break.",
                        prompt.options.len()
                    ))),
                }
            }
            _ if step.confirm.is_some() => {
                let prompt = Arc::clone(self.cached_prompt(i)?);
                match pick_among(&prompt.options, |_| &[], &text) {
                    Some(n) => self.accept(i, Some(prompt.options[n].0.clone()), None, now),
                    None => Ok(retry(
                        "Please choose 1 (yes) or 2 (no): nothing is saved without a yes.",
                    )),
                }
            }
            _ => Ok(retry("There is no question waiting for an answer.")),
        }
    }

    /// Why a timing answer is asked again, if it is: a day that could be
    /// two days, a day that has passed, or (where a day is required)
    /// words that name none. A past day only nudges where words are fine.
    fn date_refusal(&mut self, mode: DateMode, text: &str, now: DateTime<Utc>) -> Option<Reply> {
        let today = now.date_naive();
        let hint = match read_timing(text, today) {
            Timing::Ambiguous(day_first, month_first) => format!(
                "\"{text}\" could be {} or {}. Which do you mean? Writing the month as a word helps, e.g. \"{}\".",
                spoken(day_first),
                spoken(month_first),
                day_first.format("%-d %B %Y")
            ),
            Timing::Day(day) if day < today => {
                if mode == DateMode::Words && self.state.cursor.nudged.contains(&DATE_NUDGE) {
                    return None;
                }
                self.state.cursor.nudged.push(DATE_NUDGE);
                format!(
                    "{} has already passed. Which day do you mean?",
                    spoken(day)
                )
            }
            Timing::Words if mode == DateMode::Required => "This needs a day, for example \"by Friday\", \"in two weeks\", \"15 December\" or 2026-12-15 (or a habit, like \"every evening\").".to_owned(),
            _ => return None,
        };
        Some(retry(&hint))
    }

    /// The first check rule that refuses `answer` and may still say so. A
    /// strict rule always does. A rule that is not strict nudges: at most
    /// twice at one question (more reads as scolding), and never when the
    /// partner gives the words of the last nudge again (they stand by
    /// them); a new answer that still fails is nudged again, within that.
    fn refusing_check(
        &self,
        ask: &Ask,
        step: &Step,
        answer: &str,
    ) -> Result<Option<usize>, RunError> {
        // One view of the run for every rule, which splits the answer into
        // words once.
        let names = RunNames::new(self, self.by_name(step), Some(answer));
        let cursor = &self.state.cursor;
        let insisted = cursor
            .nudged_answer
            .as_deref()
            .is_some_and(|last| same_words(last, answer));
        let nudges = cursor.nudged.iter().filter(|n| **n != DATE_NUDGE).count();
        let may_nudge = !insisted && nudges < MOST_NUDGES;
        for (n, check) in ask.checks.iter().enumerate() {
            if !check.strict && !may_nudge {
                continue;
            }
            let passed = self.test(&check.rule, step, (&check.path, "rule"), &names)?;
            if !passed {
                return Ok(Some(n));
            }
        }
        Ok(None)
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
        // The revised answer is a new one: every check may nudge it again.
        self.state.cursor.forget_nudges();
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
                View::of(self, None, self.exercise.templates.uses(notes)).into_minijinja(),
            )
            .map(Some)
            .map_err(|e| self.template_error(None, &YamlPath::root().key("notes"), e))
    }

    /// The notes as shown at the end of a sitting: a template that fails
    /// shows the names it could not fill, and the failure is kept for
    /// `take_problems`, so the sitting still ends well. (`notes` is strict,
    /// for `mend notes`.)
    pub fn notes_in_session(&self) -> Option<String> {
        let notes = self.exercise.notes.as_ref()?;
        let templates = &self.exercise.templates;
        let context = View::of(self, None, templates.uses(notes)).into_minijinja();
        match templates.render_value(notes, context) {
            Ok(text) => Some(text),
            Err(e) => {
                let context = View::of(self, None, Uses::ALL).into_minijinja();
                let shown = templates.render_fallback(notes, context, &e);
                let problem = self.template_error(None, &YamlPath::root().key("notes"), e);
                if let Ok(mut problems) = self.problems.lock() {
                    problems.push(problem);
                }
                Some(shown)
            }
        }
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
        // Reuses the string's room: the cursor moves after every step.
        match (self.exercise.steps.get(index), &mut cursor.at) {
            (Some(step), Some(at)) => step.id.clone_into(at),
            (step, at) => *at = step.map(|s| s.id.clone()),
        }
        cursor.waiting = false;
        cursor.forget_nudges();
        cursor.turn = 0;
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
                self.state.cursor.visits.remove(step.id.as_str());
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
        self.accept_words(i, text, None, goto, now)
    }

    /// `accept`, keeping the partner's own words beside the chosen key.
    fn accept_words(
        &mut self,
        i: usize,
        text: Option<String>,
        words: Option<String>,
        goto: Option<usize>,
        now: DateTime<Utc>,
    ) -> Result<Reply, RunError> {
        let prompt = self.take_prompt(i)?;
        let label = text
            .as_ref()
            .and_then(|key| prompt.options.iter().find(|(k, _)| k == key))
            .map(|(_, label)| label.clone());
        let partner = prompt.partner;
        // The front-end usually still holds the prompt it showed.
        let (step, name, role, question) = match Arc::try_unwrap(prompt) {
            Ok(p) => (p.step, p.name, p.role, p.text),
            Err(p) => (
                p.step.clone(),
                p.name.clone(),
                p.role.clone(),
                p.text.clone(),
            ),
        };
        self.state.trail.push(Checkpoint {
            cursor: self.state.cursor.clone(),
            bindings: self.state.bindings.clone(),
            answers: self.state.answers.len(),
            records: self.state.records.len(),
        });
        self.state.answers.push(AnswerRecord {
            step,
            round: self.state.cursor.round,
            partner,
            name,
            role,
            question,
            label,
            text,
            words,
            at: now,
        });
        let step = &self.exercise.steps[i];
        let second_turn_due =
            self.turns_now(step).is_some_and(|(_, both)| both) && self.state.cursor.turn == 0;
        if let Some(confirm) = &step.confirm {
            let yes = self.state.answers.last().and_then(|a| a.text.as_deref()) == Some("yes");
            if !yes {
                // A "no" saves nothing and ends the confirmation.
                self.move_to(confirm.if_no.or(step.goto).unwrap_or(i + 1), i);
            } else if second_turn_due {
                self.next_turn();
            } else {
                self.save(step)?;
                self.move_to(step.goto.unwrap_or(i + 1), i);
            }
        } else if second_turn_due {
            self.next_turn();
        } else {
            self.move_to(goto.or(step.goto).unwrap_or(i + 1), i);
        }
        Ok(Reply::Accepted)
    }

    /// Hands a question both partners answer to the second of them.
    fn next_turn(&mut self) {
        self.forget_prompt();
        self.state.cursor.turn = 1;
        self.state.cursor.forget_nudges();
    }

    /// Records what a commit, agree, defer or mark step says, once any
    /// confirmation said yes.
    fn save(&mut self, step: &Step) -> Result<(), RunError> {
        let mut record = match &step.kind {
            StepKind::Commit(commit) => {
                let path = step.path.key("commit");
                let mut record = self.new_record(RecordKind::Commitment, step);
                self.set_owner(&mut record, Some(commit.by.role), commit.by.both);
                record.text = self.render_at(&commit.text, step, (&path, "text"))?;
                record.date_text = Some(self.render_at(&commit.due, step, (&path, "due"))?);
                record
            }
            StepKind::Agree(agree) => {
                let path = step.path.key("agree");
                let mut record = self.new_record(RecordKind::Agreement, step);
                self.set_owner(&mut record, agree.by, false);
                record.text = self.render_at(&agree.text, step, (&path, "text"))?;
                record.topic.clone_from(&agree.topic);
                record.date_text = match &agree.revisit {
                    Some(r) => Some(self.render_at(r, step, (&path, "revisit"))?),
                    None => None,
                };
                record
            }
            StepKind::Defer(defer) => {
                let path = step.path.key("defer");
                let mut record = self.new_record(RecordKind::Open, step);
                self.set_owner(&mut record, Some(defer.by.role), defer.by.both);
                record.text = self.render_at(&defer.text, step, (&path, "text"))?;
                record.topic.clone_from(&defer.topic);
                record.about = match &defer.about {
                    Some(a) => Some(self.render_at(a, step, (&path, "about"))?),
                    None => None,
                };
                record.date_text = match &defer.revisit {
                    Some(r) => Some(self.render_at(r, step, (&path, "revisit"))?),
                    None => None,
                };
                record
            }
            StepKind::Mark(mark) => self.mark(mark, step)?,
            _ => return Ok(()),
        };
        record.text = neutralize(record.text.trim());
        record.about = record
            .about
            .map(|a| neutralize(a.trim()))
            .filter(|a| !a.is_empty());
        record.new_text = record.new_text.map(|t| neutralize(t.trim()));
        record.date_text = record
            .date_text
            .map(|t| neutralize(t.trim()))
            .filter(|t| !t.is_empty() || record.kind == RecordKind::Commitment);
        // Dates are read relative to the latest answer, the engine's only
        // notion of "now".
        let today = record.at.date_naive();
        let timing = record.date_text.as_deref().map(|t| read_timing(t, today));
        (record.date, record.ongoing) = match timing {
            Some(Timing::Day(day)) => (Some(day), false),
            Some(Timing::Ongoing { since }) => (Some(since), true),
            _ => (None, false),
        };
        self.state.records.push(record);
        Ok(())
    }

    /// A record of `kind` made at `step`, at the time of the latest answer.
    fn new_record(&self, kind: RecordKind, step: &Step) -> Record {
        let at = self
            .state
            .answers
            .last()
            .map_or(DateTime::<Utc>::UNIX_EPOCH, |a| a.at);
        Record {
            kind,
            step: step.id.clone(),
            exercise: self.exercise.id.clone(),
            owner: None,
            owners: Vec::new(),
            text: String::new(),
            about: None,
            date: None,
            date_text: None,
            ongoing: false,
            topic: None,
            at,
            item: None,
            status: None,
            new_text: None,
            private_words: Vec::new(),
        }
    }

    /// Whose a record is: the partner playing `role`, both partners, or
    /// (no role) both partners, as an agreement is by default.
    fn set_owner(&self, record: &mut Record, role: Option<usize>, both: bool) {
        match role {
            Some(role) if !both => {
                record.owner = Some(self.state.partners[self.partner_for(role)].clone());
            }
            _ if record.kind == RecordKind::Agreement => {}
            _ => record.owners = self.state.partners.to_vec(),
        }
    }

    /// A mark of a ledger item in the run's snapshot of the ledger.
    fn mark(&self, mark: &Mark, step: &Step) -> Result<Record, RunError> {
        let path = step.path.key("mark");
        let id = self.render_at(&mark.item, step, (&path, mark.item_key))?;
        let id = id.trim();
        let status = self.render_at(&mark.status, step, (&path, "status"))?;
        let Some(action) = Action::parse(&status) else {
            let message = format!(
                "step `{}` marks an item `{}`; a mark's status is one of: {}",
                step.id,
                status.trim(),
                Action::WORDS.join(", ")
            );
            return Err(self.error(step, &path.key("status"), message));
        };
        let Some(item) = self.ledger.items.iter().find(|c| c.id == id) else {
            let message = format!(
                "step `{}` marks item `{id}`, which is not in the couple's ledger",
                step.id
            );
            return Err(self.error(step, &path.key(mark.item_key), message));
        };
        if !crate::engine::ledger::ItemKind::ALL
            .iter()
            .any(|k| k.word() == item.kind && action.fits(*k))
        {
            let message = format!(
                "step `{}` marks {} `{id}` {}; only commitments are kept, missed, retried or renegotiated (or renegotiating), and only open items are settled",
                step.id,
                item.kind,
                action.word()
            );
            return Err(self.error(step, &path.key("status"), message));
        }
        let mut record = self.new_record(RecordKind::Mark, step);
        record.owner = Some(item.owner.clone());
        record.text.clone_from(&item.text);
        record.item = Some(id.to_owned());
        record.status = Some(action.word().to_owned());
        record.topic = Some(item.topic.clone()).filter(|t| !t.is_empty());
        if let Some(text) = &mark.text {
            record.new_text = Some(self.render_at(text, step, (&path, "text"))?);
        }
        if action == Action::Changed
            && record
                .new_text
                .as_deref()
                .is_none_or(|t| t.trim().is_empty())
        {
            let message = format!(
                "step `{}` marks `{id}` changed but gives no new words; add `text:` to the mark",
                step.id
            );
            return Err(self.error(step, &path, message));
        }
        if let Some(due) = &mark.due {
            record.date_text = Some(self.render_at(due, step, (&path, "due"))?);
        }
        Ok(record)
    }

    /// The prompt of waiting step `i`, rendered once per wait.
    fn cached_prompt(&mut self, i: usize) -> Result<&Arc<Prompt>, RunError> {
        let prompt = self.take_prompt(i)?;
        Ok(&self.prompt.insert((i, prompt)).1)
    }

    /// The stored prompt of step `i`, or a freshly rendered one.
    fn take_prompt(&mut self, i: usize) -> Result<Arc<Prompt>, RunError> {
        match self.prompt.take() {
            Some((at, prompt)) if at == i => Ok(prompt),
            _ => self.prompt(i).map(Arc::new),
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
                self.options(choose, step)?,
                choose.optional,
            ),
            _ => (
                self.confirm_question(step)?,
                None,
                match &step.confirm {
                    Some(confirm) => vec![
                        ("yes".to_owned(), self.render_label(&confirm.yes, step)?),
                        ("no".to_owned(), self.render_label(&confirm.no, step)?),
                    ],
                    None => Vec::new(),
                },
                false,
            ),
        };
        let partner = self.asker(step).unwrap_or(0);
        // The role this partner plays now (at a question both answer, the
        // second partner's own role).
        let role_index = (0..ex.roles.len())
            .find(|&r| self.partner_for(r) == partner)
            .or(step.by())
            .unwrap_or(0);
        let role = ex.roles.get(role_index);
        Ok(Prompt {
            step: step.id.clone(),
            text,
            example,
            options,
            optional,
            partner,
            name: self.state.partners[partner].clone(),
            role: role.map(|r| r.name.clone()).unwrap_or_default(),
            role_label: role
                .filter(|_| ex.shows_role_at(i))
                .map(|r| r.label.clone())
                .unwrap_or_default(),
            progress: Progress {
                question: self.state.answers.len() + 1,
                of: ex
                    .fixed_question_count()
                    .map(|of| of.max(self.state.answers.len() + 1)),
                round: (self.state.cursor.round > 0
                    && matches!(
                        step.block.map(|b| &ex.steps[b].kind),
                        Some(StepKind::Block { swap: Some(_), .. })
                    ))
                .then_some(self.state.cursor.round),
            },
        })
    }

    /// A choose step's options as shown: (key, label) of those whose
    /// `when` holds. Every option hidden is an error in the exercise, since
    /// no answer could then go on.
    fn options(&self, choose: &Choose, step: &Step) -> Result<Vec<(String, String)>, RunError> {
        let names = RunNames::new(self, self.by_name(step), None);
        let mut shown = Vec::with_capacity(choose.options.len());
        for (n, option) in choose.options.iter().enumerate() {
            if let Some(when) = &option.when {
                let path = step.path.key("options").index(n);
                if !self.test(when, step, (&path, "when"), &names)? {
                    continue;
                }
            }
            shown.push((option.key.clone(), self.render_label(&option.label, step)?));
        }
        if shown.is_empty() {
            let message = format!(
                "no option of step `{}` applies here: every option's `when` is false",
                step.id
            );
            return Err(self.error(step, &step.path.key("options"), message));
        }
        Ok(shown)
    }

    /// The partner whose turn the step is now: at a question both answer,
    /// the first partner, then the other.
    fn asker(&self, step: &Step) -> Option<usize> {
        let (first, both) = self.turns_now(step)?;
        Some(if both && self.state.cursor.turn == 1 {
            1 - first.min(1)
        } else {
            first
        })
    }

    /// Who answers a step now: the first partner, and whether the other
    /// answers after them. A confirmation `by: other` asks the partner who
    /// does not own what would be saved, or both when both own it.
    fn turns_now(&self, step: &Step) -> Option<(usize, bool)> {
        let turns = step.turns()?;
        if !step.confirm.as_ref().is_some_and(|c| c.other) {
            return Some((self.partner_for(turns.role), turns.both));
        }
        let owner = match &step.kind {
            StepKind::Commit(c) if !c.by.both => Some(self.partner_for(c.by.role)),
            StepKind::Agree(a) => a.by.map(|role| self.partner_for(role)),
            StepKind::Mark(m) => self.marked_owner(m, step),
            _ => None,
        };
        Some(match owner {
            Some(owner) => (1 - owner.min(1), false),
            None => (0, true),
        })
    }

    /// The one partner who owns the ledger item a mark names, if one does.
    fn marked_owner(&self, mark: &Mark, step: &Step) -> Option<usize> {
        let id = self
            .render_by(
                &mark.item,
                step,
                (&step.path.key("mark"), mark.item_key),
                None,
            )
            .ok()?;
        let item = self.ledger.items.iter().find(|i| i.id == id.trim())?;
        let [owner] = item.owners.as_slice() else {
            return None;
        };
        self.state
            .partners
            .iter()
            .position(|name| crate::engine::ledger::same_partner(name, owner))
    }

    fn by_name(&self, step: &Step) -> Option<&str> {
        self.asker(step)
            .map(|partner| self.state.partners[partner].as_str())
    }

    /// What a confirmation asks: its own `ask`, or "NAME, do you agree?"
    /// with the words that would be saved.
    fn confirm_question(&self, step: &Step) -> Result<String, RunError> {
        let Some(confirm) = &step.confirm else {
            unreachable!("only ask, choose and confirmed steps wait for answers")
        };
        if let Some(prompt) = &confirm.prompt {
            return self.render_at(prompt, step, (&step.path.key("confirm"), "ask"));
        }
        let name = self.by_name(step).unwrap_or_default();
        let words = match &step.kind {
            StepKind::Commit(c) => {
                self.render_at(&c.text, step, (&step.path.key("commit"), "text"))?
            }
            StepKind::Agree(a) => {
                self.render_at(&a.text, step, (&step.path.key("agree"), "text"))?
            }
            StepKind::Mark(m) => {
                let record = self.mark(m, step)?;
                let status = record.status.unwrap_or_default();
                return Ok(format!(
                    "{name}, do you agree to mark \"{}\" {status}?",
                    record.text
                ));
            }
            _ => String::new(),
        };
        Ok(format!("{name}, do you agree? \"{}\"", words.trim()))
    }

    fn render(&self, text: &Text, step: &Step, key: &str) -> Result<String, RunError> {
        self.render_at(text, step, (&step.path, key))
    }

    fn render_label(&self, text: &Text, step: &Step) -> Result<String, RunError> {
        self.render_at(text, step, (&step.path, "options"))
    }

    fn render_at(&self, text: &Text, step: &Step, at: At) -> Result<String, RunError> {
        self.render_by(text, step, at, self.by_name(step))
    }

    /// `render_at` with `by` given: finding who a confirmation asks renders
    /// the marked item's id, which must not ask who is asked.
    fn render_by(
        &self,
        text: &Text,
        step: &Step,
        at: At,
        by: Option<&str>,
    ) -> Result<String, RunError> {
        let templates = &self.exercise.templates;
        let rendered = match templates.render_fast(text, &RunNames::new(self, by, None)) {
            Some(rendered) => rendered,
            None => templates.render_value(
                text,
                View::of(self, by, templates.uses(text)).into_minijinja(),
            ),
        };
        match rendered {
            Ok(text) => Ok(text),
            Err(e) => {
                let context = View::of(self, by, Uses::ALL).into_minijinja();
                let shown = templates.render_fallback(text, context, &e);
                let problem = self.template_error(Some(step), &at.0.key(at.1), e);
                if let Ok(mut problems) = self.problems.lock()
                    && !problems.contains(&problem)
                {
                    problems.push(problem);
                }
                Ok(shown)
            }
        }
    }

    /// The texts that failed to render since the last call, each with the
    /// line of the exercise file it comes from.
    pub fn take_problems(&self) -> Vec<RunError> {
        self.problems
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }

    fn scope(
        &self,
        script: &Script,
        uses: Uses,
        step: &Step,
        answer: Option<&rhai::ImmutableString>,
    ) -> Result<Scope<'static>, RunError> {
        let view = View::of(self, self.by_name(step), uses).only_vars(script.vars_read());
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

    /// Evaluates a condition or a check rule.
    fn test(
        &self,
        script: &Script,
        step: &Step,
        at: At,
        names: &RunNames,
    ) -> Result<bool, RunError> {
        if let Some(passed) = script.test_fast(names) {
            return Ok(passed);
        }
        let answer = names.answer().map(rhai::ImmutableString::from);
        let mut scope = self.scope(script, script.uses(), step, answer.as_ref())?;
        script
            .test(&mut scope, &self.state.cursor.visits, self.answer_day)
            .map_err(|e| self.script_error(step, &at.0.key(at.1), e))
    }

    fn set(&mut self, script: &Script, step: &Step) -> Result<(), RunError> {
        let path = step.path.key("set");
        // `vars` is read back after every set script, so it is always there.
        let mut scope = self.scope(script, script.uses().and(ScopeName::Vars), step, None)?;
        script
            .eval(&mut scope, &self.state.cursor.visits, self.answer_day)
            .map(drop)
            .map_err(|e| self.script_error(step, &path, e))?;
        let vars = scope.get_value::<rhai::Map>("vars").ok_or_else(|| {
            self.error(
                step,
                &path,
                "`vars` must stay a map of variables".to_owned(),
            )
        })?;
        // A script given only the variables it names leaves the others as
        // they were; given all, it may also have removed some.
        let mut updated = match script.vars_read() {
            Some(named) => {
                let mut kept = self.state.cursor.vars.clone();
                kept.retain(|name, _| !named.iter().any(|n| n == name));
                kept
            }
            None => indexmap::IndexMap::new(),
        };
        for (name, value) in vars {
            let value: serde_json::Value = rhai::serde::from_dynamic(&value).map_err(|e| {
                self.error(
                    step,
                    &path,
                    format!("variable `{name}` holds a value mend cannot save: {e}"),
                )
            })?;
            // A variable the run never changed from the exercise's
            // starting value stays the exercise's (see `Cursor::vars`).
            let unchanged = !self.state.cursor.vars.contains_key(name.as_str())
                && self.exercise.vars.get(name.as_str()) == Some(&value);
            if !unchanged {
                updated.insert(name.to_string(), value);
            }
        }
        crate::script::value_bounds::check(updated.iter().map(|(k, v)| (k.as_str(), v)))
            .map_err(|e| self.error(step, &path, e.to_string()))?;
        self.state.cursor.vars = updated;
        Ok(())
    }

    fn error(&self, step: &Step, path: &YamlPath, message: String) -> RunError {
        let diagnostic = self.exercise.source.error_at(path, Point::Value, message);
        run_error(&step.id, diagnostic)
    }

    fn script_error(&self, step: &Step, path: &YamlPath, e: ScriptError) -> RunError {
        let diagnostic = e.locate(&self.exercise.source, path, |message| {
            format!("script error in step `{}`: {message}", step.id)
        });
        run_error(&step.id, diagnostic)
    }

    fn template_error(&self, step: Option<&Step>, path: &YamlPath, e: TemplateError) -> RunError {
        let id = step.map_or("notes", |s| s.id.as_str());
        let diagnostic = e.locate(&self.exercise.source, path, |message| {
            format!("{message} (in step `{id}`)")
        });
        run_error(id, diagnostic)
    }
}

/// Where in the file a script or template sits: its parent's path and key,
/// joined only when there is an error to report.
type At<'a> = (&'a YamlPath, &'a str);

/// What the couple reads when an answer of `length` characters is refused.
pub fn too_long(length: usize) -> String {
    format!(
        "That answer is {length} characters long; mend keeps answers under {} characters. Could you say it more briefly?",
        limits::ANSWER_CHARS
    )
}

fn retry(hint: &str) -> Reply {
    Reply::Retry {
        hint: hint.to_owned(),
        check: None,
    }
}

/// How many times one question nudges, at most (strict rules aside).
const MOST_NUDGES: usize = 2;

/// The same answer, spacing and case aside.
fn same_words(a: &str, b: &str) -> bool {
    let words = |t: &str| {
        t.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}
