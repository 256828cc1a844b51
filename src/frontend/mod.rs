//! Front-ends: the one play loop, the console trait, the REPL, piped input, the screen
//! and the in-play commands.
//!
//! May import: `store`, `format`, `engine`, `script`, `diagnostic` and the top-level leaves.

pub mod command;
pub mod console;
pub mod passphrase;
pub mod play;
pub mod repl;
pub mod roles;
pub mod safety;
pub mod screen;
pub mod scripted;
