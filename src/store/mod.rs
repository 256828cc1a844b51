//! Storage: the data dir, locks, journals, sessions, and the files of the ledger.
//!
//! May import: `format`, `engine`, `script`, `diagnostic` and the top-level leaves.

pub mod archive;
pub mod couple_data;
pub mod data_dir;
pub mod journal;
pub mod ledger_file;
pub mod lock;
pub mod private;
pub mod save_error;
pub mod sealed;
pub mod session;
pub mod session_log;
