//! The data folder: loose or foreign folders, planted links, temp files.

use super::*;
use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_data_folder_others_can_write_in_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    fs::set_permissions(&data, fs::Permissions::from_mode(0o1777)).unwrap();
    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(&data)
        .stdin("Hard day\n")
        .run();
    assert_eq!(output.code, 1, "{output:?}");
    assert_eq!(
        output.stderr,
        format!(
            "error: cannot use the data folder `{0}`: others can write in the data folder `{0}` (mode 1777), so they could plant links that send a couple's words elsewhere; run `chmod 700 {0}` or pass --data DIR with a private folder\n",
            data.display()
        )
    );
    assert_eq!(fs::read_dir(&data).unwrap().count(), 0);
}

#[test]
fn a_data_folder_another_user_owns_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    // Only root can give a folder away; as anyone else the case cannot arise here.
    if std::os::unix::fs::chown(&data, Some(65534), Some(65534)).is_err() {
        return;
    }
    let output = mend(&["sessions"]).data(&data).run();
    assert_eq!(output.code, 1, "{output:?}");
    assert_eq!(
        output.stderr,
        format!(
            "error: cannot use the data folder `{0}`: the folder `{0}` belongs to another user (uid 65534), who could read or replace what mend keeps there; pass --data DIR or set MEND_DATA to a folder of your own\n",
            data.display()
        )
    );
}

#[test]
fn a_sessions_folder_others_can_write_in_is_made_private_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir_all(data.join("sessions")).unwrap();
    fs::set_permissions(&data, fs::Permissions::from_mode(0o700)).unwrap();
    fs::set_permissions(data.join("sessions"), fs::Permissions::from_mode(0o777)).unwrap();
    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(&data)
        .stdin("Hard day\n")
        .run();
    assert!(
        output.stderr.contains(&format!(
            "note: others could write in `{}` (mode 777); mend made it private (700) again\n",
            data.join("sessions").display()
        )),
        "{output:?}"
    );
    assert_eq!(mode(&data.join("sessions")), 0o700);
}

#[test]
fn a_sessions_folder_that_is_a_link_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&data).unwrap();
    fs::create_dir(&elsewhere).unwrap();
    fs::set_permissions(&data, fs::Permissions::from_mode(0o700)).unwrap();
    symlink(&elsewhere, data.join("sessions")).unwrap();
    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(&data)
        .stdin("Hard day\n")
        .run();
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output.stderr.ends_with(&format!(
            "`{}` is a link, not a folder; mend does not keep a couple's words where a link points. Remove the link and mend will create the folder\n",
            data.join("sessions").display()
        )),
        "{output:?}"
    );
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn a_journal_replaced_by_a_link_is_neither_read_nor_appended_to() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let journal = unfinished_session(&data);
    let outside = dir.path().join("outside.txt");
    fs::write(&outside, "not mend's\n").unwrap();
    fs::remove_file(&journal).unwrap();
    symlink(&outside, &journal).unwrap();
    let id = journal.file_stem().unwrap().to_str().unwrap();
    let output = mend(&["resume", id]).data(&data).stdin("more\n").run();
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output.stderr.contains(&format!(
            "`{}` is a link; mend does not write through links where it keeps a couple's words",
            journal.display()
        )),
        "{output:?}"
    );
    assert_eq!(fs::read_to_string(&outside).unwrap(), "not mend's\n");
    assert_eq!(mode(&outside), 0o644);
}

#[test]
fn a_lock_replaced_by_a_link_does_not_truncate_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let journal = unfinished_session(&data);
    let outside = dir.path().join("outside.txt");
    fs::write(&outside, "not mend's\n").unwrap();
    let lock = journal.with_extension("lock");
    let _ = fs::remove_file(&lock);
    symlink(&outside, &lock).unwrap();
    let id = journal.file_stem().unwrap().to_str().unwrap();
    let output = mend(&["resume", id]).data(&data).stdin("more\n").run();
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output.stderr.contains(&format!(
            "cannot open lock file `{}`: `{0}` is a link; mend does not write through links",
            lock.display()
        )),
        "{output:?}"
    );
    assert_eq!(fs::read_to_string(&outside).unwrap(), "not mend's\n");
}

#[test]
fn notes_onto_an_existing_readable_file_leave_it_private() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    unfinished_session(&data);
    let file = dir.path().join("notes.md");
    fs::write(&file, "old").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
    mend(&["notes", "-o", file.to_str().unwrap()])
        .data(&data)
        .ok();
    assert_eq!(mode(&file), 0o600);
    assert!(fs::read_to_string(&file).unwrap().contains("): Hard day"));
}

#[test]
fn notes_onto_a_link_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    unfinished_session(&data);
    let outside = dir.path().join("outside.txt");
    fs::write(&outside, "not mend's\n").unwrap();
    let file = dir.path().join("notes.md");
    symlink(&outside, &file).unwrap();
    let output = mend(&["notes", "-o", file.to_str().unwrap()])
        .data(&data)
        .run();
    assert_eq!(output.code, 1, "{output:?}");
    assert_eq!(
        output.stderr,
        format!(
            "error: cannot write `{0}`: `{0}` is a link; mend does not write through links where it keeps a couple's words\n",
            file.display()
        )
    );
    assert_eq!(fs::read_to_string(&outside).unwrap(), "not mend's\n");
}

#[test]
fn temp_files_a_crash_left_are_removed_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let journal = unfinished_session(&data);
    let name = journal.file_name().unwrap().to_str().unwrap();
    let left = [
        journal.with_file_name(format!(".{name}.Xq3vL9aB.mend-tmp")),
        // What mend wrote before temp names were random.
        journal.with_file_name(format!(".{name}.4242.tmp")),
    ];
    for file in &left {
        fs::write(file, "a copy of answers").unwrap();
    }
    mend(&["sessions"]).data(&data).ok();
    for file in &left {
        assert!(!file.exists(), "{} is still there", file.display());
    }
}
