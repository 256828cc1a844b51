//! `mend session`: one sitting for two partners. A safety note, both names,
//! then exercises picked from the library one after another, and a summary
//! at the end.

use crate::cmd::Status;
use crate::cmd::sitting::{introduce, refuse_ended_input};
use crate::engine::exercise::Exercise;
use crate::engine::ledger::LedgerView;
use crate::format::library::Library;
use crate::frontend::command::PlayCommand;
use crate::frontend::console::open_console;
use crate::frontend::picker::{Found, find, menu_text, offers};
use crate::frontend::play::{Console, Input, play};
pub use crate::frontend::sitting::Played;
use crate::frontend::sitting::{
    NotesShown, after_play, before_first_question, summary, wants_another,
};
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

pub fn execute(args: Args, exercises: Option<&Path>, data: Option<&Path>) -> Status {
    let given = args.partners.as_deref().map(partners::parse).transpose()?;
    let library = Library::open(exercises)?;
    let choices = library.playable()?;
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
    let mut session = Session::create(&data, partners, Box::new(crate::store::session::now))?;
    sit(console, &mut session, &choices, Vec::new())?;
    session.close()?;
    Ok(ExitCode::SUCCESS)
}

/// The rest of a sitting: exercises one after another while the couple
/// wants another, then the summary and how to write the notes. `played`
/// are the exercises already played (a resumed one).
pub fn sit(
    console: &mut dyn Console,
    session: &mut Session,
    choices: &[Exercise],
    mut played: Vec<Played>,
) -> anyhow::Result<()> {
    while wants_another(console, &played)? {
        let Some(exercise) = pick(console, choices, &session.ledger_view()?)? else {
            break;
        };
        played.push(play_one(console, session, exercise)?);
    }
    summary(console, &played, session.id(), NotesShown::Inline)?;
    Ok(())
}

/// Every exercise of the library that compiles, for the menu.
pub fn playable(exercises: Option<&Path>) -> anyhow::Result<Vec<Exercise>> {
    let library = Library::open(exercises)?;
    Ok(library
        .compile_all()
        .into_iter()
        .filter_map(|(_, compiled)| compiled.exercise)
        .collect())
}

fn play_one(
    console: &mut dyn Console,
    session: &mut Session,
    exercise: &Exercise,
) -> anyhow::Result<Played> {
    let mut run = session.start(exercise, None)?;
    introduce(console, &run)?;
    let outcome = match before_first_question(console, session, &mut run)? {
        Some(stopped) => stopped,
        None => play(&mut run, console, &crate::store::session::now, session)?,
    };
    refuse_ended_input(&outcome)?;
    let private = session.private_words(&run);
    Ok(after_play(console, &run, outcome, &private)?)
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

/// The exercise list, suggested ones first, one line each so a library of
/// twenty fits a 24-line terminal, and the one the partners choose (by
/// number, id, title, the start of either, or a close spelling); `None`
/// when they stop.
fn pick<'a>(
    console: &mut dyn Console,
    choices: &'a [Exercise],
    ledger: &LedgerView,
) -> anyhow::Result<Option<&'a Exercise>> {
    let (order, problems) = offers(choices, ledger);
    for problem in problems {
        console.info(&problem)?;
    }
    let menu = menu_text(&order);
    console.say(&menu)?;
    let ids: Vec<String> = order.iter().map(|ex| ex.id.clone()).collect();
    loop {
        let line = match console.ask("Type its number or name (or :quit to stop).", &ids)? {
            Input::Line(line) => line,
            Input::End => return Ok(None),
            Input::Interrupted => {
                if console.confirm(crate::frontend::play::QUIT_QUESTION)? {
                    return Ok(None);
                }
                continue;
            }
        };
        match PlayCommand::parse(&line) {
            Some(PlayCommand::Quit | PlayCommand::Break) => return Ok(None),
            Some(PlayCommand::Help | PlayCommand::Where) => {
                console.info("You are choosing the next exercise: type its number, its id or the start of its title. :quit (or :break) stops here; everything so far is saved.")?;
                continue;
            }
            Some(PlayCommand::Repeat) => {
                console.say(&menu)?;
                continue;
            }
            _ => {}
        }
        let typed = line.trim();
        match find(&order, typed) {
            Found::One(offer) => return Ok(by_id(choices, &offer.id)),
            Found::Several(titles) => console.hint(&format!(
                "\"{}\" could be {}. Type a little more, or its number.",
                neutralize(typed),
                titles.join(" or ")
            ))?,
            Found::Close(offer) => {
                let question = format!("Did you mean {} ({})?", offer.title, offer.id);
                if console.confirm(&question)? {
                    return Ok(by_id(choices, &offer.id));
                }
            }
            Found::None => console.hint(&format!(
                "There is no exercise called \"{}\" here. Type a number from 1 to {}.",
                neutralize(typed),
                order.len()
            ))?,
        }
    }
}

/// The exercise an offer names (every offer comes from `choices`).
fn by_id<'a>(choices: &'a [Exercise], id: &str) -> Option<&'a Exercise> {
    choices.iter().find(|exercise| exercise.id == id)
}

/// "a name cannot be empty" → "A name cannot be empty."
fn sentence(fragment: &str) -> String {
    let mut chars = fragment.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
