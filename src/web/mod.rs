//! The web front-end (`mend serve`): the same sittings as `mend session`, in
//! a browser, at one screen or on two devices. Each sitting runs the one play
//! loop (`frontend::play`) on a thread of its own, through a console whose
//! input comes from HTTP requests and whose output is a conversation the
//! pages read; the journal, the ledger and the notes are the terminal's.
//!
//! May import: `notes`, `frontend`, `store`, `format`, `engine`, `script`,
//! `diagnostic` and the top-level leaves.

pub mod access;
pub mod assets;
pub mod console;
pub mod conversation;
pub mod guard;
pub mod notes_html;
pub mod qr;
pub mod routes;
pub mod server;
pub mod sitting;
pub mod token;

pub use server::{Config, serve};
