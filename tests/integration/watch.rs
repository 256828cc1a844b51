//! `mend watch`: a save re-checks the file and replays its test plans.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Lines from the child's stdout until one contains `marker`, or a timeout.
fn until(lines: &mpsc::Receiver<String>, marker: &str) -> String {
    let mut seen = String::new();
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(60)) {
        seen.push_str(&line);
        seen.push('\n');
        if line.contains(marker) {
            return seen;
        }
    }
    panic!("no line with {marker:?} in:\n{seen}");
}

#[test]
fn a_save_is_checked_and_its_plans_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let exercise = dir.path().join("hello.yaml");
    let good = "title: Hello\nsummary: S\nminutes: 1\nversion: 1\nroles:\n  speaker: Speaks.\nsteps:\n  - id: feeling\n    ask: How do you feel?\n    by: speaker\n";
    std::fs::write(&exercise, good).unwrap();
    std::fs::write(
        dir.path().join("hello.test.yaml"),
        "plans:\n  - name: answers\n    turns:\n      - answer: Fine.\n    expect:\n      finished: true\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mend"))
        .args(["watch", "--interval", "50", "hello.yaml"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let first = until(&lines, "Watching");
    assert!(
        first.contains("1 file checked: 0 errors, 0 warnings"),
        "{first}"
    );
    assert!(first.contains("1 passed, 0 failed"), "{first}");

    std::thread::sleep(Duration::from_millis(100));
    std::fs::write(
        &exercise,
        good.replace("How do you feel?", "\"{{ speakr }}, how do you feel?\""),
    )
    .unwrap();
    let second = until(&lines, "Watching");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        second.contains("hello.yaml:9:14: error: unknown name `speakr`; did you mean `speaker`?"),
        "{second}"
    );
    assert!(
        second.contains("1 file checked: 1 error, 0 warnings"),
        "{second}"
    );
    assert!(
        !second.contains("passed"),
        "no plans are played while the file has errors: {second}"
    );
}
