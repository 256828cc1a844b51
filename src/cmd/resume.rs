//! `mend resume`: coming back from a break with care. A picker when several
//! sessions wait; then "welcome back": when the break was and during whose
//! turn, the exercise's answers so far as they were written, and whether now
//! is a good time (asked of the partner whose pace the exercise follows,
//! else of both). Then the sitting goes on as `mend session` does.

use crate::cmd::Status;
use crate::cmd::session::{Played, playable, sit};
use crate::cmd::sitting::{play_session, roles_text};
use crate::engine::run::Run;
use crate::frontend::console::{input_is_terminal, open_console};
use crate::frontend::play::{Console, Input, Outcome};
use crate::store::data_dir::DataDir;
use crate::store::moment::{Moment, MomentKind};
use crate::store::session::{self, Session, SessionLog};
use crate::store::session_log::newest;
use crate::text::neutralize;
use chrono::{DateTime, Local, Utc};
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
    let title = pending.exercise.title.clone();
    let pace = pending.exercise.pace.as_ref().map(|p| p.role);
    let mut run = session.resume_run(&mut pending)?;
    if !input_is_terminal() {
        console.info("Reading answers from stdin (not a terminal): one answer per line.")?;
    }
    let [a, b] = session.partners().clone();
    console.heading(&format!("Welcome back, {a} and {b}"))?;
    let stopped = log.unfinished();
    console.say(&when_you_stopped(
        stopped,
        &title,
        session.now(),
        stopped.and_then(session::RunLog::waiting_question),
    ))?;
    if let Some(recap) = recap(&run, stopped) {
        console.say(&recap)?;
    }
    for message in messages {
        console.info(&message)?;
    }
    let asked: Vec<usize> = match pace {
        Some(role) => vec![run.partner_for(role)],
        None => vec![0, 1],
    };
    for partner in asked {
        let name = run.state().partners[partner].clone();
        let ready = console.confirm(&format!("{name}, is now a good time to go on?"))?;
        if !ready {
            session.note(Moment::new(MomentKind::NotReady, session.now()).by(&name))?;
            console.say(&format!(
                "That's all right, {name}. Nothing is lost. Come back when you are ready: mend resume {}",
                session.id()
            ))?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    session.note(Moment::new(MomentKind::Resume, session.now()))?;
    console.say(&roles_text(&run))?;
    let outcome = play_session(console, &mut session, &mut run)?;
    let notes = match outcome {
        Outcome::Finished => run.notes().ok().flatten(),
        _ => None,
    };
    let declined = crate::cmd::session::declined_by(&run);
    let played = vec![Played {
        title,
        outcome,
        notes,
        declined,
    }];
    drop(run);
    sit(console, &mut session, &playable(exercises)?, played)?;
    Ok(ExitCode::SUCCESS)
}

/// The unfinished session to continue: the only one, or the one the
/// couple picks (in a terminal) from the newest few.
fn pick(console: &mut dyn Console, data: &DataDir) -> anyhow::Result<Option<SessionLog>> {
    let waiting: Vec<SessionLog> = newest(data, PICKER_SIZE, |log| log.unfinished().is_some())
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    if waiting.len() <= 1 || !input_is_terminal() {
        return session::find(data, None).map(Some);
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

/// The first line of `text`, cut at `max` characters with an ellipsis.
fn short(text: &str, max: usize) -> String {
    let line = neutralize(text.lines().next().unwrap_or_default().trim());
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// When the break was, during whose turn, and the question waiting. mend
/// knows only who was at the keyboard when `:break` was typed, not who
/// asked for it, so it says no more than that.
fn when_you_stopped(
    run: Option<&session::RunLog>,
    title: &str,
    now: DateTime<Utc>,
    question: Option<String>,
) -> String {
    let stop = run.and_then(session::RunLog::last_stop);
    let at = stop.map(|m| m.at).or_else(|| run.and_then(|r| r.saved));
    let when = at.map_or_else(String::new, |at| {
        format!(
            " on {} ({})",
            at.with_timezone(&Local).format("%a %-d %b at %H:%M"),
            ago(now - at)
        )
    });
    let mut text = match stop {
        Some(m) if m.kind == MomentKind::Break => {
            let who = m.by.as_deref().map_or(String::new(), |b| {
                format!(", during {}'s turn", neutralize(b))
            });
            format!("You took a break in {title}{when}{who}.")
        }
        Some(_) => format!("You stopped {title}{when}."),
        None => format!("{title} stopped{when}, before it was finished."),
    };
    if let Some(question) = question {
        text.push_str(&format!(
            "\nThe question waiting: {}",
            neutralize(question.trim())
        ));
    }
    text
}

fn ago(elapsed: chrono::TimeDelta) -> String {
    let minutes = elapsed.num_minutes().max(0);
    match minutes {
        0 => "just now".to_owned(),
        1 => "a minute ago".to_owned(),
        2..=59 => format!("{minutes} minutes ago"),
        60..=119 => "an hour ago".to_owned(),
        120..=1439 => format!("{} hours ago", minutes / 60),
        1440..=2879 => "yesterday".to_owned(),
        _ => format!("{} days ago", minutes / 1440),
    }
}

/// The answers so far in this exercise, as written, each under whose it
/// was; an answer kept private shows only that it was given.
fn recap(run: &Run, log: Option<&session::RunLog>) -> Option<String> {
    let answers = &run.state().answers;
    if answers.is_empty() {
        return None;
    }
    let private = |index: usize| {
        log.is_some_and(|l| {
            l.moments
                .iter()
                .any(|m| m.kind == MomentKind::Private && m.answer == Some(index))
        })
    };
    let mut lines = vec![format!("So far in {}:", run.exercise().title)];
    for (index, answer) in answers.iter().enumerate() {
        let said = match (&answer.text, &answer.label) {
            _ if private(index) => "(kept out of the notes)".to_owned(),
            (None, _) => "(skipped)".to_owned(),
            (Some(_), Some(label)) => label.clone(),
            (Some(text), None) => text.clone(),
        };
        lines.push(format!(
            "  {}: {}\n    {}",
            neutralize(&answer.name),
            short(&answer.question, 72),
            neutralize(&said).replace('\n', "\n    ")
        ));
    }
    Some(lines.join("\n"))
}
