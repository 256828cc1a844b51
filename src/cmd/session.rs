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
use crate::frontend::command::break_text;
use crate::frontend::console::open_console;
use crate::frontend::play::{Console, Input, Outcome, YesNo, play};
use crate::frontend::roles::offer_swap;
use crate::partners;
use crate::store::data_dir::DataDir;
use crate::store::moment::{Moment, MomentKind};
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
#[derive(Debug, Clone)]
pub struct Played {
    pub title: String,
    pub outcome: Outcome,
    /// What the exercise contributes to notes, when it was finished.
    pub notes: Option<String>,
    /// Who declined it, in their words, when a partner did.
    pub declined: Option<String>,
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
    let mut go_on = played.last().is_none_or(|p| p.outcome == Outcome::Finished)
        && (played.is_empty() || console.confirm("Would you like to do another exercise?")?);
    while go_on {
        let Some(exercise) = pick(console, choices, &session.ledger_view()?)? else {
            break;
        };
        let done = play_one(console, session, exercise)?;
        go_on = done.outcome == Outcome::Finished;
        played.push(done);
        go_on = go_on && console.confirm("Would you like to do another exercise?")?;
    }
    offer_notes(console, &played, session.id())
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

/// The end of a session: a summary on screen, and how to write the notes.
fn offer_notes(console: &mut dyn Console, played: &[Played], session: &str) -> anyhow::Result<()> {
    if played.is_empty() {
        console.say("Take care of each other. You can start again any time.")?;
        return Ok(());
    }
    let done: Vec<String> = played
        .iter()
        .map(|exercise| {
            let how = match (&exercise.outcome, &exercise.declined) {
                (Outcome::Finished, Some(declined)) => declined.as_str(),
                (Outcome::Finished, None) => "finished",
                (Outcome::Paused, _) => "paused for a break",
                (Outcome::Quit | Outcome::InputEnded { .. }, _) => "stopped before the end",
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
    // A time-out before the first question: saved, to resume.
    if let stop @ (YesNo::Break | YesNo::Quit) = offer_swap(console, &mut run)? {
        session.save(&run)?;
        let kind = if stop == YesNo::Break {
            MomentKind::Break
        } else {
            MomentKind::Quit
        };
        session.note(Moment::new(kind, session.now()))?;
        let outcome = if stop == YesNo::Break {
            console.info(break_text(exercise))?;
            Outcome::Paused
        } else {
            Outcome::Quit
        };
        farewell(console, &run, outcome.clone())?;
        return Ok(Played {
            title: exercise.title.clone(),
            outcome,
            notes: None,
            declined: None,
        });
    }
    let outcome = play(&mut run, console, &crate::store::session::now, session)?;
    farewell(console, &run, outcome.clone())?;
    let declined = declined_by(&run);
    let notes = match outcome {
        Outcome::Finished => {
            let notes = run.notes_in_session();
            crate::frontend::play::report_problems(&run, console)?;
            notes
        }
        _ => None,
    };
    Ok(Played {
        title: exercise.title.clone(),
        outcome,
        notes,
        declined,
    })
}

/// "declined by Alex: “Not today.”" when a choice the exercise's `pace`
/// names as declining was made.
pub fn declined_by(run: &crate::engine::run::Run) -> Option<String> {
    let pace = run.exercise().pace.as_ref()?;
    run.state().answers.iter().find_map(|a| {
        let chosen = a.text.as_deref()?;
        pace.declines
            .iter()
            .any(|(step, key)| *step == a.step && key == chosen)
            .then(|| {
                let words = a.label.as_deref().unwrap_or(chosen);
                format!("declined by {}: \u{201c}{}\u{201d}", a.name, words.trim())
            })
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

/// The exercise list, suggested ones first, one line each so a library of
/// twenty fits a 24-line terminal, and the one the partners choose (by
/// number, id, title, the start of either, or a close spelling); `None`
/// when they stop.
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
            let star = if reason(ex).is_some() { " *" } else { "" };
            format!(
                "{:>3}. {} ({} min) · {}{star}",
                i + 1,
                ex.title,
                ex.minutes,
                ex.id
            )
        })
        .collect();
    let why: Vec<String> = suggested
        .iter()
        .map(|s| format!("* {}: {}", s.exercise.title, s.reason))
        .collect();
    let mut menu = format!("Which exercise would you like to do?\n{}", list.join("\n"));
    if !why.is_empty() {
        menu.push_str(&format!("\n{}", why.join("\n")));
    }
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
            Found::One(exercise) => return Ok(Some(exercise)),
            Found::Several(titles) => console.hint(&format!(
                "\"{}\" could be {}. Type a little more, or its number.",
                neutralize(typed),
                titles.join(" or ")
            ))?,
            Found::Close(exercise) => {
                let question = format!("Did you mean {} ({})?", exercise.title, exercise.id);
                if console.confirm(&question)? {
                    return Ok(Some(exercise));
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

enum Found<'a> {
    One(&'a Exercise),
    Several(Vec<String>),
    Close(&'a Exercise),
    None,
}

/// By number in the list, id or title (ignoring case), the start of one
/// when only one starts so, or a close spelling to confirm.
fn find<'a>(order: &[&'a Exercise], typed: &str) -> Found<'a> {
    if let Ok(n) = typed.parse::<usize>() {
        return match n.checked_sub(1).and_then(|i| order.get(i)) {
            Some(ex) => Found::One(ex),
            None => Found::None,
        };
    }
    let typed = typed.to_lowercase();
    if typed.is_empty() {
        return Found::None;
    }
    let names = |ex: &Exercise| [ex.id.to_lowercase(), ex.title.to_lowercase()];
    if let Some(ex) = order.iter().find(|ex| names(ex).contains(&typed)) {
        return Found::One(ex);
    }
    let starting: Vec<&&Exercise> = order
        .iter()
        .filter(|ex| names(ex).iter().any(|n| n.starts_with(&typed)))
        .collect();
    match starting.as_slice() {
        [one] => return Found::One(one),
        [] => {}
        many => return Found::Several(many.iter().map(|ex| ex.title.clone()).collect()),
    }
    let distance = |ex: &Exercise| {
        names(ex)
            .iter()
            .map(|n| {
                // "apology" is close to "apology-ritual": compare with a
                // start of the same length too.
                let start: String = n.chars().take(typed.chars().count()).collect();
                strsim::damerau_levenshtein(&typed, n)
                    .min(strsim::damerau_levenshtein(&typed, &start))
            })
            .min()
            .unwrap_or(usize::MAX)
    };
    order
        .iter()
        .map(|ex| (distance(ex), *ex))
        .filter(|(d, _)| *d <= 2.max(typed.chars().count() / 4))
        .min_by_key(|(d, _)| *d)
        .map_or(Found::None, |(_, ex)| Found::Close(ex))
}

/// "a name cannot be empty" → "A name cannot be empty."
fn sentence(fragment: &str) -> String {
    let mut chars = fragment.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
