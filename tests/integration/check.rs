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

/// `mend check exercises/*.yaml` names the test plans too: each is checked
/// as a test plan against the exercise beside it, not as an exercise.
#[test]
fn test_plans_named_on_the_command_line_are_checked_as_test_plans() {
    let mut files: Vec<String> = std::fs::read_dir(crate::common::repo().join("exercises"))
        .expect("the library folder reads")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".yaml"))
        .map(|name| format!("exercises/{name}"))
        .collect();
    files.sort();
    let plans = files.iter().filter(|f| f.ends_with(".test.yaml")).count();
    assert!(plans > 0);
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

    let dir = tempfile::tempdir().expect("a temporary folder");
    let exercises = crate::common::repo().join("exercises");
    std::fs::copy(
        exercises.join("boundaries.yaml"),
        dir.path().join("boundaries.yaml"),
    )
    .expect("the exercise copies");
    let plan = std::fs::read_to_string(exercises.join("boundaries.test.yaml"))
        .expect("the plan reads")
        .replacen("at: on_violation", "at: on_violatoin", 1);
    std::fs::write(dir.path().join("boundaries.test.yaml"), &plan).expect("the plan writes");
    std::fs::write(dir.path().join("alone.test.yaml"), "plans: []\n").expect("a plan writes");
    let line = plan
        .lines()
        .position(|l| l.contains("on_violatoin"))
        .expect("the misspelt step")
        + 1;
    let output = mend(&["check", "boundaries.test.yaml", "alone.test.yaml"])
        .dir(dir.path())
        .run();
    assert_eq!(output.code, 1, "{}", output.stdout);
    assert!(
        output.stdout.contains(&format!(
            "boundaries.test.yaml:{line}:13: error: exercise `boundaries` has no step `on_violatoin`; did you mean `on_violation`?"
        )),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains(
            "alone.test.yaml:1:1: error: this test plan is for the exercise `alone`, but `alone.yaml` cannot be read"
        ),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .ends_with("2 files checked: 2 errors, 0 warnings\n"),
        "{}",
        output.stdout
    );
}
