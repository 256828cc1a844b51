use crate::common::mend;

const ONE_ROUND: &str = "\
You never listen to me
lonely
I feel lonely when we eat with phones out, because time together matters, and I need phones away at dinner.
What I heard is you feel lonely at dinner
yes
yes
I am tired of doing all the dishes
tired
I feel tired when I do the dishes alone after work, and I need us to share them.
What I heard is you are tired
1
settled
settled
";

#[test]
fn a_session_asks_names_offers_exercises_and_sums_up() {
    let input = format!("Alex\nalex\nSam\nbreathing\ni-statements\n{ONE_ROUND}n\n");
    let output = mend(&["session"]).stdin(&input).ok();
    let out = &output.stdout;
    assert!(
        out.starts_with(
            "Welcome to mend\nmend supports, and does not replace, guidance from a professional."
        ),
        "{out}"
    );
    assert!(out.contains("local domestic-abuse service"), "{out}");
    assert!(
        out.contains("› alex\n\n  The two names need to differ"),
        "{out}"
    );
    assert!(
        out.contains(". I-statements (15 min) · i-statements\n"),
        "{out}"
    );
    assert!(
        out.contains("There is no exercise called \"breathing\" here. Type a number from 1 to"),
        "{out}"
    );
    // I-statements swaps the roles itself: no offer to swap them first.
    assert!(!out.contains("Would you like to swap"), "{out}");
    assert!(out.contains("Alex (speaker) · question 1"), "{out}");
    assert!(
        out.contains("That's the end of I-statements. Thank you both."),
        "{out}"
    );
    let summary = out.split("What you did today\n").nth(1).unwrap_or_default();
    assert!(
        summary.starts_with("  I-statements: finished\n\nI-statements\n"),
        "{out}"
    );
    assert!(
        summary.contains("\nSam: I feel tired when I do the dishes alone after work"),
        "{summary}"
    );
    assert!(
        summary.ends_with("Thank you both for the care you put into this.\n\n"),
        "{summary}"
    );
}

#[test]
fn the_role_swap_is_offered_only_where_the_roles_differ() {
    let output = mend(&["session", "--partners", "Alex,Sam"])
        .stdin("apology-ritual\n:quit\n")
        .run();
    assert!(
        output.stdout.contains(
            "Would you like to swap, so Sam is the partner receiving the apology and Alex the partner offering the apology? [y/N]"
        ),
        "{}",
        output.stdout
    );

    // Two roles with the same job: swapping them changes nothing.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("exercises")).unwrap();
    std::fs::write(
        dir.path().join("exercises/same.yaml"),
        "title: Same job\nsummary: Both say one thing.\nminutes: 5\nversion: 1\nroles:\n  first: Says one thing they appreciate.\n  second: Says one thing they appreciate.\nsteps:\n  - id: one\n    ask: What do you appreciate?\n    by: first\n",
    )
    .unwrap();
    let output = mend(&["session", "--partners", "Alex,Sam"])
        .dir(dir.path())
        .stdin("same\nThe tea this morning.\nn\n")
        .run();
    assert!(
        output.stdout.contains("Alex (first) · question 1"),
        "{}\n{}",
        output.stdout,
        output.stderr
    );
    assert!(
        !output.stdout.contains("Would you like to swap"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_break_ends_the_session_with_a_summary() {
    let output = mend(&["session", "--partners", "Alex,Sam"])
        .stdin("i-statements\n\nYou never listen to me\n:break\n")
        .ok();
    let out = &output.stdout;
    assert!(out.contains("Take at least 20 minutes apart"), "{out}");
    assert!(!out.contains("another exercise"), "{out}");
    assert!(
        out.contains("What you did today\n  I-statements: paused for a break\n"),
        "{out}"
    );
}

#[test]
fn partner_names_are_checked_before_anything_starts() {
    let output = mend(&["session", "--partners", "Alex"]).run();
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stderr,
        "error: --partners takes two names separated by a comma, like \"Alex,Sam\"\n"
    );
    assert_eq!(output.stdout, "");
}

#[test]
fn names_with_escape_codes_are_shown_harmlessly() {
    let output = mend(&["session"])
        .stdin("\u{1b}]0;owned\u{7}Alex\nSam\n:quit\n")
        .ok();
    assert!(!output.stdout.contains('\u{1b}'), "{}", output.stdout);
    assert!(
        output.stdout.contains("› ^[]0;owned^GAlex"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_session_offers_the_weekly_check_in_first_when_commitments_are_due() {
    let library = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::common::repo().join("exercises/check-in-weekly.yaml"),
        library.path().join("check-in-weekly.yaml"),
    )
    .unwrap();
    std::fs::write(
        library.path().join("promise.yaml"),
        "title: Promise\nsummary: One promise, due today.\nminutes: 2\nversion: 1\nroles:\n  one: Promises.\nsteps:\n  - id: action\n    ask: What will you do?\n    by: one\n  - id: promise\n    commit:\n      text: \"{{ answers.action }}\"\n      due: today\n    by: one\n",
    )
    .unwrap();
    let lib = library.path().to_str().unwrap();
    let before = mend(&["--exercises", lib, "session", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin(":quit\n")
        .ok();
    assert!(
        !before.stdout.contains("* Weekly check-in:"),
        "nothing is due yet: {}",
        before.stdout
    );
    mend(&[
        "--exercises",
        lib,
        "run",
        "promise",
        "--partners",
        "Alex,Sam",
    ])
    .data(data.path())
    .stdin("Call my sister\n")
    .ok();
    let after = mend(&["--exercises", lib, "session", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin(":quit\n")
        .ok();
    assert!(
        after.stdout.contains(
            "  1. Weekly check-in (20 min) · check-in-weekly *\n  2. Promise (2 min) · promise\n* Weekly check-in: Some commitments are due; walk through them together before anything new.\n"
        ),
        "{}",
        after.stdout
    );
}

/// The lines from the exercise menu's question to its prompt.
fn menu(out: &str) -> &str {
    let start = out.find("Which exercise would you like to do?").unwrap();
    let end = out[start..].find("Type its number or name").unwrap();
    &out[start..start + end]
}

#[test]
fn the_menu_fits_a_small_terminal_and_finds_a_start_or_a_close_name() {
    let data = tempfile::tempdir().unwrap();
    let output = mend(&["session", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin("apolgy\nn\napol\n:where\n:break\n")
        .ok();
    let out = &output.stdout;
    // One line per exercise, with its id: the twenty exercises, the
    // question and the footnotes of suggestions fit 24 lines with the prompt.
    let lines = menu(out).trim_end().lines().count();
    assert!(lines <= 23, "{lines} lines:\n{}", menu(out));
    assert!(menu(out).contains(" · apology-ritual\n"), "{out}");
    // A close name asks; the start of one picks it.
    assert!(
        out.contains("Did you mean Apology with corrective action (apology-ritual)? [y/N]"),
        "{out}"
    );
    assert!(
        out.contains("Apology with corrective action · about 25 minutes"),
        "{out}"
    );
    // The swap question understands :where and :break.
    assert!(out.contains("This is a yes-or-no question"), "{out}");
    assert!(out.contains("Take at least 20 minutes apart"), "{out}");
    assert!(
        out.contains("What you did today\n  Apology with corrective action: paused for a break\n"),
        "{out}"
    );
    let sessions = mend(&["sessions"]).data(data.path()).ok().stdout;
    assert!(
        sessions.contains("Apology with corrective action: paused for a break, waiting at: Alex, is now a good time for you to hear this?"),
        "{sessions}"
    );
}

#[test]
fn a_session_left_before_any_exercise_leaves_nothing_behind() {
    let data = tempfile::tempdir().unwrap();
    mend(&["session", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin(":quit\n")
        .ok();
    let listed = mend(&["sessions"]).data(data.path()).ok().stdout;
    assert!(listed.starts_with("No sessions yet"), "{listed}");
}

#[test]
fn a_calm_exercise_gets_a_calm_break() {
    let output = mend(&["run", "check-in-daily", "--partners", "Alex,Sam"])
        .stdin(":break\n")
        .ok();
    // No talk of an argument, but what a time-out needs if one is needed.
    assert!(
        output.stdout.contains("If either of you feels flooded, take at least 20 minutes apart: breathe, walk, do something soothing, and try not to replay what was said.\nAgree on when you'll come back (within a day)"),
        "{}",
        output.stdout
    );
    assert!(!output.stdout.contains("argument"), "{}", output.stdout);
}

#[test]
fn mend_run_shows_the_safety_note_and_an_answer_naming_violence_shows_it_again() {
    let data = tempfile::tempdir().unwrap();
    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin("He threatened me last night\n")
        .run();
    let out = &output.stdout;
    assert!(
        out.starts_with("mend supports, and does not replace, guidance from a professional."),
        "{out}"
    );
    assert!(out.contains("call your local emergency number"), "{out}");
    assert_eq!(out.matches("does not replace").count(), 2, "{out}");
    let notes = mend(&["notes", "--last"]).data(data.path()).ok().stdout;
    assert!(
        notes.contains("## For the clinician: safety words"),
        "{notes}"
    );
    // The flag names the words that matched, so a clinician can tell a
    // threat from "you hurt me first".
    assert!(notes.contains("(violence: “threatened”)"), "{notes}");
}

#[test]
fn refused_words_are_shown_above_an_empty_prompt_and_private_answers_stay_out_of_notes() {
    let data = tempfile::tempdir().unwrap();
    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin(":private\nWe never talk\nlonely\nYou always ignore me\nI feel lonely when we eat with phones out, and I need phones away at dinner.\n:private last\n:quit\n")
        .run();
    let out = &output.stdout;
    assert!(
        out.contains("You wrote: You always ignore me\n(↑ brings it back to edit.)"),
        "{out}"
    );
    assert!(
        out.contains("Alex's answer to this question will stay out of the session notes."),
        "{out}"
    );
    assert!(
        out.contains("Alex's last answer will stay out of the session notes."),
        "{out}"
    );
    let notes = mend(&["notes", "--last"]).data(data.path()).ok().stdout;
    assert!(!notes.contains("We never talk"), "{notes}");
    assert!(!notes.contains("phones away"), "{notes}");
    assert_eq!(
        notes.matches("*kept private at Alex's request*").count(),
        2,
        "{notes}"
    );
    assert!(notes.contains("Alex (speaker): lonely\n"), "{notes}");
    let dap = mend(&["notes", "--last", "--template", "dap"])
        .data(data.path())
        .ok()
        .stdout;
    assert!(
        dap.contains("Nudged 1 time (Alex): “Try starting from your own side"),
        "{dap}"
    );
}

#[test]
fn list_says_when_no_exercise_has_a_tag() {
    let output = mend(&["list", "--tag", "nosuch"]).ok();
    assert!(
        output
            .stdout
            .starts_with("No exercise has the tag \"nosuch\". The tags in use: "),
        "{}",
        output.stdout
    );
}

#[test]
fn a_declined_exercise_reads_declined_in_the_summary_and_the_notes() {
    let data = tempfile::tempdir().unwrap();
    let output = mend(&["session", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin("apology-ritual\nn\nlater\n1\n1\nn\n")
        .ok();
    assert!(
        output.stdout.contains(
            "What you did today\n  Apology with corrective action: declined by Alex: “Not today.”\n"
        ),
        "{}",
        output.stdout
    );
    let notes = mend(&["notes", "--last"]).data(data.path()).ok().stdout;
    assert!(
        notes.contains("## Apology with corrective action: declined by Alex: “Not today.”\n"),
        "{notes}"
    );
}

#[test]
fn a_library_where_nothing_compiles_is_named_before_any_sitting_starts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "title: [unclosed\n").unwrap();
    let library = dir.path().to_str().unwrap();
    let expected =
        format!("error: there is no exercise ready to play in {library}; `mend check` shows why\n");
    let output = mend(&["--exercises", library, "session", "--partners", "Alex,Sam"]).run();
    assert_eq!(output.code, 1);
    assert_eq!(output.stderr, expected);
    assert!(
        !output.stdout.contains("Welcome to mend"),
        "{}",
        output.stdout
    );
}
