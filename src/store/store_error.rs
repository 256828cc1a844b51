//! Why the data folder could not be used: what mend was doing, and the
//! cause. `{:#}` shows both, as the command line prints it.

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
    /// Something the store refuses, said in full.
    Refused(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Io { doing, source } if f.alternate() => write!(f, "{doing}: {source}"),
            StoreError::Damaged { doing, source } if f.alternate() => {
                write!(f, "{doing}: {source}")
            }
            StoreError::Io { doing, .. } | StoreError::Damaged { doing, .. } => f.write_str(doing),
            StoreError::Refused(sentence) => f.write_str(sentence),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Io { source, .. } => Some(source),
            StoreError::Damaged { source, .. } => Some(source),
            StoreError::Refused(_) => None,
        }
    }
}

/// `.doing(|| ...)` on an I/O result: says what failed.
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
