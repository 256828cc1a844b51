use crate::common::mend;

#[test]
fn the_shipped_library_is_clean() {
    let output = mend(&["check"]).ok();
    assert!(
        output.stdout.ends_with(" checked: 0 errors, 0 warnings\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn every_file_of_a_set_is_checked() {
    let output = mend(&[
        "check",
        "tests/broken/unknown-goto.yaml",
        "exercises/i-statements.yaml",
        "tests/broken/wrong-type.yaml",
    ])
    .run();
    assert_eq!(output.code, 1);
    assert!(output.stdout.contains("tests/broken/unknown-goto.yaml:17:15: error: goto names an unknown step `feelin`; did you mean `feeling`?"));
    assert!(output.stdout.contains(
        "tests/broken/wrong-type.yaml:3:10: error: expected a whole number, found text \"fifteen\""
    ));
    assert!(
        output
            .stdout
            .ends_with("3 files checked: 2 errors, 0 warnings\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let output = mend(&["check", "nowhere.yaml"]).run();
    assert_eq!(output.code, 1);
    assert!(
        output
            .stdout
            .starts_with("nowhere.yaml:1:1: error: cannot read the file"),
        "{}",
        output.stdout
    );
}

#[test]
fn the_library_folder_can_be_chosen() {
    let output = mend(&["check"]).env("MEND_EXERCISES", "tests/broken").run();
    assert_eq!(output.code, 1);
    assert!(
        output
            .stdout
            .contains("tests/broken/duplicate-step-id.yaml:13:9"),
        "{}",
        output.stdout
    );
}

#[test]
fn test_plans_named_among_the_files_are_checked_as_plans() {
    // `mend check --deny-warnings exercises/*.yaml`: the shell names the
    // test plans beside the exercises too.
    let mut files: Vec<String> = std::fs::read_dir(crate::common::repo().join("exercises"))
        .unwrap()
        .map(|e| format!("exercises/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    files.sort();
    let plans = files.iter().filter(|f| f.ends_with(".test.yaml")).count();
    assert!(plans >= 20, "{files:?}");
    let mut args = vec!["check", "--deny-warnings"];
    args.extend(files.iter().map(String::as_str));
    let output = mend(&args).ok();
    assert!(
        output.stdout.ends_with(&format!(
            "{} files checked: 0 errors, 0 warnings\n",
            files.len()
        )),
        "{}",
        output.stdout
    );

    // A plan with a mistake gets its line and column, like an exercise.
    let dir = tempfile::tempdir().unwrap();
    let exercise =
        std::fs::read_to_string(crate::common::repo().join("exercises/doubts-early.yaml")).unwrap();
    std::fs::write(dir.path().join("doubts-early.yaml"), exercise).unwrap();
    std::fs::write(
        dir.path().join("doubts-early.test.yaml"),
        "plans:\n  - name: a typo\n    turns:\n      - answer: \"yes\"\n        at: anyy\n",
    )
    .unwrap();
    let output = mend(&["check", "doubts-early.test.yaml"])
        .dir(dir.path())
        .run();
    assert_eq!(output.code, 1, "{}", output.stdout);
    assert!(
        output
            .stdout
            .contains("doubts-early.test.yaml:5:13: error:"),
        "{}",
        output.stdout
    );
    assert!(output.stdout.contains("`anyy`"), "{}", output.stdout);
    assert!(
        output
            .stdout
            .ends_with("1 file checked: 1 error, 0 warnings\n"),
        "{}",
        output.stdout
    );
}
