//! The warning corpus in tests/warnings: one file per code, each producing
//! exactly the warnings in its snapshot. Warnings alone pass `mend check`;
//! `--deny-warnings` makes them fail.

use crate::common::{mend, repo};

#[test]
fn each_warning_fixture_reports_its_code() {
    insta::glob!("..", "warnings/*.yaml", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let code = name.split('-').next().unwrap();
        let relative = format!("warnings/{name}");
        let output = mend(&["check", &relative]).dir(&repo().join("tests")).run();
        assert_eq!(output.code, 0, "warnings alone must not fail: {relative}");
        assert!(
            output.stdout.contains(&format!(": warning[{code}]: ")),
            "{relative} must warn with {code}:\n{}",
            output.stdout
        );
        assert!(!output.stdout.contains(": error"), "{}", output.stdout);
        insta::assert_snapshot!(output.stdout);
    });
}

#[test]
fn deny_warnings_makes_warnings_fail() {
    let output = mend(&[
        "check",
        "--deny-warnings",
        "tests/warnings/M006-silent-role.yaml",
    ])
    .run();
    assert_eq!(output.code, 1);
    assert!(
        output.stdout.starts_with(
            "tests/warnings/M006-silent-role.yaml:7:3: warning[M006]: role `listener` never answers"
        ),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .ends_with("1 file checked: 0 errors, 1 warning\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn every_code_is_documented_with_a_fixture() {
    let docs = std::fs::read_to_string(repo().join("docs/diagnostics.md")).unwrap();
    let fixtures: Vec<String> = std::fs::read_dir(repo().join("tests/warnings"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    for code in mend::format::CODES {
        assert!(
            docs.contains(&format!("## {code}")),
            "{code} is not in docs/diagnostics.md"
        );
        assert!(
            fixtures.iter().any(|f| f.starts_with(code)),
            "{code} has no fixture in tests/warnings"
        );
    }
}
