//! Each limit of docs/limits.md that a user can meet through the binary, hit
//! on purpose: the error says which limit and where, and nothing said before
//! it is lost. (The oversized file and the very long answer are tested in
//! broken.rs and run.rs; the script and template limits that only the engine
//! sees are unit tests in src/script/rhai_script.rs and src/script/template.rs.)

use crate::common::mend;
use std::path::Path;

const HEADER: &str = "\
title: Limits
summary: Hits one limit.
minutes: 5
version: 1
roles:
  speaker: Speaks.
steps:
";

fn exercise(dir: &Path, steps: &str) -> String {
    let steps = steps.trim_start_matches('\n');
    std::fs::write(dir.join("limit.yaml"), format!("{HEADER}{steps}")).unwrap();
    "limit.yaml".to_owned()
}

#[test]
fn too_many_steps_are_refused_with_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let steps: String = (0..=500)
        .map(|i| format!("  - id: s{i}\n    say: Step {i}.\n"))
        .collect();
    let file = exercise(dir.path(), &steps);
    let output = mend(&["check", &file]).dir(dir.path()).run();
    assert_eq!(output.code, 1);
    assert!(
        output
            .stdout
            .starts_with("limit.yaml:7:1: error: 501 steps; an exercise may have at most 500\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn max_visits_above_the_ceiling_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = exercise(
        dir.path(),
        "  - id: hello\n    say: Hi.\n    max_visits: 101\n",
    );
    let output = mend(&["check", &file]).dir(dir.path()).run();
    assert_eq!(output.code, 1);
    assert!(
        output
            .stdout
            .starts_with("limit.yaml:10:17: error: `max_visits` must be between 1 and 100\n"),
        "{}",
        output.stdout
    );
}

/// A loop without an exit stops at the visit limit, after everything the
/// couple already saw and said was shown.
#[test]
fn an_endless_goto_loop_stops_at_the_visit_limit() {
    let dir = tempfile::tempdir().unwrap();
    let file = exercise(
        dir.path(),
        "
  - id: name
    ask: What would you like to talk about?
    by: speaker
  - id: again
    say: Once more.
    goto: again
",
    );
    let data = tempfile::tempdir().unwrap();
    let output = mend(&["run", &file])
        .dir(dir.path())
        .data(data.path())
        .stdin("Dinner\n")
        .run();
    assert_eq!(output.code, 1);
    assert!(
        output.stdout.contains("Partner A › Dinner"),
        "{}",
        output.stdout
    );
    assert_eq!(output.stdout.matches("Once more.").count(), 10);
    let journals: Vec<String> = std::fs::read_dir(data.path().join("sessions"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert_eq!(journals.len(), 1);
    assert!(
        journals[0].contains("\"text\":\"Dinner\""),
        "the answer given before the limit is in the journal:\n{}",
        journals[0]
    );
    assert!(
        output.stderr.starts_with(
            "limit.yaml:11:9: error: step `again` ran more than 10 times in one round"
        ),
        "{}",
        output.stderr
    );
}

/// Runs an exercise that says hello and then has `step`, which must stop
/// the run; returns what it printed on stderr.
fn hello_then(step: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = exercise(
        dir.path(),
        &format!("  - id: hello\n    say: Hello.\n{step}"),
    );
    let output = mend(&["run", &file]).dir(dir.path()).run();
    assert_eq!(output.code, 1);
    assert!(output.stdout.contains("Hello."), "{}", output.stdout);
    output.stderr
}

#[test]
fn an_endless_script_stops_at_the_operations_limit() {
    let stderr = hello_then("  - id: spin\n    set: 'loop { }'\n");
    assert!(
        stderr.starts_with(
            "limit.yaml:11:16: error: script error in step `spin`: the script did not finish within 200000 operations"
        ),
        "{stderr}"
    );
}

#[test]
fn a_runaway_template_runs_out_of_fuel() {
    // A template that fails mid-session never ends the sitting: the text is
    // shown with what it could not fill, and the failure is noted, located.
    let dir = tempfile::tempdir().unwrap();
    let file = exercise(
        dir.path(),
        "  - id: hello\n    say: Hello.\n  - id: flood\n    say: '{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}'\n  - id: bye\n    say: Goodbye.\n",
    );
    let output = mend(&["run", &file]).dir(dir.path()).run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(output.stdout.contains("Goodbye."), "{}", output.stdout);
    let stderr = output.stderr;
    assert!(stderr.starts_with("note: limit.yaml:11:"), "{stderr}");
    assert!(
        stderr.contains("the template did too much work (out of fuel)"),
        "{stderr}"
    );
}

#[test]
fn long_partner_names_are_refused_before_the_run_starts() {
    let long = "A".repeat(41);
    let output = mend(&["run", "i-statements", "--partners", &format!("{long},Sam")])
        .stdin("")
        .run();
    assert_eq!(output.code, 1);
    assert!(output.stdout.is_empty(), "{}", output.stdout);
    assert!(
        output
            .stderr
            .contains("a name can be at most 40 characters"),
        "{}",
        output.stderr
    );
}
