use crate::cmd::Status;
use crate::cmd::run::play_session;
use crate::data::DataDir;
use crate::session::{self, Session};
use chrono::Utc;
use std::path::Path;

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
    let [a, b] = session.partners().clone();
    println!(
        "Welcome back, {a} and {b}. Picking up {title} where you left off; your earlier answers are all kept."
    );
    for message in messages {
        println!("{message}");
    }
    println!();
    play_session(&mut session, &mut run)
}
