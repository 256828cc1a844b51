use crate::cmd::Status;
use crate::data::DataDir;
use crate::exercise::Exercise;
use crate::library::{Library, exercise_id, read_source};
use crate::partners;
use crate::play::{Outcome, play};
use crate::run::Run;
use crate::screen::Screen;
use crate::session::{self, Session, compile_or_explain};
use anyhow::bail;
use chrono::Utc;
use std::io::{self, Write};
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
    intro(&exercise, &run)?;
    play_session(&mut session, &mut run)
}

/// Plays a run until it ends or pauses, journaling every change, then tells
/// the couple how to come back to it. Shared by `mend run` and `mend resume`.
pub fn play_session(session: &mut Session, run: &mut Run) -> Status {
    let mut console = session::console();
    let outcome = play(run, console.as_mut(), &Utc::now, &mut |run| {
        session.save(run)
    })?;
    drop(console);
    finish(run, outcome, session.id())
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

fn intro(exercise: &Exercise, run: &Run) -> io::Result<()> {
    let screen = Screen::plain();
    let mut out = io::stdout().lock();
    writeln!(out, "{}", screen.title(&exercise.title, exercise.minutes))?;
    for (i, role) in exercise.roles.iter().enumerate() {
        let name = &run.state().partners[run.partner_for(i)];
        writeln!(
            out,
            "{name} is the {}: {}",
            role.name,
            role.description.trim()
        )?;
    }
    writeln!(out)
}

fn finish(run: &Run, outcome: Outcome, session: &str) -> Status {
    match outcome {
        Outcome::Finished => {
            if let Some(notes) = run.notes()? {
                println!("{}", notes.trim_end());
            }
            println!(
                "\nSaved as session {session}. `mend notes {session}` writes the session notes."
            );
            println!(
                "\nWell done, both of you. That's the end of {}.",
                run.exercise().title
            );
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Paused | Outcome::Quit => {
            println!(
                "Saved as session {session}. To pick up where you left off: mend resume {session}"
            );
            Ok(ExitCode::SUCCESS)
        }
        Outcome::InputEnded { step, name } => {
            println!(
                "Everything up to here is saved as session {session}. To go on: mend resume {session}"
            );
            bail!("input ended while step `{step}` was waiting for {name}'s answer")
        }
    }
}
