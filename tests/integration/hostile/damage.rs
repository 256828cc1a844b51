//! Damaged journals are named, never skipped in silence.

use super::*;

/// An unfinished session whose line 2 was damaged after it was written.
fn damaged_session(data: &Path) -> PathBuf {
    let journal = unfinished_session(data);
    let text = std::fs::read_to_string(&journal).unwrap();
    let mut lines: Vec<&str> = text.split('\n').collect();
    lines[1] = "{\"t\":\"exercise\", damaged";
    std::fs::write(&journal, lines.join("\n")).unwrap();
    journal
}

fn note(journal: &Path, consequence: &str) -> String {
    let id = journal.file_stem().unwrap().to_str().unwrap();
    format!(
        "note: session {id} cannot be read, so {consequence}: session journal `{0}` is damaged at line 2: key must be a string at column 18. Keep a copy of `{0}`, then remove that line from it and the session loads again.\n",
        journal.display()
    )
}

#[test]
fn resume_names_a_damaged_session_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let journal = damaged_session(dir.path());
    let output = mend(&["resume"]).data(dir.path()).run();
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stderr,
        format!(
            "{}error: there is no unfinished session to resume; `mend sessions` lists them all\n",
            note(
                &journal,
                "the latest unfinished session was looked for among the others"
            )
        )
    );
}

#[test]
fn the_ledger_names_a_damaged_session_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let journal = damaged_session(dir.path());
    // The ledger is its own history and reads no journal; a data folder
    // from before histories reads them once, and names this one.
    std::fs::remove_dir_all(dir.path().join("ledgers")).unwrap();
    let output = mend(&["ledger", "--partners", "Alex,Sam"])
        .data(dir.path())
        .ok();
    assert_eq!(
        output.stderr,
        note(&journal, "what it holds is not in the ledger")
    );
}

#[test]
fn a_whole_last_line_that_does_not_read_is_damage_not_cut_away() {
    let dir = tempfile::tempdir().unwrap();
    let journal = unfinished_session(dir.path());
    let mut text = std::fs::read_to_string(&journal).unwrap();
    text.push_str("[[[[not a journal line]]]]\n");
    std::fs::write(&journal, &text).unwrap();
    let id = journal.file_stem().unwrap().to_str().unwrap();
    let output = mend(&["resume", id]).data(dir.path()).stdin("more\n").run();
    assert_eq!(output.code, 1, "{output:?}");
    assert!(output.stderr.contains("is damaged at line "), "{output:?}");
    assert_eq!(std::fs::read_to_string(&journal).unwrap(), text);
}
