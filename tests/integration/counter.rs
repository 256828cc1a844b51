//! The question counter through the binary with piped answers: it counts
//! the questions asked so far, never goes back at a round's start, and
//! shows a total only when every path asks that many.

use crate::common::mend;

/// Every "question N" or "question N of M" shown, in order.
fn counters(out: &str) -> Vec<(usize, Option<usize>)> {
    out.lines()
        .filter_map(|line| line.split(" · question ").nth(1))
        .map(|rest| {
            let head = rest.split(',').next().unwrap_or(rest).trim();
            let mut words = head.split(" of ");
            let n = words.next().and_then(|w| w.parse().ok()).unwrap_or(0);
            (n, words.next().and_then(|w| w.parse().ok()))
        })
        .collect()
}

/// Counts up by one from 1 (a refused answer shows the same number
/// again), and no total is ever smaller than the count.
fn assert_counts_up(out: &str, last: usize) {
    let shown = counters(out);
    let mut expected = 1;
    for &(n, of) in &shown {
        if n + 1 == expected {
            continue;
        }
        assert_eq!(n, expected, "counter jumped: {shown:?}\n{out}");
        assert!(of.is_none_or(|of| n <= of), "{shown:?}\n{out}");
        expected += 1;
    }
    assert_eq!(expected - 1, last, "{shown:?}\n{out}");
}

const SHORT: &str = "\
We never eat together any more.
lonely
I feel lonely when we eat dinner with our phones out, because time together matters to me, and I need us to keep phones away at dinner.
What I heard is that you feel lonely at dinner.
yes
yes
I come home and nobody says hello.
invisible
I feel invisible when I come home and no one looks up, because I want to matter to you, and I need a hello.
What I heard is that you want a real hello.
yes
settled
settled
";

#[test]
fn i_statements_short_path_ends_on_its_last_question() {
    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .stdin(SHORT)
        .ok();
    let out = &output.stdout;
    // Round one ends by asking Sam whether to take a turn as speaker.
    assert_counts_up(out, 13);
    assert!(
        out.contains("Sam (listener) · question 6, round 1 of 2"),
        "{out}"
    );
    assert!(
        out.contains("Sam (speaker) · question 7, round 2 of 2"),
        "{out}"
    );
    assert!(
        out.contains("Sam (speaker) · question 11, round 2 of 2"),
        "{out}"
    );
    // The closing asks each partner how they are leaving.
    assert!(
        out.contains(" · question 13\nSam, before you finish: how are you leaving this?"),
        "{out}"
    );
    assert!(!out.contains(" of 13") && !out.contains(" of 14"), "{out}");
}

#[test]
fn i_statements_long_path_counts_the_extra_questions() {
    let mut long = String::new();
    for (speaker, listener) in [("Alex", "Sam"), ("Sam", "Alex")] {
        long.push_str(&format!(
            "I miss our evenings, {listener}.\nlonely\nI feel lonely when we eat dinner with our phones out, because time together matters to me, and I need us to keep phones away at dinner.\nWhat I heard is that you feel lonely, {speaker}.\nno\nThe part about the phones.\nWhat I heard this time is the phones.\nyes\n"
        ));
        if speaker == "Alex" {
            // Sam takes a turn as speaker.
            long.push_str("yes\n");
        }
    }
    // Each partner said how they are leaving.
    long.push_str("settled\nsettled\n");
    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .stdin(&long)
        .ok();
    let out = &output.stdout;
    // Eight questions a round (the second check included), Sam's choice to
    // take a turn, and the closing.
    assert_counts_up(out, 19);
    assert!(
        out.contains("Sam (speaker) · question 10, round 2 of 2"),
        "{out}"
    );
}

#[test]
fn reflective_listening_round_two_starts_after_round_one_count() {
    // A retry in round one ("more", then "partly"), then the listener's
    // "a turn holding the floor?": fourteen questions.
    let round_one = "\
I have been anxious in the evenings since the move.
If I got it, you said evenings are hard.
more
I miss talking before bed.
And you also said you miss our talks before bed.
partly
Talking, not just sitting together.
If I got it, you miss real talking before bed.
no
yes
It makes sense to me that you miss it, because we used to talk every night.
I imagine you might feel lonely.
yes
1
";
    let output = mend(&["run", "reflective-listening", "--partners", "Alex,Sam"])
        .stdin(round_one)
        .run();
    let out = &output.stdout;
    // The fourteenth asks the listener whether to hold the floor too.
    assert_counts_up(out, 15);
    assert!(
        out.contains("Sam (speaker) · question 15, round 2 of 2"),
        "{out}"
    );
    assert!(!out.contains(" of 13") && !out.contains(" of 14"), "{out}");
}
