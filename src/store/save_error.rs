//! Why a change to a run could not be saved: the one error a front-end's
//! save hook gives, so it can refuse an answer that is too large without
//! looking inside an untyped error.

use crate::store::journal::StateTooLarge;
use crate::store::store_error::StoreError;
use std::{fmt, io};

#[derive(Debug)]
pub enum SaveError {
    /// The run's record would pass the journal's limit: nothing was
    /// written, and the change can be undone and refused.
    TooLarge(StateTooLarge),
    /// The change could not be written (the journal or the ledger).
    Io(io::Error),
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::TooLarge(too_large) => too_large.fmt(f),
            SaveError::Io(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for SaveError {
    /// The cause behind the message, so `{:#}` shows the whole chain.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SaveError::TooLarge(_) => None,
            SaveError::Io(error) => error.source(),
        }
    }
}

impl From<StateTooLarge> for SaveError {
    fn from(too_large: StateTooLarge) -> Self {
        SaveError::TooLarge(too_large)
    }
}

/// A store failure keeps its whole chain inside the `io::Error`, so `{:#}`
/// still shows what was being written and why it failed.
impl From<StoreError> for SaveError {
    fn from(error: StoreError) -> Self {
        SaveError::Io(io::Error::other(error))
    }
}
