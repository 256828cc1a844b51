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

#[test]
fn notes_and_exports_onto_a_fifo_are_refused_without_waiting_for_a_reader() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    unfinished_session(&data);
    let fifo = dir.path().join("pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let fifo = fifo.to_str().unwrap();
    // Both hung before, waiting forever for a reader of the pipe.
    for command in [
        vec!["notes", "-o", fifo],
        vec!["export", "--partners", "Alex,Sam", "-o", fifo],
    ] {
        let (code, out) = within_seconds(mend(&command).data(&data));
        assert_eq!(code, 1, "{out}");
        assert_eq!(
            out,
            format!(
                "error: cannot write `{fifo}`: `{fifo}` is not a regular file; mend does not write to it\n"
            )
        );
    }
}

#[test]
fn a_notes_template_that_is_a_link_or_in_a_loose_folder_is_not_used_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    unfinished_session(&data);
    let templates = data.join("templates");
    fs::create_dir(&templates).unwrap();
    fs::set_permissions(&templates, fs::Permissions::from_mode(0o777)).unwrap();
    let outside = dir.path().join("outside.md.j2");
    fs::write(&outside, "Nothing the partners said.\n").unwrap();
    let planted = templates.join("planted.md.j2");
    symlink(&outside, &planted).unwrap();
    let output = mend(&["notes", "--template", "planted"]).data(&data).run();
    assert_eq!(output.code, 1, "{output:?}");
    assert_eq!(
        output.stderr,
        format!(
            "note: others could write in `{0}` (mode 777); mend made it private (700) again\nerror: cannot read notes template `{1}`: `{1}` is a link; mend does not follow it here\n",
            templates.display(),
            planted.display()
        )
    );
    assert_eq!(mode(&templates), 0o700);
    // A FIFO under the name is named, not taken for a missing template.
    fs::remove_file(&planted).unwrap();
    if std::process::Command::new("mkfifo")
        .arg(&planted)
        .status()
        .is_ok_and(|s| s.success())
    {
        let (code, out) = within_seconds(mend(&["notes", "--template", "planted"]).data(&data));
        assert_eq!(code, 1, "{out}");
        assert_eq!(
            out,
            format!(
                "error: cannot read notes template `{0}`: `{0}` is not a regular file\n",
                planted.display()
            )
        );
    }
}

#[test]
fn a_notes_template_another_user_planted_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    unfinished_session(&data);
    let templates = data.join("templates");
    fs::create_dir(&templates).unwrap();
    let planted = templates.join("planted.md.j2");
    fs::write(&planted, "Nothing the partners said.\n").unwrap();
    // Only root can give a file away; as anyone else the case cannot arise here.
    if std::os::unix::fs::chown(&planted, Some(65534), None).is_err() {
        return;
    }
    let output = mend(&["notes", "--template", "planted"]).data(&data).run();
    assert_eq!(output.code, 1, "{output:?}");
    assert_eq!(
        output.stderr,
        format!(
            "error: cannot read notes template `{0}`: `{0}` belongs to another user (uid 65534), who could change what it says\n",
            planted.display()
        )
    );
    assert!(!output.stdout.contains("Nothing the partners said"));
}

#[test]
fn a_data_folder_under_a_folder_others_can_write_in_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let loose = dir.path().join("shared");
    fs::create_dir(&loose).unwrap();
    // Writable by others and not sticky: anyone could swap `data` for a link.
    fs::set_permissions(&loose, fs::Permissions::from_mode(0o777)).unwrap();
    let data = loose.join("data");
    fs::create_dir(&data).unwrap();
    fs::set_permissions(&data, fs::Permissions::from_mode(0o700)).unwrap();
    let output = mend(&["sessions"]).data(&data).run();
    assert_eq!(output.code, 1, "{output:?}");
    let shown = fs::canonicalize(&loose).unwrap();
    assert_eq!(
        output.stderr,
        format!(
            "error: cannot use the data folder `{0}`: others can write in the folder `{1}` above it (mode 777), so they could replace the data folder with a link; run `chmod go-w {1}` or pass --data DIR with a private folder\n",
            data.display(),
            shown.display()
        )
    );
    // Sticky, as /tmp is: others cannot rename what is not theirs.
    fs::set_permissions(&loose, fs::Permissions::from_mode(0o1777)).unwrap();
    mend(&["sessions"]).data(&data).ok();
}

#[test]
fn a_data_folder_under_a_folder_another_user_owns_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("theirs");
    fs::create_dir(&theirs).unwrap();
    // Only root can give a folder away; as anyone else the case cannot arise here.
    if std::os::unix::fs::chown(&theirs, Some(65534), None).is_err() {
        return;
    }
    let data = theirs.join("data");
    fs::create_dir(&data).unwrap();
    fs::set_permissions(&data, fs::Permissions::from_mode(0o700)).unwrap();
    let output = mend(&["sessions"]).data(&data).run();
    assert_eq!(output.code, 1, "{output:?}");
    assert_eq!(
        output.stderr,
        format!(
            "error: cannot use the data folder `{0}`: the folder `{1}` above it belongs to another user (uid 65534), who could replace the data folder with a link; pass --data DIR or set MEND_DATA to a folder of your own\n",
            data.display(),
            fs::canonicalize(&theirs).unwrap().display()
        )
    );
}
