use crate::common::mend;

const ONE_ROUND: &str = "\
You never listen to me
lonely
I feel lonely when we eat with phones out, because time together matters, and I need phones away at dinner.
What I heard is you feel lonely at dinner
yes
I am tired of doing all the dishes
tired
I feel tired when I do the dishes alone after work, and I need us to share them.
What I heard is you are tired
1
";

#[test]
fn a_session_asks_names_offers_exercises_and_sums_up() {
    let input = format!("Alex\nalex\nSam\nbreathing\ni-statements\ny\n{ONE_ROUND}n\n");
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
        out.contains(". I-statements (about 15 minutes)\n     Turn a complaint"),
        "{out}"
    );
    assert!(
        out.contains("There is no exercise called \"breathing\" here. Type a number from 1 to"),
        "{out}"
    );
    assert!(
        out.contains("Would you like to swap, so Sam is the speaker and Alex the listener? [y/N]\n› y\n\nSam (speaker):"),
        "{out}"
    );
    assert!(out.contains("Sam (speaker) · question 1 of 14"), "{out}");
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
        summary.contains("\nAlex: I feel tired when I do the dishes alone after work"),
        "{summary}"
    );
    assert!(
        summary.ends_with("Thank you both for the care you put into this.\n\n"),
        "{summary}"
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
        !before.stdout.contains("Suggested now"),
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
            "  1. Weekly check-in (about 20 minutes)\n     Go through each open commitment, agreement due and open item together, mark each as you both agree, and set the next ones.\n     Suggested now: Some commitments are due; walk through them together before anything new.\n  2. Promise"
        ),
        "{}",
        after.stdout
    );
}
