//! Why `mend serve` could not start or keep serving.

use std::net::IpAddr;
use std::{fmt, io};

#[derive(Debug)]
pub enum ServeError {
    /// The address could not be listened on (in use, not this machine's,
    /// not permitted).
    Listen {
        listen: IpAddr,
        port: u16,
        source: io::Error,
    },
    /// The runtime, the library thread or the terminal's output failed:
    /// what was being done, and the cause.
    Io {
        doing: &'static str,
        source: io::Error,
    },
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Listen {
                listen,
                port,
                source,
            } => write!(f, "cannot listen on {listen}:{port}: {source}"),
            ServeError::Io { doing, .. } => f.write_str(doing),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // The cause is part of the message already.
            ServeError::Listen { .. } => None,
            ServeError::Io { source, .. } => Some(source),
        }
    }
}

impl ServeError {
    /// An I/O error while `doing` something, as a `map_err` argument.
    pub fn io(doing: &'static str) -> impl FnOnce(io::Error) -> ServeError {
        move |source| ServeError::Io { doing, source }
    }
}
