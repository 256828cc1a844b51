//! Why the data folder could not be used: what mend was doing, and the
//! cause. `{:#}` shows the whole chain, as the command line prints it.

use crate::diagnostic::report::Diagnostic;
use crate::engine::error::RestoreError;
use crate::format::library::LibraryError;
use crate::store::save_error::SaveError;
use std::{fmt, io};

#[derive(Debug)]
pub enum StoreError {
    /// A file or folder could not be made, opened, locked, read or written.
    Io { doing: String, source: io::Error },
    /// A file mend wrote no longer reads as what it wrote.
    Damaged {
        doing: String,
        source: serde_json::Error,
    },
    /// A file that should hold text does not.
    NotText {
        doing: String,
        source: std::string::FromUtf8Error,
    },
    /// A step of a larger task failed: the larger task, and the step's error.
    Within {
        doing: String,
        source: Box<StoreError>,
    },
    /// Something the store refuses, said in full.
    Refused(String),
    // The wrapped errors below are boxed: a result carrying a `StoreError`
    // stays small.
    /// An I/O error that is its own message.
    Os(io::Error),
    /// A serialization error that is its own message.
    Json(serde_json::Error),
    /// The exercise library could not be opened or searched.
    Library(Box<LibraryError>),
    /// An exercise file could not be read.
    Unreadable(Box<Diagnostic>),
    /// A saved run no longer fits its exercise.
    Restore(Box<RestoreError>),
    /// A change to a run could not be saved.
    Save(Box<SaveError>),
}

impl fmt::Display for StoreError {
    /// `{}` is this error's own message; `{:#}` adds every cause after it,
    /// each after `: `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Io { doing, .. }
            | StoreError::Damaged { doing, .. }
            | StoreError::NotText { doing, .. }
            | StoreError::Within { doing, .. } => f.write_str(doing)?,
            StoreError::Refused(sentence) => f.write_str(sentence)?,
            StoreError::Os(error) => write!(f, "{error}")?,
            StoreError::Json(error) => write!(f, "{error}")?,
            StoreError::Library(error) => write!(f, "{error}")?,
            StoreError::Unreadable(error) => write!(f, "{error}")?,
            StoreError::Restore(error) => write!(f, "{error}")?,
            StoreError::Save(error) => write!(f, "{error}")?,
        }
        if f.alternate() {
            let mut cause = std::error::Error::source(self);
            while let Some(error) = cause {
                write!(f, ": {error}")?;
                cause = error.source();
            }
        }
        Ok(())
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Io { source, .. } => Some(source),
            StoreError::Damaged { source, .. } => Some(source),
            StoreError::NotText { source, .. } => Some(source),
            StoreError::Within { source, .. } => Some(source.as_ref()),
            StoreError::Refused(_) => None,
            // Transparent: the wrapped error's message is this one's, so
            // its causes are this one's.
            StoreError::Os(error) => error.source(),
            StoreError::Json(error) => error.source(),
            StoreError::Library(error) => error.source(),
            StoreError::Unreadable(error) => error.source(),
            StoreError::Restore(error) => error.source(),
            StoreError::Save(error) => error.source(),
        }
    }
}

impl StoreError {
    /// This error as one step of a larger task.
    pub fn within(self, doing: impl FnOnce() -> String) -> StoreError {
        StoreError::Within {
            doing: doing(),
            source: Box::new(self),
        }
    }
}

impl From<io::Error> for StoreError {
    fn from(error: io::Error) -> Self {
        StoreError::Os(error)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        StoreError::Json(error)
    }
}

impl From<LibraryError> for StoreError {
    fn from(error: LibraryError) -> Self {
        StoreError::Library(Box::new(error))
    }
}

impl From<Diagnostic> for StoreError {
    fn from(error: Diagnostic) -> Self {
        StoreError::Unreadable(Box::new(error))
    }
}

impl From<SaveError> for StoreError {
    fn from(error: SaveError) -> Self {
        StoreError::Save(Box::new(error))
    }
}

impl From<RestoreError> for StoreError {
    fn from(error: RestoreError) -> Self {
        StoreError::Restore(Box::new(error))
    }
}

/// `.doing(|| ...)` on a result: says what failed.
pub trait Doing<T> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T, StoreError>;
}

impl<T> Doing<T> for io::Result<T> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Io {
            doing: what(),
            source,
        })
    }
}

impl<T> Doing<T> for Result<T, serde_json::Error> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Damaged {
            doing: what(),
            source,
        })
    }
}

impl<T> Doing<T> for Result<T, std::string::FromUtf8Error> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::NotText {
            doing: what(),
            source,
        })
    }
}

impl<T> Doing<T> for Result<T, StoreError> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T, StoreError> {
        self.map_err(|error| error.within(what))
    }
}
