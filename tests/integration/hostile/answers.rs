//! Answers that are not UTF-8 or are megabytes long.

use super::*;

#[test]
fn bytes_that_are_not_utf8_show_as_replacement_characters_and_the_session_goes_on() {
    let input = std::fs::read(hostile("answers-latin1.txt")).unwrap();
    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .stdin_bytes(&input)
        .run();
    assert!(
        output.stdout.contains(
            "Alex › We never eat together any m\u{fffd}re.\n\nAlex (speaker) · question 2"
        ),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("Alex › lonely\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_line_of_megabytes_is_refused_with_a_short_excerpt_and_asked_again() {
    let input = format!("{}\nI miss our evenings\n", "x".repeat(20_000_000));
    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .stdin(&input)
        .run();
    let expected = format!(
        "Alex › {}… (20000000 characters)\n\n  That answer is 20000000 characters long; mend keeps answers under 16000 characters. Could you say it more briefly?\nAlex › I miss our evenings\n",
        "x".repeat(60)
    );
    assert!(
        output.stdout.contains(&expected),
        "{}",
        &output.stdout[..3000.min(output.stdout.len())]
    );
    assert!(
        output.stdout.len() < 5_000,
        "{} bytes of output",
        output.stdout.len()
    );
}
