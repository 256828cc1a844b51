//! `mend test`: test plans beside exercises, and random playthroughs.

use crate::common::{mend, repo};

const EXERCISE: &str = include_str!("../../exercises/i-statements.yaml");

/// A library folder holding i-statements with the given test plan.
fn library(plan: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("i-statements.yaml"), EXERCISE).unwrap();
    std::fs::write(dir.path().join("i-statements.test.yaml"), plan).unwrap();
    dir
}

#[test]
fn shipped_plans_pass_through_mend_test() {
    // Every plan of every shipped exercise is played by library.rs
    // (`plays_every_plan`, one test per exercise, failures listed); here
    // `mend test` itself runs two exercises' plans, as an author would,
    // without playing all 3,000-odd cases a second time in CI.
    let output = mend(&["test", "doubts-early", "pacing"]).ok();
    assert!(
        output.stdout.contains("ok    pacing: "),
        "{}",
        output.stdout
    );
    let last = output.stdout.lines().last().unwrap();
    assert!(last.ends_with(" passed, 0 failed"), "{}", output.stdout);
}

#[test]
fn every_shipped_exercise_has_a_test_plan() {
    for entry in std::fs::read_dir(repo().join("exercises")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(id) = mend::format::exercise_id(&path) {
            assert!(
                path.with_file_name(format!("{id}.test.yaml")).is_file(),
                "exercises/{name} has no test plan beside it"
            );
        }
    }
}

#[test]
fn the_shipped_library_has_no_warnings() {
    let output = mend(&["check", "--deny-warnings"]).ok();
    assert!(
        output.stdout.ends_with(" checked: 0 errors, 0 warnings\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_failing_plan_names_the_turn_and_what_was_expected() {
    let dir = library(
        "plans:\n  - name: heard at once\n    turns:\n      - answer: Work.\n      - answer: worried\n      - hint: a feeling word\n  - name: starts\n    turns:\n      - see: Welcome\n",
    );
    let output = mend(&["test", "i-statements"])
        .env("MEND_EXERCISES", dir.path().to_str().unwrap())
        .run();
    assert_eq!(output.code, 1, "{}", output.stdout);
    let plan = dir.path().join("i-statements.test.yaml");
    assert_eq!(
        output.stdout,
        format!(
            "FAIL  i-statements: heard at once\n  {}:6: turn 3, at step `feeling` (Partner A's turn)\n  expected: a hint containing \"a feeling word\"\n  seen:     the answer was accepted\n\nok    i-statements: starts\n1 passed, 1 failed\n",
            plan.display()
        )
    );
}

#[test]
fn plan_files_report_unknown_keys_with_positions() {
    let dir = library("plans:\n  - name: typo\n    turns:\n      - answr: Work.\n");
    let output = mend(&["test"])
        .dir(dir.path())
        .env("MEND_EXERCISES", ".")
        .run();
    assert_eq!(output.code, 1);
    assert!(
        output.stdout.contains(
            "./i-statements.test.yaml:4:9: error: unknown key `answr`; did you mean `answer`?"
        ),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.ends_with("0 passed, 1 failed\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn plans_name_unknown_steps() {
    let dir = library(
        "plans:\n  - name: typo\n    turns:\n      - answer: Work.\n        at: complain\n",
    );
    let output = mend(&["test"])
        .env("MEND_EXERCISES", dir.path().to_str().unwrap())
        .run();
    assert_eq!(output.code, 1);
    assert!(
        output.stdout.contains(":5:13: error: exercise `i-statements` has no step `complain`; did you mean `complaint`?"),
        "{}",
        output.stdout
    );
}

#[test]
fn random_playthroughs_are_the_same_for_a_seed() {
    let first = mend(&["test", "--random", "60", "--seed", "7", "i-statements"]).ok();
    let again = mend(&["test", "--random", "60", "--seed", "7", "i-statements"]).ok();
    let other = mend(&["test", "--random", "60", "--seed", "8", "i-statements"]).ok();
    assert_eq!(first.stdout, again.stdout);
    assert_ne!(first.stdout, other.stdout);
    // A turn declined in words ("not today", "I need time" typed at any
    // question) is reached by words no random answer holds; plans cover it.
    assert_every_run_finished_and_every_step_reached(
        &first.stdout,
        "i-statements",
        60,
        &[
            "complaint_pause",
            "feeling_pause",
            "statement_pause",
            "reflect_pause",
            "missed_pause",
            "reflect_again_pause",
            "missed_later_words",
            "missed_later_open",
            "missed_later_said",
            "missed_later_mark",
            "listen_later_words",
            "listen_later_open",
            "listen_later_open_speaker",
            "listen_later_said",
            "listen_later_mark",
            "later_words",
            "later_open",
            "later_said",
            "later_mark",
        ],
    );
    assert!(
        first.stdout.ends_with("\n60 passed, 0 failed\n"),
        "{}",
        first.stdout
    );
}

#[test]
fn random_playthroughs_report_runs_that_break_with_a_replay_seed() {
    let output = mend(&[
        "test",
        "--random",
        "40",
        "--seed",
        "5",
        "tests/random/breaks-on-hard.yaml",
    ])
    .dir(&repo())
    .run();
    assert_eq!(output.code, 1, "{}", output.stdout);
    assert!(
        output.stdout.contains("steps reached")
            && output
                .stdout
                .contains("did not finish: tests/random/breaks-on-hard.yaml:"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("replay: mend test --random "),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("  never reached: unused\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn random_playthroughs_use_the_ledgers_of_the_test_plans() {
    // The weekly check-in only walks commitments that are in the ledger; its
    // plans seed ledgers, and random runs borrow them. Every step is in
    // reach: a proposal still vague twice and one the other partner does
    // not agree to yet share the same "kept open" steps, and the walker
    // answers a confirmation both ways.
    let output = mend(&["test", "--random", "300", "--seed", "1", "check-in-weekly"]).ok();
    // A timing that waits on forgiveness (`keep_heal_said`, and the chance
    // to give a new promise another timing: `when_again` and the two steps
    // after it) takes words no random answer holds; their plan cases reach
    // them, as do a vague promise sent again (`vague_choice`, `vague_kept`:
    // random words are never vague twice). So do `new_words`, an agreement
    // changed in new words, and the `draft_*` steps that save a settled
    // trigger-plan draft, which 300 seeded walks reach only by chance (plan
    // cases reach them all; since round AC's trigger-plan changes seed 1
    // reaches none, nor `new_revisit` and `revisit_pick`).
    assert_every_run_finished_and_every_step_reached(
        &output.stdout,
        "check-in-weekly",
        300,
        &[
            "new_words",
            "new_revisit",
            "new_revisit_t",
            "revisit_pick",
            "draft_save_o",
            "draft_save_p",
            "draft_when_o",
            "draft_when_p",
            "draft_chosen",
            "owner_agrees_draft",
            "draft_saved",
            "draft_supersede",
            "draft_superseded",
            "draft_saved_said",
            "timer_not_yet",
            "timer_mark",
            "timer_open",
            "timer_said",
            "keep_heal_said",
            "when_again",
            "new_promise_when_again",
            "when_again_check",
            "vague_choice",
            "vague_kept",
        ],
    );
}

/// The random walk's first line says every run finished and names as many
/// steps reached as the exercise has ("74 of 74"), whatever that number is
/// as the exercise grows; only the steps in `unreached` (reached by words no
/// random answer holds, and covered by the plans) may be missing.
fn assert_every_run_finished_and_every_step_reached(
    out: &str,
    id: &str,
    runs: usize,
    unreached: &[&str],
) {
    let head = format!("{id}: {runs} runs, {runs} finished, ");
    let rest = out.strip_prefix(&head).unwrap_or_else(|| panic!("{out}"));
    let (reached, rest) = rest.split_once(" of ").unwrap_or_else(|| panic!("{out}"));
    let (steps, _) = rest
        .split_once(" steps reached, ")
        .unwrap_or_else(|| panic!("{out}"));
    let (reached, steps): (usize, usize) = (
        reached.parse().unwrap_or_else(|_| panic!("{out}")),
        steps.parse().unwrap_or_else(|_| panic!("{out}")),
    );
    assert!(steps > 10, "{out}");
    let missing: Vec<&str> = out
        .lines()
        .find_map(|line| line.trim().strip_prefix("never reached: "))
        .map(|names| names.split(", ").collect())
        .unwrap_or_default();
    assert_eq!(steps - reached, missing.len(), "{out}");
    for step in missing {
        assert!(unreached.contains(&step), "`{step}` never reached:\n{out}");
    }
}

/// A plan with a name and nothing else checks nothing: it is an error,
/// not a pass.
#[test]
fn a_plan_that_cannot_fail_is_an_error() {
    let dir = library(
        "plans:\n  - name: left behind\n  - name: starts\n    turns:\n      - see: Welcome\n",
    );
    let output = mend(&["test"])
        .dir(dir.path())
        .env("MEND_EXERCISES", ".")
        .run();
    assert_eq!(output.code, 1, "{}", output.stdout);
    assert!(
        output.stdout.contains(
            "./i-statements.test.yaml:2:11: error: plan `left behind` has no turns and no `expect`, so it cannot fail"
        ),
        "{}",
        output.stdout
    );
}

/// An exercise whose promise step nudges "try" and saves the promise.
const PROMISE: &str = r#"title: Not seen
summary: Plans that say what must not be.
minutes: 5
version: 1
roles:
  speaker: Speaks.
steps:
  - id: promise
    ask: What will you do?
    by: speaker
    check:
      - rule: '!contains_any(answer, ["try"])'
        hint: Something that can be seen done?
  - id: saved
    by: speaker
    commit:
      text: "{{ answers.promise }}"
      due: from now on
notes: |
  Promise: {{ answers.promise }}
"#;

#[test]
fn plans_can_say_what_must_not_be_shown_noted_or_saved() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("promise.yaml"), PROMISE).unwrap();
    let plan = "plans:
  - name: a promise that can be seen done
    turns:
      - answer: I will text you at six.
      - not_see: Something that can be seen
    expect:
      not_notes: [I will try]
      not_ledger: [I will try]
  - name: nudged
    turns:
      - answer: I will try.
      - not_see: Something that can be seen
  - name: saved
    turns:
      - answer: I will text you at six.
    expect:
      not_ledger: [text you]
  - name: noted
    turns:
      - answer: I will text you at six.
    expect:
      not_notes: [text you]
";
    std::fs::write(dir.path().join("promise.test.yaml"), plan).unwrap();
    let output = mend(&["test", "promise"])
        .env("MEND_EXERCISES", dir.path().to_str().unwrap())
        .run();
    assert_eq!(output.code, 1, "{}", output.stdout);
    let plan = dir.path().join("promise.test.yaml");
    let plan = plan.display();
    assert_eq!(
        output.stdout,
        format!(
            "ok    promise: a promise that can be seen done
FAIL  promise: nudged
  {plan}:12: turn 2, at step `promise` (Partner A's turn)
  expected: no text containing \"Something that can be seen\"
  seen:     \"Something that can be seen done?\"

FAIL  promise: saved
  {plan}:16: expect
  expected: no ledger item containing \"text you\"
  seen:     \"c1 [commitment, open] Partner A: \\\"I will text you at six.\\\" (from now on, since 2026-01-01)\"

FAIL  promise: noted
  {plan}:21: expect
  expected: notes without \"text you\"
  seen:     \"Promise: I will text you at six.\"

1 passed, 3 failed
"
        )
    );
}
