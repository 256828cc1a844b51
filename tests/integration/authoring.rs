//! `mend schema` and `mend new`: the tools a therapist starts a file with.

use crate::common::{mend, repo};

#[test]
fn the_committed_schema_is_what_mend_schema_prints() {
    let output = mend(&["schema"]).ok();
    let committed = std::fs::read_to_string(repo().join("docs/exercise.schema.json")).unwrap();
    assert!(
        output.stdout == committed,
        "docs/exercise.schema.json is out of date; run `cargo run -- schema > docs/exercise.schema.json`"
    );
    assert!(committed.contains("\"additionalProperties\": false"));
}

#[test]
fn every_exercise_file_names_the_schema() {
    for entry in std::fs::read_dir(repo().join("exercises")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The shared word lists are not an exercise.
        if mend::format::exercise_id(&path).is_some() {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.starts_with("# yaml-language-server: $schema=../docs/exercise.schema.json\n"),
                "{name} does not start with the schema comment"
            );
        }
    }
}

#[test]
fn new_exercises_pass_check_and_test_straight_away() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("mine");
    let lib = lib.to_str().unwrap();
    for (id, from) in [
        ("morning-talk", "basic"),
        ("two-turns", "turns"),
        ("my-i-statements", "i-statements"),
    ] {
        let output = mend(&["new", id, "--from", from, "--exercises", lib])
            .dir(dir.path())
            .ok();
        assert!(
            output
                .stdout
                .starts_with(&format!("Wrote {lib}/{id}.yaml and {lib}/{id}.test.yaml.")),
            "{}",
            output.stdout
        );
    }
    let text = std::fs::read_to_string(dir.path().join("mine/morning-talk.yaml")).unwrap();
    assert!(text.contains("\ntitle: Morning talk\n"), "{text}");
    let check = mend(&["check", "--deny-warnings", "--exercises", lib]).ok();
    assert!(
        check
            .stdout
            .ends_with("3 files checked: 0 errors, 0 warnings\n"),
        "{}",
        check.stdout
    );
    let test = mend(&["test", "--exercises", lib]).ok();
    assert!(
        test.stdout.ends_with(" passed, 0 failed\n"),
        "{}",
        test.stdout
    );
    assert!(
        test.stdout.contains("ok    morning-talk: "),
        "{}",
        test.stdout
    );
    assert!(test.stdout.contains("ok    two-turns: "), "{}", test.stdout);
}

#[test]
fn new_never_overwrites_and_refuses_odd_ids() {
    let dir = tempfile::tempdir().unwrap();
    mend(&["new", "talk"]).dir(dir.path()).ok();
    std::fs::write(dir.path().join("exercises/talk.yaml"), "mine").unwrap();
    let again = mend(&["new", "talk"]).dir(dir.path()).run();
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("`exercises/talk.yaml` already exists; mend new never overwrites a file"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("exercises/talk.yaml")).unwrap(),
        "mine"
    );
    for id in ["Talk", "../talk", "talk.test", "talk-", ""] {
        let output = mend(&["new", id]).dir(dir.path()).run();
        assert_eq!(output.code, 1, "{id}");
        assert!(
            output.stderr.contains("is not a usable exercise id"),
            "{id}: {}",
            output.stderr
        );
    }
}

/// The example exercise and plan in docs/authoring.md, as a reader would
/// copy them, pass the check and their own test.
#[test]
fn the_guide_examples_work() {
    let guide = std::fs::read_to_string(repo().join("docs/authoring.md")).unwrap();
    let block = |start: &str| -> String {
        let from = guide.find(start).unwrap();
        let to = guide[from..].find("```").unwrap();
        guide[from..from + to].to_owned()
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("morning-check-in.yaml"),
        block("title: Morning check-in"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("morning-check-in.test.yaml"),
        block("plans:\n"),
    )
    .unwrap();
    let lib = dir.path().to_str().unwrap();
    mend(&["check", "--deny-warnings", "--exercises", lib]).ok();
    let output = mend(&["test", "--exercises", lib]).ok();
    assert!(
        output.stdout.ends_with("1 passed, 0 failed\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn new_files_name_schemas_that_sit_beside_them() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("anywhere");
    let lib = lib.to_str().unwrap();
    for (id, from) in [("gratitude", "basic"), ("my-copy", "i-statements")] {
        mend(&["new", id, "--from", from, "--exercises", lib])
            .dir(dir.path())
            .ok();
        let exercise =
            std::fs::read_to_string(dir.path().join(format!("anywhere/{id}.yaml"))).unwrap();
        assert!(
            exercise.starts_with("# yaml-language-server: $schema=exercise.schema.json\n"),
            "{exercise}"
        );
        assert_eq!(
            exercise.matches("yaml-language-server").count(),
            1,
            "{exercise}"
        );
        let plan =
            std::fs::read_to_string(dir.path().join(format!("anywhere/{id}.test.yaml"))).unwrap();
        assert!(
            plan.starts_with("# yaml-language-server: $schema=test-plan.schema.json\n"),
            "{plan}"
        );
    }
    let schema = std::fs::read_to_string(dir.path().join("anywhere/exercise.schema.json")).unwrap();
    assert_eq!(schema, mend(&["schema"]).ok().stdout);
    let plan_schema =
        std::fs::read_to_string(dir.path().join("anywhere/test-plan.schema.json")).unwrap();
    assert_eq!(plan_schema, mend(&["schema", "--plan"]).ok().stdout);
    assert!(plan_schema.contains("\"turns\""), "{plan_schema}");
    assert!(
        schema.contains("\"minimum\": 1"),
        "minutes is at least 1:\n{schema}"
    );
    // mend check does not take the schemas for exercises.
    let check = mend(&["check", "--deny-warnings", "--exercises", lib]).ok();
    assert!(
        check
            .stdout
            .ends_with("2 files checked: 0 errors, 0 warnings\n"),
        "{}",
        check.stdout
    );

    let other = dir.path().join("schemas");
    let written = mend(&["schema", "--write", other.to_str().unwrap()]).ok();
    assert!(
        written
            .stdout
            .starts_with("Wrote exercise.schema.json and test-plan.schema.json"),
        "{}",
        written.stdout
    );
    assert_eq!(
        std::fs::read_to_string(other.join("exercise.schema.json")).unwrap(),
        schema
    );
}

#[test]
fn the_committed_test_plan_schema_is_what_mend_schema_prints() {
    let output = mend(&["schema", "--plan"]).ok();
    let committed = std::fs::read_to_string(repo().join("docs/test-plan.schema.json")).unwrap();
    assert_eq!(
        output.stdout, committed,
        "docs/test-plan.schema.json is out of date"
    );
}
