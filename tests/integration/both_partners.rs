//! The engine's new step kinds through its public API, event by event:
//! questions both partners answer, consent before a record is saved, open
//! items, marks of any ledger item, timing answers and options that apply.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use mend::engine::RecordKind;
use mend::engine::{Event, Reply};
use mend::engine::{Ledger, Seed, SeedItem};
use mend::{Exercise, Prompt, Run};
use std::sync::Arc;

fn exercise(yaml: &str) -> Exercise {
    crate::common::compiled("t", yaml)
}

/// 2026-12-01, a Tuesday.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 18, 0, 0).unwrap()
}

fn pair() -> [String; 2] {
    ["Alex".to_owned(), "Sam".to_owned()]
}

fn prompt(run: &mut Run) -> Option<Arc<Prompt>> {
    loop {
        match run.next_event().unwrap() {
            Event::Say { .. } => {}
            Event::Prompt(p) => return Some(p),
            Event::Finished => return None,
        }
    }
}

/// Answers the waiting question, asserting whose turn it is.
fn answer(run: &mut Run, name: &str, text: &str) -> Reply {
    let p = prompt(run).expect("a question waits");
    assert_eq!(p.name, name, "whose turn at step `{}`", p.step);
    run.answer(text, now()).unwrap()
}

const HEADER: &str = "title: T\nsummary: T.\nminutes: 1\nversion: 1\nroles:\n  hurt: Sets the pace.\n  partner: Honours it.\nsteps:\n";

fn with_steps(steps: &str) -> String {
    format!("{HEADER}{steps}")
}

#[test]
fn a_question_both_answer_asks_each_in_turn_and_keeps_each_answer() {
    let ex = exercise(&with_steps(
        "  - id: feel\n    ask: \"{{ by }}, one word?\"\n    by: both\n    first: partner\n  - id: heard\n    say: '{{ answers_by[hurt].feel }} / {{ answers_by[partner].feel }} / last: {{ answers.feel }}'\n",
    ));
    let mut run = Run::start(&ex, pair());
    let first = prompt(&mut run).unwrap();
    assert_eq!(
        (first.name.as_str(), first.role.as_str()),
        ("Sam", "partner")
    );
    assert_eq!(first.text, "Sam, one word?");
    assert_eq!((first.progress.question, first.progress.of), (1, Some(2)));
    assert_eq!(run.answer("hopeful", now()).unwrap(), Reply::Accepted);
    let second = prompt(&mut run).unwrap();
    assert_eq!(
        (second.name.as_str(), second.role.as_str()),
        ("Alex", "hurt")
    );
    assert_eq!(second.text, "Alex, one word?");
    // :back on the second turn gives the first partner's answer back.
    assert_eq!(run.back().as_deref(), Some("hopeful"));
    assert_eq!(answer(&mut run, "Sam", "calm"), Reply::Accepted);
    assert_eq!(answer(&mut run, "Alex", "tired"), Reply::Accepted);
    match run.next_event().unwrap() {
        Event::Say { text, .. } => assert_eq!(text, "tired / calm / last: tired"),
        other => panic!("{other:?}"),
    }
}

const CONSENT: &str = "  - id: rule\n    ask: What rule?\n    by: hurt\n  - id: save\n    agree:\n      text: \"{{ answers.rule }}\"\n      topic: communication\n    confirm:\n      by: both\n      if_no: not_saved\n  - id: saved\n    say: saved\n    goto: end\n  - id: not_saved\n    say: not saved\n  - id: end\n    say: end\n";

#[test]
fn nothing_is_saved_until_each_partner_says_yes() {
    let ex = exercise(&with_steps(CONSENT));
    let mut run = Run::start(&ex, pair());
    answer(&mut run, "Alex", "No phones at dinner");
    let ask = prompt(&mut run).unwrap();
    assert_eq!(ask.text, "Alex, do you agree? \"No phones at dinner\"");
    assert_eq!(
        ask.options,
        [
            ("yes".to_owned(), "Yes, I agree.".to_owned()),
            ("no".to_owned(), "Not yet.".to_owned())
        ]
    );
    assert!(matches!(
        run.answer("maybe", now()).unwrap(),
        Reply::Retry { .. }
    ));
    assert_eq!(answer(&mut run, "Alex", "1"), Reply::Accepted);
    assert!(run.state().records.is_empty(), "one yes is not both");
    assert_eq!(answer(&mut run, "Sam", "yes"), Reply::Accepted);
    let records = &run.state().records;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].kind, RecordKind::Agreement);
    assert_eq!(records[0].owner, None, "an agreement of both");
    assert_eq!(records[0].exercise, "t");

    // The first "no" ends it: the second partner is not asked.
    let mut run = Run::start(&ex, pair());
    answer(&mut run, "Alex", "No phones at dinner");
    assert_eq!(answer(&mut run, "Alex", "Not yet."), Reply::Accepted);
    match run.next_event().unwrap() {
        Event::Say { text, .. } => assert_eq!(text, "not saved"),
        other => panic!("{other:?}"),
    }
    assert!(run.state().records.is_empty());
    assert_eq!(
        run.state().answers.last().unwrap().text.as_deref(),
        Some("no")
    );
}

#[test]
fn owners_open_items_and_timings_are_recorded_as_said() {
    let ex = exercise(&with_steps(
        "  - id: what\n    ask: What?\n    by: partner\n  - id: when\n    ask: When?\n    by: partner\n    date: required\n  - id: both_promise\n    commit:\n      text: \"{{ answers.what }}\"\n      due: \"{{ answers.when }}\"\n    by: both\n  - id: pace\n    agree:\n      text: slowly\n      topic: pacing\n      revisit: when I feel ready\n    by: hurt\n  - id: pause\n    defer:\n      text: I need time to think\n      about: \"{{ answers.what }}\"\n      revisit: after our next session\n    by: hurt\n",
    ));
    let mut run = Run::start(&ex, pair());
    answer(&mut run, "Sam", "A walk");
    for (typed, hint) in [
        ("soon", "This needs a day"),
        ("2026-11-02", "Monday 2 November 2026 has already passed"),
        ("2026-11-02", "Monday 2 November 2026 has already passed"),
        (
            "03/04/2027",
            "\"03/04/2027\" could be Saturday 3 April 2027 or Thursday 4 March 2027",
        ),
    ] {
        match answer(&mut run, "Sam", typed) {
            Reply::Retry { hint: shown, .. } => assert!(shown.contains(hint), "{shown}"),
            Reply::Accepted => panic!("{typed:?} was accepted"),
        }
    }
    assert_eq!(answer(&mut run, "Sam", "every evening"), Reply::Accepted);
    assert!(prompt(&mut run).is_none());
    let records = &run.state().records;
    let habit = &records[0];
    assert_eq!(habit.owners, pair());
    assert!(habit.ongoing);
    assert_eq!(habit.date, NaiveDate::from_ymd_opt(2026, 12, 1));
    let pace = &records[1];
    assert_eq!(pace.owner.as_deref(), Some("Alex"));
    assert_eq!(pace.date, None);
    assert_eq!(pace.date_text.as_deref(), Some("when I feel ready"));
    let pause = &records[2];
    assert_eq!(pause.kind, RecordKind::Open);
    assert_eq!(pause.about.as_deref(), Some("A walk"));
    assert_eq!(pause.date_text.as_deref(), Some("after our next session"));
}

fn seeded() -> mend::engine::LedgerView {
    let mut ledger = Ledger::new(&pair());
    let seed = Seed {
        commitments: vec![SeedItem {
            owner: Some("Sam".into()),
            text: "Text when late".into(),
            due: NaiveDate::from_ymd_opt(2026, 11, 28),
            ..SeedItem::default()
        }],
        agreements: vec![SeedItem {
            text: "Six check-ins".into(),
            topic: Some("milestone".into()),
            revisit: NaiveDate::from_ymd_opt(2026, 11, 30),
            ..SeedItem::default()
        }],
        open: Vec::new(),
    };
    ledger.seed(&seed, now());
    ledger.view(now().date_naive())
}

const MARK: &str = "  - id: what_now\n    choose: What now?\n    by: hurt\n    options:\n      - {key: kept, label: Kept, when: 'ledger.review[0].kind == \"commitment\"'}\n      - {key: changed, label: Change it}\n      - {key: renewed, label: Renew it}\n  - id: update\n    mark:\n      item: \"{{ ledger.review[0].id }}\"\n      status: \"{{ answers.what_now }}\"\n      due: in a fortnight\n";

#[test]
fn a_mark_renews_with_a_new_timing_and_options_show_only_what_applies() {
    let ex = exercise(&with_steps(MARK));
    let mut run = Run::start(&ex, pair()).with_ledger(seeded());
    let choose = prompt(&mut run).unwrap();
    assert_eq!(choose.options.len(), 3, "a commitment can be kept");
    assert_eq!(answer(&mut run, "Alex", "3"), Reply::Accepted);
    assert!(prompt(&mut run).is_none());
    let mark = &run.state().records[0];
    assert_eq!(mark.item.as_deref(), Some("c1"));
    assert_eq!(mark.status.as_deref(), Some("renewed"));
    assert_eq!(mark.date, NaiveDate::from_ymd_opt(2026, 12, 15));

    // With only the milestone due, "kept" is not offered and "2" renews.
    let mut only_milestone = seeded();
    only_milestone.review.remove(0);
    let mut run = Run::start(&ex, pair()).with_ledger(only_milestone);
    let choose = prompt(&mut run).unwrap();
    assert_eq!(
        choose
            .options
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>(),
        ["changed", "renewed"]
    );
    // `changed` without new words is an error in the exercise, at its step.
    assert_eq!(answer(&mut run, "Alex", "1"), Reply::Accepted);
    let error = run.next_event().unwrap_err();
    assert!(
        error
            .diagnostic
            .headline()
            .contains("step `update` marks `a1` changed but gives no new words"),
        "{}",
        error.diagnostic.headline()
    );
}

#[test]
fn the_other_partner_confirms_what_one_partner_owns_and_both_what_both_own() {
    let ex = exercise(&with_steps(
        "  - id: mine\n    commit:\n      text: Text when late\n      due: by Friday\n    by: partner\n    confirm:\n      by: other\n  - id: ours\n    agree:\n      text: No phones at dinner\n    confirm:\n      by: other\n",
    ));
    let mut run = Run::start(&ex, pair());
    // Sam (partner) made the commitment: Alex confirms it.
    let ask = prompt(&mut run).unwrap();
    assert_eq!(ask.text, "Alex, do you agree? \"Text when late\"");
    assert_eq!(answer(&mut run, "Alex", "yes"), Reply::Accepted);
    // An agreement of both: each confirms.
    assert_eq!(answer(&mut run, "Alex", "yes"), Reply::Accepted);
    assert_eq!(answer(&mut run, "Sam", "yes"), Reply::Accepted);
    assert!(prompt(&mut run).is_none());
    let owners: Vec<_> = run
        .state()
        .records
        .iter()
        .map(|r| r.owner.clone())
        .collect();
    assert_eq!(owners, [Some("Sam".to_owned()), None]);

    // A commitment both make has no "other": the file says so.
    let compiled = mend::compile(
        "t",
        mend::Source::new(
            "t.yaml",
            with_steps(
                "  - id: ours\n    commit:\n      text: A walk\n      due: every Sunday\n    by: both\n    confirm:\n      by: other\n",
            ),
        ),
        &mend::WordLists::none(),
    );
    let errors: Vec<String> = compiled
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        errors.iter().any(|e| e.contains(
            "t.yaml:15:11: error: `confirm: {by: other}` asks the partner who does not own the commitment"
        )),
        "{errors:?}"
    );
}
