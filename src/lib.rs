//! mend: a guided conversation engine for couples rebuilding trust.
//!
//! The source tree follows the layers (docs/architecture.md); each folder's
//! `mod.rs` says what it owns and what it may import, and
//! `tests/integration/layers.rs` enforces it:
//!
//! - leaves: `limits`, `text`, `markdown`, `partners`
//! - `diagnostic`: located errors, sources, YAML paths
//! - `script`: rhai rules, minijinja templates, helpers, the names scripts read
//! - `engine`: the exercise, the run as a pure state machine, the pure ledger
//! - `format`: the YAML spec, loader, compiler, analysis, library
//! - `store`: the data dir, locks, journals, sessions, the ledger's files
//! - `notes`: session notes
//! - `frontend`: the one play loop and the terminal and piped front-ends
//! - `lsp`: the language server (`mend lsp`), beside the front-ends
//! - `playtest`: test plans, their runner, the random walker
//! - `web`: `mend serve`, the sittings in a browser, over the same play loop
//! - `cmd`: one file per subcommand

pub mod cmd;
pub mod diagnostic;
pub mod engine;
pub mod format;
pub mod frontend;
pub mod limits;
pub mod lsp;
pub mod markdown;
pub mod notes;
pub mod partners;
pub mod playtest;
pub mod script;
pub mod store;
pub mod text;
pub mod web;

pub use diagnostic::{Diagnostic, Severity, Source};
pub use engine::{Event, Exercise, Prompt, Reply, Run, RunError};
pub use format::{Compiled, WordLists, compile};
