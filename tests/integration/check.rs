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
