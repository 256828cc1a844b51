use crate::cmd::Status;
use crate::cmd::sitting::{introduce, play_session};
use crate::engine::exercise::Exercise;
use crate::format::library::{Library, exercise_id, read_source};
use crate::format::word_lists::WordLists;
use crate::frontend::console::open_console;
use crate::partners;
use crate::store::data_dir::DataDir;
use crate::store::session::{Session, compile_or_explain};
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
    let mut session = Session::create(&data, partners, Box::new(crate::store::session::now))?;
    let mut run = session.start(&exercise, file_path(&args.exercise))?;
    let mut console = open_console()?;
    let console = console.as_mut();
    console.say(crate::frontend::safety::SAFETY_NOTE)?;
    introduce(console, &run)?;
    play_session(console, &mut session, &mut run)?;
    Ok(ExitCode::SUCCESS)
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
    let (id, source, words) = match file_path(exercise) {
        Some(path) => {
            let id = exercise_id(path).unwrap_or_else(|| exercise.to_owned());
            let source = read_source(path)?;
            (id, source, std::sync::Arc::new(WordLists::beside(path)))
        }
        None => {
            let library = Library::open(exercises)?;
            let source = library.find(exercise)?;
            (exercise.to_owned(), source, library.words().clone())
        }
    };
    Ok(compile_or_explain(&id, source, &words)?)
}
