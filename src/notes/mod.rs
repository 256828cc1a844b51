//! Session notes: rendering the record of a finished or paused session.
//!
//! May import: `store`, `format`, `engine`, `script`, `diagnostic` and the top-level leaves.

pub mod notes_error;
pub mod private_words;
pub mod render;
