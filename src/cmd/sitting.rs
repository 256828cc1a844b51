//! A sitting at the keyboard, shared by `mend run`, `mend resume` and
//! `mend session`: introducing an exercise, playing it to its end or a pause
//! with every change journaled, showing its notes, and saying goodbye.

use crate::engine::run::Run;
use crate::frontend::play::{Console, Outcome, play, report_problems};
pub use crate::frontend::roles::{introduce, roles_text};
use crate::frontend::sitting::{self, show_notes};
use crate::store::session::Session;
use anyhow::bail;
use std::io;

/// Plays a run until it ends or pauses, journaling every change, shows its
/// notes when it finished, and tells the couple how to come back to it.
/// Shared by `mend run` and `mend resume` (`mend session` plays several
/// exercises with `introduce` and `farewell`, and shows notes at the end).
pub fn play_session(
    console: &mut dyn Console,
    session: &mut Session,
    run: &mut Run,
) -> anyhow::Result<Outcome> {
    let outcome = play(run, console, &crate::store::session::now, session)?;
    if outcome == Outcome::Finished
        && let Some(notes) = run.notes_in_session()
    {
        report_problems(run, console)?;
        let notes = crate::notes::private_words::clear_text(&notes, &session.private_words(run));
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

/// What the partners see when play stops (`frontend::sitting::farewell`);
/// running out of piped input is an error that names the waiting step.
pub fn farewell(console: &mut dyn Console, run: &Run, outcome: Outcome) -> anyhow::Result<()> {
    refuse_ended_input(&outcome)?;
    sitting::farewell(console, run, &outcome)?;
    Ok(())
}

/// Piped input that stopped while a step waited is an error naming it.
pub fn refuse_ended_input(outcome: &Outcome) -> anyhow::Result<()> {
    if let Outcome::InputEnded { step, name } = outcome {
        bail!("input ended while step `{step}` was waiting for {name}'s answer")
    }
    Ok(())
}
