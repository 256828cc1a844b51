//! Storage: the data dir, locks, journals, sessions, and the files of the ledger.
//!
//! May import: `format`, `engine`, `script`, `diagnostic` and the top-level leaves.

pub(crate) mod archive;
pub(crate) mod couple_data;
pub(crate) mod data_dir;
pub(crate) mod exercise_texts;
pub mod journal;
pub(crate) mod kept_private;
pub mod ledger_file;
pub mod ledger_log;
pub(crate) mod lock;
pub mod moment;
pub(crate) mod private;
pub(crate) mod save_error;
pub(crate) mod sealed;
pub(crate) mod session;
pub(crate) mod session_index;
pub(crate) mod session_log;
pub(crate) mod state_delta;
pub(crate) mod store_error;
pub(crate) mod waiting;

pub use data_dir::DataDir;
pub use journal::StateTooLarge;
pub use save_error::SaveError;
pub use session::Session;
pub use session_log::{RunLog, SessionLog, newest};
pub use store_error::StoreError;
