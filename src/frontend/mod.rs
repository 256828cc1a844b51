//! Front-ends: the one play loop, the console trait, the REPL, piped input, the screen
//! and the in-play commands, and the sitting around each exercise (picker, summary)
//! that the terminal and the browser share.
//!
//! May import: `store`, `format`, `engine`, `script`, `diagnostic` and the top-level leaves.

pub(crate) mod command;
pub(crate) mod console;
pub(crate) mod passphrase;
pub(crate) mod picker;
pub(crate) mod play;
pub(crate) mod repl;
pub(crate) mod roles;
pub(crate) mod safety;
pub(crate) mod screen;
pub(crate) mod scripted;
pub(crate) mod sitting;
pub(crate) mod welcome_back;

pub use play::{Console, Input, Outcome, PlayError, Recorder, YesNo, play};
pub use safety::{SAFETY_NOTE, SAFETY_WORDS, safety_words};
pub use screen::markdown_as_text;
