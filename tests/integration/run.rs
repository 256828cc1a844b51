use crate::common::mend;

const I_STATEMENTS: &str = "\
You never listen to me
lonely
You always ignore me
I feel lonely when we eat with phones out, because time together matters, and I need phones away at dinner.
What I heard is you feel lonely at dinner
partly
The part about phones
You want phones away at dinner
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
fn piped_answers_play_to_the_end() {
    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .stdin(I_STATEMENTS)
        .ok();
    let out = &output.stdout;
    assert!(
        out.contains("Alex (speaker) · question 1, round 1 of 2"),
        "{out}"
    );
    assert!(
        out.contains("  Try starting from your own side, with \"I feel...\", about one moment."),
        "{out}"
    );
    assert!(out.contains("── Over to Sam ──"), "{out}");
    assert!(
        out.contains("Sam (speaker) · question 10, round 2 of 2"),
        "{out}"
    );
    assert!(out.contains("\n\nSam: I feel tired when I do the dishes alone after work, and I need us to share them.\n"), "{out}");
    assert!(
        out.contains("That's the end of I-statements. Thank you both.\n\nSaved as session "),
        "{out}"
    );
    assert!(out.ends_with(" writes the session notes.\n"), "{out}");
}

#[test]
fn running_out_of_input_names_the_waiting_step() {
    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .stdin("You never listen\n")
        .run();
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stderr,
        "error: input ended while step `feeling` was waiting for Alex's answer\n"
    );
}

#[test]
fn an_exercise_can_be_run_by_path() {
    let output = mend(&["run", "exercises/i-statements.yaml"])
        .stdin("")
        .run();
    assert_eq!(output.code, 1);
    assert!(
        output.stdout.contains("Partner A (speaker)"),
        "{}",
        output.stdout
    );
}

#[test]
fn unknown_ids_suggest_close_ones() {
    let output = mend(&["run", "i-statement"]).run();
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stderr,
        "error: no exercise `i-statement` in exercises; did you mean `i-statements`?\n"
    );
}

#[test]
fn a_broken_exercise_shows_its_diagnostics_and_does_not_start() {
    let output = mend(&["run", "tests/broken/unknown-goto.yaml"]).run();
    assert_eq!(output.code, 1);
    assert!(
        output
            .stderr
            .contains("tests/broken/unknown-goto.yaml:17:15: error: goto names an unknown step"),
        "{}",
        output.stderr
    );
}

#[test]
fn very_long_answers_are_refused_and_asked_again() {
    let long = "x".repeat(1_048_576);
    let input = format!("{long}\nI miss our evenings\n");
    let output = mend(&["run", "i-statements"]).stdin(&input).run();
    assert!(
        output
            .stdout
            .contains("That answer is 1048576 characters long"),
        "{}",
        &output.stdout[..2000.min(output.stdout.len())]
    );
    assert!(
        output.stderr.contains("waiting for Partner A's answer"),
        "{}",
        output.stderr
    );
}

#[test]
fn escape_codes_in_answers_are_shown_harmlessly() {
    let output = mend(&["run", "i-statements"])
        .stdin("\u{1b}[2J\u{1b}]0;owned\u{7}hello\n")
        .run();
    assert!(
        output.stdout.contains("Partner A › ^[[2J^[]0;owned^Ghello"),
        "{}",
        output.stdout
    );
    assert!(!output.stdout.contains('\u{1b}'));
}

#[test]
fn commands_work_in_piped_input_too() {
    let output = mend(&["run", "i-statements"])
        .stdin(":back\nfirst try\n:back\n:help\nsecond try\n")
        .run();
    let out = &output.stdout;
    assert!(
        out.contains("This is the first question; there is nothing to go back to."),
        "{out}"
    );
    assert!(
        out.contains("Going back to the previous question."),
        "{out}"
    );
    assert!(out.contains("  :break        take a time-out"), "{out}");
    assert!(
        out.contains("Partner A › second try\n\nPartner A (speaker) · question 2"),
        "{out}"
    );
}

#[test]
fn roles_are_named_by_their_label_on_screen() {
    let output = mend(&["run", "apology-ritual", "--partners", "Alex,Sam"])
        .stdin("1\n:where\n")
        .run();
    let out = &output.stdout;
    assert!(
        out.contains("Sam (partner offering the apology): Names what they did"),
        "{out}"
    );
    assert!(
        out.contains("Alex (partner receiving the apology) · question 1"),
        "{out}"
    );
    assert!(
        out.contains("It is Alex's turn, as the partner receiving the apology."),
        "{out}"
    );
}

#[test]
fn typed_words_pick_the_option_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = one_speaker_exercise(
        dir.path(),
        "pause.yaml",
        "  - id: ready\n    choose: Shall we go on?\n    by: speaker\n    options:\n      - key: go_on\n        label: Yes, go on\n        goto: asked\n      - key: yes_later\n        label: Yes, in a moment\n        goto: asked\n      - key: pause\n        label: Not today \u{2014} keep it open for the next check-in\n        aliases: [\"I need time\"]\n        goto: paused\n  - id: asked\n    say: Going on.\n    goto: done\n  - id: paused\n    say: \"Paused: {{ answers.ready }}.\"\n  - id: done\n    say: Done.\n",
    );
    let path = file.as_str();
    // "yes" opens two options, so it picks neither; "not today." picks the
    // pause by its opening phrase.
    let output = mend(&["run", path]).stdin("yes\nnot today.\n").ok();
    assert!(
        output.stdout.contains(
            "Please choose a number from 1 to 3, or type an option's words. To stop for now, type :break."
        ),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("Paused: pause."),
        "{}",
        output.stdout
    );
    // An alias picks its option; a sentence containing it does not.
    let output = mend(&["run", path])
        .stdin("I need time to think about it\nI need time!\n")
        .ok();
    assert_eq!(
        output.stdout.matches("Please choose").count(),
        1,
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("Paused: pause."),
        "{}",
        output.stdout
    );
}

#[test]
fn words_that_pick_no_option_are_kept_by_the_option_that_takes_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = one_speaker_exercise(
        dir.path(),
        "fits.yaml",
        "  - id: fits\n    choose: Does that work for you?\n    by: speaker\n    options:\n      - key: yes\n        label: Yes\n      - key: not_yet\n        label: Not yet\n        own_words: true\n  - id: said\n    say: \"Chosen: {{ answers.fits }}; in their words: [{{ typed_words.fits }}]\"\n",
    );
    let path = file.as_str();
    // A number out of range or a lone mark is still asked again; words go
    // to the option that takes them, kept as typed.
    let output = mend(&["run", path])
        .stdin("7\n?\nI'd like to see the wood bought first.\n")
        .ok();
    assert_eq!(
        output.stdout.matches("Please choose").count(),
        2,
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .contains("Chosen: not_yet; in their words: [I'd like to see the wood bought first.]"),
        "{}",
        output.stdout
    );
    // The notes show the choice and the words; kept private, neither.
    let data = dir.path().join("data");
    mend(&["run", path])
        .data(&data)
        .stdin("I need to sleep on it.\n")
        .ok();
    let notes = mend(&["notes", "--last"]).data(&data).ok().stdout;
    assert!(
        notes.contains("Not yet: \"I need to sleep on it.\""),
        "{notes}"
    );
    mend(&["run", path])
        .data(&data)
        .stdin(":private\nNot with the kids' money.\n")
        .ok();
    let notes = mend(&["notes", "--last"]).data(&data).ok().stdout;
    assert!(!notes.contains("kids"), "{notes}");
    // An option picked by its label keeps no words.
    let output = mend(&["run", path]).stdin("yes\n").ok();
    assert!(
        output.stdout.contains("Chosen: yes; in their words: []"),
        "{}",
        output.stdout
    );
}

/// Writes an exercise with one role, `speaker`, whose steps are `steps`
/// (YAML list items), and returns its path.
fn one_speaker_exercise(dir: &std::path::Path, name: &str, steps: &str) -> String {
    let file = dir.join(name);
    let head = "title: Menu\nsummary: A menu.\nminutes: 5\nversion: 1\nroles:\n  speaker: Speaks.\nsteps:\n";
    std::fs::write(&file, format!("{head}{steps}")).unwrap();
    file.to_string_lossy().into_owned()
}
