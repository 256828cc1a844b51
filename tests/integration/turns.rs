//! Whose turn the screen and the notes say it is: the hand-off banner comes
//! just before the other partner's question, never above words meant for
//! the partner who just answered; a role is named only where it still
//! applies; and a slip in typing is not counted as a nudge.

use crate::common::mend;
use std::path::Path;

/// A swap block whose rounds close with a say, then, outside the block, a
/// say to both, a question by role and one for both.
const SWAPPED: &str = r#"
title: Turns
summary: Who is asked, and as what.
minutes: 5
version: 1
roles:
  speaker: Shares one thing.
  listener: Says back what they heard.
steps:
  - id: rounds
    swap: [speaker, listener]
    steps:
      - id: share
        ask: "{{ speaker }}, what is on your mind?"
        by: speaker
        check:
          - rule: words(answer) >= 3
            hint: A few more words, please.
      - id: thanks
        say: "Thank you for sharing, {{ speaker }}."
      - id: heard
        choose: "{{ listener }}, did you hear it?"
        by: listener
        options:
          - key: yes
            label: Yes.
          - key: partly
            label: Partly.
      - id: round_done
        say: "Thank you both, {{ speaker }} and {{ listener }}."
  - id: together
    say: "You both took a turn at each role."
  - id: next_time
    ask: "{{ listener }}, what would you like to try next time?"
    by: listener
  - id: leaving
    choose: "{{ by }}, how are you leaving this?"
    by: both
    options:
      - key: settled
        label: Settled enough.
      - key: stirred
        label: Stirred up, but all right.
"#;

/// Plays SWAPPED with `answers` piped in; returns what was shown.
fn play(data: &Path, answers: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("turns.yaml");
    std::fs::write(&file, SWAPPED).unwrap();
    mend(&["run", file.to_str().unwrap(), "--partners", "Alex,Sam"])
        .data(data)
        .stdin(answers)
        .ok()
        .stdout
}

const ANSWERS: &str = "\
I miss our walks
yes
The dishes wait for me
9
partly
A slower evening
settled
stirred
";

#[test]
fn the_banner_comes_after_words_for_the_partner_who_answered() {
    let data = tempfile::tempdir().unwrap();
    let out = play(data.path(), ANSWERS);
    // Alex shares; the thanks is for Alex, so it comes before Sam's banner,
    // and the banner stands right above Sam's question.
    assert!(
        out.contains(
            "Alex › I miss our walks\n\nThank you for sharing, Alex.\n\n── Over to Sam ──\n\nSam (listener) · question 2 of 7, round 1 of 2\n"
        ),
        "{out}"
    );
    // Sam answers last in round 1 and first in round 2: no banner at all.
    assert!(
        out.contains(
            "Sam › yes\n\nThank you both, Alex and Sam.\n\nSam (speaker) · question 3 of 7, round 2 of 2\n"
        ),
        "{out}"
    );
    // Words to both, after the block, come before the banner.
    assert!(
        out.contains(
            "Thank you both, Sam and Alex.\n\nYou both took a turn at each role.\n\n── Over to Sam ──\n\nSam · question 5 of 7\n"
        ),
        "{out}"
    );
    // No banner ever stands above anything but a question.
    for (at, _) in out.match_indices("── Over to ") {
        let next = out[at..].lines().nth(2).unwrap_or_default();
        assert!(
            next.starts_with("Alex") || next.starts_with("Sam"),
            "a banner above {next:?}:\n{out}"
        );
    }
}

#[test]
fn roles_are_named_inside_the_swap_block_only() {
    let data = tempfile::tempdir().unwrap();
    let out = play(data.path(), ANSWERS);
    assert!(
        out.contains("Alex (speaker) · question 1 of 7, round 1 of 2"),
        "{out}"
    );
    assert!(
        out.contains("Sam (listener) · question 2 of 7, round 1 of 2"),
        "{out}"
    );
    assert!(
        out.contains("Sam (speaker) · question 3 of 7, round 2 of 2"),
        "{out}"
    );
    assert!(
        out.contains("Alex (listener) · question 4 of 7, round 2 of 2"),
        "{out}"
    );
    // After the block, the last round's roles no longer apply.
    assert!(out.contains("\nSam · question 5 of 7\n"), "{out}");
    assert!(out.contains("\nAlex · question 6 of 7\n"), "{out}");
    assert!(out.contains("\nSam · question 7 of 7\n"), "{out}");
    assert!(!out.contains(") · question 5"), "{out}");
    assert!(!out.contains(") · question 6"), "{out}");
    assert!(!out.contains(") · question 7"), "{out}");
}

#[test]
fn notes_name_roles_where_the_screen_did() {
    let data = tempfile::tempdir().unwrap();
    play(data.path(), ANSWERS);
    for template in ["session-notes", "dap"] {
        let notes = mend(&["notes", "--template", template])
            .data(data.path())
            .ok()
            .stdout;
        assert!(
            notes.contains("Alex (speaker): I miss our walks"),
            "{notes}"
        );
        assert!(
            notes.contains("Sam (speaker): The dishes wait for me"),
            "{notes}"
        );
        assert!(notes.contains("Alex: Settled enough."), "{notes}");
        assert!(notes.contains("Sam: Stirred up, but all right."), "{notes}");
    }
}

#[test]
fn a_typing_slip_is_not_counted_as_a_nudge() {
    let data = tempfile::tempdir().unwrap();
    // Sam first types "9", not an option: asked again, not nudged.
    let out = play(data.path(), ANSWERS);
    assert!(out.contains("Please choose a number from 1 to 2"), "{out}");
    let dap = mend(&["notes", "--template", "dap"])
        .data(data.path())
        .ok()
        .stdout;
    assert!(!dap.contains("Please choose"), "{dap}");
    assert!(!dap.contains("Nudged"), "{dap}");

    // A check rule's hint is a nudge, and the DAP note counts it.
    let data = tempfile::tempdir().unwrap();
    play(data.path(), &format!("too short\n{ANSWERS}"));
    let dap = mend(&["notes", "--template", "dap"])
        .data(data.path())
        .ok()
        .stdout;
    assert!(
        dap.contains("Nudged 1 time (Alex): \u{201c}A few more words, please.\u{201d}"),
        "{dap}"
    );
    assert!(!dap.contains("Please choose"), "{dap}");
}

#[test]
fn roles_that_share_a_label_are_not_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("same.yaml");
    std::fs::write(
        &file,
        r#"
title: Same label
summary: Two roles that read the same on screen.
minutes: 5
version: 1
roles:
  first:
    description: Goes first.
    label: partner
  second:
    description: Goes second.
    label: partner
steps:
  - id: one
    ask: "{{ first }}, what is one thing?"
    by: first
  - id: two
    ask: "{{ second }}, and one more?"
    by: second
"#,
    )
    .unwrap();
    let out = mend(&["run", file.to_str().unwrap(), "--partners", "Alex,Sam"])
        .stdin("a walk\na talk\n")
        .ok()
        .stdout;
    assert!(out.contains("\nAlex · question 1 of 2\n"), "{out}");
    assert!(out.contains("\nSam · question 2 of 2\n"), "{out}");
    assert!(!out.contains("(partner) ·"), "{out}");
}
