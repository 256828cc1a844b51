//! The engine: a compiled `Exercise`, a `Run` that plays it as a pure state machine
//! (no clock, no terminal, no files: time comes in as a parameter), its events,
//! state, errors, relocation after an edit, suggestions, and the pure half of the ledger.
//!
//! May import: `script`, `diagnostic` and the top-level leaves.

pub(crate) mod error;
pub(crate) mod event;
pub(crate) mod exercise;
pub(crate) mod ledger;
pub(crate) mod pick;
pub(crate) mod relocate;
pub(crate) mod run;
pub(crate) mod state;
pub(crate) mod suggest;
pub(crate) mod view;

pub use error::{RestoreError, RunError};
pub use event::{Event, Progress, Prompt, Reply};
pub use exercise::{Exercise, Step, StepKind};
pub use ledger::{
    AgreementView, CommitmentView, Item, ItemKind, ItemStatus, ItemView, Ledger, LedgerView, Seed,
    SeedItem,
};
pub use run::Run;
pub use state::{AnswerRecord, Record, RecordKind, RunState};
