//! One mend at a time per session. The lock file holds the pid of the mend
//! that has the session open, and that mend holds an OS lock on it, which
//! the OS drops when the process ends however it ends. So a lock left by a
//! killed mend is never mistaken for a live one (a recycled pid cannot fool
//! it), and the next mend takes over and says so.

use crate::store::private;
use crate::store::store_error::{Doing, StoreError};
use std::fs::{File, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

#[derive(Debug)]
pub struct SessionLock {
    file: File,
}

impl SessionLock {
    /// Takes the lock for `session`. Also returns a note when a mend that
    /// ended without closing the session held it before.
    pub fn acquire(
        path: &Path,
        session: &str,
    ) -> Result<(SessionLock, Option<String>), StoreError> {
        let mut file = private::open_lock(path)
            .doing(|| format!("cannot open lock file `{}`", path.display()))?;
        let mut holder = String::new();
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let _ = file.read_to_string(&mut holder);
                let by = match holder.trim() {
                    "" => String::new(),
                    pid => format!(" (by mend process {pid})"),
                };
                return Err(StoreError::Refused(format!(
                    "session {session} is open elsewhere{by}; finish or :break it there first"
                )));
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).doing(|| format!("cannot lock `{}`", path.display()));
            }
        }
        file.read_to_string(&mut holder)
            .doing(|| format!("cannot read lock file `{}`", path.display()))?;
        let note = match holder.trim() {
            "" => None,
            pid => Some(format!(
                "mend process {pid} ended without closing session {session} (a crash or a closed window?); taking it over. Nothing saved is lost."
            )),
        };
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| write!(file, "{}", std::process::id()))
            .and_then(|()| file.sync_data())
            .doing(|| format!("cannot write lock file `{}`", path.display()))?;
        Ok((SessionLock { file }, note))
    }
}

impl Drop for SessionLock {
    /// An empty lock file means the last mend closed the session properly.
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.sync_data();
    }
}
