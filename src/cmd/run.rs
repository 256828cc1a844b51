use crate::cmd::Status;
use crate::compiler::compile;
use crate::console::open_console;
use crate::diagnostic::Diagnostics;
use crate::exercise::Exercise;
use crate::library::{Library, exercise_id, read_source};
use crate::partners;
use crate::play::{Console, Outcome, play};
use crate::run::Run;
use crate::screen::markdown_as_text;
use anyhow::bail;
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

pub fn execute(args: Args, exercises: Option<&Path>) -> Status {
    let partners = match &args.partners {
        Some(list) => partners::parse(list)?,
        None => partners::defaults(),
    };
    let exercise = load(&args.exercise, exercises)?;
    let mut run = Run::start(&exercise, partners);
    let mut console = open_console()?;
    let console = console.as_mut();
    introduce(console, &run)?;
    let outcome = play(&mut run, console, &chrono::Utc::now, &mut |_| Ok(()))?;
    if outcome == Outcome::Finished
        && let Some(notes) = run.notes()?
    {
        show_notes(console, &notes)?;
    }
    farewell(console, &run, outcome)?;
    Ok(ExitCode::SUCCESS)
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

/// The exercise's title and who plays which role.
pub fn introduce(console: &mut dyn Console, run: &Run) -> io::Result<()> {
    let exercise = run.exercise();
    console.heading(&format!(
        "{} · about {} minutes",
        exercise.title, exercise.minutes
    ))?;
    console.say(&roles_text(run))
}

/// "Alex is the speaker: ...", one line per role.
pub fn roles_text(run: &Run) -> String {
    let partners = &run.state().partners;
    run.exercise()
        .roles
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let name = partners.get(run.partner_for(i)).map_or("", String::as_str);
            format!("{name} is the {}: {}", role.name, role.description.trim())
        })
        .collect::<Vec<_>>()
        .join("\n")
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
            "Well done, both of you. That's the end of {}.",
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
