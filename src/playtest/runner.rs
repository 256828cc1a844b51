//! Plays a test plan against the engine in-process, with a fixed clock, the
//! way a couple at the keyboard would: each turn is typed after everything
//! before it was shown.

use crate::engine::error::RunError;
use crate::engine::event::{Event, Prompt, Reply};
use crate::engine::exercise::Exercise;
use crate::engine::ledger::{ItemView, Ledger, LedgerView};
use crate::engine::run::Run;
use crate::frontend::screen::Screen;
use crate::playtest::plan::{Action, Plan, Turn};
use chrono::{DateTime, Utc};
use std::fmt;
use std::sync::Arc;

/// Where a plan went wrong, and what it expected instead of what it saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The plan file line of the turn (or of `expect`).
    pub line: usize,
    /// `turn 3` or `expect`.
    pub place: String,
    /// The step waiting at the time, and whose turn it was.
    pub step: Option<String>,
    pub expected: String,
    pub seen: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.place)?;
        if let Some(step) = &self.step {
            write!(f, ", at {step}")?;
        }
        write!(
            f,
            "\n  expected: {}\n  seen:     {}",
            self.expected, self.seen
        )
    }
}

/// The moment every plan runs at, so notes with dates never vary.
pub fn clock() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_261_600, 0).unwrap_or_default()
}

/// The moment a plan runs at: its `today`, at the time of day `clock`
/// gives, or `clock` itself.
pub fn plan_clock(plan: &Plan) -> DateTime<Utc> {
    match plan.today {
        Some(day) => day.and_time(clock().time()).and_utc(),
        None => clock(),
    }
}

/// The couple's ledger before a plan's run: its seed, made on the plan's day.
fn seeded(plan: &Plan) -> Ledger {
    let mut ledger = Ledger::new(&plan.partners);
    if let Some(seed) = &plan.ledger {
        ledger.seed(seed, plan_clock(plan));
    }
    ledger
}

/// The ledger a plan starts from, as the exercise sees it on the plan's day.
pub fn ledger_of(plan: &Plan) -> Option<LedgerView> {
    plan.ledger.as_ref()?;
    Some(seeded(plan).view(plan_clock(plan).date_naive()))
}

pub fn play(exercise: &Exercise, plan: &Plan) -> Result<(), Failure> {
    let mut run = Run::start(exercise, plan.partners.clone());
    if let Some(ledger) = ledger_of(plan) {
        run = run.with_ledger(ledger);
    }
    if plan.swap_roles {
        run.swap_roles();
    }
    let mut driver = Driver {
        now: plan_clock(plan),
        run,
        seen: Vec::new(),
        waiting: None,
        last_hint: None,
        last_prompt: None,
        refused: None,
        last_partner: None,
    };
    for (n, turn) in plan.turns.iter().enumerate() {
        driver.turn(turn, &format!("turn {}", n + 1))?;
    }
    driver.expect(plan)
}

struct Driver<'e> {
    now: DateTime<Utc>,
    run: Run<'e>,
    /// Everything shown since the last input: says, questions, hints.
    seen: Vec<String>,
    waiting: Option<Arc<Prompt>>,
    /// The hint the last input got, if it was refused.
    last_hint: Option<String>,
    /// The question the last input answered.
    last_prompt: Option<Arc<Prompt>>,
    /// A refusal no `hint:` turn has acknowledged yet.
    refused: Option<String>,
    /// Who answered the last question shown, for the hand-off line a
    /// console shows when the keyboard passes to the other partner.
    last_partner: Option<usize>,
}

impl Driver<'_> {
    /// Shows everything up to the next question; `None` when finished.
    fn advance(&mut self, line: usize, place: &str) -> Result<Option<Arc<Prompt>>, Failure> {
        if let Some(prompt) = &self.waiting {
            return Ok(Some(prompt.clone()));
        }
        loop {
            match self.run.next_event() {
                Ok(Event::Say { text, .. }) => self.seen.push(text),
                Ok(Event::Prompt(prompt)) => {
                    if self.last_partner.is_some_and(|p| p != prompt.partner) {
                        self.seen.push(Screen::plain().handoff(&prompt));
                    }
                    self.last_partner = Some(prompt.partner);
                    self.seen.push(prompt.text.clone());
                    self.seen.extend(prompt.example.clone());
                    self.seen
                        .extend(prompt.options.iter().map(|(_, label)| label.clone()));
                    self.waiting = Some(prompt.clone());
                    return Ok(Some(prompt));
                }
                Ok(Event::Finished) => return Ok(None),
                Err(e) => return Err(engine_failure(line, place, &e)),
            }
        }
    }

    fn turn(&mut self, turn: &Turn, place: &str) -> Result<(), Failure> {
        let line = turn.line;
        let fail = |step: Option<&Prompt>, expected: String, seen: String| Failure {
            line,
            place: place.to_owned(),
            step: step.map(describe),
            expected,
            seen,
        };
        match &turn.action {
            Action::Hint(text) => {
                let prompt = self.last_prompt.clone();
                match &self.last_hint {
                    Some(hint) if contains(hint, text) => {
                        self.refused = None;
                        Ok(())
                    }
                    Some(hint) => Err(fail(
                        prompt.as_deref(),
                        format!("a hint containing {text:?}"),
                        format!("the hint {hint:?}"),
                    )),
                    None => Err(fail(
                        prompt.as_deref(),
                        format!("a hint containing {text:?}"),
                        "the answer was accepted".to_owned(),
                    )),
                }
            }
            Action::See(text) => {
                let prompt = self.advance(line, place)?;
                if self.seen.iter().any(|s| contains(s, text)) {
                    Ok(())
                } else {
                    Err(fail(
                        prompt.as_deref(),
                        format!("text containing {text:?}"),
                        shown(&self.seen),
                    ))
                }
            }
            Action::Answer(_) | Action::Back | Action::Skip => {
                let prompt = self.advance(line, place)?;
                if let Some(hint) = &self.refused {
                    return Err(fail(
                        prompt.as_deref(),
                        "the previous answer to be accepted (or a `hint:` turn for its hint)"
                            .to_owned(),
                        format!("it was refused with the hint {hint:?}"),
                    ));
                }
                let Some(prompt) = prompt else {
                    return Err(fail(
                        None,
                        "a question waiting for this turn".to_owned(),
                        "the exercise has finished".to_owned(),
                    ));
                };
                if let Some(by) = &turn.by
                    && by != &prompt.name
                    && by != &prompt.role
                {
                    return Err(fail(
                        Some(&prompt),
                        format!("{by}'s turn"),
                        format!("{}'s turn, as {}", prompt.name, prompt.role),
                    ));
                }
                if let Some(at) = &turn.at
                    && at != &prompt.step
                {
                    return Err(fail(
                        Some(&prompt),
                        format!("step `{at}` waiting"),
                        format!("step `{}` waiting", prompt.step),
                    ));
                }
                self.input(&turn.action, line, place)
            }
        }
    }

    fn input(&mut self, action: &Action, line: usize, place: &str) -> Result<(), Failure> {
        self.seen.clear();
        self.last_hint = None;
        self.last_prompt = self.waiting.clone();
        let reply = match action {
            Action::Answer(text) => self.run.answer(text, self.now),
            Action::Skip => self.run.skip(self.now),
            _ => {
                if self.run.back().is_some() {
                    self.waiting = None;
                    self.last_partner = None;
                } else {
                    self.seen
                        .push("This is the first question; there is nothing to go back to.".into());
                }
                return Ok(());
            }
        };
        match reply.map_err(|e| engine_failure(line, place, &e))? {
            Reply::Accepted => self.waiting = None,
            Reply::Retry { hint, .. } => {
                self.seen.push(hint.clone());
                self.last_hint = Some(hint.clone());
                self.refused = Some(hint);
            }
        }
        Ok(())
    }

    fn expect(&mut self, plan: &Plan) -> Result<(), Failure> {
        let expect = &plan.expect;
        let line = expect.line;
        let prompt = self.advance(line, "expect")?;
        let fail = |expected: String, seen: String| Failure {
            line,
            place: "expect".to_owned(),
            step: prompt.as_deref().map(describe),
            expected,
            seen,
        };
        if let Some(hint) = &self.refused {
            return Err(fail(
                "the last answer to be accepted (or a `hint:` turn for its hint)".to_owned(),
                format!("it was refused with the hint {hint:?}"),
            ));
        }
        let waiting = prompt.as_ref().map(|p| p.step.clone());
        let ended = || match &waiting {
            Some(step) => format!("the exercise waits at step `{step}`"),
            None => "the exercise has finished".to_owned(),
        };
        match (expect.finished, &expect.at) {
            (Some(true), _) if waiting.is_some() => {
                return Err(fail("the exercise to have finished".to_owned(), ended()));
            }
            (Some(false), _) if waiting.is_none() => {
                return Err(fail("the exercise still waiting".to_owned(), ended()));
            }
            (_, Some(at)) if waiting.as_ref() != Some(at) => {
                return Err(fail(format!("step `{at}` waiting"), ended()));
            }
            _ => {}
        }
        let state = self.run.state();
        for (name, value) in &expect.vars {
            let actual = state.cursor.vars.get(name);
            if actual != Some(value) {
                let seen = actual.map_or("no such variable".to_owned(), |v| format!("{v}"));
                return Err(fail(format!("vars.{name} = {value}"), seen));
            }
        }
        for (step, text) in &expect.answers {
            let actual = state.answers.iter().rev().find(|a| &a.step == step);
            let actual_text = actual.map(|a| a.text.clone().unwrap_or_default());
            if actual_text.as_ref() != Some(text) {
                let seen = match actual_text {
                    Some(t) => format!("{t:?}"),
                    None => "no answer".to_owned(),
                };
                return Err(fail(format!("answers.{step} = {text:?}"), seen));
            }
        }
        if !expect.ledger.is_empty() {
            let mut ledger = seeded(plan);
            ledger.apply("plan", "plan", &self.run.state().records);
            let view = ledger.view(self.now.date_naive());
            let lines: Vec<String> = view.items.iter().map(item_line).collect();
            for wanted in &expect.ledger {
                if !lines.iter().any(|l| contains(l, wanted)) {
                    return Err(fail(
                        format!("a ledger item {wanted:?}"),
                        format!("{:?}", lines.join(" / ")),
                    ));
                }
            }
        }
        if !expect.notes.is_empty() {
            let notes = self
                .run
                .notes()
                .map_err(|e| engine_failure(line, "expect", &e))?
                .unwrap_or_default();
            for line in &expect.notes {
                if !notes.contains(line.as_str()) {
                    return Err(fail(
                        format!("notes containing {line:?}"),
                        format!("{notes:?}"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// One ledger item as `expect: ledger:` reads it:
/// `a1 [agreement, open, marked renewed] Sam: "One talk a week" (in 2 weeks: 2026-01-15)`.
pub fn item_line(item: &ItemView) -> String {
    let marked = if item.mark.is_empty() {
        String::new()
    } else {
        format!(", marked {}", item.mark)
    };
    let when = match (item.ongoing, item.date.as_str(), item.date_text.as_str()) {
        (true, _, words) => format!(" ({words}, since {})", item.since),
        (false, "", "") => String::new(),
        (false, "", words) => format!(" ({words})"),
        (false, date, "") => format!(" ({date})"),
        (false, date, words) => format!(" ({words}: {date})"),
    };
    let about = if item.about.is_empty() {
        String::new()
    } else {
        format!(" about {:?}", item.about)
    };
    format!(
        "{} [{}, {}{marked}] {}: {:?}{when}{about}",
        item.id, item.kind, item.status, item.owner, item.text
    )
}

fn describe(prompt: &Prompt) -> String {
    format!("step `{}` ({}'s turn)", prompt.step, prompt.name)
}

/// Case-insensitive containment, with runs of whitespace treated as one
/// space, so a plan need not copy line breaks of a rendered text.
fn contains(haystack: &str, needle: &str) -> bool {
    let squash = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    squash(haystack).contains(&squash(needle))
}

fn shown(seen: &[String]) -> String {
    if seen.is_empty() {
        "nothing shown since the last input".to_owned()
    } else {
        format!("{:?}", seen.join(" / "))
    }
}

fn engine_failure(line: usize, place: &str, e: &RunError) -> Failure {
    Failure {
        line,
        place: place.to_owned(),
        step: Some(format!("step `{}`", e.step)),
        expected: "the exercise to run".to_owned(),
        seen: e.diagnostic.headline(),
    }
}
