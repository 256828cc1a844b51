use crate::cmd::Status;
use crate::engine::exercise::Exercise;
use crate::engine::run::Run;
use crate::format::library::{Library, exercise_id, read_source};
use crate::frontend::console::open_console;
use crate::frontend::play::{Console, Outcome, play};
pub use crate::frontend::roles::{introduce, roles_text};
use crate::frontend::screen::markdown_as_text;
use crate::partners;
use crate::store::data_dir::DataDir;
use crate::store::session::{Session, compile_or_explain};
use anyhow::bail;
use chrono::Utc;
use std::io;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An exercise id from the library, or the path of an exercise file
    pub exercise: String,
    /// The two partners' names, first plays the first role
    #[arg(long, value_name = "\"NAME,NAME\"")]
    pub partners: Option<String>,
}

pub fn execute(args: Args, exercises: Option<&Path>, data: Option<&Path>) -> Status {
    let partners = match &args.partners {
        Some(list) => partners::parse(list)?,
        None => partners::defaults(),
    };
    let exercise = load(&args.exercise, exercises)?;
    let data = DataDir::open(data)?;
    let mut session = Session::create(&data, partners, Box::new(Utc::now))?;
    let mut run = session.start(&exercise, file_path(&args.exercise))?;
    let mut console = open_console()?;
    let console = console.as_mut();
    introduce(console, &run)?;
    play_session(console, &mut session, &mut run)?;
    Ok(ExitCode::SUCCESS)
}

/// Plays a run until it ends or pauses, journaling every change, shows its
/// notes when it finished, and tells the couple how to come back to it.
/// Shared by `mend run`, `mend resume` and `mend session`.
pub fn play_session(
    console: &mut dyn Console,
    session: &mut Session,
    run: &mut Run,
) -> anyhow::Result<Outcome> {
    let outcome = play(run, console, &Utc::now, &mut |run| session.save(run))?;
    if outcome == Outcome::Finished
        && let Some(notes) = run.notes()?
    {
        show_notes(console, &notes)?;
    }
    if matches!(outcome, Outcome::InputEnded { .. }) {
        // `farewell` stops with an error here; say first where things are.
        saved(console, session.id(), &outcome)?;
    }
    farewell(console, run, outcome.clone())?;
    saved(console, session.id(), &outcome)?;
    Ok(outcome)
}

/// Names the session, so the couple knows how to come back to it.
fn saved(console: &mut dyn Console, session: &str, outcome: &Outcome) -> io::Result<()> {
    match outcome {
        Outcome::Finished => console.info(&format!(
            "Saved as session {session}. `mend notes {session}` writes the session notes."
        )),
        Outcome::Paused | Outcome::Quit => console.info(&format!(
            "Saved as session {session}. To pick up where you left off: mend resume {session}"
        )),
        Outcome::InputEnded { .. } => console.info(&format!(
            "Everything up to here is saved as session {session}. To go on: mend resume {session}"
        )),
    }
}

/// The exercise argument as a file path, when it names a file.
fn file_path(exercise: &str) -> Option<&Path> {
    let looks_like_path = exercise.ends_with(".yaml")
        || exercise.ends_with(".yml")
        || exercise.contains(std::path::MAIN_SEPARATOR);
    looks_like_path.then(|| Path::new(exercise))
}

/// Compiles an exercise given by id or path; errors show every diagnostic.
pub fn load(exercise: &str, exercises: Option<&Path>) -> anyhow::Result<Exercise> {
    let (id, source) = match file_path(exercise) {
        Some(path) => {
            let id = exercise_id(path).unwrap_or_else(|| exercise.to_owned());
            let source = read_source(path).map_err(|d| anyhow::anyhow!("{d}"))?;
            (id, source)
        }
        None => {
            let library = Library::open(exercises)?;
            (exercise.to_owned(), library.find(exercise)?)
        }
    };
    compile_or_explain(&id, source)
}

/// An exercise's notes (Markdown) as text on screen: headings as headings,
/// each paragraph as a block.
pub fn show_notes(console: &mut dyn Console, markdown: &str) -> io::Result<()> {
    for block in markdown
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        let text = markdown_as_text(block);
        match block.strip_prefix('#') {
            Some(heading) => {
                console.heading(&markdown_as_text(heading.trim_start_matches('#').trim()))?
            }
            None => console.say(&text)?,
        }
    }
    Ok(())
}

/// What the partners see when play stops; running out of piped input is an
/// error that names the waiting step.
pub fn farewell(console: &mut dyn Console, run: &Run, outcome: Outcome) -> anyhow::Result<()> {
    match outcome {
        Outcome::Finished => console.say(&format!(
            // Neutral on purpose: an exercise may end with "not today" or "not yet".
            "That's the end of {}. Thank you both.",
            run.exercise().title
        ))?,
        // `:break` has said how to come back.
        Outcome::Paused => {}
        Outcome::Quit => console.info(LEFT_TEXT)?,
        Outcome::InputEnded { step, name } => {
            bail!("input ended while step `{step}` was waiting for {name}'s answer")
        }
    }
    Ok(())
}

/// What `:quit` (or Ctrl-C twice) says on the way out.
pub const LEFT_TEXT: &str =
    "Stopping here. When you are both ready, run `mend resume` to pick up where you left off.";
