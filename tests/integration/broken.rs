//! The corpus of broken exercise files in tests/broken: each must produce
//! exactly the diagnostics in its snapshot, and exit 1.

use crate::common::{mend, repo};

#[test]
fn each_broken_file_reports_its_problems() {
    insta::glob!("..", "broken/*.yaml", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let relative = format!("broken/{name}");
        let output = mend(&["check", &relative]).dir(&repo().join("tests")).run();
        assert_eq!(output.code, 1, "{relative} must fail the check");
        insta::assert_snapshot!(output.stdout);
    });
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let line = "# padding padding padding padding padding padding padding padding\n";
    std::fs::write(&path, line.repeat(5000)).unwrap();
    let output = mend(&["check", "huge.yaml"]).dir(dir.path()).run();
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stdout,
        "huge.yaml:1:1: error: the file is 323 KiB; exercise files are limited to 256 KiB\n\n1 file checked: 1 error, 0 warnings\n"
    );
}

#[test]
fn non_utf8_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("latin1.yaml"), b"title: caf\xe9\n").unwrap();
    let output = mend(&["check", "latin1.yaml"]).dir(dir.path()).run();
    assert_eq!(output.code, 1);
    assert!(
        output.stdout.starts_with(
            "latin1.yaml:1:1: error: the file is not UTF-8 text (invalid byte at offset 10)"
        ),
        "{}",
        output.stdout
    );
}
