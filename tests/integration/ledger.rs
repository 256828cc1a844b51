//! The couple's ledger across sessions, and the weekly check-in that reads it.

use crate::common::{READY, mend};
use std::path::Path;

pub const PROMISE: &str = r#"
title: Promise
summary: Each partner makes one promise.
minutes: 2
version: 1
roles:
  first: Promises first.
  second: Promises second.
steps:
  - id: p1
    ask: What will you do?
    by: first
  - id: c1
    commit:
      text: "{{ answers.p1 }}"
      due: "2020-01-05"
    by: first
  - id: p2
    ask: And you?
    by: second
  - id: c2
    commit:
      text: "{{ answers.p2 }}"
      due: "2020-01-06"
    by: second
  - id: talk
    agree:
      text: No phones at dinner
      topic: communication
      revisit: "2020-02-01"
"#;

fn promise(dir: &Path, data: &Path) {
    let file = dir.join("promise.yaml");
    std::fs::write(&file, PROMISE).unwrap();
    mend(&["run", file.to_str().unwrap(), "--partners", "Alex,Sam"])
        .data(data)
        .stdin("Text you when I am running late\nA walk together twice a week\n")
        .ok();
}

#[test]
fn commitments_enter_the_ledger_when_the_run_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("promise.yaml");
    std::fs::write(&file, PROMISE).unwrap();
    // A run that stops half-way adds nothing yet: :back could still undo it.
    mend(&["run", file.to_str().unwrap(), "--partners", "Alex,Sam"])
        .data(&data)
        .stdin("Text you when I am running late\n")
        .run();
    let empty = mend(&["ledger"]).data(&data).ok();
    assert!(empty.stdout.starts_with("No ledger yet."), "{empty:?}");

    mend(&["resume"])
        .data(&data)
        .stdin(&format!("{READY}A walk together twice a week\n"))
        .ok();
    // Names in either order and case find the same ledger.
    let shown = mend(&["ledger", "--partners", "sam,ALEX"]).data(&data).ok();
    let out = shown.stdout;
    assert!(out.contains("\nOpen commitments\n  c1   Alex: Text you when I am running late (due 2020-01-05)  OVERDUE\n  c2   Sam: A walk together twice a week (due 2020-01-06)  OVERDUE\n"), "{out}");
    assert!(out.contains("\nAgreements\n  a1   [communication] Alex and Sam: No phones at dinner (revisit 2020-02-01: due now)\n"), "{out}");
}

#[cfg(unix)]
#[test]
fn the_ledger_is_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    promise(dir.path(), &data);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data.join("ledgers")), 0o700);
    let files: Vec<_> = std::fs::read_dir(data.join("ledgers"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(
        files
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "jsonl")),
        "{files:?}"
    );
    for file in files {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

#[test]
fn the_weekly_check_in_walks_each_open_commitment_and_marks_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    promise(dir.path(), &data);
    // Round one: Alex's commitment, kept. Round two: Sam's, renegotiated.
    // Alex agrees to Sam's new wording before it is saved. Then neither
    // sets a new one.
    let answers = "\
I texted every time I was late
It helped. Evenings still feel tense.
kept
yes
I only managed one walk

3
yes
One walk on Sunday mornings
in 1 week
yes
later


1
1
";
    let played = mend(&["run", "check-in-weekly", "--partners", "Alex,Sam"])
        .data(&data)
        .stdin(answers)
        .ok();
    let out = &played.stdout;
    assert!(
        out.contains("There are 2 commitments to look at today."),
        "{out}"
    );
    assert!(
        out.contains(
            "An agreement (communication): \"No phones at dinner\", to look at again by 2020-02-01"
        ),
        "{out}"
    );
    assert!(
        out.contains("Alex, you said: \"Text you when I am running late\" (by 2020-01-05, a date that has passed)."),
        "{out}"
    );
    assert!(out.contains("Sam, you said: \"A walk together twice a week\" (by 2020-01-06, a date that has passed)."), "{out}");
    assert!(
        out.contains("- Alex: \"Text you when I am running late\" marked kept"),
        "{out}"
    );
    assert!(
        out.contains("- New commitment by Sam: \"One walk on Sunday mornings\""),
        "{out}"
    );

    let shown = mend(&["ledger"]).data(&data).ok().stdout;
    assert!(
        shown.contains("\nOpen commitments\n  c3   Sam: One walk on Sunday mornings (due "),
        "{shown}"
    );
    assert!(
        shown.contains(
            "\nReviewed commitments\n  c1   Alex: Text you when I am running late (kept on "
        ),
        "{shown}"
    );
    assert!(
        shown.contains("  c2   Sam: A walk together twice a week (renegotiated on "),
        "{shown}"
    );

    // A damaged ledger history is read from the journals, marks and all.
    let ledger_file = std::fs::read_dir(data.join("ledgers"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .unwrap();
    let history = std::fs::read_to_string(&ledger_file).unwrap();
    std::fs::write(&ledger_file, format!("{{ not json\n{history}")).unwrap();
    let rebuilt = mend(&["ledger"]).data(&data).run();
    assert!(
        rebuilt.stderr.contains("is damaged at line 1")
            && rebuilt
                .stderr
                .contains("reading the couple's ledger from the session journals instead"),
        "{rebuilt:?}"
    );
    assert_eq!(rebuilt.stdout, shown);
}

#[test]
fn a_mark_of_an_unknown_commitment_is_an_error_pointing_at_the_step() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad-mark.yaml");
    std::fs::write(
        &file,
        "title: Mark\nsummary: Marks.\nminutes: 1\nversion: 1\nroles:\n  one: Marks.\nsteps:\n  - id: m\n    mark:\n      commitment: c7\n      status: kept\n",
    )
    .unwrap();
    let output = mend(&["run", file.to_str().unwrap()]).run();
    assert_eq!(output.code, 1);
    assert!(
        output.stderr.contains("bad-mark.yaml:10:19: error: step `m` marks item `c7`, which is not in the couple's ledger"),
        "{output:?}"
    );
}

#[test]
fn a_ledger_lost_after_a_finished_run_is_rebuilt_from_the_journals() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    promise(dir.path(), &data);
    // As if mend had been killed after journaling the end of the run but
    // before storing the ledger.
    std::fs::remove_dir_all(data.join("ledgers")).unwrap();
    let shown = mend(&["ledger", "--partners", "Alex,Sam"]).data(&data).ok();
    assert!(
        shown
            .stdout
            .contains("  c1   Alex: Text you when I am running late (due 2020-01-05)  OVERDUE\n"),
        "{shown:?}"
    );
    // Looking again adds nothing twice.
    let again = mend(&["ledger"]).data(&data).ok();
    assert_eq!(
        again
            .stdout
            .matches("Text you when I am running late")
            .count(),
        1
    );
}

#[test]
fn a_mark_with_an_unknown_status_names_the_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    promise(dir.path(), &data);
    let file = dir.path().join("bad-status.yaml");
    std::fs::write(
        &file,
        "title: Mark\nsummary: Marks.\nminutes: 1\nversion: 1\nroles:\n  one: Marks.\nsteps:\n  - id: m\n    mark:\n      commitment: \"{{ ledger.open[0].id }}\"\n      status: done\n",
    )
    .unwrap();
    let output = mend(&["run", file.to_str().unwrap(), "--partners", "Alex,Sam"])
        .data(&data)
        .run();
    assert_eq!(output.code, 1);
    assert!(
        output.stderr.contains(
            "bad-status.yaml:11:15: error: step `m` marks an item `done`; a mark's status is one of: kept, missed, retried, renegotiated, renegotiating, renewed, changed, retired, reached, settled"
        ),
        "{output:?}"
    );
}

/// Every file under `dir` with its size and modification time.
fn files(dir: &Path) -> Vec<(std::path::PathBuf, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::metadata(&path).unwrap();
        if meta.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path, meta.len(), meta.modified().unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn the_ledger_history_shows_every_change_and_notes_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    promise(dir.path(), &data);
    let answers = "I texted every time I was late\nIt helped. Evenings still feel tense.\nkept\nyes\nI only managed one walk\n\n3\nyes\nOne walk on Sunday mornings\nin 1 week\nyes\nlater\n\n\n1\n1\n";
    mend(&["run", "check-in-weekly", "--partners", "Alex,Sam"])
        .data(&data)
        .stdin(answers)
        .ok();
    let history = mend(&["ledger", "--history"]).data(&data).ok().stdout;
    let made = history
        .find("  made commitment  c1   Alex: Text you when I am running late (2020-01-05)\n");
    let marked = history.find("  kept             c1   Alex: Text you when I am running late\n");
    assert!(
        made.is_some() && marked.is_some() && made < marked,
        "{history}"
    );
    assert!(
        history
            .contains("  made agreement   a1   Alex and Sam: No phones at dinner (2020-02-01)\n"),
        "{history}"
    );
    assert!(
        history.contains("  renegotiated     c2   Sam: A walk together twice a week\n"),
        "{history}"
    );
    assert!(
        history.contains("  made commitment  c3   Sam: One walk on Sunday mornings (in 1 week)\n"),
        "{history}"
    );
    assert_eq!(history.matches(" · session ").count(), 2, "{history}");

    // Notes read and render only.
    let before = files(&data);
    for template in ["session-notes", "dap"] {
        mend(&["notes", "--last", "--template", template])
            .data(&data)
            .ok();
    }
    mend(&["ledger"]).data(&data).ok();
    mend(&["sessions"]).data(&data).ok();
    assert_eq!(files(&data), before);
}

#[test]
fn notes_list_what_a_check_in_reviewed_and_kept_open_as_still_open() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    promise(dir.path(), &data);
    // Alex's missed commitment is kept (by Sam, whom it was promised to);
    // Sam's is kept; the agreement is left for next time.
    let answers = "\
I was late twice and forgot to text
Those evenings were hard.
missed
yes

keep

I walked twice
It felt good.
kept
yes
later


1
1
";
    mend(&["run", "check-in-weekly", "--partners", "Alex,Sam"])
        .data(&data)
        .stdin(answers)
        .ok();
    let notes = mend(&["notes", "--last"]).data(&data).ok().stdout;
    assert!(
        notes.contains("- Reviewed, **Alex**: Text you when I am running late: missed this time, kept to try again\n"),
        "{notes}"
    );
    assert!(
        notes.contains("- Reviewed, **Sam**: A walk together twice a week: kept\n"),
        "{notes}"
    );
    // Missed, though kept: the DAP counts it as missed.
    let dap = mend(&["notes", "--last", "--template", "dap"])
        .data(&data)
        .ok()
        .stdout;
    assert!(
        dap.contains("- Commitments reviewed: 1 kept, 1 missed, 0 renegotiated\n"),
        "{dap}"
    );
    // The reviewed commitment is still open, so the record says so, not
    // that nothing from earlier sessions was open.
    assert!(
        notes.contains("Made in earlier sessions and still open after this session ("),
        "{notes}"
    );
    assert!(
        notes.contains("\n- **Alex**: Text you when I am running late"),
        "{notes}"
    );
    assert!(
        !notes.contains("Nothing made in earlier sessions"),
        "{notes}"
    );
    assert!(
        !notes.contains("\n- **Sam**: A walk together twice a week"),
        "{notes}"
    );
}

/// A renegotiation both agreed to whose new words wait: the old promise
/// stands, the plain ledger says it is being renegotiated, and the DAP
/// note counts it (it said "0 renegotiated" when the mark was `renewed`).
#[test]
fn a_renegotiation_whose_new_words_wait_is_shown_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    weekly_check_ins(
        &data,
        &[
            "I will call the couples therapist and book a first session.\ntoday\n1\nI will text you when I leave work.\ntoday\n1\n1\n1\n",
            "I called on Tuesday and booked us for the 14th.\nIt meant a lot.\n1\n1\nI texted most days but forgot on Thursday.\nThursday hurt.\n3\n1\nI will text you when I leave work, and call if I am later than 7.\nevery workday\n2\n\n\n1\n1\n",
        ],
    );
    let shown = mend(&["ledger"]).data(&data).ok().stdout;
    assert!(
        shown.contains("  c2   Sam: I will text you when I leave work. (due ")
            && shown.contains(") [being renegotiated since "),
        "{shown}"
    );
    assert!(shown.contains("; stands as it was]"), "{shown}");
    let history = mend(&["ledger", "--history"]).data(&data).ok().stdout;
    assert!(
        history.contains("renegotiating    c2   Sam: I will text you when I leave work."),
        "{history}"
    );
    let dap = mend(&["notes", "--template", "dap"])
        .data(&data)
        .ok()
        .stdout;
    assert!(
        dap.contains("- Commitments reviewed: 1 kept, 0 missed, 1 renegotiated"),
        "{dap}"
    );
    let notes = mend(&["notes"]).data(&data).ok().stdout;
    assert!(
        notes.contains("to be renegotiated, standing as it was until new words are agreed"),
        "{notes}"
    );
}

/// A habit is never passed or failed: reviewed in check-in-weekly, the
/// plain ledger, its history and the DAP note say how it has been going
/// (they said "[kept on ...]" and counted it as a commitment kept).
#[test]
fn a_reviewed_habit_reads_as_how_it_has_been_going() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    weekly_check_ins(
        &data,
        &[
            "I will text you when I leave work.\nevery evening\n1\nI will walk with you after dinner.\nevery Sunday\n1\n1\n1\n",
            "I texted most evenings.\nIt helped.\n1\n1\nWe walked on Sunday.\nIt was nice.\n2\n1\n\n\n\n1\n1\n",
        ],
    );
    let shown = mend(&["ledger"]).data(&data).ok().stdout;
    assert!(
        shown.contains("Alex: I will text you when I leave work. (every evening, since ")
            && shown.contains(") [going well on "),
        "{shown}"
    );
    assert!(shown.contains(") [hard to keep up lately on "), "{shown}");
    assert!(
        !shown.contains("[kept") && !shown.contains("[missed"),
        "{shown}"
    );
    let history = mend(&["ledger", "--history"]).data(&data).ok().stdout;
    assert!(
        history.contains("  going well       c1   Alex: I will text you when I leave work.\n"),
        "{history}"
    );
    let dap = mend(&["notes", "--template", "dap"])
        .data(&data)
        .ok()
        .stdout;
    assert!(
        dap.contains("- Habits reviewed: 1 going well, 1 hard to keep up lately\n"),
        "{dap}"
    );
    assert!(!dap.contains("Commitments reviewed"), "{dap}");
    let notes = mend(&["notes"]).data(&data).ok().stdout;
    assert!(
        notes.contains(
            "- Reviewed, **Sam**: I will walk with you after dinner: hard to keep up lately\n"
        ),
        "{notes}"
    );
}

/// Alex and Sam play check-in-weekly once per entry of `sittings` (each the
/// answers typed at one sitting), in the data folder `data`.
fn weekly_check_ins(data: &std::path::Path, sittings: &[&str]) {
    for answers in sittings {
        mend(&["run", "check-in-weekly", "--partners", "Alex,Sam"])
            .data(data)
            .stdin(answers)
            .ok();
    }
}
