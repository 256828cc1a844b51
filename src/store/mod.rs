//! Storage: the data dir, locks, journals, sessions, and the files of the ledger.
//!
//! May import: `format`, `engine`, `script`, `diagnostic` and the top-level leaves.

pub mod data_dir;
pub mod journal;
pub mod ledger_file;
pub mod lock;
pub mod save_error;
pub mod session;
pub mod session_log;
