//! The library's shared word lists (`words.yaml`): exercises name the lists
//! they read, every mistake is reported at its line, and a session keeps
//! the lists it was played with.

use crate::common::mend;
use std::path::Path;

const EXERCISE: &str = r#"title: Words
summary: Reads a shared list.
minutes: 1
version: 1
roles:
  speaker: Speaks.
  listener: Listens.
words: [contempt_words]
steps:
  - id: share
    ask: "{{ speaker }}, what happened?"
    by: speaker
    check:
      - rule: '!contains_any(answer, vars.contempt_words)'
        hint: "Try it without a label for {{ listener }}."
  - id: heard
    ask: "{{ listener }}, what did you hear?"
    by: listener
  - id: done
    say: "Thank you."
"#;

fn library(words: &str, exercise: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp folder");
    std::fs::write(dir.path().join("words.yaml"), words).expect("writes");
    std::fs::write(dir.path().join("words-ex.yaml"), exercise).expect("writes");
    dir
}

fn path(dir: &Path, file: &str) -> String {
    dir.join(file).display().to_string()
}

#[test]
fn an_exercise_reads_a_shared_list_as_a_variable() {
    let dir = library("contempt_words: [\"pathetic\", \"grow up\"]\n", EXERCISE);
    let folder = dir.path().display().to_string();
    let output = mend(&[
        "--exercises",
        &folder,
        "run",
        "words-ex",
        "--partners",
        "Alex,Sam",
    ])
    .stdin("You are pathetic.\nYou are pathetic.\nThat you are upset.\n")
    .run();
    assert!(
        output.stdout.contains("Try it without a label for Sam."),
        "{}",
        output.stdout
    );
    let checked = mend(&["--exercises", &folder, "check", "--deny-warnings"]).run();
    assert_eq!(checked.code, 0, "{}", checked.stdout);
    assert!(
        checked
            .stdout
            .ends_with("2 files checked: 0 errors, 0 warnings\n"),
        "{}",
        checked.stdout
    );
}

#[test]
fn a_list_the_file_does_not_have_is_named_with_the_closest() {
    let dir = library(
        "contempt_word: [\"pathetic\"]\n",
        &EXERCISE.replace("words: [contempt_words]", "words: [contempt_wrds]"),
    );
    let file = path(dir.path(), "words-ex.yaml");
    let output = mend(&["check", &file]).run();
    assert_eq!(output.code, 1);
    let words = path(dir.path(), "words.yaml");
    assert!(
        output.stdout.contains(&format!(
            "{file}:8:9: error: `{words}` has no list `contempt_wrds`; did you mean `contempt_word`?"
        )),
        "{}",
        output.stdout
    );
}

#[test]
fn without_a_words_file_beside_it_an_exercise_reads_the_built_in_lists() {
    // A copy of a library exercise in a folder of its own plays as it did.
    let dir = tempfile::tempdir().expect("a temp folder");
    let file = path(dir.path(), "words-ex.yaml");
    std::fs::write(&file, EXERCISE).expect("writes");
    let output = mend(&["check", &file]).run();
    assert_eq!(output.code, 0, "{}", output.stdout);
    let unknown = EXERCISE.replace("words: [contempt_words]", "words: [contempt_wrds]");
    std::fs::write(&file, unknown).expect("writes");
    let output = mend(&["check", &file]).run();
    assert_eq!(output.code, 1);
    assert!(
        output.stdout.contains(&format!(
            "{file}:8:9: error: `<built-in>/words.yaml` has no list `contempt_wrds`; did you mean `contempt_words`?"
        )),
        "{}",
        output.stdout
    );
}

#[test]
fn a_list_named_twice_is_an_error_at_its_place() {
    let dir = library(
        "contempt_words: [\"pathetic\"]\n",
        &EXERCISE.replace(
            "words: [contempt_words]",
            "vars:\n  contempt_words: []\nwords: [contempt_words]",
        ),
    );
    let file = path(dir.path(), "words-ex.yaml");
    let output = mend(&["check", &file]).run();
    assert_eq!(output.code, 1);
    assert!(
        output.stdout.contains(&format!(
            "{file}:10:9: error: `contempt_words` is both a shared list named in `words` and a variable under `vars`"
        )),
        "{}",
        output.stdout
    );
}

#[test]
fn every_mistake_in_the_words_file_is_reported_at_its_line() {
    let dir = library(
        "# shared lists\ncontempt_words: [\"pathetic\"]\nBlame: [\"your fault\"]\nvague_words: try harder\ncondition_words: [\"if you\", 3]\n",
        EXERCISE,
    );
    let words = path(dir.path(), "words.yaml");
    let output = mend(&["check", &words]).run();
    assert_eq!(output.code, 1, "{}", output.stdout);
    for expected in [
        format!("{words}:3:1: error: list name `Blame` must be lowercase"),
        format!("{words}:4:14: error: `vague_words` must be a list of phrases"),
        format!("{words}:5:29: error: every entry of `condition_words` is a phrase in quotes"),
    ] {
        assert!(
            output.stdout.contains(&expected),
            "{expected}\n{}",
            output.stdout
        );
    }
    assert!(
        output
            .stdout
            .ends_with("1 file checked: 3 errors, 0 warnings\n"),
        "{}",
        output.stdout
    );
    // The exercise still finds the lists that could be read.
    let file = path(dir.path(), "words-ex.yaml");
    let exercise = mend(&["check", &file]).run();
    assert_eq!(exercise.code, 0, "{}", exercise.stdout);
}

#[test]
fn mend_test_reads_the_lists_beside_the_exercise_and_skips_the_file_itself() {
    let dir = library("contempt_words: [\"pathetic\"]\n", EXERCISE);
    std::fs::write(
        dir.path().join("words-ex.test.yaml"),
        "plans:\n  - name: a label is nudged\n    partners: [Alex, Sam]\n    turns:\n      - answer: You are pathetic.\n      - hint: Try it without a label for Sam.\n      - answer: You are pathetic.\n      - answer: That you are upset.\n    expect:\n      finished: true\n",
    )
    .expect("writes");
    let words = path(dir.path(), "words.yaml");
    let file = path(dir.path(), "words-ex.yaml");
    let output = mend(&["test", &words, &file]).run();
    assert_eq!(output.code, 0, "{}\n{}", output.stdout, output.stderr);
    assert!(
        output.stdout.ends_with("1 passed, 0 failed\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_resumed_session_keeps_the_lists_it_was_played_with() {
    let dir = library("contempt_words: [\"pathetic\"]\n", EXERCISE);
    let folder = dir.path().display().to_string();
    let data = tempfile::tempdir().expect("a temp folder");
    mend(&[
        "--exercises",
        &folder,
        "run",
        "words-ex",
        "--partners",
        "Alex,Sam",
    ])
    .data(data.path())
    .stdin(":break\n")
    .run();
    // The file is gone: the saved copy is played, with the lists it had.
    std::fs::remove_file(dir.path().join("words.yaml")).expect("removes");
    std::fs::remove_file(dir.path().join("words-ex.yaml")).expect("removes");
    let output = mend(&["--exercises", &folder, "resume"])
        .data(data.path())
        .stdin("yes\nyes\nYou are pathetic.\nYou are pathetic.\n")
        .run();
    assert!(
        output.stdout.contains("Try it without a label for Sam."),
        "{}\n{}",
        output.stdout,
        output.stderr
    );
}
