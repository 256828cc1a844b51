//! Why notes could not be written: a template that cannot be found, read or
//! rendered, a session with nothing to write from, or the data folder.

use crate::engine::error::RunError;
use crate::store::store_error::StoreError;
use std::fmt;

#[derive(Debug)]
pub enum NotesError {
    /// What is wrong, said in full (the template's name and place in it).
    Refused(String),
    /// The couple's ledger could not be read.
    Store(StoreError),
    /// An exercise's own notes could not be made.
    Run(RunError),
}

impl fmt::Display for NotesError {
    /// `{:#}` adds the causes after the message, as the command line prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotesError::Refused(sentence) => f.write_str(sentence),
            NotesError::Store(error) => error.fmt(f),
            NotesError::Run(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for NotesError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // Transparent: the wrapped error's message is this one's.
        match self {
            NotesError::Refused(_) => None,
            NotesError::Store(error) => error.source(),
            NotesError::Run(error) => error.source(),
        }
    }
}

impl From<StoreError> for NotesError {
    fn from(error: StoreError) -> Self {
        NotesError::Store(error)
    }
}

impl From<RunError> for NotesError {
    fn from(error: RunError) -> Self {
        NotesError::Run(error)
    }
}
