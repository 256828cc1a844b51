//! `mend resume`: coming back from a break with care. A picker when several
//! sessions wait; then "welcome back": when the break was and during whose
//! turn, the exercise's answers so far as they were written, and whether now
//! is a good time (asked of the partner whose pace the exercise follows,
//! else of both). Then the sitting goes on as `mend session` does.

use crate::cmd::Status;
use crate::cmd::session::{Played, playable, sit};
use crate::cmd::sitting::{play_session, roles_text};
use crate::frontend::console::{input_is_terminal, open_console};
use crate::frontend::play::{Console, Input};
use crate::frontend::welcome_back::{Ready, short, welcome_back};
use crate::store::data_dir::DataDir;
use crate::store::session::{self, Session, SessionLog};
use crate::store::session_log::newest_waiting;
use crate::text::neutralize;
use chrono::Local;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The session to continue [default: the latest unfinished one; in a
    /// terminal, a choice when there are several]
    pub session: Option<String>,
}

/// How many unfinished sessions the picker offers.
const PICKER_SIZE: usize = 9;

pub fn execute(args: Args, exercises: Option<&Path>, data: Option<&Path>) -> Status {
    let data = DataDir::open(data)?;
    let mut console = open_console()?;
    let console = console.as_mut();
    let log = match args.session.as_deref() {
        Some(id) => session::find(&data, Some(id))?,
        None => match pick(console, &data)? {
            Some(log) => log,
            None => return Ok(ExitCode::SUCCESS),
        },
    };
    let mut session = Session::reopen(&data, &log, Box::new(session::now))?;
    for notice in session.take_notices() {
        eprintln!("note: {notice}");
    }
    let mut pending = session.pending(&log, exercises)?;
    let messages = std::mem::take(&mut pending.messages);
    let mut run = session.resume_run(&mut pending)?;
    if !input_is_terminal() {
        console.info("Reading answers from stdin (not a terminal): one answer per line.")?;
    }
    match welcome_back(console, &mut session, &log, &run, messages)? {
        Ready::Yes => {}
        Ready::NotYet(name) => {
            console.say(&format!(
                "That's all right, {name}. Nothing is lost. Come back when you are ready: mend resume {}",
                session.id()
            ))?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    console.say(&roles_text(&run))?;
    let outcome = play_session(console, &mut session, &mut run)?;
    // `play_session` has shown the exercise's notes, without the words a
    // partner kept private; the summary lists it without showing them again.
    let played = vec![Played::of(&run, outcome, None)];
    drop(run);
    sit(console, &mut session, &playable(exercises)?, played)?;
    Ok(ExitCode::SUCCESS)
}

/// The unfinished session to continue: the only one, or the one the
/// couple picks (in a terminal) from the newest few.
fn pick(console: &mut dyn Console, data: &DataDir) -> anyhow::Result<Option<SessionLog>> {
    let waiting: Vec<SessionLog> = newest_waiting(data, PICKER_SIZE)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    if waiting.len() <= 1 || !input_is_terminal() {
        return Ok(Some(session::find(data, None)?));
    }
    let list: Vec<String> = waiting
        .iter()
        .enumerate()
        .map(|(n, log)| format!("  {}. {}", n + 1, describe(log)))
        .collect();
    console.say(&format!(
        "Several sessions are waiting. Which would you like to continue?\n{}",
        list.join("\n")
    ))?;
    loop {
        let line = match console.ask("Type its number (or :quit to stop).", &[])? {
            Input::Line(line) => line,
            Input::End | Input::Interrupted => return Ok(None),
        };
        let typed = line.trim();
        if typed.eq_ignore_ascii_case(":quit") {
            return Ok(None);
        }
        match typed.parse::<usize>().ok().and_then(|n| n.checked_sub(1)) {
            Some(n) if n < waiting.len() => return Ok(waiting.into_iter().nth(n)),
            _ => console.hint(&format!("Type a number from 1 to {}.", waiting.len()))?,
        }
    }
}

/// "Tue 1 Dec 18:45 · Alex and Sam · I-statements, waiting at: Sam, say back..."
pub fn describe(log: &SessionLog) -> String {
    let started = log
        .started()
        .map(|t| {
            t.with_timezone(&Local)
                .format("%a %-d %b %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    let partners = log
        .partners()
        .map(|[a, b]| format!("{} and {}", neutralize(a), neutralize(b)))
        .unwrap_or_default();
    let at = log
        .unfinished()
        .map(|run| {
            let question = run
                .waiting_question()
                .map(|q| format!(", waiting at: {}", short(&q, 60)))
                .unwrap_or_default();
            format!("{}{question}", run.title())
        })
        .unwrap_or_default();
    format!("{started} · {partners} · {at}")
}
