use crate::cmd::Status;
use crate::cmd::sitting::{play_session, roles_text};
use crate::frontend::console::open_console;
use crate::store::data_dir::DataDir;
use crate::store::session::{self, Session};
use chrono::Utc;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The session to continue [default: the latest unfinished one]
    pub session: Option<String>,
}

pub fn execute(args: Args, exercises: Option<&Path>, data: Option<&Path>) -> Status {
    let data = DataDir::open(data)?;
    let log = session::find(&data, args.session.as_deref())?;
    let mut session = Session::reopen(&data, &log, Box::new(Utc::now))?;
    for notice in session.take_notices() {
        eprintln!("note: {notice}");
    }
    let mut pending = session.pending(&log, exercises)?;
    let messages = std::mem::take(&mut pending.messages);
    let title = pending.exercise.title.clone();
    let mut run = session.resume_run(&mut pending)?;
    let mut console = open_console()?;
    let console = console.as_mut();
    let [a, b] = session.partners().clone();
    console.heading(&format!("Welcome back, {a} and {b}"))?;
    console.say(&format!(
        "Picking up {title} where you left off; your earlier answers are all kept.\n{}",
        roles_text(&run)
    ))?;
    for message in messages {
        console.info(&message)?;
    }
    play_session(console, &mut session, &mut run)?;
    Ok(ExitCode::SUCCESS)
}
