//! The loop every interactive front-end shares: show events, read a line,
//! understand commands, hand answers to the engine, save after every change.

use crate::engine::error::RunError;
use crate::engine::event::{Event, Prompt, Reply};
use crate::engine::run::Run;
use crate::frontend::command::{PlayCommand, break_text};
use crate::frontend::safety::{SAFETY_NOTE, safety_matches};
use crate::store::moment::{Moment, MomentKind};
use crate::store::save_error::SaveError;
use crate::store::session::Session;
use chrono::{DateTime, Utc};
use std::{fmt, io};

/// A line from the partners, or the end of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Line(String),
    /// Ctrl-D in a terminal; in piped input, the end of the input.
    End,
    /// Ctrl-C on an empty line: the partners may want to leave.
    Interrupted,
}

/// Where output goes and input comes from.
pub trait Console {
    fn say(&mut self, text: &str) -> io::Result<()>;
    fn handoff(&mut self, to: &Prompt) -> io::Result<()>;
    fn question(&mut self, prompt: &Prompt) -> io::Result<()>;
    fn hint(&mut self, text: &str) -> io::Result<()>;
    fn info(&mut self, text: &str) -> io::Result<()>;
    /// Reads one answer; `prefill` is text to offer for editing (after `:back`
    /// or a failed check).
    fn read(&mut self, prompt: &Prompt, prefill: &str) -> io::Result<Input>;
    /// Asks something outside an exercise (a name, which exercise, yes or
    /// no); `choices` are offered for completion where the front-end can.
    fn ask(&mut self, question: &str, choices: &[String]) -> io::Result<Input>;
    /// A title: an exercise's name, a part of a session.
    fn heading(&mut self, text: &str) -> io::Result<()> {
        self.say(text)
    }
    /// A yes-or-no question where saying nothing (or running out of input)
    /// means no, and a second Ctrl-C means yes. `:break` and `:quit` count
    /// as no here; `yes_no` tells them apart.
    fn confirm(&mut self, question: &str) -> io::Result<bool> {
        Ok(self.yes_no(question)? == YesNo::Yes)
    }
    /// A yes-or-no question that also understands `:help`, `:where`,
    /// `:break` and `:quit`.
    fn yes_no(&mut self, question: &str) -> io::Result<YesNo> {
        loop {
            let answer = match self.ask(&format!("{question} [y/N]"), &[])? {
                Input::Line(line) => line.trim().to_lowercase(),
                Input::Interrupted => return Ok(YesNo::Yes),
                Input::End => return Ok(YesNo::No),
            };
            match PlayCommand::parse(&answer) {
                Some(PlayCommand::Break) => return Ok(YesNo::Break),
                Some(PlayCommand::Quit) => return Ok(YesNo::Quit),
                Some(PlayCommand::Help | PlayCommand::Where) => {
                    self.info("This is a yes-or-no question: type y for yes, or n (or just Enter) for no. :break takes a time-out; :quit stops here.")?;
                    continue;
                }
                _ => {}
            }
            match answer.as_str() {
                "y" | "yes" => return Ok(YesNo::Yes),
                "" | "n" | "no" => return Ok(YesNo::No),
                _ => self.hint("Please type y for yes or n for no.")?,
            }
        }
    }
    /// What a front-end does at the end of input: piped input stops the run;
    /// a terminal treats Ctrl-D as `:break`.
    fn end_is_break(&self) -> bool {
        false
    }
    /// A text that failed to render: the session goes on, showing the names
    /// it could not fill, and the exercise's author learns where to look from
    /// a located note on the error stream. (A test plan fails on it.)
    fn problem(&mut self, problem: &RunError) -> io::Result<()> {
        eprintln!("note: {}", problem.diagnostic.headline());
        Ok(())
    }
}

/// An answer to a yes-or-no question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YesNo {
    Yes,
    No,
    Break,
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Finished,
    /// `:break` (or Ctrl-D in a terminal): saved, to be resumed.
    Paused,
    Quit,
    /// Piped input ran out while a question was waiting.
    InputEnded {
        step: String,
        name: String,
    },
}

/// Why play stopped before the run ended or paused.
#[derive(Debug)]
pub enum PlayError {
    /// The exercise failed on the data it got (a located diagnostic).
    Run(RunError),
    /// The console could not be read or written.
    Console(io::Error),
    /// A change could not be saved.
    Save(SaveError),
}

impl fmt::Display for PlayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlayError::Run(error) => error.fmt(f),
            PlayError::Console(error) => error.fmt(f),
            PlayError::Save(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for PlayError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PlayError::Run(error) => error.source(),
            PlayError::Console(error) => error.source(),
            PlayError::Save(error) => error.source(),
        }
    }
}

impl From<RunError> for PlayError {
    fn from(error: RunError) -> Self {
        PlayError::Run(error)
    }
}

impl From<io::Error> for PlayError {
    fn from(error: io::Error) -> Self {
        PlayError::Console(error)
    }
}

impl From<SaveError> for PlayError {
    fn from(error: SaveError) -> Self {
        PlayError::Save(error)
    }
}

/// Where play keeps the record: `save` after every change to the run,
/// before the next prompt appears; `note` for what happened besides the
/// answers (breaks, nudges, `:back`...).
pub trait Recorder {
    fn save(&mut self, run: &Run) -> Result<(), SaveError>;
    fn note(&mut self, moment: Moment) -> Result<(), SaveError>;
    /// The places of the run's answers kept out of the notes so far (a
    /// resumed run's included), from the moments noted, so `private_with`
    /// sees them. A recorder that keeps no moments knows none.
    fn kept_private(&self) -> Vec<usize> {
        Vec::new()
    }
}

/// A plain save hook (a test-plan runner's, say) keeps no moments.
impl<F: FnMut(&Run) -> Result<(), SaveError>> Recorder for F {
    fn save(&mut self, run: &Run) -> Result<(), SaveError> {
        self(run)
    }

    fn note(&mut self, _: Moment) -> Result<(), SaveError> {
        Ok(())
    }
}

impl Recorder for Session {
    fn save(&mut self, run: &Run) -> Result<(), SaveError> {
        Session::save(self, run)
    }

    fn note(&mut self, moment: Moment) -> Result<(), SaveError> {
        Session::note(self, moment)
    }

    fn kept_private(&self) -> Vec<usize> {
        Session::kept_private(self).to_vec()
    }
}

/// What `:private` promises, after the partner's name: what stays out of
/// the notes, and, plainly, where the words still are.
const PRIVATE_TEXT: &str = "'s answer to this question will stay out of the session notes. It is still saved for the two of you: the exercise may use it, and if it becomes part of an agreement or something kept open, your ledger and later check-ins show it to you both.";

/// What happened at `prompt`, by whose turn it was.
fn at_prompt(kind: MomentKind, prompt: &Prompt, at: DateTime<Utc>) -> Moment {
    Moment::new(kind, at)
        .by(&prompt.name)
        .at_question(&prompt.step, &prompt.text)
}

pub fn play(
    run: &mut Run,
    console: &mut dyn Console,
    clock: &dyn Fn() -> DateTime<Utc>,
    record: &mut dyn Recorder,
) -> Result<Outcome, PlayError> {
    let mut last_partner: Option<usize> = None;
    let mut prefill = String::new();
    // `:private` typed before answering: the next answer stays out of the notes.
    let mut private_next = false;
    loop {
        let event = run.next_event()?;
        report_problems(run, console)?;
        let prompt = match event {
            // Shown as it comes: a say may close the turn of the partner
            // who just answered, or speak to both, so it is never put
            // under the banner that hands the keyboard over.
            Event::Say { text, .. } => {
                console.say(&text)?;
                continue;
            }
            Event::Finished => {
                record.save(run)?;
                return Ok(Outcome::Finished);
            }
            Event::Prompt(prompt) => prompt,
        };
        // The banner only just before a question to the other partner.
        if last_partner.is_some_and(|p| p != prompt.partner) {
            console.handoff(&prompt)?;
        }
        last_partner = Some(prompt.partner);
        console.question(&prompt)?;
        // A reply to an answer kept private stays out of the notes too,
        // and the partner answering knows before they type.
        let follows_private = follows_private(run, &prompt, &record.kept_private());
        if let Some(owner) = &follows_private {
            console.info(&follows_private_text(&prompt.name, owner))?;
        }
        loop {
            let line = match console.read(&prompt, &std::mem::take(&mut prefill))? {
                Input::Line(line) => line,
                Input::Interrupted => {
                    if console.confirm(QUIT_QUESTION)? {
                        record.save(run)?;
                        record.note(at_prompt(MomentKind::Quit, &prompt, clock()))?;
                        return Ok(Outcome::Quit);
                    }
                    continue;
                }
                // Ctrl-D can be pressed by accident: a break is asked for.
                Input::End if console.end_is_break() => {
                    if console.confirm(BREAK_QUESTION)? {
                        ":break".to_owned()
                    } else {
                        console.question(&prompt)?;
                        continue;
                    }
                }
                Input::End => {
                    record.save(run)?;
                    return Ok(Outcome::InputEnded {
                        step: prompt.step.clone(),
                        name: prompt.name.clone(),
                    });
                }
            };
            let line = match crate::frontend::command::private_answer(&line) {
                Some(answer) => {
                    private_next = true;
                    console.info(&format!("{}{PRIVATE_TEXT}", prompt.name))?;
                    answer.to_owned()
                }
                None => line,
            };
            let reply = match PlayCommand::parse(&line) {
                None => run.answer(&line, clock())?,
                Some(PlayCommand::Skip) => run.skip(clock())?,
                Some(PlayCommand::Private) => {
                    private_next = true;
                    console.info(&format!("{}{PRIVATE_TEXT}", prompt.name))?;
                    continue;
                }
                Some(PlayCommand::PrivateLast) => {
                    match run.state().answers.len().checked_sub(1) {
                        Some(index) => {
                            let answer = &run.state().answers[index];
                            record.note(
                                Moment::new(MomentKind::Private, clock())
                                    .by(&answer.name)
                                    .at_question(&answer.step, &answer.question)
                                    .answer(index),
                            )?;
                            console.info(&format!(
                                "{}'s last answer will stay out of the session notes.",
                                answer.name
                            ))?;
                        }
                        None => console.info("There is no answer yet to keep private.")?,
                    }
                    continue;
                }
                Some(PlayCommand::Help) => {
                    console.info(&format!(
                        "Type your answer and press Enter. A line ending in \\ continues on the next line.\n{}",
                        PlayCommand::help()
                    ))?;
                    continue;
                }
                Some(PlayCommand::Repeat) => {
                    console.question(&prompt)?;
                    continue;
                }
                Some(PlayCommand::Where) => {
                    console.info(&where_text(run, &prompt))?;
                    continue;
                }
                Some(PlayCommand::Back) => {
                    let taken_back = run.state().answers.last().cloned();
                    match run.back() {
                        Some(previous) => {
                            record.save(run)?;
                            // The first place taken back: what was noted
                            // about the answers there goes with them.
                            let from = run.state().answers.len();
                            if let Some(answer) = taken_back {
                                record.note(
                                    Moment::new(MomentKind::Back, clock())
                                        .by(&answer.name)
                                        .at_question(&answer.step, &answer.question)
                                        .answer(from),
                                )?;
                            }
                            console.info("Going back to the previous question. The earlier answer is ready to edit.")?;
                            prefill = previous;
                            // The question goes back to whoever answered it:
                            // a banner when that is the other partner.
                            last_partner = Some(prompt.partner);
                        }
                        None => {
                            console.info(
                                "This is the first question; there is nothing to go back to.",
                            )?;
                            continue;
                        }
                    }
                    break;
                }
                Some(PlayCommand::Break) => {
                    record.save(run)?;
                    record.note(at_prompt(MomentKind::Break, &prompt, clock()))?;
                    console.info(break_text(run.exercise()))?;
                    return Ok(Outcome::Paused);
                }
                Some(PlayCommand::Quit) => {
                    record.save(run)?;
                    record.note(at_prompt(MomentKind::Quit, &prompt, clock()))?;
                    return Ok(Outcome::Quit);
                }
            };
            match reply {
                Reply::Accepted => {
                    let index = run.state().answers.len().saturating_sub(1);
                    match record.save(run) {
                        Ok(()) => {}
                        // Too large to journal: refused like an over-long
                        // answer, undone, and the question asked again.
                        Err(SaveError::TooLarge(too_large)) => {
                            console.hint(&too_large.refusal())?;
                            run.back();
                            break;
                        }
                        Err(error) => return Err(error.into()),
                    }
                    let answered = |kind| at_prompt(kind, &prompt, clock()).answer(index);
                    let asked = std::mem::take(&mut private_next);
                    let private = asked || follows_private.is_some();
                    if private {
                        // Kept private because it follows another's
                        // private answer: the notes say whose.
                        let moment = match (&follows_private, asked) {
                            (Some(owner), false) => answered(MomentKind::Private).detail(owner),
                            _ => answered(MomentKind::Private),
                        };
                        record.note(moment)?;
                    }
                    let flagged = safety_matches(&line);
                    if PlayCommand::parse(&line).is_none() && !flagged.is_empty() {
                        // The words that matched, unless the answer is
                        // kept out of the notes.
                        let detail: Vec<String> = flagged
                            .iter()
                            .map(|(what, words)| match private {
                                true => (*what).to_owned(),
                                false => format!(
                                    "{what}: \u{201c}{}\u{201d}",
                                    words.trim_end_matches('*')
                                ),
                            })
                            .collect();
                        record.note(answered(MomentKind::Safety).detail(&detail.join(", ")))?;
                        console.info(SAFETY_NOTE)?;
                    }
                    break;
                }
                Reply::Retry { hint, check } => {
                    // Only a check rule's hint is a nudge about what was
                    // said; the rest are slips in how it was typed.
                    // A slip's hint may quote what was typed ("“3/4” could
                    // be..."), so only a nudge keeps its hint.
                    let moment = match check {
                        // Named by the place the answer will take, so the
                        // notes can say which answer came after a nudge.
                        Some(_) => at_prompt(MomentKind::Nudge, &prompt, clock())
                            .detail(&hint)
                            .answer(run.state().answers.len()),
                        None => at_prompt(MomentKind::Slip, &prompt, clock()),
                    };
                    record.note(moment)?;
                    console.hint(&hint)?;
                    // The refused words are shown, never left on the line
                    // where typing would join them to new ones.
                    if PlayCommand::parse(&line).is_none() && !line.trim().is_empty() {
                        console.info(&refused_words(&line))?;
                    }
                }
            }
        }
    }
}

/// The partner who kept private an answer this question's `private_with`
/// names (its latest answer), if any.
fn follows_private(run: &Run, prompt: &Prompt, kept_private: &[usize]) -> Option<String> {
    let exercise = run.exercise();
    let step = &exercise.steps[exercise.step_index(&prompt.step)?];
    let answers = &run.state().answers;
    step.private_with.iter().find_map(|id| {
        let (index, answer) = answers
            .iter()
            .enumerate()
            .rev()
            .find(|(_, a)| &a.step == id)?;
        kept_private.contains(&index).then(|| answer.name.clone())
    })
}

/// What a partner is told before answering a question that follows an
/// answer kept private.
fn follows_private_text(name: &str, owner: &str) -> String {
    format!(
        "{name}'s answer to this question will stay out of the session notes too, because it follows what {owner} kept private."
    )
}

/// Hands the texts that failed to render since the last call to the console.
pub fn report_problems(run: &Run, console: &mut dyn Console) -> io::Result<()> {
    for problem in run.take_problems() {
        console.problem(&problem)?;
    }
    Ok(())
}

/// Refused words, shown above an empty prompt (↑ brings them back to edit).
pub fn refused_words(line: &str) -> String {
    format!(
        "You wrote: {}\n{EDIT_HINT}",
        crate::text::neutralize(line.trim())
    )
}

/// How a terminal brings refused words back (a browser's box has no history).
pub const EDIT_HINT: &str = "(↑ brings it back to edit.)";

/// What Ctrl-C on an empty line asks.
pub const QUIT_QUESTION: &str = "Leave now? Everything you have answered so far is saved.";

/// What Ctrl-D asks.
pub const BREAK_QUESTION: &str = "Take a break now? Everything you have answered so far is saved.";

fn where_text(run: &Run, prompt: &Prompt) -> String {
    let ex = run.exercise();
    let mut text = format!("{}: {}", ex.title, prompt.progress.counter());
    if let Some(round) = prompt.progress.round {
        text.push_str(&format!(", round {round} of 2 (roles swap in round 2)"));
    }
    text.push_str(&format!(". It is {}'s turn", prompt.name));
    if !prompt.role_label.is_empty() {
        text.push_str(&format!(", as the {}", prompt.role_label));
    }
    text.push('.');
    text
}
