//! The loop every interactive front-end shares: show events, read a line,
//! understand commands, hand answers to the engine, save after every change.

use crate::engine::error::RunError;
use crate::engine::event::{Event, Prompt, Reply};
use crate::engine::run::Run;
use crate::frontend::command::{BREAK_TEXT, PlayCommand};
use crate::store::save_error::SaveError;
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
    /// means no, and a second Ctrl-C means yes.
    fn confirm(&mut self, question: &str) -> io::Result<bool> {
        loop {
            let answer = match self.ask(&format!("{question} [y/N]"), &[])? {
                Input::Line(line) => line.trim().to_lowercase(),
                Input::Interrupted => return Ok(true),
                Input::End => return Ok(false),
            };
            match answer.as_str() {
                "y" | "yes" => return Ok(true),
                "" | "n" | "no" => return Ok(false),
                _ => self.hint("Please type y for yes or n for no.")?,
            }
        }
    }
    /// What a front-end does at the end of input: piped input stops the run;
    /// a terminal treats Ctrl-D as `:break`.
    fn end_is_break(&self) -> bool {
        false
    }
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

/// Called after every change to the run, before the next prompt appears.
pub type Save<'a> = dyn FnMut(&Run) -> Result<(), SaveError> + 'a;

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

pub fn play(
    run: &mut Run,
    console: &mut dyn Console,
    clock: &dyn Fn() -> DateTime<Utc>,
    save: &mut Save,
) -> Result<Outcome, PlayError> {
    let mut last_partner: Option<usize> = None;
    let mut prefill = String::new();
    loop {
        let prompt = match run.next_event()? {
            Event::Say { text, .. } => {
                console.say(&text)?;
                continue;
            }
            Event::Finished => {
                save(run)?;
                return Ok(Outcome::Finished);
            }
            Event::Prompt(prompt) => prompt,
        };
        if last_partner.is_some_and(|p| p != prompt.partner) {
            console.handoff(&prompt)?;
        }
        last_partner = Some(prompt.partner);
        console.question(&prompt)?;
        loop {
            let line = match console.read(&prompt, &std::mem::take(&mut prefill))? {
                Input::Line(line) => line,
                Input::Interrupted => {
                    if console.confirm(QUIT_QUESTION)? {
                        save(run)?;
                        return Ok(Outcome::Quit);
                    }
                    continue;
                }
                Input::End if console.end_is_break() => ":break".to_owned(),
                Input::End => {
                    save(run)?;
                    return Ok(Outcome::InputEnded {
                        step: prompt.step.clone(),
                        name: prompt.name.clone(),
                    });
                }
            };
            let reply = match PlayCommand::parse(&line) {
                None => run.answer(&line, clock())?,
                Some(PlayCommand::Skip) => run.skip(clock())?,
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
                    match run.back() {
                        Some(previous) => {
                            save(run)?;
                            console.info("Going back to the previous question. The earlier answer is ready to edit.")?;
                            prefill = previous;
                            last_partner = None;
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
                    save(run)?;
                    console.info(BREAK_TEXT)?;
                    return Ok(Outcome::Paused);
                }
                Some(PlayCommand::Quit) => {
                    save(run)?;
                    return Ok(Outcome::Quit);
                }
            };
            match reply {
                Reply::Accepted => {
                    match save(run) {
                        Ok(()) => {}
                        // Too large to journal: refused like an over-long
                        // answer, undone, and the question asked again.
                        Err(SaveError::TooLarge(too_large)) => {
                            console.hint(&too_large.refusal())?;
                            run.back();
                            if PlayCommand::parse(&line).is_none() {
                                prefill = line;
                            }
                        }
                        Err(error) => return Err(error.into()),
                    }
                    break;
                }
                Reply::Retry { hint, .. } => {
                    console.hint(&hint)?;
                    if PlayCommand::parse(&line).is_none() {
                        prefill = line;
                    }
                }
            }
        }
    }
}

/// What Ctrl-C on an empty line asks.
pub const QUIT_QUESTION: &str = "Leave now? Everything you have answered so far is saved.";

fn where_text(run: &Run, prompt: &Prompt) -> String {
    let ex = run.exercise();
    let mut text = format!(
        "{}: question {} of {}",
        ex.title, prompt.progress.question, prompt.progress.of
    );
    if let Some(round) = prompt.progress.round {
        text.push_str(&format!(", round {round} of 2 (roles swap in round 2)"));
    }
    text.push_str(&format!(
        ". It is {}'s turn, as the {}.",
        prompt.name, prompt.role_label
    ));
    text
}
