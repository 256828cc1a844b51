//! The engine: a compiled `Exercise`, a `Run` that plays it as a pure state machine
//! (no clock, no terminal, no files: time comes in as a parameter), its events,
//! state, errors, relocation after an edit, suggestions, and the pure half of the ledger.
//!
//! May import: `script`, `diagnostic` and the top-level leaves.

pub mod error;
pub mod event;
pub mod exercise;
pub mod ledger;
pub mod relocate;
pub mod run;
pub mod state;
pub mod suggest;
pub mod view;
