//! Where mend keeps what couples said: `--data DIR`, `MEND_DATA`, or the
//! platform's user data folder. Everything under it is private to the user:
//! folders 0700 and files 0600 on unix, set when they are created; a folder
//! others could write in is refused or made private again (`private`).

use crate::store::private;
use crate::store::store_error::{Doing, StoreError};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// `--data` (clap also reads `MEND_DATA` into it), else the platform default.
    pub fn open(flag: Option<&Path>) -> Result<DataDir, StoreError> {
        let root = match flag {
            Some(dir) => dir.to_owned(),
            None => default_root()?,
        };
        let data = DataDir { root };
        if data.root.exists() {
            private::ensure_dir(&data.root, false)
                .doing(|| format!("cannot use the data folder `{}`", data.root.display()))?;
            // What a crash left half-written is a copy of what is saved.
            private::sweep_temps(&data.ledgers());
            data.sweep_session_temps()?;
            crate::store::exercise_texts::sweep(&data);
        }
        Ok(data)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn sessions(&self) -> PathBuf {
        self.root.join("sessions")
    }

    pub fn ledgers(&self) -> PathBuf {
        self.root.join("ledgers")
    }

    /// Where a journal is written before it replaces itself (compacting):
    /// a folder of its own, so that what a crash left there is found
    /// without listing every journal (`mend` would otherwise read a folder
    /// of 20,000 names at every start with 10,000 sessions).
    pub fn session_temps(&self) -> PathBuf {
        session_temps(&self.sessions())
    }

    /// Removes the temp files a crash left beside the journals. A data
    /// folder from before `session_temps` has its whole sessions folder
    /// swept, once.
    fn sweep_session_temps(&self) -> Result<(), StoreError> {
        let (sessions, temps) = (self.sessions(), self.session_temps());
        // A link where the folder should be is refused when a session is
        // written (`ensure`); nothing is made through it here.
        if !std::fs::symlink_metadata(&sessions).is_ok_and(|m| m.is_dir()) {
            return Ok(());
        }
        if temps.is_dir() {
            private::sweep_temps_in(&temps, &sessions);
        } else {
            private::sweep_temps(&sessions);
            self.ensure(&temps)?;
        }
        Ok(())
    }

    pub fn templates(&self) -> PathBuf {
        self.root.join("templates")
    }

    /// Creates `dir` (and the data root above it) as private folders.
    pub fn ensure(&self, dir: &Path) -> Result<(), StoreError> {
        for (folder, own) in [(&*self.root, false), (dir, dir != self.root)] {
            let note = private::ensure_dir(folder, own)
                .doing(|| format!("cannot use folder `{}`", folder.display()))?;
            if let Some(note) = note {
                eprintln!("note: {note}");
            }
        }
        Ok(())
    }
}

/// The platform's user data folder plus `mend`, by the XDG rules on Linux and
/// the BSDs. Six lines of rules did not justify a dependency.
fn default_root() -> Result<PathBuf, StoreError> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(windows) {
        var("APPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|home| home.join("Library/Application Support"))
    } else {
        var("XDG_DATA_HOME")
            .filter(|p| p.is_absolute())
            .or_else(|| var("HOME").map(|home| home.join(".local/share")))
    };
    match base {
        Some(base) => Ok(base.join("mend")),
        None => Err(StoreError::Refused(
            "cannot find a home folder for mend's data; pass --data DIR or set MEND_DATA"
                .to_owned(),
        )),
    }
}

/// The temp folder of the journals in `sessions` (see `DataDir::session_temps`).
pub fn session_temps(sessions: &Path) -> PathBuf {
    sessions.join(".tmp")
}

/// Replaces `path` with `bytes` atomically (see `private::write_atomic`).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    private::write_atomic(path, bytes).doing(|| format!("cannot write `{}`", path.display()))
}
