//! Issue 13's capabilities through the `mend` binary: questions both
//! partners answer, consent before anything is saved, declines kept open in
//! the partner's words, items marked from a later exercise, and timings
//! read the way people type them.

use crate::common::{mend, repo};

const EXERCISE: &str = "tests/exercises/living-agreements.yaml";

#[test]
fn the_living_agreements_plans_pass_and_the_random_walk_finishes() {
    let plans = mend(&["test", EXERCISE]).ok();
    assert!(plans.stdout.ends_with("2 passed, 0 failed\n"), "{plans:?}");
    let walk = mend(&["test", "--random", "200", EXERCISE]).ok();
    assert!(
        walk.stdout
            .contains("200 runs, 200 finished, 21 of 21 steps reached"),
        "{walk:?}"
    );
    let check = mend(&["check", "--deny-warnings", EXERCISE]).ok();
    assert!(
        check.stdout.ends_with("0 errors, 0 warnings\n"),
        "{check:?}"
    );
}

/// A plan's `expect: ledger:` line that no item shows fails, and the
/// failure lists what the ledger holds.
#[test]
fn a_ledger_expectation_that_fails_shows_the_items() {
    let dir = tempfile::tempdir().unwrap();
    let exercise = std::fs::read_to_string(repo().join(EXERCISE)).unwrap();
    std::fs::write(dir.path().join("living.yaml"), exercise).unwrap();
    std::fs::write(
        dir.path().join("living.test.yaml"),
        "plans:\n  - name: said no\n    partners: [Sam, Alex]\n    turns:\n      - {answer: tired, by: Sam}\n      - {answer: ok, by: Alex}\n      - {answer: A walk, by: Alex}\n      - {answer: every evening, by: Alex}\n      - {answer: \"no\", by: Sam}\n      - {answer: Not now, by: Sam}\n      - {answer: slowly, by: Sam}\n      - {answer: in 2 weeks, by: Sam}\n      - {answer: \"yes\", by: Alex}\n    expect:\n      ledger:\n        - \"c1 [commitment, open]\"\n",
    )
    .unwrap();
    let output = mend(&["test", dir.path().join("living.yaml").to_str().unwrap()]).run();
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output
            .stdout
            .contains("expected: a ledger item \"c1 [commitment, open]\""),
        "{output:?}"
    );
    assert!(
        output.stdout.contains(
            r#"o1 [open, open] Sam: \"Not now\" (when I feel ready) about \"A walk\" / a1 [agreement, open] Sam: \"slowly\" (in 2 weeks: 2026-01-15)"#
        ),
        "{output:?}"
    );
}

/// One sitting makes a pause and an agreement; the next one raises both,
/// settles the pause and renews the agreement with the other partner's
/// consent; `mend ledger` shows each step.
#[test]
fn a_pause_comes_back_at_the_next_sitting_and_is_settled_with_consent() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = repo().join(EXERCISE);
    let file = file.to_str().unwrap();
    let first = mend(&["run", file, "--partners", "Sam,Alex"])
        .data(&data)
        .stdin("tired\nhopeful\nA walk after dinner\n03/04/2027\nevery evening\nno\nI need time to think\none step at a time\nwhen I feel ready\nyes\n")
        .ok();
    // Whose turn it is, at each turn of a question both answer.
    assert!(
        first
            .stdout
            .contains("Sam (hurt) · question 1\nSam, one word for how you are arriving today?"),
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains(
            "── Over to Alex ──\n\nAlex (partner) · question 2\nAlex, one word for how you are arriving today?"
        ),
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains(
            "\"03/04/2027\" could be Saturday 3 April 2027 or Thursday 4 March 2027. Which do you mean?"
        ),
        "{}",
        first.stdout
    );
    let ledger = mend(&["ledger"]).data(&data).ok();
    assert!(
        ledger.stdout.contains("Open commitments\n  none\n"),
        "a no saves nothing: {}",
        ledger.stdout
    );
    assert!(
        ledger
            .stdout
            .contains("  a1   [pacing] Sam: one step at a time (revisit when I feel ready)\n")
            && ledger.stdout.contains(
                "Kept open\n  o1   Sam: I need time to think (about: A walk after dinner)\n"
            ),
        "{}",
        ledger.stdout
    );

    // The notes keep the pause in Sam's words, and whose pace it is.
    let session = first
        .stdout
        .split("Saved as session ")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .unwrap()
        .to_owned();
    let notes = mend(&["notes", &session]).data(&data).ok();
    assert!(
        notes.stdout.contains(
            "- Kept open, **Sam**: I need time to think (about: A walk after dinner) (when I feel ready)\n"
        ) && notes
            .stdout
            .contains("- Agreement (pacing): **Sam**: one step at a time (revisit \"when I feel ready\")\n")
            && notes
                .stdout
                .contains("Kept open, **Sam**: I need time to think (about: A walk after dinner)"),
        "{}",
        notes.stdout
    );

    // The next sitting: the review walks o1 (pending) then a1 (words).
    let second = mend(&["run", file, "--partners", "Sam,Alex"])
        .data(&data)
        .stdin("settled\nyes\nrenewed\nin a fortnight\nyes\nfine\nfine\nA film night\nstarting tonight, every Friday\nyes\nyes\nsame pace\nin 4 weeks\nyes\n")
        .run();
    assert!(
        second
            .stdout
            .contains("o1 (pending): Sam, \"I need time to think\" about A walk after dinner.")
            && second
                .stdout
                .contains("a1 (words): Sam, \"one step at a time\"."),
        "{second:?}"
    );
    assert!(
        second
            .stdout
            .contains("Alex, do you agree to mark \"I need time to think\" settled?"),
        "{second:?}"
    );
    let ledger = mend(&["ledger"]).data(&data).ok();
    assert!(!ledger.stdout.contains("Kept open"), "{}", ledger.stdout);
    assert!(
        ledger
            .stdout
            .contains("  o1   I need time to think (settled on "),
        "{}",
        ledger.stdout
    );
    // A habit both promised: a start, never "due today".
    assert!(
        ledger
            .stdout
            .contains("  c1   Sam and Alex: A film night (starting tonight, every Friday, since ")
            && !ledger.stdout.contains("DUE TODAY"),
        "{}",
        ledger.stdout
    );
}

/// Mistakes in the new keys are found before anyone is in the room, each
/// with its line and column.
#[test]
fn mistakes_in_the_new_keys_point_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad-both.yaml");
    std::fs::write(
        &file,
        "title: Both\nsummary: Both.\nminutes: 1\nversion: 1\nroles:\n  one: One.\n  two: Two.\nsteps:\n  - id: q\n    choose: Which?\n    by: both\n    first: three\n    options:\n      - {key: a, label: A, goto: end}\n      - {key: b, label: B}\n  - id: s\n    say: hi\n    first: one\n  - id: save\n    agree:\n      text: hi\n    confirm:\n      by: nobody\n      if_no: nowhere\n  - id: end\n    say: bye\n    date: words\n",
    )
    .unwrap();
    let output = mend(&["check", file.to_str().unwrap()]).run();
    assert_eq!(output.code, 1, "{output:?}");
    for expected in [
        "bad-both.yaml:12:12: error: role `three` is not declared in `roles`",
        "bad-both.yaml:14:28: error: the options of a `by: both` question cannot have `goto`",
        "bad-both.yaml:18:5: error: `first` belongs on steps with `by: both`",
        "bad-both.yaml:23:11: error: role `nobody` is not declared in `roles`",
        "bad-both.yaml:24:14: error: goto names an unknown step `nowhere`",
        "bad-both.yaml:27:5: error: `date` belongs on ask steps",
    ] {
        assert!(
            output.stdout.contains(expected),
            "{expected}\n{}",
            output.stdout
        );
    }
}

/// The weekly check-in of docs/exercise-format.md runs as printed: every
/// kind of item marked with the right partners' consent, a "no" kept open.
#[test]
fn the_guides_check_in_walk_runs_as_printed() {
    let guide = std::fs::read_to_string(repo().join("docs/exercise-format.md")).unwrap();
    let section = guide
        .split("### A check-in that walks everything due")
        .nth(1)
        .unwrap();
    let steps = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let header = "title: C\nsummary: C.\nminutes: 5\nversion: 1\nroles:\n  owner: Marks.\n  partner: Confirms.\n";
    std::fs::write(dir.path().join("walk.yaml"), format!("{header}{steps}")).unwrap();
    std::fs::write(dir.path().join("walk.test.yaml"), WALK_PLAN).unwrap();
    let file = dir.path().join("walk.yaml");
    let file = file.to_str().unwrap();
    let check = mend(&["check", "--deny-warnings", file]).ok();
    assert!(
        check.stdout.ends_with("0 errors, 0 warnings\n"),
        "{check:?}"
    );
    let plans = mend(&["test", file]).ok();
    assert!(plans.stdout.ends_with("1 passed, 0 failed\n"), "{plans:?}");
}

const WALK_PLAN: &str = r#"plans:
  - name: seeded
    partners: [Alex, Sam]
    today: 2026-12-01
    ledger:
      commitments:
        - {owner: Alex, text: Text when late, due: 2026-11-28}
        - {owner: both, text: A walk, words: every Sunday}
      agreements:
        - {text: Six check-ins, topic: milestone, revisit: 2026-11-30}
      open:
        - {owner: Sam, text: I need time, about: Phones}
    turns:
      - {answer: kept, by: Alex}
      - {answer: "yes", by: Sam}
      - {answer: missed, by: Alex}
      - {answer: "yes", by: Alex}
      - {answer: "no", by: Sam}
      - {answer: I need us to talk about Sundays, by: Sam}
      - {answer: reached, by: Alex}
      - {answer: "yes", by: Alex}
      - {answer: "yes", by: Sam}
      - {answer: settled, by: Alex}
      - {answer: "yes", by: Alex}
    expect:
      finished: true
      ledger:
        - "c1 [commitment, kept"
        - "c2 [commitment, open]"
        - "a1 [agreement, reached"
        - "o1 [open, settled"
        - 'o2 [open, open] Sam: "I need us to talk about Sundays"'
"#;
