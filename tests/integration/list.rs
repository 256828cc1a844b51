use crate::common::mend;

#[test]
fn lists_id_title_minutes_and_summary() {
    let output = mend(&["list"]).ok();
    let line = output
        .stdout
        .lines()
        .find(|l| l.starts_with("i-statements "))
        .expect("i-statements is listed");
    assert!(line.contains("I-statements"), "{line}");
    assert!(line.contains(" 15 min "), "{line}");
    assert!(
        line.ends_with(
            "Turn a complaint into a feeling, a moment and a request your partner can hear."
        ),
        "{line}"
    );
}

#[test]
fn the_built_in_library_is_used_outside_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let output = mend(&["list"]).dir(dir.path()).ok();
    assert!(output.stdout.contains("i-statements"), "{}", output.stdout);
}
