//! Hostile files, answers and data folders (issue 16): each case, most of
//! them files under tests/hostile/, with the exact outcome a user sees.
//! docs/limits.md lists every bound these tests hit.

use crate::common::{mend, repo};
use std::path::{Path, PathBuf};

fn hostile(name: &str) -> String {
    repo()
        .join("tests/hostile")
        .join(name)
        .display()
        .to_string()
}

/// A session of `i-statements` left unfinished after one answer, in `data`.
fn unfinished_session(data: &Path) -> PathBuf {
    mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(data)
        .stdin("Hard day\n")
        .run();
    let sessions = data.join("sessions");
    std::fs::read_dir(&sessions)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .expect("a journal")
}

/// Runs a hostile exercise with `stdin`, insisting it stops with exit code 1
/// and `first` as the first line of its diagnostic.
fn stops_with(file: &str, stdin: &str, first: &str) -> crate::common::Output {
    let output = mend(&["run", &hostile(file), "--partners", "Alex,Sam"])
        .stdin(stdin)
        .run();
    assert_eq!(output.code, 1, "{output:?}");
    let expected = format!("{}:{first}\n", hostile(file));
    assert!(
        output.stderr.contains(&expected) || output.stdout.contains(&expected),
        "expected {expected}\n{output:?}"
    );
    output
}

/// `mend check FILE` with its whole stdout, for the file cases.
fn check(file: &str) -> crate::common::Output {
    mend(&["check", &hostile(file)]).run()
}

/// Runs `command`, killing it if it has not ended within ten seconds:
/// the cases below used to hang.
#[cfg(unix)]
pub(super) fn within_seconds(mend: crate::common::Mend) -> (i32, String) {
    use std::io::Read;
    let mut child = mend.command().spawn().unwrap();
    drop(child.stdin.take());
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            return (status.code().unwrap_or(-1), out);
        }
        if started.elapsed() > std::time::Duration::from_secs(10) {
            let _ = child.kill();
            panic!("mend hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

mod answers;
mod couples_data;
mod damage;
#[cfg(unix)]
mod data_dir;
mod exercise_text;
mod export_import_erase;
mod files;
mod scripts;
