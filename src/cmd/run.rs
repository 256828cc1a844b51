use crate::cmd::Status;
use crate::compiler::compile;
use crate::diagnostic::Diagnostics;
use crate::exercise::Exercise;
use crate::library::{Library, exercise_id, read_source};
use crate::partners;
use crate::play::{Outcome, play};
use crate::run::Run;
use crate::screen::Screen;
use crate::scripted::Scripted;
use anyhow::bail;
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

pub fn execute(args: Args, exercises: Option<&Path>) -> Status {
    let partners = match &args.partners {
        Some(list) => partners::parse(list)?,
        None => partners::defaults(),
    };
    let exercise = load(&args.exercise, exercises)?;
    let mut run = Run::start(&exercise, partners);
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut console = Scripted::new(stdin.lock(), stdout.lock());
    intro(&exercise, &run)?;
    let outcome = play(&mut run, &mut console, &chrono::Utc::now, &mut |_| Ok(()))?;
    finish(&run, outcome)
}

/// Compiles an exercise given by id or path; errors show every diagnostic.
pub fn load(exercise: &str, exercises: Option<&Path>) -> anyhow::Result<Exercise> {
    let path = Path::new(exercise);
    let looks_like_path = exercise.ends_with(".yaml")
        || exercise.ends_with(".yml")
        || exercise.contains(std::path::MAIN_SEPARATOR);
    let (id, source) = if looks_like_path {
        let id = exercise_id(path).unwrap_or_else(|| exercise.to_owned());
        let source = read_source(path).map_err(|d| anyhow::anyhow!("{d}"))?;
        (id, source)
    } else {
        let library = Library::open(exercises)?;
        (exercise.to_owned(), library.find(exercise)?)
    };
    let compiled = compile(&id, source);
    match compiled.exercise {
        Some(exercise) => Ok(exercise),
        None => {
            let diagnostics = Diagnostics(compiled.diagnostics);
            bail!(
                "exercise `{id}` has errors:\n\n{diagnostics}{}",
                diagnostics.summary()
            )
        }
    }
}

fn intro(exercise: &Exercise, run: &Run) -> io::Result<()> {
    let screen = Screen::plain();
    let mut out = io::stdout().lock();
    writeln!(out, "{}", screen.title(&exercise.title, exercise.minutes))?;
    for (i, role) in exercise.roles.iter().enumerate() {
        let name = &run.state().partners[run.partner_for(i)];
        writeln!(out, "{name} ({}): {}", role.name, role.description.trim())?;
    }
    writeln!(out)
}

fn finish(run: &Run, outcome: Outcome) -> Status {
    match outcome {
        Outcome::Finished => {
            if let Some(notes) = run.notes()? {
                println!("{}", notes.trim_end());
            }
            println!(
                "\nWell done, both of you. That's the end of {}.",
                run.exercise().title
            );
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Paused | Outcome::Quit => Ok(ExitCode::SUCCESS),
        Outcome::InputEnded { step, name } => {
            bail!("input ended while step `{step}` was waiting for {name}'s answer")
        }
    }
}
