//! The web front-end (`mend serve`): the same sittings as `mend session`, in
//! a browser, at one screen or on two devices. Each sitting runs the one play
//! loop (`frontend::play`) on a thread of its own, through a console whose
//! input comes from HTTP requests and whose output is a conversation the
//! pages read; the journal, the ledger and the notes are the terminal's.
//!
//! May import: `notes`, `frontend`, `store`, `format`, `engine`, `script`,
//! `diagnostic` and the top-level leaves.

pub(crate) mod access;
pub(crate) mod assets;
pub(crate) mod console;
pub(crate) mod conversation;
pub(crate) mod guard;
pub(crate) mod notes_html;
pub(crate) mod offers;
pub(crate) mod qr;
pub(crate) mod routes;
pub(crate) mod serve_error;
pub(crate) mod server;
pub(crate) mod sitting;
pub(crate) mod sitting_error;
pub(crate) mod token;

pub use serve_error::ServeError;
pub use server::{Config, serve};
pub use sitting::Places;
