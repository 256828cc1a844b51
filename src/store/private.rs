//! Every write mend makes under its data folder goes through here, so no
//! planted link or loose folder can turn a write into one somewhere else:
//!
//! - folders are checked before use: a folder another user owns, that others
//!   may write to, or that is a link, is refused (mend's own subfolders that
//!   others may write to are made private again, with a note);
//! - files are opened without following a link (`O_NOFOLLOW`) and checked to
//!   be a regular file of this user's before anything is written;
//! - a file is replaced through a temp file created exclusively (`O_EXCL`)
//!   under an unpredictable name, `.NAME.RANDOM.mend-tmp`, so a crash leaves
//!   a file the next start finds and removes (`sweep_temps`).
//!
//! It knows nothing of what the files hold (journals, ledgers, notes), so
//! their formats can change without touching it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The end of every temp file's name.
pub const TEMP_SUFFIX: &str = ".mend-tmp";

/// Why a path is not safe to write through.
fn unsafe_path(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, message)
}

/// Checks (and creates, 0700) a folder mend writes in. `own` says whether
/// mend made it (a subfolder of the data folder): then one that others may
/// write to is made private again and the returned note says so; the data
/// folder itself is the user's choice, so it is refused instead.
pub fn ensure_dir(dir: &Path, own: bool) -> io::Result<Option<String>> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut builder = fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir)?;
            // Created by someone else in the meantime? Check what is there.
            check_dir(dir, own)
        }
        Err(e) => Err(e),
        Ok(_) => check_dir(dir, own),
    }
}

#[cfg(unix)]
fn check_dir(dir: &Path, own: bool) -> io::Result<Option<String>> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let shown = dir.display();
    let link = fs::symlink_metadata(dir)?;
    if link.file_type().is_symlink() {
        if own {
            return Err(unsafe_path(format!(
                "`{shown}` is a link, not a folder; mend does not keep a couple's words where a link points. Remove the link and mend will create the folder"
            )));
        }
        if link.uid() != euid() {
            return Err(unsafe_path(format!(
                "the data folder `{shown}` is a link made by another user (uid {}); pass --data DIR or set MEND_DATA to a folder of your own",
                link.uid()
            )));
        }
    }
    let meta = fs::metadata(dir)?;
    if !meta.is_dir() {
        return Err(unsafe_path(format!("`{shown}` is not a folder")));
    }
    if !own {
        check_ancestors(dir)?;
    }
    if meta.uid() != euid() {
        return Err(unsafe_path(format!(
            "the folder `{shown}` belongs to another user (uid {}), who could read or replace what mend keeps there; pass --data DIR or set MEND_DATA to a folder of your own",
            meta.uid()
        )));
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o022 == 0 {
        return Ok(None);
    }
    if !own {
        return Err(unsafe_path(format!(
            "others can write in the data folder `{shown}` (mode {mode:o}), so they could plant links that send a couple's words elsewhere; run `chmod 700 {shown}` or pass --data DIR with a private folder"
        )));
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    Ok(Some(format!(
        "others could write in `{shown}` (mode {mode:o}); mend made it private (700) again"
    )))
}

/// Whoever can rename entries in a folder above the data folder can swap
/// the data folder for a link between mend's checks and its writes: each
/// must be the user's or root's, and others may write in it only if it is
/// sticky (as /tmp is), where they cannot rename what is not theirs.
#[cfg(unix)]
fn check_ancestors(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let full = fs::canonicalize(dir)?;
    for ancestor in full.ancestors().skip(1) {
        let meta = fs::metadata(ancestor)?;
        let shown = ancestor.display();
        let uid = meta.uid();
        if uid != euid() && uid != 0 {
            return Err(unsafe_path(format!(
                "the folder `{shown}` above it belongs to another user (uid {uid}), who could replace the data folder with a link; pass --data DIR or set MEND_DATA to a folder of your own"
            )));
        }
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o022 != 0 && mode & 0o1000 == 0 {
            return Err(unsafe_path(format!(
                "others can write in the folder `{shown}` above it (mode {mode:o}), so they could replace the data folder with a link; run `chmod go-w {shown}` or pass --data DIR with a private folder"
            )));
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_dir(dir: &Path, _own: bool) -> io::Result<Option<String>> {
    if !fs::metadata(dir)?.is_dir() {
        return Err(unsafe_path(format!("`{}` is not a folder", dir.display())));
    }
    Ok(None)
}

#[cfg(unix)]
fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Options that never follow a link at the last component, never wait on a
/// FIFO planted under the name (`O_NONBLOCK`: opening one to write without a
/// reader fails at once instead of blocking forever, and one opened anyway is
/// refused by `verified`; regular files ignore the flag) and create files
/// readable only by their owner.
fn options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
        options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK);
    }
    options
}

/// After opening: the file must be a regular file of this user's (so a
/// FIFO, device or another user's file planted under the name is refused).
fn verified(file: File, path: &Path) -> io::Result<File> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(unsafe_path(format!(
            "`{}` is not a regular file; mend does not write to it",
            path.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != euid() {
            return Err(unsafe_path(format!(
                "`{}` belongs to another user (uid {}); mend does not write to it",
                path.display(),
                meta.uid()
            )));
        }
    }
    Ok(file)
}

/// Turns the error of an open refused because the name is a link into one
/// that says so.
fn explain(error: io::Error, path: &Path) -> io::Error {
    #[cfg(unix)]
    if error.raw_os_error() == Some(libc::ELOOP) {
        return unsafe_path(format!(
            "`{}` is a link; mend does not write through links where it keeps a couple's words",
            path.display()
        ));
    }
    #[cfg(unix)]
    if matches!(error.raw_os_error(), Some(libc::ENXIO | libc::EISDIR)) {
        return unsafe_path(format!(
            "`{}` is not a regular file; mend does not write to it",
            path.display()
        ));
    }
    let _ = path;
    error
}

fn open(options: &OpenOptions, path: &Path) -> io::Result<File> {
    let file = options.open(path).map_err(|e| explain(e, path))?;
    verified(file, path)
}

/// Creates a new file for appending; fails if anything is there already.
pub fn create_new_append(path: &Path) -> io::Result<File> {
    open(options().append(true).create_new(true), path)
}

/// Opens an existing file of this user's for appending.
pub fn open_append(path: &Path) -> io::Result<File> {
    open(options().append(true), path)
}

/// Opens (creating it if needed) a file to read and write, as a lock file.
pub fn open_lock(path: &Path) -> io::Result<File> {
    open(
        options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
        path,
    )
}

/// Opens a file to read only if it is a regular file of this user's and not
/// a link (e.g. a notes template in the data folder, which decides what the
/// notes say, so one planted by someone else must not be used).
pub fn open_own(path: &Path) -> io::Result<File> {
    let shown = path.display();
    let file = options().read(true).open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return unsafe_path(format!("`{shown}` is a link; mend does not follow it here"));
        }
        e
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(unsafe_path(format!("`{shown}` is not a regular file")));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != euid() {
            return Err(unsafe_path(format!(
                "`{shown}` belongs to another user (uid {}), who could change what it says",
                meta.uid()
            )));
        }
    }
    Ok(file)
}

/// Reads a file mend keeps, never through a link and never from anything
/// but a regular file (a FIFO put in its place would block forever).
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = options();
    options.read(true);
    let mut file = open(&options, path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Writes `bytes` to a file the user named (e.g. `notes -o`): never through
/// a link, and readable only by the user afterwards even if the file was
/// there before with a looser mode.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = open(options().write(true).create(true).truncate(false), path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    file.set_len(0)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Replaces `path` with `bytes` so that a crash leaves either the old file or
/// the new one, never half of each: an exclusive temp file in the same
/// folder, fsync, rename over the old name (a link there is replaced, not
/// followed), fsync the folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    write_atomic_in(path, bytes, dir)
}

/// `write_atomic` with the temp file in `temps`, a folder on the same file
/// system (a subfolder of `path`'s), so that finding what a crash left
/// means listing that small folder, not `path`'s.
pub fn write_atomic_in(path: &Path, bytes: &[u8], temps: &Path) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(TEMP_SUFFIX)
        .rand_bytes(8)
        .tempfile_in(temps)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The file a temp file was to replace: `.NAME.RANDOM.mend-tmp` (or the
/// older `.NAME.PID.tmp`) gives `NAME`.
fn temp_target(file_name: &str) -> Option<&str> {
    let rest = file_name.strip_prefix('.')?;
    let rest = rest
        .strip_suffix(TEMP_SUFFIX)
        .or_else(|| rest.strip_suffix(".tmp"))?;
    let (target, _) = rest.rsplit_once('.')?;
    (!target.is_empty()).then_some(target)
}

/// Removes temp files a crash left in `dir`, returning how many. Each file
/// mend replaces is written under its lock (`NAME` with the extension
/// `lock`), so a temp file is only removed when that lock is free: a mend
/// still writing it keeps its file.
pub fn sweep_temps(dir: &Path) -> usize {
    sweep_temps_in(dir, dir)
}

/// `sweep_temps` for temp files in `temps` of files in `dir` (see
/// `write_atomic_in`), whose locks are in `dir`.
pub fn sweep_temps_in(temps: &Path, dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(temps) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(target) = name.to_str().and_then(temp_target) else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let lock_path = dir.join(Path::new(target).with_extension("lock"));
        let free = match open(options().read(true).write(true), &lock_path) {
            Ok(lock) => lock.try_lock().is_ok(),
            Err(e) => e.kind() == io::ErrorKind::NotFound,
        };
        if free && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Every temp file in `dir`, for tests and for `mend erase`.
pub fn temps(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_str().and_then(temp_target).is_some())
        .map(|e| e.path())
        .collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn temp_names_lead_back_to_their_file() {
        assert_eq!(temp_target(".a.jsonl.x7Yq2kLm.mend-tmp"), Some("a.jsonl"));
        assert_eq!(temp_target(".a.jsonl.4242.tmp"), Some("a.jsonl"));
        assert_eq!(temp_target("a.jsonl"), None);
        assert_eq!(temp_target("..mend-tmp"), None);
    }

    #[test]
    fn links_are_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::write(&outside, "kept").unwrap();
        let link = dir.path().join("s.jsonl");
        symlink(&outside, &link).unwrap();
        for error in [
            open_append(&link).unwrap_err(),
            open_lock(&link).unwrap_err(),
            write_private(&link, b"x").unwrap_err(),
        ] {
            assert_eq!(error.kind(), io::ErrorKind::PermissionDenied, "{error}");
            assert!(
                error.to_string().ends_with(
                    "is a link; mend does not write through links where it keeps a couple's words"
                ),
                "{error}"
            );
        }
        let error = create_new_append(&link).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists, "{error}");
        assert_eq!(fs::read_to_string(&outside).unwrap(), "kept");
        // Replacing replaces the link itself.
        write_atomic(&link, b"new").unwrap();
        assert_eq!(fs::read_to_string(&outside).unwrap(), "kept");
        assert_eq!(fs::read_to_string(&link).unwrap(), "new");
        assert_eq!(mode(&link), 0o600);
    }

    #[test]
    fn a_loose_subfolder_is_made_private_and_a_loose_data_folder_refused() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sessions");
        fs::create_dir(&sub).unwrap();
        fs::set_permissions(&sub, fs::Permissions::from_mode(0o777)).unwrap();
        let note = ensure_dir(&sub, true).unwrap().unwrap();
        assert!(note.contains("mend made it private (700) again"), "{note}");
        assert_eq!(mode(&sub), 0o700);
        fs::set_permissions(&sub, fs::Permissions::from_mode(0o777)).unwrap();
        let error = ensure_dir(&sub, false).unwrap_err().to_string();
        assert!(
            error.starts_with("others can write in the data folder"),
            "{error}"
        );
    }

    #[test]
    fn a_temp_file_is_swept_only_when_its_lock_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let temp = dir.path().join(".s.jsonl.abcdefgh.mend-tmp");
        fs::write(&temp, "copy").unwrap();
        let lock = open_lock(&dir.path().join("s.lock")).unwrap();
        lock.lock().unwrap();
        assert_eq!(sweep_temps(dir.path()), 0);
        drop(lock);
        assert_eq!(sweep_temps(dir.path()), 1);
        assert!(!temp.exists());
    }
}
