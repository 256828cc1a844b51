//! A text that fails to render never ends a sitting: it is shown with the
//! name it could not fill, and the failure is noted with its file and line.
//! An exercise's notes fragment that fails is located on stderr and marked
//! in its place; `mend notes` still gives the notes.

use crate::common::{mend, repo};

/// tests/warnings/M009-maybe-unanswered.yaml with a `say` after the branch
/// that reads the answer the branch can go around.
fn exercise(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(repo().join("tests/warnings/M009-maybe-unanswered.yaml"))
        .unwrap()
        .replace(
            "    say: Thank you.",
            "    say: \"Thank you. You said: {{ answers.feeling }}\"",
        );
    let path = dir.join("maybe.yaml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A test plan beside `maybe.yaml` that takes the branch around the answer.
fn not_today_plan(dir: &std::path::Path) {
    std::fs::write(
        dir.join("maybe.test.yaml"),
        "plans:\n  - name: not today\n    turns:\n      - answer: 2\n    expect:\n      finished: true\n",
    )
    .unwrap();
}

#[test]
fn a_failed_render_shows_the_name_and_the_session_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let file = exercise(dir.path());
    let output = mend(&["run", &file, "--partners", "Alex,Sam"])
        .stdin("2\n")
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(
        output
            .stdout
            .contains("Thank you. You said: [answers.feeling]"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("That's the end of"),
        "{}",
        output.stdout
    );
    assert!(
        output.stderr.contains(":21:35: error: undefined value in template: `answers.feeling` is undefined (in step `done`)"),
        "{}",
        output.stderr
    );
    // The notes shown at the end of the sitting fail the same way, and the
    // sitting still ends well.
    assert!(
        output.stderr.contains(":23:25: error: undefined value in template: `answers.feeling` is undefined (in step `notes`)"),
        "{}",
        output.stderr
    );
    assert!(
        output.stdout.contains("Saved as session"),
        "{}",
        output.stdout
    );
}

#[test]
fn notes_whose_fragment_fails_are_still_given_with_the_problem_located() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let file = exercise(dir.path());
    let run = mend(&["run", &file, "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin("2\n")
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let notes = mend(&["notes"]).data(data.path()).run();
    assert_eq!(notes.code, 0, "{}", notes.stderr);
    assert!(
        notes
            .stderr
            .contains("maybe:23:25: error: undefined value in template"),
        "{}",
        notes.stderr
    );
    assert!(notes.stdout.contains("# Session notes"), "{}", notes.stdout);
    assert!(notes.stdout.contains("Not today"), "{}", notes.stdout);
    // A template that shows the fragment gets a line saying it is missing.
    let template = dir.path().join("fragments.md.j2");
    std::fs::write(
        &template,
        "{% for e in exercises %}[{{ e.notes | safe }}]({{ e.notes_problem }}){% endfor %}",
    )
    .unwrap();
    let own = mend(&["notes", "--template", template.to_str().unwrap()])
        .data(data.path())
        .run();
    assert_eq!(own.code, 0, "{}", own.stderr);
    assert!(
        own.stdout
            .contains("[*This exercise's own notes could not be written ("),
        "{}",
        own.stdout
    );
    assert!(own.stdout.contains("maybe:23:25"), "{}", own.stdout);
}

#[test]
fn test_plans_and_random_runs_still_report_what_could_not_be_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let file = exercise(dir.path());
    not_today_plan(dir.path());
    let plans = mend(&["test", &file]).run();
    assert_eq!(plans.code, 1, "{}", plans.stdout);
    assert!(
        plans.stdout.contains("maybe.yaml:21:35: error: undefined value in template: `answers.feeling` is undefined (in step `done`)"),
        "{}",
        plans.stdout
    );
    let random = mend(&["test", "--random", "20", &file]).run();
    assert_eq!(random.code, 1, "{}", random.stdout);
    assert!(
        random.stdout.contains("did not finish: "),
        "{}",
        random.stdout
    );
}

#[test]
fn a_plan_or_random_run_whose_notes_fail_on_its_path_fails_with_the_line() {
    // Only the notes read the answer the choice leads around.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("maybe.yaml");
    std::fs::copy(
        repo().join("tests/warnings/M009-maybe-unanswered.yaml"),
        &file,
    )
    .unwrap();
    not_today_plan(dir.path());
    let file = file.display().to_string();
    let plans = mend(&["test", &file]).run();
    assert_eq!(plans.code, 1, "{}", plans.stdout);
    assert!(
        plans.stdout.contains("maybe.yaml:23:25: error: undefined value in template: `answers.feeling` is undefined (in step `notes`)"),
        "{}",
        plans.stdout
    );
    let random = mend(&["test", "--random", "20", &file]).run();
    assert_eq!(random.code, 1, "{}", random.stdout);
    assert!(
        random.stdout.contains("(in step `notes`)"),
        "{}",
        random.stdout
    );
}
