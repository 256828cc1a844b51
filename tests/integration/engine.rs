//! The engine through its public API: what a front-end sees event by event.

use chrono::{DateTime, TimeZone, Utc};
use mend::engine::{Event, Reply};
use mend::{Exercise, Run};

fn exercise(yaml: &str) -> Exercise {
    crate::common::compiled("t", yaml)
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 18, 0, 0).unwrap()
}

fn pair() -> [String; 2] {
    ["Alex".to_owned(), "Sam".to_owned()]
}

/// Plays until the next prompt, returning what was said on the way.
fn said_until_prompt(run: &mut Run) -> (Vec<String>, Option<std::sync::Arc<mend::Prompt>>) {
    let mut said = Vec::new();
    loop {
        match run.next_event().unwrap() {
            Event::Say { text, .. } => said.push(text),
            Event::Prompt(p) => return (said, Some(p)),
            Event::Finished => return (said, None),
        }
    }
}

fn answer(run: &mut Run, text: &str) -> Reply {
    said_until_prompt(run);
    run.answer(text, at(25)).unwrap()
}

const SWAP: &str = r#"
title: Swap
summary: Each partner speaks once.
minutes: 5
version: 1
roles:
  speaker: Speaks.
  listener: Listens.
steps:
  - id: turns
    swap: [speaker, listener]
    steps:
      - id: feeling
        ask: "{{ speaker }}, how do you feel?"
        by: speaker
      - id: echo
        say: "{{ listener }} heard: {{ answers.feeling }}"
  - id: after
    say: "{{ speaker }} spoke first. Alex said {{ answers_by.Alex.feeling }}; Sam said {{ answers_by.Sam.feeling }}."
"#;

#[test]
fn a_swap_block_gives_each_partner_the_role_and_keeps_answers_apart() {
    let ex = exercise(SWAP);
    let mut run = Run::start(&ex, pair());
    let (_, prompt) = said_until_prompt(&mut run);
    let prompt = prompt.unwrap();
    assert_eq!(
        (prompt.name.as_str(), prompt.text.as_str()),
        ("Alex", "Alex, how do you feel?")
    );
    assert_eq!(run.answer("tired", at(25)).unwrap(), Reply::Accepted);
    let (said, prompt) = said_until_prompt(&mut run);
    assert_eq!(said, ["Sam heard: tired"]);
    assert_eq!(prompt.unwrap().name, "Sam");
    run.answer("hopeful", at(25)).unwrap();
    let (said, prompt) = said_until_prompt(&mut run);
    assert!(prompt.is_none());
    assert_eq!(
        said,
        [
            "Alex heard: hopeful",
            "Alex spoke first. Alex said tired; Sam said hopeful."
        ]
    );
}

#[test]
fn back_returns_to_the_previous_question_with_its_answer() {
    let ex = exercise(SWAP);
    let mut run = Run::start(&ex, pair());
    answer(&mut run, "tired");
    let (_, prompt) = said_until_prompt(&mut run);
    assert_eq!(prompt.unwrap().name, "Sam");
    assert_eq!(run.back().as_deref(), Some("tired"));
    let (said, prompt) = said_until_prompt(&mut run);
    assert!(said.is_empty());
    let prompt = prompt.unwrap();
    assert_eq!(
        (prompt.name.as_str(), prompt.progress.question),
        ("Alex", 1)
    );
    assert_eq!(run.back(), None, "nothing before the first question");
}

#[test]
fn state_survives_serialisation_to_the_same_next_event() {
    let ex = exercise(SWAP);
    let mut run = Run::start(&ex, pair());
    answer(&mut run, "tired");
    let json = serde_json::to_string(run.state()).unwrap();
    let expected = run.next_event().unwrap();
    let restored = serde_json::from_str(&json).unwrap();
    let mut again = Run::restore(&ex, restored).unwrap();
    assert_eq!(again.next_event().unwrap(), expected);
}

const CHECKS: &str = r#"
title: Checks
summary: Nudges and strict rules.
minutes: 5
version: 1
roles:
  speaker: Speaks.
steps:
  - id: statement
    ask: Say it from your side.
    by: speaker
    check:
      - rule: words(answer) >= 2
        hint: A few more words, please.
        strict: true
      - rule: starts_with_i(answer)
        hint: Try starting with "I feel".
  - id: pick
    choose: Did that help?
    by: speaker
    options:
      - key: yes
        label: Yes, it did
      - key: no
        label: Not really
"#;

#[test]
fn a_nudge_is_shown_once_and_a_strict_rule_every_time() {
    let ex = exercise(CHECKS);
    let mut run = Run::start(&ex, pair());
    said_until_prompt(&mut run);
    let hint = |r: Reply| match r {
        Reply::Retry { hint, .. } => hint,
        Reply::Accepted => "accepted".to_owned(),
    };
    assert_eq!(
        hint(run.answer("short", at(25)).unwrap()),
        "A few more words, please."
    );
    assert_eq!(
        hint(run.answer("short", at(25)).unwrap()),
        "A few more words, please."
    );
    assert_eq!(
        hint(run.answer("you never listen", at(25)).unwrap()),
        "Try starting with \"I feel\"."
    );
    assert_eq!(
        hint(run.answer("you never listen", at(25)).unwrap()),
        "accepted"
    );
    said_until_prompt(&mut run);
    assert_eq!(
        hint(run.answer("maybe", at(25)).unwrap()),
        "Please choose a number from 1 to 2, or type an option's words. To stop for now, type :break."
    );
    assert_eq!(hint(run.answer("not really", at(25)).unwrap()), "accepted");
    assert_eq!(
        run.state().answers.last().unwrap().text.as_deref(),
        Some("no")
    );
}

const THREE_NUDGES: &str = r#"
title: Nudges
summary: Three rules that nudge.
minutes: 5
version: 1
roles:
  speaker: Speaks.
steps:
  - id: statement
    ask: Say it from your side.
    by: speaker
    check:
      - rule: starts_with_i(answer)
        hint: Start with I.
      - rule: '!contains_any(answer, ["always", "never"])'
        hint: Once, not always.
      - rule: '!contains_any(answer, ["idiot"])'
        hint: No labels.
"#;

/// A nudge asks once more, never traps: the same words sent again stand; a
/// new answer that still fails is nudged again, but no question nudges more
/// than twice (a sentence with five problems used to get five hints).
#[test]
fn nudges_let_insisted_words_stand_and_stop_after_two() {
    let ex = exercise(THREE_NUDGES);
    let hint = |r: Reply| match r {
        Reply::Retry { hint, .. } => hint,
        Reply::Accepted => "accepted".to_owned(),
    };
    // The same words again: they stand.
    let mut run = Run::start(&ex, pair());
    said_until_prompt(&mut run);
    assert_eq!(
        hint(run.answer("you never listen, idiot", at(25)).unwrap()),
        "Start with I."
    );
    assert_eq!(
        hint(run.answer("You never listen,  idiot", at(25)).unwrap()),
        "accepted"
    );
    // New words that still fail: nudged again, then they stand.
    let mut run = Run::start(&ex, pair());
    said_until_prompt(&mut run);
    assert_eq!(
        hint(run.answer("you never listen, idiot", at(25)).unwrap()),
        "Start with I."
    );
    assert_eq!(
        hint(
            run.answer("I think you never listen, idiot", at(25))
                .unwrap()
        ),
        "Once, not always."
    );
    assert_eq!(
        hint(run.answer("I think you are an idiot", at(25)).unwrap()),
        "accepted"
    );
}

/// A revised answer is a new answer: after `:back` its checks nudge again,
/// rather than letting a new bad answer stand because the first one was
/// nudged once.
#[test]
fn after_a_step_back_a_revised_answer_is_nudged_again() {
    let ex = exercise(CHECKS);
    let mut run = Run::start(&ex, pair());
    said_until_prompt(&mut run);
    let hint = |r: Reply| match r {
        Reply::Retry { hint, .. } => hint,
        Reply::Accepted => "accepted".to_owned(),
    };
    assert_eq!(
        hint(run.answer("you never listen", at(25)).unwrap()),
        "Try starting with \"I feel\"."
    );
    assert_eq!(
        hint(run.answer("you never listen", at(25)).unwrap()),
        "accepted"
    );
    said_until_prompt(&mut run);
    assert_eq!(run.back().as_deref(), Some("you never listen"));
    said_until_prompt(&mut run);
    assert_eq!(
        hint(run.answer("you always shout at me", at(25)).unwrap()),
        "Try starting with \"I feel\"."
    );
}

#[test]
fn a_loop_without_end_stops_at_the_visit_limit_with_its_location() {
    let ex = exercise(
        "title: L\nsummary: s\nminutes: 1\nversion: 1\nroles:\n  a: A.\nsteps:\n  - id: again\n    say: Once more.\n    goto: again\n    max_visits: 3\n",
    );
    let mut run = Run::start(&ex, pair());
    for _ in 0..3 {
        assert!(matches!(run.next_event().unwrap(), Event::Say { .. }));
    }
    let error = run.next_event().unwrap_err();
    assert_eq!(
        error.diagnostic.headline(),
        "t.yaml:8:9: error: step `again` ran more than 3 times in one round; the exercise seems to loop without end (raise `max_visits` or add an exit)"
    );
}

#[test]
fn an_endless_script_stops_with_a_clear_error() {
    let ex = exercise(
        "title: L\nsummary: s\nminutes: 1\nversion: 1\nroles:\n  a: A.\nsteps:\n  - id: spin\n    set: |\n      let n = 0;\n      loop { n += 1; }\n",
    );
    let mut run = Run::start(&ex, pair());
    let error = run.next_event().unwrap_err();
    assert!(
        error.diagnostic.headline().starts_with(
            "t.yaml:11:14: error: script error in step `spin`: the script did not finish within"
        ),
        "{}",
        error.diagnostic.headline()
    );
}

#[test]
fn a_commitment_records_owner_text_and_due_date() {
    let ex = exercise(
        r#"
title: Promise
summary: s
minutes: 1
version: 1
roles:
  hurt: Was hurt.
  offending: Caused the hurt.
steps:
  - id: action
    ask: What will you do?
    by: offending
  - id: when
    ask: By when?
    by: offending
  - id: promise
    commit:
      text: "{{ answers.action }}"
      due: "{{ answers.when }}"
    by: offending
"#,
    );
    let mut run = Run::start(&ex, pair());
    answer(&mut run, "Text you when I'm running late");
    answer(&mut run, "by Friday");
    assert_eq!(run.next_event().unwrap(), Event::Finished);
    let record = &run.state().records[0];
    assert_eq!(record.owner.as_deref(), Some("Sam"));
    assert_eq!(record.text, "Text you when I'm running late");
    assert_eq!(
        record.date.map(|d| d.to_string()).as_deref(),
        Some("2026-11-27")
    );
    run.back();
    assert!(
        run.state().records.is_empty(),
        ":back undoes the record too"
    );
}

#[test]
fn answers_are_never_rendered_as_templates() {
    let ex = exercise(SWAP);
    let mut run = Run::start(&ex, pair());
    answer(
        &mut run,
        "{{ partners }} {% for x in range(9) %}x{% endfor %}",
    );
    let (said, _) = said_until_prompt(&mut run);
    assert_eq!(
        said,
        ["Sam heard: {{ partners }} {% for x in range(9) %}x{% endfor %}"]
    );
}

#[test]
fn the_waiting_question_follows_a_role_swap_and_a_step_back() {
    let ex = exercise(SWAP);
    let mut run = Run::start(&ex, pair());
    let (_, first) = said_until_prompt(&mut run);
    assert_eq!(first.unwrap().text, "Alex, how do you feel?");
    assert!(run.swap_roles());
    let (_, swapped) = said_until_prompt(&mut run);
    assert_eq!(swapped.unwrap().text, "Sam, how do you feel?");
    assert_eq!(run.answer("calm", at(25)).unwrap(), Reply::Accepted);
    assert_eq!(run.state().answers[0].question, "Sam, how do you feel?");
    // The second round waits at the same step, asking the other partner.
    let (_, second) = said_until_prompt(&mut run);
    assert_eq!(second.unwrap().text, "Alex, how do you feel?");
    assert_eq!(run.back().as_deref(), Some("calm"));
    let (_, again) = said_until_prompt(&mut run);
    assert_eq!(again.unwrap().text, "Sam, how do you feel?");
}

const STARTING_VARS: &str = r#"
title: Starting values
summary: Variables read from the exercise until a run changes them.
minutes: 5
version: 1
roles:
  speaker: Speaks.
vars:
  labels: ["lazy", "selfish"]
  count: 0
steps:
  - id: first
    ask: Say something.
    by: speaker
  - id: counted
    set: |
      vars.count = vars.count + 1;
      vars.labels = vars.labels;
  - id: shown
    say: "Labels: {{ vars.labels | join(', ') }}; count {{ vars.count }}."
  - id: widen
    set: vars.labels = vars.labels + ["cold"];
  - id: second
    ask: "{{ vars.labels | join(', ') }}"
    by: speaker
"#;

#[test]
fn a_run_keeps_only_the_variables_it_changed_and_reads_the_rest_from_the_exercise() {
    let ex = exercise(STARTING_VARS);
    let mut run = Run::start(&ex, pair());
    // Nothing changed yet: the state holds no variable, scripts see all.
    assert!(run.state().cursor.vars.is_empty());
    assert_eq!(
        run.var("labels"),
        Some(&serde_json::json!(["lazy", "selfish"]))
    );
    let (said, _) = {
        answer(&mut run, "hello");
        said_until_prompt(&mut run)
    };
    assert_eq!(said, vec!["Labels: lazy, selfish; count 1."]);
    // `count` changed; `labels`, set to its own value, stayed the
    // exercise's until `widen` changed it.
    let kept: Vec<&str> = run.state().cursor.vars.keys().map(String::as_str).collect();
    assert_eq!(kept, vec!["count", "labels"]);
    assert_eq!(
        run.var("labels"),
        Some(&serde_json::json!(["lazy", "selfish", "cold"]))
    );
    // A state saved and restored reads the same values.
    let json = serde_json::to_string(run.state()).unwrap();
    let again = Run::restore(&ex, serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(again.var("count"), Some(&serde_json::json!(1)));
    assert_eq!(again.var("labels"), run.var("labels"));
}
