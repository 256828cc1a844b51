//! One sitting in a browser, from the safety note to the notes: the same
//! steps as `mend session`, run on the sitting's own thread through a
//! [`WebConsole`]. Every exercise is played by the one play loop and
//! journaled by `Session`, so a sitting paused here resumes in a terminal
//! (`mend resume`) and the other way round.

use crate::engine::exercise::Exercise;
use crate::engine::run::Run;
use crate::format::library::Library;
use crate::frontend::play::{Console, Outcome, play};
use crate::frontend::roles::{introduce, roles_text};
use crate::frontend::safety::SAFETY_NOTE;
use crate::frontend::sitting::{
    NotesShown, Played, after_play, before_first_question, summary, wants_another,
};
use crate::frontend::welcome_back::{Ready, welcome_back};
use crate::notes::render as notes;
use crate::store::data_dir::DataDir;
use crate::store::session::{self, Session, compile_or_explain, first_line};
use crate::store::store_error::StoreError;
use crate::web::console::{AfterBreak, WebConsole};
use crate::web::offers::Offers;
use crate::web::sitting_error::SittingError;
use std::path::PathBuf;

/// Where the server finds exercises and keeps sessions.
#[derive(Debug, Clone, Default)]
pub struct Places {
    pub exercises: Option<PathBuf>,
    pub data: Option<PathBuf>,
}

/// What a sitting's thread is given: the places, and the library thread.
#[derive(Clone)]
pub struct Setting {
    pub places: Places,
    pub offers: Offers,
}

/// How a sitting begins.
#[derive(Debug, Clone)]
pub enum Start {
    New([String; 2]),
    /// A paused session, by id (from the browser or a terminal).
    Resume(String),
}

/// Runs the sitting to its end. Errors end the sitting with a calm line on
/// every page; nothing saved is lost.
pub fn run(console: &mut WebConsole, setting: &Setting, start: Start) {
    if let Err(error) = sit(console, setting, start) {
        let _ = console.hint(&format!(
            "The sitting had to stop: {}. Everything answered so far is saved.",
            first_line(&error)
        ));
    }
}

fn sit(console: &mut WebConsole, setting: &Setting, start: Start) -> Result<(), SittingError> {
    let places = &setting.places;
    console.heading("Welcome to mend")?;
    console.say(SAFETY_NOTE)?;
    console.info(
        "\"Take a break\" is always one click away, and saves everything. \"Change my last answer\" goes back one question.",
    )?;
    let data = DataDir::open(places.data.as_deref())?;
    let mut played = Vec::new();
    let (mut session, id) = match start {
        Start::New(partners) => {
            let session = Session::create(&data, partners, Box::new(session::now))?;
            let id = session.id().to_owned();
            (Some(session), id)
        }
        Start::Resume(id) => {
            console.set_session(&id);
            let (session, done) = resume(console, &data, places, &id)?;
            played.push(done);
            (session, id)
        }
    };
    console.set_session(&id);
    while let Some(mut open) = session.take() {
        if !wants_another(console, &played)? {
            break;
        }
        let ledger = open.ledger_view()?;
        // An idle sitting holds no exercise: the library thread says what
        // to offer.
        let (offered, problems) = setting
            .offers
            .for_ledger(ledger)
            .map_err(SittingError::Offers)?;
        for problem in problems {
            console.info(&problem)?;
        }
        let Some(picked) = console.pick(offered) else {
            break;
        };
        let exercise = match offered_exercise(places, &picked) {
            Ok(exercise) => exercise,
            Err(error) => {
                console.hint(&format!("{}.", first_line(&error)))?;
                session = Some(open);
                continue;
            }
        };
        let mut run = open.start(&exercise, None)?;
        introduce(console, &run)?;
        // A time-out before the first question is journaled as the
        // terminal journals it, and the sitting pauses.
        let before = before_first_question(console, &mut open, &mut run)?;
        let (after, done) = play_through(console, &data, places, open, run, before)?;
        session = after;
        played.push(done);
    }
    drop(session);
    summary(console, &played, &id, NotesShown::Below)?;
    let log = session::find(&data, Some(&id))?;
    let today = chrono::Local::now().date_naive();
    let notes = match played.is_empty() {
        true => None,
        false => Some(notes::render(&data, &log, None, today)?),
    };
    console.end(notes);
    Ok(())
}

/// The exercise the partners picked, compiled again from the library.
fn offered_exercise(places: &Places, id: &str) -> Result<Exercise, SittingError> {
    let library = Library::open(places.exercises.as_deref())?;
    Ok(compile_or_explain(id, library.find(id)?, library.words())?)
}

/// Plays `run` until it ends. A break releases the session (so a terminal
/// may resume it), waits for the partners, and resumes from the journal as
/// `mend resume` does. Returns the session when the sitting can go on.
fn play_through(
    console: &mut WebConsole,
    data: &DataDir,
    places: &Places,
    mut session: Session,
    mut run: Run,
    before: Option<Outcome>,
) -> Result<(Option<Session>, Played), SittingError> {
    let outcome = match before {
        Some(outcome) => outcome,
        None => play(&mut run, console, &session::now, &mut session)?,
    };
    let private = session.private_words(&run);
    let done = after_play(console, &run, outcome, &private)?;
    match done.outcome {
        Outcome::Paused => {
            let id = session.id().to_owned();
            drop(run);
            drop(session);
            console.info(&format!(
                "When you are both ready, press \"Resume\" here, or run `mend resume {id}` in a terminal."
            ))?;
            loop {
                if console.paused() == AfterBreak::Stop {
                    return Ok((None, done));
                }
                match resume(console, data, places, &id) {
                    Ok(result) => return Ok(result),
                    Err(SittingError::Refused(why)) => console.hint(&why)?,
                    Err(error) => return Err(error),
                }
            }
        }
        Outcome::Finished => Ok((Some(session), done)),
        Outcome::Quit | Outcome::InputEnded { .. } => Ok((None, done)),
    }
}

/// Takes up a paused session from its journal, as `mend resume` does, and
/// plays its waiting exercise. A session that cannot be taken up (open in
/// a terminal, finished elsewhere) is `SittingError::Refused`: the sitting
/// stays paused.
fn resume(
    console: &mut WebConsole,
    data: &DataDir,
    places: &Places,
    id: &str,
) -> Result<(Option<Session>, Played), SittingError> {
    let refused = |e: StoreError| SittingError::Refused(format!("{}.", first_line(&e)));
    let log = session::find(data, Some(id)).map_err(refused)?;
    let mut session = Session::reopen(data, &log, Box::new(session::now)).map_err(refused)?;
    let mut pending = session
        .pending(&log, places.exercises.as_deref())
        .map_err(refused)?;
    for notice in session.take_notices() {
        console.info(&notice)?;
    }
    let messages = std::mem::take(&mut pending.messages);
    let run = session.resume_run(&mut pending)?;
    // The same welcome back as `mend resume`: the facts of the break, the
    // answers so far, and whether now is a good time.
    let before = match welcome_back(console, &mut session, &log, &run, messages)? {
        Ready::Yes => {
            console.say(&roles_text(&run))?;
            None
        }
        Ready::NotYet(name) => {
            console.say(&format!(
                "That's all right, {name}. Nothing is lost. Come back when you are ready."
            ))?;
            Some(Outcome::Paused)
        }
    };
    play_through(console, data, places, session, run, before)
}
