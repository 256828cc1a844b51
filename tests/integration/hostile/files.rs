//! Exercise files that are not what they seem: FIFOs, devices, BOMs,
//! duplicate keys, long lines, alias bombs.

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
        "{}:10:3: error: `tries` is given twice in the same mapping (first at line 8)\n   |\n10 |   tries: 5\n   |   ^^^^^\n   |\n   = help: a mapping holds each key once: rename or remove one\n",
        hostile("duplicate-var.yaml")
    )), "{}", output.stdout);
}

#[test]
fn a_duplicate_step_key_is_reported_where_it_repeats() {
    let output = check("duplicate-step-key.yaml");
    assert_eq!(output.code, 1);
    assert!(
        output.stdout.starts_with(&format!(
            "{}:11:5: error: `ask` is given twice in the same mapping (first at line 9)\n",
            hostile("duplicate-step-key.yaml")
        )),
        "{}",
        output.stdout
    );
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
    // Cut by the renderer to fit a terminal, with `...` where it was cut.
    let shown = format!("...{} {{{{ nope( }}}}\"", "x".repeat(54));
    assert_eq!(
        output.stdout,
        format!(
            "{}:12:240021: error: template syntax error: unexpected `}}`\n   |\n12 | {shown}\n   | {}^\n\n1 file checked: 1 error, 0 warnings\n",
            hostile("long-line.yaml"),
            " ".repeat(67)
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
            out.contains("pipe.yaml:1:1: error: this is a named pipe (FIFO), not a file; mend reads only regular files\n"),
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
        "/dev/zero:1:1: error: this is a device, not a file; mend reads only regular files\n\n1 file checked: 1 error, 0 warnings\n"
    );
}

#[cfg(unix)]
#[test]
fn a_notes_template_that_is_a_fifo_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    unfinished_session(&data);
    let fifo = dir.path().join("notes.md.j2");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let output = mend(&["notes", "--template", fifo.to_str().unwrap()])
        .data(&data)
        .run();
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stderr,
        format!(
            "error: cannot read notes template `{}`: this is a named pipe (FIFO), not a file; mend reads only regular files\n",
            fifo.display()
        )
    );
}

#[cfg(unix)]
#[test]
fn flow_collections_nested_far_past_the_bound_are_refused_before_parsing() {
    // 60,000 `[` kept the parser busy for over a minute before it refused them.
    let (code, out) = within_seconds(mend(&["check", &hostile("deep-flow.yaml")]));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(&format!(
            "{}:10:265: error: the YAML nests too deeply\n",
            hostile("deep-flow.yaml")
        )),
        "{out}"
    );
    assert!(
        out.ends_with("\n1 file checked: 1 error, 0 warnings\n"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_library_or_as_a_test_plan_is_reported_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("ex");
    std::fs::create_dir(&library).unwrap();
    std::fs::copy(
        repo().join("exercises/check-in-daily.yaml"),
        library.join("check-in-daily.yaml"),
    )
    .unwrap();
    let mkfifo = |name: &str| {
        std::process::Command::new("mkfifo")
            .arg(library.join(name))
            .status()
            .is_ok_and(|s| s.success())
    };
    if !mkfifo("check-in-daily.test.yaml") || !mkfifo("pipe.yaml") {
        return;
    }
    // Before, `mend test` passed with "0 passed, 0 failed" and `mend check`
    // counted one file: both skipped the FIFOs without a word.
    let (code, out) = within_seconds(mend(&["--exercises", "ex", "test"]).dir(dir.path()));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL  check-in-daily: the test plan cannot be read\nex/check-in-daily.test.yaml:1:1: error: this is a named pipe (FIFO), not a file; mend reads only regular files\n"),
        "{out}"
    );
    let (code, out) = within_seconds(mend(&["check", "ex"]).dir(dir.path()));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with("ex/pipe.yaml:1:1: error: this is a named pipe (FIFO), not a file; mend reads only regular files\n"),
        "{out}"
    );
    assert!(
        out.ends_with("\n2 files checked: 1 error, 0 warnings\n"),
        "{out}"
    );
}

#[test]
fn test_plans_may_be_larger_than_exercises_but_are_bounded_and_aliases_too() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("ex");
    std::fs::create_dir(&library).unwrap();
    std::fs::write(
        library.join("tiny.yaml"),
        "title: Tiny\nsummary: One question.\nminutes: 1\nversion: 1\nroles:\n  speaker: Speaks.\nsteps:\n  - id: feeling\n    ask: How do you feel?\n    by: speaker\n",
    )
    .unwrap();
    let plan = "plans:\n  - name: one answer\n    turns:\n      - answer: calm\n    expect:\n      finished: true\n";
    let write_plan = |text: &str| std::fs::write(library.join("tiny.test.yaml"), text).unwrap();
    // 400 KiB of comments after a plan: past the exercise bound, within the
    // plan bound; the plan runs.
    let padding = "# a case for later\n".repeat(400 * 1024 / 19);
    write_plan(&format!("{plan}\n{padding}"));
    let (code, out) = within_seconds(mend(&["--exercises", "ex", "test"]).dir(dir.path()));
    assert_eq!(code, 0, "{out}");
    let (code, out) =
        within_seconds(mend(&["check", "ex/tiny.yaml", "ex/tiny.test.yaml"]).dir(dir.path()));
    assert_eq!(code, 0, "{out}");
    // Past 1 MiB it is refused before it is read whole.
    let padding = "# a case for later\n".repeat(1100 * 1024 / 19);
    write_plan(&format!("{plan}\n{padding}"));
    let (code, out) = within_seconds(mend(&["--exercises", "ex", "test"]).dir(dir.path()));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("ex/tiny.test.yaml:1:1: error: the file is 1")
            && out.contains(" KiB; test plans are limited to 1024 KiB"),
        "{out}"
    );
    // Aliases that would expand a plan past its bound are refused, located.
    let big = "x".repeat(300 * 1024);
    let aliases = vec!["*a"; 20].join(", ");
    write_plan(&format!("big: &a \"{big}\"\nplans: [{aliases}]\n"));
    let (code, out) = within_seconds(mend(&["--exercises", "ex", "test"]).dir(dir.path()));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("ex/tiny.test.yaml:2:") && out.contains("error: too many YAML aliases: with its aliases expanded the file would pass 4096 KiB"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn output_into_a_closed_pipe_ends_quietly_not_with_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child = mend(&["list"]).data(&data).command().spawn().unwrap();
    // Nobody reads: the first line written meets a closed pipe.
    drop(child.stdout.take());
    drop(child.stdin.take());
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err, "");
    assert!(status.code() != Some(101), "{status:?}");
}
