//! Coming back from a break, the same in a terminal (`mend resume`) and in
//! a browser (`mend serve`): "welcome back", when the break was and during
//! whose turn, the question waiting, the exercise's answers so far as
//! they were written, and whether now is a good time (asked of the partner
//! whose pace the exercise follows, else of both).

use crate::engine::run::Run;
use crate::frontend::play::{Console, PlayError};
use crate::store::moment::{Moment, MomentKind};
use crate::store::session::{RunLog, Session, SessionLog};
use crate::text::neutralize;
use chrono::{DateTime, Local, Utc};

/// What the readiness question came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ready {
    /// Everyone asked said yes; the resume is journaled.
    Yes,
    /// This partner said not yet; that is journaled, and nothing else.
    NotYet(String),
}

/// Says welcome back with the facts of the break, shows `messages` (what
/// changed in the exercise since), and asks whether now is a good time.
pub fn welcome_back(
    console: &mut dyn Console,
    session: &mut Session,
    log: &SessionLog,
    run: &Run,
    messages: Vec<String>,
) -> Result<Ready, PlayError> {
    let title = run.exercise().title.clone();
    let [a, b] = session.partners().clone();
    console.heading(&format!("Welcome back, {a} and {b}"))?;
    let stopped = log.unfinished();
    console.say(&when_you_stopped(
        stopped,
        &title,
        session.now(),
        stopped.and_then(RunLog::waiting_question),
    ))?;
    if let Some(recap) = recap(run, stopped) {
        console.say(&recap)?;
    }
    for message in messages {
        console.info(&message)?;
    }
    // Both are asked, the partner whose pace it is first: the hurt partner
    // sets the pace, and whoever needed the break may still need it.
    let asked: Vec<usize> = match run.exercise().pace.as_ref().and_then(|p| p.role) {
        Some(role) => {
            let first = run.partner_for(role);
            vec![first, 1 - first]
        }
        None => vec![0, 1],
    };
    for partner in asked {
        let name = run.state().partners[partner].clone();
        if !console.confirm(&format!("{name}, is now a good time to go on?"))? {
            session.note(Moment::new(MomentKind::NotReady, session.now()).by(&name))?;
            return Ok(Ready::NotYet(name));
        }
    }
    session.note(Moment::new(MomentKind::Resume, session.now()))?;
    Ok(Ready::Yes)
}

/// When the break was, during whose turn, and the question waiting. mend
/// knows only who was at the keyboard when `:break` was typed, not who
/// asked for it, so it says no more than that.
fn when_you_stopped(
    run: Option<&RunLog>,
    title: &str,
    now: DateTime<Utc>,
    question: Option<String>,
) -> String {
    let stop = run.and_then(RunLog::last_stop);
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
fn recap(run: &Run, log: Option<&RunLog>) -> Option<String> {
    let answers = &run.state().answers;
    if answers.is_empty() {
        return None;
    }
    let private = |index: usize| {
        log.is_some_and(|l| {
            crate::store::moment::about_answer(&l.moments, MomentKind::Private, index)
                .next()
                .is_some()
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

/// The first line of `text`, cut at `max` characters with an ellipsis.
pub fn short(text: &str, max: usize) -> String {
    let line = neutralize(text.lines().next().unwrap_or_default().trim());
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}
