//! Plays a test plan in-process, with a fixed clock, through the same play
//! loop as the terminal and piped input, the way a couple at the keyboard
//! would: each turn is typed after everything before it was shown.

use crate::diagnostic::yaml_path::YamlPath;
use crate::engine::error::RunError;
use crate::engine::event::Prompt;
use crate::engine::exercise::Exercise;
use crate::engine::ledger::{ItemView, Ledger, LedgerView};
use crate::engine::run::Run;
use crate::frontend;
use crate::frontend::play::{Console, Input, Outcome, PlayError, Recorder};
use crate::frontend::screen::Screen;
use crate::notes::render::without_private;
use crate::playtest::plan::{Action, Plan, Turn};
use crate::store::kept_private;
use crate::store::moment::Moment;
use crate::store::save_error::SaveError;
use chrono::{DateTime, Utc};
use std::cell::Cell;
use std::{fmt, io};

/// Where a plan went wrong, and what it expected instead of what it saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Where the turn (or `expect`) is in the plan file: its line is
    /// found only for a failure, since locating a node re-reads the file.
    pub path: YamlPath,
    /// `turn 3` or `expect`.
    pub place: String,
    /// The step waiting at the time, and whose turn it was.
    pub step: Option<String>,
    pub expected: String,
    pub seen: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.place)?;
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

/// Plays `plan` through the front-ends' play loop (`frontend::play`), with
/// the plan's turns as the typed input, then checks its `expect`.
pub fn play(exercise: &Exercise, plan: &Plan) -> Result<(), Failure> {
    let mut run = Run::start(exercise, plan.partners.clone());
    if let Some(ledger) = ledger_of(plan) {
        run = run.with_ledger(ledger);
    }
    if plan.swap_roles {
        run.swap_roles();
    }
    // Set when a turn is typed, cleared when the loop saves the change it
    // made: still set when play fails, the typed input is what failed.
    let unsaved = Cell::new(false);
    let mut console = PlanConsole {
        unsaved: &unsaved,
        turns: &plan.turns,
        next: 0,
        seen: Vec::new(),
        waiting: None,
        last_hint: None,
        last_prompt: None,
        refused: None,
        problem: None,
        failure: None,
    };
    let now = plan_clock(plan);
    let mut recorder = PlanRecorder {
        unsaved: &unsaved,
        moments: Vec::new(),
    };
    let played = frontend::play::play(&mut run, &mut console, &|| now, &mut recorder);
    let moments = recorder.moments;
    if let Some(failure) = console.failure.take() {
        return Err(failure);
    }
    let pending = match played {
        Ok(Outcome::Finished) => {
            console.waiting = None;
            // The exercise's notes, as `mend notes` writes them: a fragment
            // that fails on this path fails the plan, not the clinician.
            console.problem.take().or_else(|| run.notes().err())
        }
        Ok(_) => console.problem.take(),
        // An answer the engine failed on: the turn that typed it.
        Err(PlayError::Run(e)) if unsaved.get() => {
            let (path, place) = console.current();
            return Err(engine_failure(path, &place, &e));
        }
        // Showing what came after an accepted answer: the next turn that
        // looks at the screen, as a couple would meet it.
        Err(PlayError::Run(e)) => Some(e),
        Err(other) => {
            let (path, place) = console.current();
            return Err(Failure {
                path,
                place,
                step: None,
                expected: "the exercise to run".to_owned(),
                seen: other.to_string(),
            });
        }
    };
    console.rest(pending.as_ref())?;
    console.expect(&run, &moments, plan, pending.as_ref())
}

/// What the play loop saves and notes during a plan: a save clears the
/// unsaved mark, and moments are kept so notes leave out what a partner
/// kept `:private`, as a session's notes do.
struct PlanRecorder<'p> {
    unsaved: &'p Cell<bool>,
    moments: Vec<Moment>,
}

impl Recorder for PlanRecorder<'_> {
    fn save(&mut self, _: &Run) -> Result<(), SaveError> {
        self.unsaved.set(false);
        Ok(())
    }

    fn note(&mut self, moment: Moment) -> Result<(), SaveError> {
        self.moments.push(moment);
        Ok(())
    }

    fn kept_private(&self) -> Vec<usize> {
        kept_private::answers(&self.moments)
    }
}

/// The plan's side of the play loop: its turns are what is typed, and what
/// the loop shows is kept to check `see:` and `hint:` turns against.
struct PlanConsole<'p> {
    /// Whether the input typed last has not been saved yet.
    unsaved: &'p Cell<bool>,
    turns: &'p [Turn],
    /// The next turn to take.
    next: usize,
    /// Everything shown since the last input: says, questions, hints.
    seen: Vec<String>,
    /// The question waiting for input, if any.
    waiting: Option<Prompt>,
    /// The hint the last input got, if it was refused.
    last_hint: Option<String>,
    /// The question the last input answered.
    last_prompt: Option<Prompt>,
    /// A refusal no `hint:` turn has acknowledged yet.
    refused: Option<String>,
    /// The first text that could not be rendered since the last input: a
    /// session goes on, but a test plan does not pass. The next turn that
    /// looks at the screen meets it, as a couple would.
    problem: Option<RunError>,
    /// The first turn that did not go as the plan says; play stops there.
    failure: Option<Failure>,
}

impl Console for PlanConsole<'_> {
    fn say(&mut self, text: &str) -> io::Result<()> {
        self.seen.push(text.to_owned());
        Ok(())
    }

    fn handoff(&mut self, to: &Prompt) -> io::Result<()> {
        self.seen.push(Screen::plain().handoff(to));
        Ok(())
    }

    fn question(&mut self, prompt: &Prompt) -> io::Result<()> {
        self.seen.push(prompt.text.clone());
        self.seen.extend(prompt.example.clone());
        self.seen
            .extend(prompt.options.iter().map(|(_, label)| label.clone()));
        Ok(())
    }

    fn hint(&mut self, text: &str) -> io::Result<()> {
        self.seen.push(text.to_owned());
        self.last_hint = Some(text.to_owned());
        self.refused = Some(text.to_owned());
        Ok(())
    }

    fn info(&mut self, text: &str) -> io::Result<()> {
        self.seen.push(text.to_owned());
        Ok(())
    }

    /// Takes the plan's turns up to the next input; the end of the plan, or
    /// a turn that went wrong, ends the input.
    fn read(&mut self, prompt: &Prompt, _prefill: &str) -> io::Result<Input> {
        self.waiting = Some(prompt.clone());
        while let Some(turn) = self.turns.get(self.next) {
            self.next += 1;
            let place = format!("turn {}", self.next);
            let problem = self.problem.clone();
            match self.take(turn, &place, problem.as_ref()) {
                Ok(Some(line)) => return Ok(Input::Line(line)),
                Ok(None) => {}
                Err(failure) => {
                    self.failure = Some(failure);
                    return Ok(Input::End);
                }
            }
        }
        Ok(Input::End)
    }

    fn ask(&mut self, _question: &str, _choices: &[String]) -> io::Result<Input> {
        Ok(Input::End)
    }

    fn problem(&mut self, problem: &RunError) -> io::Result<()> {
        self.problem.get_or_insert_with(|| problem.clone());
        Ok(())
    }
}

impl PlanConsole<'_> {
    /// Where the turn taken last is, and its name (or `expect`).
    fn current(&self) -> (YamlPath, String) {
        match self.next.checked_sub(1).and_then(|n| self.turns.get(n)) {
            Some(turn) => (turn.path.clone(), format!("turn {}", self.next)),
            None => (YamlPath::root(), "expect".to_owned()),
        }
    }

    /// The turns left after play stopped: `see:` and `hint:` are checked;
    /// an input finds nothing waiting. `error` is the engine's failure on
    /// what came after the last input, met by the first turn that looks.
    fn rest(&mut self, error: Option<&RunError>) -> Result<(), Failure> {
        while let Some(turn) = self.turns.get(self.next) {
            self.next += 1;
            let place = format!("turn {}", self.next);
            self.take(turn, &place, error)?;
        }
        Ok(())
    }

    /// One turn: `Some(line)` to type, `None` when it only checked.
    fn take(
        &mut self,
        turn: &Turn,
        place: &str,
        error: Option<&RunError>,
    ) -> Result<Option<String>, Failure> {
        let path = &turn.path;
        let fail = |step: Option<&Prompt>, expected: String, seen: String| Failure {
            path: path.clone(),
            place: place.to_owned(),
            step: step.map(describe),
            expected,
            seen,
        };
        if let (
            Some(e),
            Action::See(_)
            | Action::NotSee(_)
            | Action::Answer(_)
            | Action::Back
            | Action::Skip
            | Action::Private,
        ) = (error, &turn.action)
        {
            return Err(engine_failure(path.clone(), place, e));
        }
        match &turn.action {
            Action::Hint(text) => match &self.last_hint {
                Some(hint) if contains(hint, text) => {
                    self.refused = None;
                    Ok(None)
                }
                Some(hint) => Err(fail(
                    self.last_prompt.as_ref(),
                    format!("a hint containing {text:?}"),
                    format!("the hint {hint:?}"),
                )),
                None => Err(fail(
                    self.last_prompt.as_ref(),
                    format!("a hint containing {text:?}"),
                    "the answer was accepted".to_owned(),
                )),
            },
            Action::See(text) => {
                if self.seen.iter().any(|s| contains(s, text)) {
                    Ok(None)
                } else {
                    Err(fail(
                        self.waiting.as_ref(),
                        format!("text containing {text:?}"),
                        shown(&self.seen),
                    ))
                }
            }
            Action::NotSee(text) => match self.seen.iter().find(|s| contains(s, text)) {
                None => Ok(None),
                Some(shown) => Err(fail(
                    self.waiting.as_ref(),
                    format!("no text containing {text:?}"),
                    format!("{shown:?}"),
                )),
            },
            Action::Answer(_) | Action::Back | Action::Skip | Action::Private => {
                let prompt = self.waiting.as_ref();
                if let Some(hint) = &self.refused {
                    return Err(fail(
                        prompt,
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
                        Some(prompt),
                        format!("{by}'s turn"),
                        format!("{}'s turn, as {}", prompt.name, prompt.role),
                    ));
                }
                if let Some(at) = &turn.at
                    && at != &prompt.step
                {
                    return Err(fail(
                        Some(prompt),
                        format!("step `{at}` waiting"),
                        format!("step `{}` waiting", prompt.step),
                    ));
                }
                self.seen.clear();
                self.last_hint = None;
                self.last_prompt = self.waiting.take();
                self.unsaved.set(true);
                Ok(turn.action.typed())
            }
        }
    }

    fn expect(
        &self,
        run: &Run,
        moments: &[Moment],
        plan: &Plan,
        error: Option<&RunError>,
    ) -> Result<(), Failure> {
        let expect = &plan.expect;
        let path = &expect.path;
        if let Some(e) = error {
            return Err(engine_failure(path.clone(), "expect", e));
        }
        let prompt = self.waiting.as_ref();
        let fail = |expected: String, seen: String| Failure {
            path: path.clone(),
            place: "expect".to_owned(),
            step: prompt.map(describe),
            expected,
            seen,
        };
        if let Some(hint) = &self.refused {
            return Err(fail(
                "the last answer to be accepted (or a `hint:` turn for its hint)".to_owned(),
                format!("it was refused with the hint {hint:?}"),
            ));
        }
        let waiting = prompt.map(|p| p.step.clone());
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
        let state = run.state();
        for (name, value) in &expect.vars {
            let actual = run.var(name);
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
        if !expect.ledger.is_empty() || !expect.not_ledger.is_empty() {
            let mut ledger = seeded(plan);
            ledger.apply("plan", "plan", &state.records);
            let view = ledger.view(plan_clock(plan).date_naive());
            let lines: Vec<String> = view.items.iter().map(item_line).collect();
            for wanted in &expect.ledger {
                if !lines.iter().any(|l| contains(l, wanted)) {
                    return Err(fail(
                        format!("a ledger item {wanted:?}"),
                        format!("{:?}", lines.join(" / ")),
                    ));
                }
            }
            for unwanted in &expect.not_ledger {
                if let Some(line) = lines.iter().find(|l| contains(l, unwanted)) {
                    return Err(fail(
                        format!("no ledger item containing {unwanted:?}"),
                        format!("{line:?}"),
                    ));
                }
            }
        }
        if !expect.notes.is_empty() || !expect.not_notes.is_empty() {
            // As the session's notes show it: private answers left out.
            let shown = without_private(run.state(), moments);
            let notes = match Run::restore(run.exercise(), shown) {
                Ok(shown) => shown.with_ledger(run.ledger().clone()).notes(),
                Err(_) => run.notes(),
            }
            .map_err(|e| engine_failure(path.clone(), "expect", &e))?
            .unwrap_or_default();
            for line in &expect.notes {
                if !notes.contains(line.as_str()) {
                    return Err(fail(
                        format!("notes containing {line:?}"),
                        format!("{notes:?}"),
                    ));
                }
            }
            for text in &expect.not_notes {
                if notes.contains(text.as_str()) {
                    return Err(fail(
                        format!("notes without {text:?}"),
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
/// space, so a plan need not copy line breaks of a rendered text: how a
/// plan's `see` and `hint` are matched, by `mend test` and by anything else
/// that replays a plan.
pub fn contains(haystack: &str, needle: &str) -> bool {
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

fn engine_failure(path: YamlPath, place: &str, e: &RunError) -> Failure {
    Failure {
        path,
        place: place.to_owned(),
        step: Some(format!("step `{}`", e.step)),
        expected: "the exercise to run".to_owned(),
        seen: e.diagnostic.headline(),
    }
}
