//! The parts of a sitting around each exercise, one for every front-end
//! (`mend session` and `mend resume` in a terminal, `mend serve` in a
//! browser): a time-out before the first question, what is said when an
//! exercise stops, who declined it, whether to do another, and the summary
//! at the end. A front-end supplies the console and where the exercises
//! come from; what the partners are told is decided here, once.

use crate::engine::run::Run;
use crate::frontend::command::break_text;
use crate::frontend::play::{Console, Outcome, PlayError, YesNo, report_problems};
use crate::frontend::roles::offer_swap;
use crate::frontend::screen::markdown_as_text;
use crate::store::moment::{Moment, MomentKind};
use crate::store::session::Session;
use std::io;

/// One exercise of the sitting, as the summary shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Played {
    pub title: String,
    pub outcome: Outcome,
    /// What the exercise contributes to notes, when it was finished.
    pub notes: Option<String>,
    /// Who declined it, in their words, when a partner did.
    pub declined: Option<String>,
}

impl Played {
    /// What the sitting remembers of `run` once it stopped with `outcome`.
    /// `notes` are the exercise's notes when it finished.
    pub fn of(run: &Run, outcome: Outcome, notes: Option<String>) -> Played {
        Played {
            title: run.exercise().title.clone(),
            declined: declined_by(run),
            notes: if outcome == Outcome::Finished {
                notes
            } else {
                None
            },
            outcome,
        }
    }

    /// "finished", "paused for a break", "declined by Sam: “Not today.”"...
    pub fn how(&self) -> &str {
        match (&self.outcome, &self.declined) {
            (Outcome::Finished, Some(declined)) => declined.as_str(),
            (Outcome::Finished, None) => "finished",
            (Outcome::Paused, _) => "paused for a break",
            (Outcome::Quit | Outcome::InputEnded { .. }, _) => "stopped before the end",
        }
    }
}

/// "declined by Alex: “Not today.”" when a choice the exercise's `pace`
/// names as declining was made.
pub fn declined_by(run: &Run) -> Option<String> {
    let pace = run.exercise().pace.as_ref()?;
    run.state().answers.iter().find_map(|a| {
        let chosen = a.text.as_deref()?;
        pace.declines
            .iter()
            .any(|(step, key)| *step == a.step && key == chosen)
            .then(|| {
                let words = a.label.as_deref().unwrap_or(chosen);
                format!("declined by {}: \u{201c}{}\u{201d}", a.name, words.trim())
            })
    })
}

/// The question between exercises.
pub const ANOTHER_QUESTION: &str = "Would you like to do another exercise?";

/// Whether the sitting offers another exercise: always at the start, never
/// after one that stopped before its end, else when the partners say yes.
pub fn wants_another(console: &mut dyn Console, played: &[Played]) -> io::Result<bool> {
    match played.last() {
        None => Ok(true),
        Some(last) if last.outcome != Outcome::Finished => Ok(false),
        Some(_) => console.confirm(ANOTHER_QUESTION),
    }
}

/// The swap question before the first question of a new run; a time-out
/// there (a break or leaving) is saved and journaled as one during play,
/// and its outcome returned. `None`: play on.
pub fn before_first_question(
    console: &mut dyn Console,
    session: &mut Session,
    run: &mut Run,
) -> Result<Option<Outcome>, PlayError> {
    let (kind, outcome) = match offer_swap(console, run)? {
        YesNo::Yes | YesNo::No => return Ok(None),
        YesNo::Break => (MomentKind::Break, Outcome::Paused),
        YesNo::Quit => (MomentKind::Quit, Outcome::Quit),
    };
    session.save(run)?;
    session.note(Moment::new(kind, session.now()))?;
    if outcome == Outcome::Paused {
        console.info(break_text(run.exercise()))?;
    }
    Ok(Some(outcome))
}

/// What the partners see when an exercise stops, and what the sitting
/// keeps of it: the closing line, the problems met on the way when it
/// finished, who declined it and its notes (without the `private` words a
/// partner kept out of them).
pub fn after_play(
    console: &mut dyn Console,
    run: &Run,
    outcome: Outcome,
    private: &[String],
) -> io::Result<Played> {
    farewell(console, run, &outcome)?;
    let notes = match outcome {
        Outcome::Finished => {
            let notes = run
                .notes_in_session()
                .map(|n| crate::notes::private_words::clear_text(&n, private));
            report_problems(run, console)?;
            notes
        }
        _ => None,
    };
    Ok(Played::of(run, outcome, notes))
}

/// What the partners see when play stops. Running out of piped input says
/// nothing here: the terminal reports it as an error naming the step.
pub fn farewell(console: &mut dyn Console, run: &Run, outcome: &Outcome) -> io::Result<()> {
    match outcome {
        Outcome::Finished => console.say(&format!(
            // Neutral on purpose: an exercise may end with "not today" or "not yet".
            "That's the end of {}. Thank you both.",
            run.exercise().title
        )),
        // `:break` has said how to come back.
        Outcome::Paused => Ok(()),
        Outcome::Quit => console.info(LEFT_TEXT),
        Outcome::InputEnded { .. } => Ok(()),
    }
}

/// What `:quit` (or Ctrl-C twice) says on the way out.
pub const LEFT_TEXT: &str =
    "Stopping here. When you are both ready, run `mend resume` to pick up where you left off.";

/// Where the front-end shows the notes of the sitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotesShown {
    /// Each exercise's notes as text, under the summary (a terminal), with
    /// the command that writes the session notes.
    Inline,
    /// The session notes below the conversation, to read, download or
    /// print (a browser).
    Below,
}

/// The heading of the summary.
pub const SUMMARY_HEADING: &str = "What you did today";

/// One line per exercise played: "  I-statements: finished".
pub fn summary_lines(played: &[Played]) -> Vec<String> {
    played
        .iter()
        .map(|exercise| format!("  {}: {}", exercise.title, exercise.how()))
        .collect()
}

/// The end of a sitting: what was done, where it is saved, how to come
/// back to what paused, and the notes.
pub fn summary(
    console: &mut dyn Console,
    played: &[Played],
    session: &str,
    notes: NotesShown,
) -> io::Result<()> {
    if played.is_empty() {
        return console.say("Take care of each other. You can start again any time.");
    }
    console.heading(SUMMARY_HEADING)?;
    console.say(&summary_lines(played).join("\n"))?;
    if notes == NotesShown::Inline {
        for text in played.iter().filter_map(|e| e.notes.as_deref()) {
            show_notes(console, text)?;
        }
    }
    let paused = played.iter().any(|e| e.outcome != Outcome::Finished);
    let resume = if paused {
        format!(" To pick up where you left off: mend resume {session}.")
    } else {
        String::new()
    };
    let where_notes = match notes {
        NotesShown::Inline => format!(
            "For session notes in Markdown: mend notes {session} (add --template dap for a DAP note)."
        ),
        NotesShown::Below => {
            "The session notes are below: read them here, download them as Markdown, or print them."
                .to_owned()
        }
    };
    console.info(&format!(
        "Everything is saved as session {session}.{resume} {where_notes}"
    ))?;
    console.say("Thank you both for the care you put into this.")
}

/// An exercise's notes (Markdown) as text on screen: headings as headings,
/// each paragraph as a block.
pub fn show_notes(console: &mut dyn Console, markdown: &str) -> io::Result<()> {
    for block in markdown
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        match block.strip_prefix('#') {
            Some(heading) => {
                console.heading(&markdown_as_text(heading.trim_start_matches('#').trim()))?
            }
            None => console.say(&markdown_as_text(block))?,
        }
    }
    Ok(())
}
