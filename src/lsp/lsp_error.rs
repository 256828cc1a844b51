//! Why the language server stopped: the editor broke the protocol, went
//! away, or stdio failed.

use lsp_server::ProtocolError;
use std::{fmt, io};

#[derive(Debug)]
pub enum LspError {
    /// The editor did not follow the protocol (or closed the connection).
    Protocol(ProtocolError),
    /// A reply could not be sent: the connection is closed.
    Closed,
    /// Reading or writing stdio failed.
    Io(io::Error),
}

impl fmt::Display for LspError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LspError::Protocol(error) => error.fmt(f),
            // The channel's own words for its send error.
            LspError::Closed => f.write_str("sending on a closed channel"),
            LspError::Io(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for LspError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // Transparent: the wrapped error's message is this one's.
        match self {
            LspError::Protocol(error) => error.source(),
            LspError::Closed => None,
            LspError::Io(error) => error.source(),
        }
    }
}

impl From<ProtocolError> for LspError {
    fn from(error: ProtocolError) -> Self {
        LspError::Protocol(error)
    }
}

impl From<io::Error> for LspError {
    fn from(error: io::Error) -> Self {
        LspError::Io(error)
    }
}
