//! mend: a guided conversation engine for couples rebuilding trust.
//!
//! Exercises are YAML files (`spec`) compiled once (`loader`, `compiler`) into
//! an `Exercise`; a `Run` plays one as a pure state machine; front-ends
//! (`scripted`, the terminal) drive it through `play`.

pub mod analysis;
pub mod cmd;
pub mod command;
pub mod compiler;
pub mod console;
pub mod data;
pub mod diagnostic;
pub mod due;
pub mod event;
pub mod exercise;
mod fast_expr;
mod fast_text;
pub mod helpers;
pub mod journal;
pub mod ledger;
pub mod library;
pub mod limits;
pub mod loader;
pub mod lock;
pub mod markdown;
mod names;
pub mod notes;
pub mod partners;
pub mod plan;
pub mod play;
pub mod references;
pub mod relocate;
pub mod repl;
pub mod run;
pub mod run_error;
pub mod screen;
pub mod script;
pub mod scripted;
pub mod session;
pub mod session_log;
pub mod source;
pub mod spec;
pub mod state;
pub mod suggest;
pub mod template;
pub mod tester;
pub mod text;
pub mod uses;
mod view;
pub mod walker;
pub mod yaml_path;

pub use compiler::{Compiled, compile};
pub use diagnostic::{Diagnostic, Severity};
pub use event::{Event, Prompt, Reply};
pub use exercise::Exercise;
pub use run::Run;
pub use run_error::RunError;
pub use source::Source;
