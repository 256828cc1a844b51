//! Hostile files, answers and data folders (issue 16): each case, most of
//! them files under tests/hostile/, with the exact outcome a user sees.
//! docs/limits.md lists every bound these tests hit.

use crate::common::{mend, repo};
use std::path::{Path, PathBuf};

fn hostile(name: &str) -> String {
    repo()
        .join("tests/hostile")
        .join(name)
        .display()
        .to_string()
}

/// A session of `i-statements` left unfinished after one answer, in `data`.
fn unfinished_session(data: &Path) -> PathBuf {
    mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(data)
        .stdin("Hard day\n")
        .run();
    let sessions = data.join("sessions");
    std::fs::read_dir(&sessions)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .expect("a journal")
}

#[cfg(unix)]
mod data_dir {
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
        assert!(fs::read_to_string(&file).unwrap().contains("> Hard day"));
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
}

/// Runs a hostile exercise with `stdin`, insisting it stops with exit code 1
/// and `first` as the first line of its diagnostic.
fn stops_with(file: &str, stdin: &str, first: &str) -> crate::common::Output {
    let output = mend(&["run", &hostile(file), "--partners", "Alex,Sam"])
        .stdin(stdin)
        .run();
    assert_eq!(output.code, 1, "{output:?}");
    let expected = format!("{}:{first}\n", hostile(file));
    assert!(
        output.stderr.contains(&expected) || output.stdout.contains(&expected),
        "expected {expected}\n{output:?}"
    );
    output
}

mod scripts {
    use super::*;

    #[test]
    fn sleep_is_not_a_function_scripts_can_call() {
        stops_with(
            "sleep.yaml",
            "anything\n",
            "12:15: error: script error in step `say`: Function not found: sleep (i64)",
        );
    }

    #[test]
    fn costly_work_within_the_operations_limit_stops_on_time() {
        let started = std::time::Instant::now();
        let output = mend(&[
            "run",
            &hostile("costly-search.yaml"),
            "--partners",
            "Alex,Sam",
        ])
        .run();
        assert_eq!(output.code, 1, "{output:?}");
        // The column is wherever the deadline found the script: `+=` or the call.
        let prefix = format!("{}:13:", hostile("costly-search.yaml"));
        let message = ": error: script error in step `search`: the script ran for more than 2000 ms; is it doing the same costly work over and over?\n";
        assert!(
            output.stderr.starts_with(&prefix) && output.stderr.contains(message),
            "{output:?}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
    }

    #[test]
    fn a_map_grown_key_by_key_across_steps_stops_at_the_run_bound() {
        stops_with(
            "grow-map.yaml",
            "",
            "12:10: error: the exercise's variables would take 262154 bytes together, more than the 256 KiB mend keeps for one exercise",
        );
    }

    #[test]
    fn a_value_nested_past_the_bound_by_a_script_stops_the_run() {
        stops_with(
            "deep-script.yaml",
            "",
            "9:10: error: variable `deep` nests more than 32 levels deep; mend keeps values at most that deep, so every saved session can be read back",
        );
    }

    #[test]
    fn values_nested_while_a_script_runs_stop_at_the_item_limit() {
        // Each level copies the map and rhai measures it again, so a debug
        // build on a busy machine may meet the deadline before the limit:
        // either way the run stops at that line with the bound named.
        let output = mend(&[
            "run",
            &hostile("nested-while-running.yaml"),
            "--partners",
            "Alex,Sam",
        ])
        .run();
        assert_eq!(output.code, 1, "{output:?}");
        let at = format!("{}:11:", hostile("nested-while-running.yaml"));
        assert!(output.stderr.starts_with(&at), "{output:?}");
        assert!(
            output.stderr.contains("error: script error in step `nest`: the script built a value that is too large (Size of object map)\n")
                || output.stderr.contains("error: script error in step `nest`: the script ran for more than 2000 ms"),
            "{output:?}"
        );
    }

    #[test]
    fn yaml_vars_nested_past_the_bound_are_refused_by_check() {
        let output = mend(&["check", &hostile("deep-vars.yaml")]).run();
        assert_eq!(output.code, 1, "{output:?}");
        assert!(
            output.stdout.starts_with(&format!(
                "{}:8:3: error: variable `deep` nests more than 32 levels deep; mend keeps values at most that deep, so every saved session can be read back\n",
                hostile("deep-vars.yaml")
            )),
            "{output:?}"
        );
    }
}

mod exercise_text {
    use super::*;

    #[test]
    fn control_characters_in_exercise_text_are_shown_not_sent() {
        let output = mend(&[
            "run",
            &hostile("control-characters.yaml"),
            "--partners",
            "Alex,Sam",
        ])
        .stdin("fine\n")
        .ok();
        assert!(!output.stdout.contains('\x1b'), "{:?}", output.stdout);
        assert!(!output.stdout.contains('\x07'), "{:?}", output.stdout);
        for shown in [
            "Clipboard^[]52;c;ZWNobyBoaQ==^G · about 5 minutes\n",
            "Alex (speaker): Speaks <U+202E>eulb\n",
            "Set the window title^[]0;pwned^G?\n",
            "  For example: ^[[31mred\n",
            "Bye^G\n",
        ] {
            assert!(output.stdout.contains(shown), "{shown}\n{}", output.stdout);
        }
    }

    #[test]
    fn check_warns_on_each_text_with_a_control_character() {
        let output = mend(&["check", &hostile("control-characters.yaml")]).ok();
        let warnings: Vec<&str> = output
            .stdout
            .lines()
            .filter(|l| l.contains("warning[M008]"))
            .collect();
        let file = hostile("control-characters.yaml");
        let at = |place: &str, shown: &str| {
            format!(
                "{file}:{place}: warning[M008]: this text holds a terminal control character, which mend shows as `{shown}` (it never sends one to the screen); remove it"
            )
        };
        assert_eq!(
            warnings,
            [
                at("1:8", "^["),
                at("2:10", "^["),
                at("6:12", "<U+202E>"),
                at("9:10", "^["),
                at("11:14", "^["),
                at("13:10", "^G"),
            ]
        );
        assert!(
            output
                .stdout
                .ends_with("1 file checked: 0 errors, 6 warnings\n")
        );
    }
}

/// `mend check FILE` with its whole stdout, for the file cases.
fn check(file: &str) -> crate::common::Output {
    mend(&["check", &hostile(file)]).run()
}

mod files {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let output = check("bom.yaml");
        assert_eq!(output.stdout, "1 file checked: 0 errors, 0 warnings\n");
        assert_eq!(output.code, 0);
    }

    #[test]
    fn a_duplicate_variable_is_reported_where_it_repeats() {
        let output = check("duplicate-var.yaml");
        assert_eq!(output.code, 1);
        assert!(output.stdout.starts_with(&format!(
            "{}:10:3: error: the key `tries` appears twice in this mapping (first at line 8); a mapping holds each key once, so rename or remove one\n   |\n10 |   tries: 5\n   |   ^^^^^\n",
            hostile("duplicate-var.yaml")
        )), "{}", output.stdout);
    }

    #[test]
    fn a_duplicate_step_key_is_reported_where_it_repeats() {
        let output = check("duplicate-step-key.yaml");
        assert_eq!(output.code, 1);
        assert!(output.stdout.starts_with(&format!(
            "{}:11:5: error: the key `ask` appears twice in this mapping (first at line 9); a mapping holds each key once, so rename or remove one\n",
            hostile("duplicate-step-key.yaml")
        )), "{}", output.stdout);
    }

    #[test]
    fn a_template_error_under_an_indentation_indicator_points_at_its_column() {
        let output = check("indentation-indicator.yaml");
        assert_eq!(output.code, 1);
        assert!(output.stdout.starts_with(&format!(
            "{}:14:36: error: template syntax error: unexpected `}}`\n   |\n14 |        {{{{ answers.feeling | upper( }}}}\n   |                                    ^\n",
            hostile("indentation-indicator.yaml")
        )), "{}", output.stdout);
    }

    #[test]
    fn a_diagnostic_on_a_very_long_line_shows_only_the_part_around_the_column() {
        let output = check("long-line.yaml");
        assert_eq!(output.code, 1);
        let shown = format!("…{} {{{{ nope( }}}}\"", "x".repeat(30));
        assert_eq!(
            output.stdout,
            format!(
                "{}:12:240021: error: template syntax error: unexpected `}}`\n   |\n12 | {shown}\n   | {}^\n\n1 file checked: 1 error, 0 warnings\n",
                hostile("long-line.yaml"),
                " ".repeat(41)
            )
        );
    }

    #[test]
    fn one_large_string_aliased_thousands_of_times_is_refused_before_it_is_expanded() {
        let output = check("alias-large-string.yaml");
        assert_eq!(output.code, 1);
        assert!(output.stdout.starts_with(&format!(
            "{}:9:64: error: too many YAML aliases: with its aliases expanded the file would pass 1024 KiB, so it is not read\n",
            hostile("alias-large-string.yaml")
        )), "{}", output.stdout);
    }

    /// Runs `command`, killing it if it has not ended within ten seconds:
    /// the cases below used to hang.
    #[cfg(unix)]
    fn within_seconds(mend: crate::common::Mend) -> (i32, String) {
        use std::io::Read;
        let mut child = mend.command().spawn().unwrap();
        drop(child.stdin.take());
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let mut out = String::new();
                child
                    .stdout
                    .take()
                    .unwrap()
                    .read_to_string(&mut out)
                    .unwrap();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut out)
                    .unwrap();
                return (status.code().unwrap_or(-1), out);
            }
            if started.elapsed() > std::time::Duration::from_secs(10) {
                let _ = child.kill();
                panic!("mend hung");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return;
        }
        for command in [["check", "pipe.yaml"], ["run", "pipe.yaml"]] {
            let (code, out) = within_seconds(mend(&command).dir(dir.path()));
            assert_eq!(code, 1, "{out}");
            assert!(
                out.contains("pipe.yaml:1:1: error: this is a named pipe (FIFO), not a file; an exercise is a YAML file (.yaml)\n"),
                "{out}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_not_read() {
        let (code, out) = within_seconds(mend(&["check", "/dev/zero"]));
        assert_eq!(code, 1, "{out}");
        assert_eq!(
            out,
            "/dev/zero:1:1: error: this is a device, not a file; an exercise is a YAML file (.yaml)\n\n1 file checked: 1 error, 0 warnings\n"
        );
    }
}

mod answers {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_show_as_replacement_characters_and_the_session_goes_on() {
        let input = std::fs::read(hostile("answers-latin1.txt")).unwrap();
        let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
            .stdin_bytes(&input)
            .run();
        assert!(
            output.stdout.contains(
                "Alex › We never eat together any m\u{fffd}re.\n\nAlex (speaker) · question 2 of 14"
            ),
            "{}",
            output.stdout
        );
        assert!(
            output.stdout.contains("Alex › lonely\n"),
            "{}",
            output.stdout
        );
    }

    #[test]
    fn a_line_of_megabytes_is_refused_with_a_short_excerpt_and_asked_again() {
        let input = format!("{}\nI miss our evenings\n", "x".repeat(20_000_000));
        let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
            .stdin(&input)
            .run();
        let expected = format!(
            "Alex › {}… (20000000 characters)\n\n  That answer is 20000000 characters long; mend keeps answers under 16000 characters. Could you say it more briefly?\nAlex › I miss our evenings\n",
            "x".repeat(60)
        );
        assert!(
            output.stdout.contains(&expected),
            "{}",
            &output.stdout[..3000.min(output.stdout.len())]
        );
        assert!(
            output.stdout.len() < 5_000,
            "{} bytes of output",
            output.stdout.len()
        );
    }
}

mod damage {
    use super::*;

    /// An unfinished session whose line 2 was damaged after it was written.
    fn damaged_session(data: &Path) -> PathBuf {
        let journal = unfinished_session(data);
        let text = std::fs::read_to_string(&journal).unwrap();
        let mut lines: Vec<&str> = text.split('\n').collect();
        lines[1] = "{\"t\":\"exercise\", damaged";
        std::fs::write(&journal, lines.join("\n")).unwrap();
        journal
    }

    fn note(journal: &Path, consequence: &str) -> String {
        let id = journal.file_stem().unwrap().to_str().unwrap();
        format!(
            "note: session {id} cannot be read, so {consequence}: session journal `{0}` is damaged at line 2: key must be a string at column 18. Keep a copy of `{0}`, then remove that line from it and the session loads again.\n",
            journal.display()
        )
    }

    #[test]
    fn resume_names_a_damaged_session_and_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let journal = damaged_session(dir.path());
        let output = mend(&["resume"]).data(dir.path()).run();
        assert_eq!(output.code, 1);
        assert_eq!(
            output.stderr,
            format!(
                "{}error: there is no unfinished session to resume; `mend sessions` lists them all\n",
                note(
                    &journal,
                    "the latest unfinished session was looked for among the others"
                )
            )
        );
    }

    #[test]
    fn the_ledger_names_a_damaged_session_and_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let journal = damaged_session(dir.path());
        let output = mend(&["ledger", "--partners", "Alex,Sam"])
            .data(dir.path())
            .ok();
        assert_eq!(
            output.stderr,
            note(&journal, "what it holds is not in the ledger")
        );
    }

    #[test]
    fn a_whole_last_line_that_does_not_read_is_damage_not_cut_away() {
        let dir = tempfile::tempdir().unwrap();
        let journal = unfinished_session(dir.path());
        let mut text = std::fs::read_to_string(&journal).unwrap();
        text.push_str("[[[[not a journal line]]]]\n");
        std::fs::write(&journal, &text).unwrap();
        let id = journal.file_stem().unwrap().to_str().unwrap();
        let output = mend(&["resume", id]).data(dir.path()).stdin("more\n").run();
        assert_eq!(output.code, 1, "{output:?}");
        assert!(output.stderr.contains("is damaged at line "), "{output:?}");
        assert_eq!(std::fs::read_to_string(&journal).unwrap(), text);
    }
}

mod couples_data {
    use super::*;

    /// Every file and folder name under `dir`, at any depth.
    fn names(dir: &Path) -> Vec<String> {
        let mut names = Vec::new();
        let mut pending = vec![dir.to_owned()];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
                names.push(entry.file_name().to_string_lossy().into_owned());
                if entry.file_type().unwrap().is_dir() {
                    pending.push(entry.path());
                }
            }
        }
        names
    }

    fn promise(data: &Path) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("promise.yaml");
        std::fs::write(&file, crate::ledger::PROMISE).unwrap();
        mend(&["run", file.to_str().unwrap(), "--partners", "Alex,Sam"])
            .data(data)
            .stdin("Text you when I am running late\nA walk together twice a week\n")
            .ok();
    }

    #[test]
    fn no_file_name_holds_a_partners_name() {
        let dir = tempfile::tempdir().unwrap();
        promise(dir.path());
        let names = names(dir.path());
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("couple-") && n.ends_with(".json")),
            "{names:?}"
        );
        for name in &names {
            let lower = name.to_lowercase();
            assert!(!lower.contains("alex") && !lower.contains("sam"), "{name}");
        }
    }

    #[test]
    fn a_ledger_named_by_the_partners_is_renamed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        promise(data);
        let ledgers = data.join("ledgers");
        let current = std::fs::read_dir(&ledgers)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "json"))
            .unwrap();
        let hash = current.file_stem().unwrap().to_str().unwrap()["couple-".len()..].to_owned();
        // As an earlier mend named it; without the journals, only this file
        // holds the commitments.
        let legacy = ledgers.join(format!("alex+sam-{}.json", &hash[..8]));
        std::fs::rename(&current, &legacy).unwrap();
        std::fs::write(legacy.with_extension("lock"), "").unwrap();
        let _ = std::fs::remove_file(current.with_extension("lock"));
        std::fs::remove_dir_all(data.join("sessions")).unwrap();
        let shown = mend(&["ledger", "--partners", "Alex,Sam"]).data(data).ok();
        assert!(
            shown
                .stdout
                .contains("  c1   Alex: Text you when I am running late (due 2099-01-05)\n"),
            "{shown:?}"
        );
        let names = names(data);
        assert!(
            !names.iter().any(|n| n.starts_with("alex+sam")),
            "{names:?}"
        );
        assert!(current.is_file(), "{names:?}");
        let again = mend(&["ledger", "--partners", "Alex,Sam"]).data(data).ok();
        assert!(
            again.stdout.contains("Text you when I am running late"),
            "{again:?}"
        );
    }
}

mod export_import_erase {
    use super::*;
    use age::secrecy::ExposeSecret;

    fn promise(data: &Path) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("promise.yaml");
        std::fs::write(&file, crate::ledger::PROMISE).unwrap();
        for (partners, said) in [
            (
                "Alex,Sam",
                "Text you when I am running late\nA walk together twice a week\n",
            ),
            ("Kim,Lee", "Call on Sundays\n"),
        ] {
            mend(&["run", file.to_str().unwrap(), "--partners", partners])
                .data(data)
                .stdin(said)
                .run();
        }
    }

    fn journals(data: &Path) -> Vec<String> {
        let mut texts: Vec<String> = std::fs::read_dir(data.join("sessions"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        texts.sort();
        texts
    }

    const LEDGER: &str = "  c2   Sam: A walk together twice a week (due 2020-01-06)  OVERDUE\n  c1   Alex: Text you when I am running late (due 2099-01-05)\n";

    #[test]
    fn an_export_imports_on_another_machine_with_the_same_sessions_and_ledger() {
        let here = tempfile::tempdir().unwrap();
        let there = tempfile::tempdir().unwrap();
        promise(here.path());
        let archive = here.path().join("alex-sam.json");
        let output = mend(&[
            "export",
            "--partners",
            "sam,ALEX",
            "-o",
            archive.to_str().unwrap(),
        ])
        .data(here.path())
        .ok();
        assert_eq!(
            output.stdout,
            format!(
                "Wrote 1 session(s) and their ledger of Alex and Sam to {} (not encrypted: anyone who has the file can read it).\n",
                archive.display()
            )
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&archive).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let text = std::fs::read_to_string(&archive).unwrap();
        assert!(
            !text.contains("Call on Sundays"),
            "another couple's words were exported"
        );
        assert!(text.contains("# Session notes"), "no notes in the archive");
        let imported = mend(&["import", archive.to_str().unwrap()])
            .data(there.path())
            .ok();
        assert_eq!(
            imported.stdout,
            format!(
                "Imported 1 session(s) of Alex and Sam into {}.\n",
                there.path().display()
            )
        );
        let here_alex: Vec<String> = journals(here.path())
            .into_iter()
            .filter(|j| j.contains("\"Alex\""))
            .collect();
        assert_eq!(journals(there.path()), here_alex);
        let ledger = mend(&["ledger"]).data(there.path()).ok();
        assert!(ledger.stdout.contains(LEDGER), "{}", ledger.stdout);
        // Importing again adds nothing twice.
        let again = mend(&["import", archive.to_str().unwrap()])
            .data(there.path())
            .ok();
        assert!(
            again.stdout.ends_with("; 1 were already here.\n"),
            "{}",
            again.stdout
        );
    }

    #[test]
    fn an_export_encrypted_to_a_passphrase_opens_only_with_it() {
        let here = tempfile::tempdir().unwrap();
        let there = tempfile::tempdir().unwrap();
        promise(here.path());
        let archive = here.path().join("sealed.age");
        let output = mend(&[
            "export",
            "--partners",
            "Alex,Sam",
            "-o",
            archive.to_str().unwrap(),
            "--encrypt",
        ])
        .data(here.path())
        .env("MEND_PASSPHRASE", "a long walk on Sunday")
        .ok();
        assert!(
            output.stdout.ends_with(", encrypted.\n"),
            "{}",
            output.stdout
        );
        let bytes = std::fs::read(&archive).unwrap();
        assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "));
        assert!(
            !bytes.windows(5).any(|w| w == b"Alex\""),
            "names in the clear"
        );
        let wrong = mend(&["import", archive.to_str().unwrap()])
            .data(there.path())
            .env("MEND_PASSPHRASE", "a short walk")
            .run();
        assert_eq!(wrong.code, 1);
        assert_eq!(
            wrong.stderr,
            "error: the passphrase or key does not open this archive\n"
        );
        let none = mend(&["import", archive.to_str().unwrap()])
            .data(there.path())
            .run();
        assert_eq!(
            none.stderr,
            "error: a passphrase is needed: type it at a terminal, or set MEND_PASSPHRASE (or use --recipient / --identity with age keys)\n"
        );
        mend(&["import", archive.to_str().unwrap()])
            .data(there.path())
            .env("MEND_PASSPHRASE", "a long walk on Sunday")
            .ok();
        let ledger = mend(&["ledger"]).data(there.path()).ok();
        assert!(ledger.stdout.contains(LEDGER), "{}", ledger.stdout);
    }

    #[test]
    fn an_export_encrypted_to_a_key_opens_with_its_identity_file() {
        let here = tempfile::tempdir().unwrap();
        let there = tempfile::tempdir().unwrap();
        promise(here.path());
        let identity = age::x25519::Identity::generate();
        let key_file = here.path().join("key.txt");
        std::fs::write(
            &key_file,
            format!("{}\n", identity.to_string().expose_secret()),
        )
        .unwrap();
        let archive = here.path().join("sealed.age");
        mend(&[
            "export",
            "--partners",
            "Alex,Sam",
            "-o",
            archive.to_str().unwrap(),
            "--recipient",
            &identity.to_public().to_string(),
        ])
        .data(here.path())
        .ok();
        mend(&[
            "import",
            archive.to_str().unwrap(),
            "--identity",
            key_file.to_str().unwrap(),
        ])
        .data(there.path())
        .ok();
        let ledger = mend(&["ledger"]).data(there.path()).ok();
        assert!(ledger.stdout.contains(LEDGER), "{}", ledger.stdout);
        let bad = mend(&[
            "export",
            "--partners",
            "Alex,Sam",
            "-o",
            archive.to_str().unwrap(),
            "--recipient",
            "age1nope",
        ])
        .data(here.path())
        .run();
        assert_eq!(bad.code, 1);
        assert!(
            bad.stderr
                .starts_with("error: `age1nope` is not an age public key (they start with age1)"),
            "{}",
            bad.stderr
        );
    }

    #[test]
    fn an_archive_naming_a_path_outside_the_sessions_folder_is_refused() {
        let there = tempfile::tempdir().unwrap();
        let archive = there.path().join("evil.json");
        std::fs::write(
            &archive,
            r#"{"mend_archive":1,"partners":["Alex","Sam"],"exported":"2026-01-01T00:00:00Z","sessions":[{"id":"../../escape","journal":"{\"t\":\"start\",\"v\":1,\"session\":\"x\",\"started\":\"2026-01-01T00:00:00Z\",\"partners\":[\"Alex\",\"Sam\"]}\n"}],"ledger":null}"#,
        )
        .unwrap();
        let output = mend(&["import", archive.to_str().unwrap()])
            .data(&there.path().join("data"))
            .run();
        assert_eq!(output.code, 1);
        assert_eq!(
            output.stderr,
            "error: `../../escape` is not a session id; `mend sessions` lists them\n"
        );
        assert!(!there.path().join("escape.jsonl").exists());
    }

    #[test]
    fn erase_names_what_goes_asks_and_leaves_nothing_of_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        promise(data);
        let kept = mend(&["erase", "--partners", "Sam,Alex"])
            .data(data)
            .stdin("no\n")
            .run();
        assert_eq!(kept.code, 1);
        let id = journals(data)
            .iter()
            .find(|j| j.contains("\"Alex\""))
            .and_then(|j| j.split("\"session\":\"").nth(1))
            .map(|rest| rest.split('"').next().unwrap().to_owned())
            .unwrap();
        assert_eq!(
            kept.stdout,
            format!(
                "This erases everything mend keeps for Alex and Sam in {}, for good:\n  1 session(s): {id}\n  their ledger of commitments and agreements\n  2 other file(s) of theirs (locks, copies left by a crash)\nNotes written elsewhere with `mend notes -o` are not in the data folder and are not touched.\n\nType erase to erase it, or anything else to keep it all.\n› no\n\nNothing was erased.\n",
                data.display()
            )
        );
        let erased = mend(&["erase", "--partners", "Sam,Alex"])
            .data(data)
            .stdin("erase\n")
            .ok();
        assert!(
            erased.stdout.ends_with(
                "Erased 4 file(s) of Alex and Sam. Nothing of theirs is left in the data folder.\n"
            ),
            "{}",
            erased.stdout
        );
        let left = journals(data);
        assert_eq!(left.len(), 1);
        assert!(left[0].contains("\"Kim\""));
        let mut everything = Vec::new();
        for sub in ["sessions", "ledgers"] {
            for entry in std::fs::read_dir(data.join(sub)).unwrap() {
                let path = entry.unwrap().path();
                everything.push(std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
        assert!(
            !everything
                .iter()
                .any(|t| t.contains("Alex") || t.contains("running late"))
        );
        let ledger = mend(&["ledger", "--partners", "Alex,Sam"]).data(data).ok();
        assert!(
            ledger.stdout.contains("Open commitments\n  none\n"),
            "{}",
            ledger.stdout
        );
    }
}
