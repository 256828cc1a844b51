//! Why a web sitting had to stop. Every variant is transparent: its
//! message is the cause's own, so the calm line the pages show ("The
//! sitting had to stop: ...") reads as the terminal's error would.

use crate::format::library::LibraryError;
use crate::frontend::play::PlayError;
use crate::notes::notes_error::NotesError;
use crate::store::save_error::SaveError;
use crate::store::store_error::StoreError;
use std::{fmt, io};

#[derive(Debug)]
pub enum SittingError {
    /// The data folder or a session's journal could not be used.
    Store(StoreError),
    /// A change could not be saved.
    Save(SaveError),
    /// An exercise failed, or its console or journal did, during play.
    Play(PlayError),
    /// The sitting's console (its conversation) could not be written.
    Console(io::Error),
    /// The exercise library could not be opened or searched.
    Library(LibraryError),
    /// The session's notes could not be written.
    Notes(NotesError),
    /// The library thread could not say what to offer (its sentence).
    Offers(String),
    /// A paused session could not be taken up again (said in full: open in
    /// a terminal, finished elsewhere, not found).
    Refused(String),
}

impl fmt::Display for SittingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SittingError::Store(error) => error.fmt(f),
            SittingError::Save(error) => error.fmt(f),
            SittingError::Play(error) => error.fmt(f),
            SittingError::Console(error) => error.fmt(f),
            SittingError::Library(error) => error.fmt(f),
            SittingError::Notes(error) => error.fmt(f),
            SittingError::Offers(sentence) | SittingError::Refused(sentence) => {
                f.write_str(sentence)
            }
        }
    }
}

impl std::error::Error for SittingError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // Transparent: the wrapped error's causes are this one's.
        match self {
            SittingError::Store(error) => error.source(),
            SittingError::Save(error) => error.source(),
            SittingError::Play(error) => error.source(),
            SittingError::Console(error) => error.source(),
            SittingError::Library(error) => error.source(),
            SittingError::Notes(error) => error.source(),
            SittingError::Offers(_) | SittingError::Refused(_) => None,
        }
    }
}

macro_rules! from_cause {
    ($($cause:ty => $variant:ident),* $(,)?) => {
        $(impl From<$cause> for SittingError {
            fn from(error: $cause) -> SittingError {
                SittingError::$variant(error)
            }
        })*
    };
}

from_cause! {
    StoreError => Store,
    SaveError => Save,
    PlayError => Play,
    io::Error => Console,
    LibraryError => Library,
    NotesError => Notes,
}

#[cfg(test)]
mod tests {
    use super::SittingError;

    #[test]
    fn the_message_is_the_cause_s_own() {
        let error = SittingError::from(std::io::Error::other("the pipe closed"));
        assert_eq!(error.to_string(), "the pipe closed");
        assert_eq!(
            SittingError::Refused("Session 7 is open in a terminal.".to_owned()).to_string(),
            "Session 7 is open in a terminal."
        );
    }
}
