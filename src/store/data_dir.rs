//! Where mend keeps what couples said: `--data DIR`, `MEND_DATA`, or the
//! platform's user data folder. Everything under it is private to the user:
//! folders 0700 and files 0600 on unix, set when they are created.

use anyhow::{Context, bail};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// `--data` (clap also reads `MEND_DATA` into it), else the platform default.
    pub fn open(flag: Option<&Path>) -> anyhow::Result<DataDir> {
        let root = match flag {
            Some(dir) => dir.to_owned(),
            None => default_root()?,
        };
        Ok(DataDir { root })
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

    pub fn templates(&self) -> PathBuf {
        self.root.join("templates")
    }

    /// Creates `dir` (and the data root above it) as private folders.
    pub fn ensure(&self, dir: &Path) -> anyhow::Result<()> {
        private_dir(&self.root)?;
        private_dir(dir)
    }
}

/// The platform's user data folder plus `mend`, by the XDG rules on Linux and
/// the BSDs. Six lines of rules did not justify a dependency.
fn default_root() -> anyhow::Result<PathBuf> {
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
        None => {
            bail!("cannot find a home folder for mend's data; pass --data DIR or set MEND_DATA")
        }
    }
}

/// Creates a folder readable only by its owner; an existing one is left as it is.
pub fn private_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create folder `{}`", dir.display()))
}

/// Options that create files readable only by their owner.
pub fn private_file() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Replaces `path` with `bytes` so that a crash leaves either the old file or
/// the new one, never half of each: temp file, fsync, rename, fsync the folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = private_file()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written.with_context(|| format!("cannot write `{}`", path.display()))
}
