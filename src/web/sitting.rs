//! One sitting in a browser, from the safety note to the notes: the same
//! steps as `mend session`, run on the sitting's own thread through a
//! [`WebConsole`]. Every exercise is played by the one play loop and
//! journaled by `Session`, so a sitting paused here resumes in a terminal
//! (`mend resume`) and the other way round.

use crate::engine::exercise::Exercise;
use crate::engine::run::Run;
use crate::format::library::Library;
use crate::frontend::command::break_text;
use crate::frontend::play::{Console, Outcome, YesNo, play};
use crate::frontend::roles::{introduce, offer_swap, roles_text};
use crate::frontend::safety::SAFETY_NOTE;
use crate::frontend::welcome_back::{Ready, welcome_back};
use crate::notes::render as notes;
use crate::store::data_dir::DataDir;
use crate::store::moment::{Moment, MomentKind};
use crate::store::session::{self, Session, compile_or_explain, first_line};
use crate::store::store_error::StoreError;
use crate::web::console::{AfterBreak, WebConsole};
use crate::web::offers::Offers;
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

/// One exercise of the sitting, for the summary.
struct Played {
    title: String,
    outcome: Outcome,
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

fn sit(console: &mut WebConsole, setting: &Setting, start: Start) -> anyhow::Result<()> {
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
            let (session, done) = resume(console, &data, places, &id).map_err(|r| match r {
                Reopen::Refused(why) => anyhow::anyhow!(why),
                Reopen::Failed(error) => error,
            })?;
            played.push(done);
            (session, id)
        }
    };
    console.set_session(&id);
    while let Some(open) = session.take() {
        let stopped = played
            .last()
            .is_some_and(|p: &Played| p.outcome != Outcome::Finished);
        if stopped
            || (!played.is_empty() && !console.confirm("Would you like to do another exercise?")?)
        {
            break;
        }
        let ledger = open.ledger_view()?;
        // An idle sitting holds no exercise: the library thread says what
        // to offer.
        let (offered, problems) = setting
            .offers
            .for_ledger(ledger)
            .map_err(anyhow::Error::msg)?;
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
        let mut open = open;
        let mut run = open.start(&exercise, None)?;
        introduce(console, &run)?;
        // A time-out before the first question is journaled as the
        // terminal journals it, and the sitting pauses.
        let before = match offer_swap(console, &mut run)? {
            stop @ (YesNo::Break | YesNo::Quit) => {
                open.save(&run)?;
                let (kind, outcome) = match stop {
                    YesNo::Break => (MomentKind::Break, Outcome::Paused),
                    _ => (MomentKind::Quit, Outcome::Quit),
                };
                open.note(Moment::new(kind, open.now()))?;
                if outcome == Outcome::Paused {
                    console.info(break_text(run.exercise()))?;
                }
                Some(outcome)
            }
            YesNo::Yes | YesNo::No => None,
        };
        let (after, done) = play_through(console, &data, places, open, run, before)?;
        session = after;
        played.push(done);
    }
    drop(session);
    summary(console, &played)?;
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
fn offered_exercise(places: &Places, id: &str) -> anyhow::Result<Exercise> {
    let library = Library::open(places.exercises.as_deref())?;
    Ok(compile_or_explain(id, library.find(id)?)?)
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
) -> anyhow::Result<(Option<Session>, Played)> {
    let title = run.exercise().title.clone();
    let outcome = match before {
        Some(outcome) => outcome,
        None => play(&mut run, console, &session::now, &mut session)?,
    };
    match outcome {
        Outcome::Paused => {
            let id = session.id().to_owned();
            drop(run);
            drop(session);
            console.info(&format!(
                "When you are both ready, press \"Resume\" here, or run `mend resume {id}` in a terminal."
            ))?;
            loop {
                if console.paused() == AfterBreak::Stop {
                    return Ok((None, Played { title, outcome }));
                }
                match resume(console, data, places, &id) {
                    Ok(result) => return Ok(result),
                    Err(Reopen::Refused(why)) => console.hint(&why)?,
                    Err(Reopen::Failed(error)) => return Err(error),
                }
            }
        }
        Outcome::Finished => {
            console.say(&format!("That's the end of {title}. Thank you both."))?;
            Ok((Some(session), Played { title, outcome }))
        }
        Outcome::Quit | Outcome::InputEnded { .. } => Ok((None, Played { title, outcome })),
    }
}

/// Why a paused session could not be taken up again.
enum Reopen {
    /// Said to the partners; the sitting stays paused (open in a terminal,
    /// finished elsewhere).
    Refused(String),
    /// Something went wrong while playing it.
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for Reopen {
    fn from(error: anyhow::Error) -> Reopen {
        Reopen::Failed(error)
    }
}

impl From<StoreError> for Reopen {
    fn from(error: StoreError) -> Reopen {
        Reopen::Failed(error.into())
    }
}

/// Takes up a paused session from its journal, as `mend resume` does, and
/// plays its waiting exercise.
fn resume(
    console: &mut WebConsole,
    data: &DataDir,
    places: &Places,
    id: &str,
) -> Result<(Option<Session>, Played), Reopen> {
    let refused = |e: StoreError| Reopen::Refused(format!("{}.", first_line(&e)));
    let log = session::find(data, Some(id)).map_err(refused)?;
    let mut session = Session::reopen(data, &log, Box::new(session::now)).map_err(refused)?;
    let mut pending = session
        .pending(&log, places.exercises.as_deref())
        .map_err(refused)?;
    for notice in session.take_notices() {
        console.info(&notice).map_err(anyhow::Error::from)?;
    }
    let messages = std::mem::take(&mut pending.messages);
    let run = session.resume_run(&mut pending)?;
    // The same welcome back as `mend resume`: the facts of the break, the
    // answers so far, and whether now is a good time.
    let before = match welcome_back(console, &mut session, &log, &run, messages)
        .map_err(anyhow::Error::from)?
    {
        Ready::Yes => {
            console
                .say(&roles_text(&run))
                .map_err(anyhow::Error::from)?;
            None
        }
        Ready::NotYet(name) => {
            console
                .say(&format!(
                    "That's all right, {name}. Nothing is lost. Come back when you are ready."
                ))
                .map_err(anyhow::Error::from)?;
            Some(Outcome::Paused)
        }
    };
    Ok(play_through(console, data, places, session, run, before)?)
}

fn summary(console: &mut WebConsole, played: &[Played]) -> anyhow::Result<()> {
    if played.is_empty() {
        console.say("Take care of each other. You can start again any time.")?;
        return Ok(());
    }
    let lines: Vec<String> = played
        .iter()
        .map(|p| {
            let how = match p.outcome {
                Outcome::Finished => "finished",
                Outcome::Paused => "paused for a break",
                Outcome::Quit | Outcome::InputEnded { .. } => "stopped before the end",
            };
            format!("{}: {how}", p.title)
        })
        .collect();
    console.heading("What you did today")?;
    console.say(&lines.join("\n"))?;
    console.say("Thank you both for the care you put into this.")?;
    Ok(())
}
