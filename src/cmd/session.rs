//! `mend session`: one sitting for two partners. A safety note, both names,
//! then exercises picked from the library one after another, and a summary
//! at the end.

use crate::cmd::Status;
use crate::cmd::sitting::{farewell, introduce, show_notes};
use crate::engine::exercise::Exercise;
use crate::engine::ledger::LedgerView;
use crate::engine::suggest::suggestions;
use crate::format::library::Library;
use crate::frontend::command::PlayCommand;
use crate::frontend::console::open_console;
use crate::frontend::play::{Console, Input, Outcome, play};
use crate::frontend::roles::offer_swap;
use crate::partners;
use crate::store::data_dir::DataDir;
use crate::store::session::Session;
use crate::text::neutralize;
use anyhow::bail;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The two partners' names; without it, the session asks
    #[arg(long, value_name = "\"NAME,NAME\"")]
    pub partners: Option<String>,
}

pub use crate::frontend::safety::SAFETY_NOTE;

/// One exercise of the session, as the summary shows it.
pub struct Played {
    pub title: String,
    pub outcome: Outcome,
    /// What the exercise contributes to notes, when it was finished.
    pub notes: Option<String>,
}

pub fn execute(args: Args, exercises: Option<&Path>, data: Option<&Path>) -> Status {
    let given = args.partners.as_deref().map(partners::parse).transpose()?;
    let library = Library::open(exercises)?;
    let choices: Vec<Exercise> = library
        .compile_all()
        .into_iter()
        .filter_map(|(_, compiled)| compiled.exercise)
        .collect();
    if choices.is_empty() {
        bail!(
            "there is no exercise ready to play in {}; `mend check` shows why",
            library.describe()
        );
    }
    let mut console = open_console()?;
    let console = console.as_mut();
    console.heading("Welcome to mend")?;
    console.say(SAFETY_NOTE)?;
    console.info("At any question, :help shows what you can type, and :break pauses.")?;
    let partners = match given {
        Some(partners) => partners,
        None => match ask_names(console)? {
            Some(partners) => partners,
            None => return Ok(ExitCode::SUCCESS),
        },
    };
    let data = DataDir::open(data)?;
    let mut session = Session::create(&data, partners.clone(), Box::new(chrono::Utc::now))?;
    let mut played = Vec::new();
    while let Some(exercise) = pick(console, &choices, &session.ledger_view()?)? {
        let done = play_one(console, &mut session, exercise)?;
        let go_on = done.outcome == Outcome::Finished;
        played.push(done);
        if !go_on || !console.confirm("Would you like to do another exercise?")? {
            break;
        }
    }
    offer_notes(console, &played, session.id())?;
    Ok(ExitCode::SUCCESS)
}

/// The end of a session: a summary on screen, and how to write the notes.
fn offer_notes(console: &mut dyn Console, played: &[Played], session: &str) -> anyhow::Result<()> {
    if played.is_empty() {
        console.say("Take care of each other. You can start again any time.")?;
        return Ok(());
    }
    let done: Vec<String> = played
        .iter()
        .map(|exercise| {
            let how = match exercise.outcome {
                Outcome::Finished => "finished",
                Outcome::Paused => "paused for a break",
                Outcome::Quit | Outcome::InputEnded { .. } => "stopped before the end",
            };
            format!("  {}: {how}", exercise.title)
        })
        .collect();
    console.heading("What you did today")?;
    console.say(&done.join("\n"))?;
    for notes in played
        .iter()
        .filter_map(|exercise| exercise.notes.as_deref())
    {
        show_notes(console, notes)?;
    }
    let paused = played.iter().any(|e| e.outcome != Outcome::Finished);
    let resume = if paused {
        format!(" To pick up where you left off: mend resume {session}.")
    } else {
        String::new()
    };
    console.info(&format!(
        "Everything is saved as session {session}.{resume} For session notes in Markdown: mend notes {session} (add --template dap for a DAP note)."
    ))?;
    console.say("Thank you both for the care you put into this.")?;
    Ok(())
}

fn play_one(
    console: &mut dyn Console,
    session: &mut Session,
    exercise: &Exercise,
) -> anyhow::Result<Played> {
    let mut run = session.start(exercise, None)?;
    introduce(console, &run)?;
    offer_swap(console, &mut run)?;
    let outcome = play(&mut run, console, &chrono::Utc::now, &mut |run| {
        session.save(run)
    })?;
    farewell(console, &run, outcome.clone())?;
    let notes = match outcome {
        Outcome::Finished => run.notes()?,
        _ => None,
    };
    Ok(Played {
        title: exercise.title.clone(),
        outcome,
        notes,
    })
}

/// Both names, asked one at a time; `None` when the partners leave instead.
fn ask_names(console: &mut dyn Console) -> anyhow::Result<Option<[String; 2]>> {
    let Some(first) = ask_name(console, "What is the first partner's name?", None)? else {
        return Ok(None);
    };
    let Some(second) = ask_name(console, "And the second partner's name?", Some(&first))? else {
        return Ok(None);
    };
    Ok(Some([first, second]))
}

fn ask_name(
    console: &mut dyn Console,
    question: &str,
    other: Option<&str>,
) -> anyhow::Result<Option<String>> {
    loop {
        let line = match console.ask(question, &[])? {
            Input::Line(line) => line,
            Input::Interrupted => return Ok(None),
            // Ctrl-D in a terminal leaves; piped input that stops here is incomplete.
            Input::End if console.end_is_break() => return Ok(None),
            Input::End => bail!("input ended before both names were given"),
        };
        if PlayCommand::parse(&line) == Some(PlayCommand::Quit) {
            return Ok(None);
        }
        match partners::name(&line) {
            Ok(name) if other.is_some_and(|o| o.to_lowercase() == name.to_lowercase()) => {
                console
                    .hint("The two names need to differ, so the screen can say whose turn it is.")?
            }
            Ok(name) => return Ok(Some(name)),
            Err(problem) => console.hint(&sentence(&problem.to_string()))?,
        }
    }
}

/// The exercise list, suggested ones first, and the one the partners
/// choose; `None` when they stop.
fn pick<'a>(
    console: &mut dyn Console,
    choices: &'a [Exercise],
    ledger: &LedgerView,
) -> anyhow::Result<Option<&'a Exercise>> {
    let (suggested, problems) = suggestions(choices, ledger);
    for problem in problems {
        console.info(&problem)?;
    }
    let reason = |ex: &Exercise| {
        suggested
            .iter()
            .find(|s| s.exercise.id == ex.id)
            .map(|s| s.reason.clone())
    };
    let mut order: Vec<&Exercise> = suggested.iter().map(|s| s.exercise).collect();
    order.extend(choices.iter().filter(|ex| reason(ex).is_none()));
    let list: Vec<String> = order
        .iter()
        .enumerate()
        .map(|(i, ex)| {
            let why = reason(ex).map_or(String::new(), |r| format!("\n     Suggested now: {r}"));
            format!(
                "  {}. {} (about {} minutes)\n     {}{why}",
                i + 1,
                ex.title,
                ex.minutes,
                ex.summary.trim()
            )
        })
        .collect();
    console.say(&format!(
        "Which exercise would you like to do?\n{}",
        list.join("\n")
    ))?;
    let ids: Vec<String> = order.iter().map(|ex| ex.id.clone()).collect();
    loop {
        let line = match console.ask("Type its number or name (or :quit to stop).", &ids)? {
            Input::Line(line) => line,
            Input::End | Input::Interrupted => return Ok(None),
        };
        if PlayCommand::parse(&line) == Some(PlayCommand::Quit) {
            return Ok(None);
        }
        let typed = line.trim();
        if let Some(exercise) = find(&order, typed) {
            return Ok(Some(exercise));
        }
        console.hint(&format!(
            "There is no exercise called \"{}\" here. Type a number from 1 to {}.",
            neutralize(typed),
            order.len()
        ))?;
    }
}

/// By number in the list, id or title.
fn find<'a>(order: &[&'a Exercise], typed: &str) -> Option<&'a Exercise> {
    if let Ok(n) = typed.parse::<usize>() {
        return n.checked_sub(1).and_then(|i| order.get(i)).copied();
    }
    let typed = typed.to_lowercase();
    order
        .iter()
        .find(|ex| ex.id.to_lowercase() == typed || ex.title.to_lowercase() == typed)
        .copied()
}

/// "a name cannot be empty" → "A name cannot be empty."
fn sentence(fragment: &str) -> String {
    let mut chars = fragment.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
