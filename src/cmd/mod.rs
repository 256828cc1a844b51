//! The command line: one module per command, each with its arguments and an
//! `execute`.

use crate::engine::error::RunError;
use crate::frontend::play::PlayError;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

pub(crate) mod check;
pub(crate) mod erase;
pub(crate) mod export;
pub(crate) mod graph;
pub(crate) mod import;
pub(crate) mod ledger;
pub(crate) mod list;
pub(crate) mod lsp;
pub(crate) mod new;
// `notes` and `sessions` are public for `cargo bench --bench history`,
// which times what these commands do.
pub mod notes;
pub(crate) mod resume;
pub(crate) mod run;
pub(crate) mod schema;
pub(crate) mod serve;
pub(crate) mod session;
pub mod sessions;
pub(crate) mod sitting;
pub(crate) mod test;
pub(crate) mod watch;

#[derive(Debug, Parser)]
#[command(
    name = "mend",
    version,
    about = "Guided conversations for couples rebuilding trust"
)]
pub struct Cli {
    /// The exercise library folder [default: ./exercises if present, else the built-in library]
    #[arg(long, global = true, env = "MEND_EXERCISES", value_name = "DIR")]
    pub exercises: Option<PathBuf>,

    /// Where sessions and ledgers are kept [default: the user data folder, e.g. ~/.local/share/mend]
    #[arg(long, global = true, env = "MEND_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the exercises in the library
    List(list::Args),
    /// Compile exercise files and report every problem
    Check(check::Args),
    /// Play one exercise
    Run(run::Args),
    /// Write a new exercise and its test plan, ready to edit
    New(new::Args),
    /// Print the JSON Schema of exercise files
    Schema(schema::Args),
    /// Play the test plans beside exercises, or random playthroughs
    Test(test::Args),
    /// A session for two: pick exercises one after another
    Session(session::Args),
    /// List past sessions
    Sessions(sessions::Args),
    /// Continue a paused session where it stopped
    Resume(resume::Args),
    /// Show a couple's commitments and agreements
    Ledger(ledger::Args),
    /// Write a session's notes as Markdown
    Notes(notes::Args),
    /// A language server for exercise files, over stdio (for editors)
    Lsp(lsp::Args),
    /// Draw an exercise's steps and branches (Mermaid, or DOT with --format dot)
    Graph(graph::Args),
    /// Re-check an exercise and replay its test plans each time it is saved
    Watch(watch::Args),
    /// Write everything of one couple into one archive (optionally encrypted)
    Export(export::Args),
    /// Add a couple's sessions from an archive `mend export` wrote
    Import(import::Args),
    /// Remove everything mend keeps for one couple, after a confirmation
    Erase(erase::Args),
    /// Sittings in a web browser, at one screen or on two devices
    Serve(serve::Args),
}

/// What a command reports back: success, or a failure already explained to the user.
pub type Status = anyhow::Result<ExitCode>;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::List(args) => list::execute(args, cli.exercises.as_deref()),
        Command::Check(args) => check::execute(args, cli.exercises.as_deref()),
        Command::Run(args) => run::execute(args, cli.exercises.as_deref(), cli.data.as_deref()),
        Command::New(args) => new::execute(args, cli.exercises.as_deref()),
        Command::Schema(args) => schema::execute(args),
        Command::Test(args) => test::execute(args, cli.exercises.as_deref()),
        Command::Session(args) => {
            session::execute(args, cli.exercises.as_deref(), cli.data.as_deref())
        }
        Command::Sessions(args) => sessions::execute(args, cli.data.as_deref()),
        Command::Resume(args) => {
            resume::execute(args, cli.exercises.as_deref(), cli.data.as_deref())
        }
        Command::Ledger(args) => ledger::execute(args, cli.data.as_deref()),
        Command::Notes(args) => notes::execute(args, cli.data.as_deref()),
        Command::Lsp(args) => lsp::execute(args),
        Command::Graph(args) => graph::execute(args, cli.exercises.as_deref()),
        Command::Watch(args) => watch::execute(args, cli.exercises.as_deref()),
        Command::Export(args) => export::execute(args, cli.data.as_deref()),
        Command::Import(args) => import::execute(args, cli.data.as_deref()),
        Command::Erase(args) => erase::execute(args, cli.data.as_deref()),
        Command::Serve(args) => serve::execute(args, cli.exercises.as_deref(), cli.data.as_deref()),
    };
    match result {
        Ok(code) => code,
        // A run error is already a located diagnostic (`file:line:col: error: ...`).
        Err(error) => {
            match located(&error) {
                Some(located) => eprintln!("{located}"),
                None => eprintln!("error: {error:#}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// The run error behind a command's failure, if it is one: it already says
/// `file:line:col: error: ...`.
fn located(error: &anyhow::Error) -> Option<&RunError> {
    error
        .downcast_ref::<RunError>()
        .or_else(|| match error.downcast_ref::<PlayError>() {
            Some(PlayError::Run(located)) => Some(located),
            _ => None,
        })
}
