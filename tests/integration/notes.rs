//! Session notes: both built-in templates from a fixed session, escaping of
//! partners' words, template errors, overrides and private output files.

use crate::common::{mend, repo};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use mend::Exercise;
use mend::engine::Event;
use mend::notes::render::{NotesContext, NotesTemplate};
use mend::store::DataDir;
use mend::store::{Session, SessionLog};
use std::path::{Path, PathBuf};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 18, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    now().date_naive()
}

fn exercise(id: &str, yaml: &str) -> Exercise {
    crate::common::compiled(id, yaml)
}

fn library(id: &str) -> Exercise {
    let text = std::fs::read_to_string(repo().join(format!("exercises/{id}.yaml"))).unwrap();
    exercise(id, &text)
}

/// Plays `answers` in order through the engine, saving after each like
/// `play` does; stops when they run out.
fn play(session: &mut Session, exercise: &Exercise, answers: &[&str]) {
    let mut run = session.start(exercise, None).unwrap();
    let mut answers = answers.iter();
    loop {
        match run.next_event().unwrap() {
            Event::Say { .. } => {}
            Event::Finished => {
                session.save(&run).unwrap();
                return;
            }
            Event::Prompt(prompt) => {
                let Some(answer) = answers.next() else { return };
                let reply = run.answer(answer, now()).unwrap();
                assert_eq!(
                    reply,
                    mend::Reply::Accepted,
                    "{} at {}",
                    answer,
                    prompt.step
                );
                session.save(&run).unwrap();
            }
        }
    }
}

fn session(data: &DataDir) -> Session {
    Session::create(data, ["Alex".into(), "Sam".into()], Box::new(now)).unwrap()
}

/// A session of one exercise played with `answers`, as read back from its
/// journal.
fn one_exercise(data: &DataDir, exercise: &Exercise, answers: &[&str]) -> SessionLog {
    let mut s = session(data);
    play(&mut s, exercise, answers);
    let id = s.id().to_owned();
    drop(s);
    SessionLog::read(&data.sessions().join(format!("{id}.jsonl"))).unwrap()
}

const BOUNDARY: &str = r#"
title: One boundary
summary: Agree one boundary.
minutes: 5
version: 1
roles:
  hurt: Names the boundary.
  other: Agrees to it.
steps:
  - id: boundary
    ask: "{{ hurt }}, what boundary do you need?"
    by: hurt
  - id: yes
    choose: "{{ other }}, can you agree to it?"
    by: other
    options:
      - key: agree
        label: I agree.
      - key: talk
        label: Let's talk more.
  - id: record
    when: answers.yes == "agree"
    agree:
      text: "{{ answers.boundary }}"
      topic: boundary
      revisit: in 4 weeks
notes: |
  ## One boundary
  {{ hurt }} asked for: {{ answers.boundary }}
"#;

/// A second session: a weekly check-in over two commitments, a boundary
/// agreed, and I-statements paused half-way.
fn fixed_session(data: &DataDir) -> SessionLog {
    let mut first = session(data);
    play(
        &mut first,
        &exercise("promise", crate::ledger::PROMISE),
        &[
            "Text you when I am running late",
            "A walk together twice a week",
        ],
    );
    let first_id = first.id().to_owned();
    drop(first);
    let mut second = session(data);
    play(
        &mut second,
        &library("check-in-weekly"),
        &[
            "I texted every time I was late",
            "It helped. Evenings still feel tense.",
            "kept",
            "yes",
            "I only managed one walk",
            "",
            "renegotiated",
            "yes",
            "One walk on Sunday mornings",
            "in 1 week",
            "yes",
            "later",
            "",
            "",
            "settled",
            "settled",
        ],
    );
    play(
        &mut second,
        &exercise("boundary", BOUNDARY),
        &["Tell me the same day if she contacts you", "agree"],
    );
    play(
        &mut second,
        &library("i-statements"),
        &[
            "You never listen to me",
            "lonely",
            "I feel lonely when we eat with phones out, and I need phones away at dinner.",
        ],
    );
    let id = second.id().to_owned();
    drop(second);
    assert_ne!(first_id, id);
    SessionLog::read(&data.sessions().join(format!("{id}.jsonl"))).unwrap()
}

fn render(data: &DataDir, log: &SessionLog, template: &str) -> String {
    let template = NotesTemplate::find(data, Some(template)).unwrap();
    // Times as in UTC, whatever the machine's zone.
    let utc = chrono::FixedOffset::east_opt(0).unwrap();
    let context = NotesContext::with_offset(data, log, today(), utc).unwrap();
    template
        .render(&context)
        .unwrap()
        .replace(&log.id, "SESSION-ID")
}

#[test]
fn session_notes_from_a_fixed_session() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(Some(dir.path())).unwrap();
    let log = fixed_session(&data);
    insta::assert_snapshot!("session-notes", render(&data, &log, "session-notes"));
    insta::assert_snapshot!("dap", render(&data, &log, "dap"));
}

const REFLECT: &str = r#"
title: Reflect
summary: One reflection.
minutes: 5
version: 1
roles:
  speaker: Shares.
  listener: Reflects.
steps:
  - id: share
    ask: "{{ speaker }}, what happened?"
    by: speaker
  - id: heard
    choose: "{{ speaker }}, did {{ listener }} get it right?"
    by: speaker
    options:
      - key: yes
        label: "Yes, that's it."
      - key: not_yet
        label: Not yet.
notes: |
  ## Reflect
  {% for a in transcript %}{{ a.name }}: {{ a.label if a.label is defined else a.text }}
  {% endfor %}
"#;

#[test]
fn notes_show_what_a_partner_chose_not_the_options_key() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(Some(dir.path())).unwrap();
    let log = one_exercise(
        &data,
        &exercise("reflect", REFLECT),
        &["We argued about the dishes", "1"],
    );
    for template in ["session-notes", "dap"] {
        let notes = render(&data, &log, template);
        assert!(
            notes.contains("Alex (speaker): Yes, that's it.\n"),
            "{template}: {notes}"
        );
        assert!(
            notes.contains("Alex (speaker): We argued about the dishes\n"),
            "{template}: {notes}"
        );
        assert!(!notes.contains(": yes\n"), "{template}: {notes}");
    }
    // The exercise's own notes read the label from `transcript`; a template
    // of one's own can show them.
    let file = dir.path().join("fragments.md.j2");
    std::fs::write(
        &file,
        "{% for e in exercises %}{{ e.notes | safe }}{% endfor %}",
    )
    .unwrap();
    let notes = render(&data, &log, file.to_str().unwrap());
    assert!(notes.contains("Alex: Yes, that's it."), "{notes}");
    assert!(
        notes.contains("Alex: We argued about the dishes"),
        "{notes}"
    );
}

const INJECTION: &str = "ok\n\n# Injected heading\n[click](http://evil.example) <script>alert(1)</script>\n---\n> quoted\n1. listed\n```\ncode";

#[test]
fn a_partners_words_cannot_become_markup_in_notes() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(Some(dir.path())).unwrap();
    let log = one_exercise(
        &data,
        &exercise("boundary", BOUNDARY),
        &[INJECTION, "agree"],
    );
    for template in ["session-notes", "dap"] {
        let notes = render(&data, &log, template);
        assert!(notes.contains("ok\\\n\\# Injected heading\\\n\\[click\\](http://evil.example) &lt;script&gt;alert(1)&lt;/script&gt;\\\n\\---\\\n&gt; quoted\\\n1\\. listed\\\n\\`\\`\\`\\\ncode"), "{notes}");
        for line in notes.lines() {
            let line = line.trim_start_matches([' ', '>', '-']).trim_start();
            assert!(!line.starts_with("# Injected"), "{template}: {line}");
            assert!(!line.starts_with("```"), "{template}: {line}");
        }
        assert!(!notes.contains("<script"), "{notes}");
        assert!(!notes.contains("[click]("), "{notes}");
    }
}

#[test]
fn notes_templates_are_data_and_their_errors_name_template_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(&data)
        .stdin("{{ partners }}\n")
        .run();
    let bad = dir.path().join("mine.md.j2");
    std::fs::write(&bad, "# Notes\n\n{{ partners[0] }} and {{ partnres }}\n").unwrap();
    let output = mend(&["notes", "--template", bad.to_str().unwrap()])
        .data(&data)
        .run();
    assert_eq!(output.code, 1);
    assert!(
        output.stderr.starts_with(&format!(
            "error: notes template `{}`, line 3, column 26: undefined value in template",
            bad.display()
        )),
        "{output:?}"
    );

    // A template in <data>/templates/ replaces the built-in one of that name.
    std::fs::create_dir_all(data.join("templates")).unwrap();
    std::fs::write(
        data.join("templates/session-notes.md.j2"),
        "Ours: {% for e in exercises %}{% for a in e.answers %}{{ a.name }} said {{ a.text }}{% endfor %}{% endfor %}",
    )
    .unwrap();
    let notes = mend(&["notes", "--last"]).data(&data).ok();
    // The answer is shown as typed, never run as a template.
    assert_eq!(notes.stdout, "Ours: Alex said \\{\\{ partners \\}\\}\n");
}

#[test]
fn notes_written_to_a_file_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(&data)
        .stdin("Hard day\n")
        .run();
    let file = dir.path().join("notes.md");
    let output = mend(&["notes", "--template", "dap", "-o", file.to_str().unwrap()])
        .data(&data)
        .ok();
    assert!(
        output.stdout.starts_with("Wrote the notes of session "),
        "{output:?}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("# DAP note, "), "{text}");
    assert!(text.contains("Alex (speaker): Hard day\n"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let _ = Path::new("");
}

#[test]
fn an_unknown_template_lists_the_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    mend(&["run", "i-statements"])
        .data(&data)
        .stdin("x\n")
        .run();
    let output = mend(&["notes", "--template", "soap"]).data(&data).run();
    assert_eq!(output.code, 1);
    assert!(
        output
            .stderr
            .starts_with("error: there is no notes template `soap`; built in: dap, session-notes"),
        "{output:?}"
    );
}

/// A clock that moves on a few minutes at every look, from `start`.
fn moving_clock(start: DateTime<Utc>) -> Box<dyn Fn() -> DateTime<Utc>> {
    let ticks = std::cell::Cell::new(0);
    Box::new(move || {
        ticks.set(ticks.get() + 1);
        start + chrono::TimeDelta::minutes(2 * ticks.get())
    })
}

fn session_at(data: &DataDir, start: DateTime<Utc>) -> Session {
    Session::create(data, ["Alex".into(), "Sam".into()], moving_clock(start)).unwrap()
}

/// Session 1 makes two commitments; session 2 declines an apology, keeps
/// one answer private, skips one, names a safety concern and breaks off
/// I-statements; session 3, a week later, marks a commitment kept and
/// makes a new one. Returns session 2 as read back.
fn a_sitting_with_a_break_a_decline_and_a_private_answer(data: &DataDir) -> SessionLog {
    use mend::store::moment::{Moment, MomentKind};
    let mut first = session_at(data, now());
    play(
        &mut first,
        &exercise("promise", crate::ledger::PROMISE),
        &[
            "Text you when I am running late",
            "A walk together twice a week",
        ],
    );
    drop(first);

    let mut second = session_at(data, now() + chrono::TimeDelta::hours(1));
    play(&mut second, &library("apology-ritual"), &["later"]);
    play(
        &mut second,
        &library("check-in-daily"),
        &[
            "I appreciated the coffee you made",
            "He frightened me when he shouted, so I need a quiet evening",
            "yes",
            "",
            "Thanks for listening to me tonight",
            "Ten minutes together tonight",
            "talk",
            "",
            // A need was raised, so both say how they are leaving.
            "settled",
            "settled",
        ],
    );
    let at = second.now();
    second
        .note(
            Moment::new(MomentKind::Private, at)
                .by("Alex")
                .at_question(
                    "appreciation",
                    "Alex, one thing you appreciated about Sam today, however small.",
                )
                .answer(0),
        )
        .unwrap();
    second
        .note(
            Moment::new(MomentKind::Safety, at)
                .by("Alex")
                .at_question(
                    "need",
                    "Alex, one thing you need today or tomorrow, as a small request.",
                )
                .answer(1)
                .detail("fear"),
        )
        .unwrap();
    play(
        &mut second,
        &library("i-statements"),
        &["You never listen to me", "lonely"],
    );
    let at = second.now();
    second
        .note(
            Moment::new(MomentKind::Break, at)
                .by("Sam")
                .at_question("statement", "Now put it together as an I-statement:"),
        )
        .unwrap();
    let id = second.id().to_owned();
    drop(second);

    let mut third = session_at(data, now() + chrono::TimeDelta::days(7));
    play(
        &mut third,
        &library("check-in-weekly"),
        &[
            "I texted every time I was late",
            "It helped.",
            "kept",
            "yes",
            "I only managed one walk",
            "",
            "renegotiated",
            "yes",
            "One walk on Sunday mornings",
            "in 1 week",
            "yes",
            // The apology not heard yet, and the need from the daily
            // check-in Sam wanted to talk about first: both left for later.
            "later",
            "later",
            "",
            "",
            "settled",
            "settled",
        ],
    );
    drop(third);
    SessionLog::read(&data.sessions().join(format!("{id}.jsonl"))).unwrap()
}

#[test]
fn notes_of_an_old_session_show_its_break_decline_private_answer_and_ledger_as_it_stood() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(Some(dir.path())).unwrap();
    let log = a_sitting_with_a_break_a_decline_and_a_private_answer(&data);
    let notes = render(&data, &log, "session-notes");
    // The private answer is nowhere, not even in the exercise's own notes.
    assert!(!notes.contains("coffee"), "{notes}");
    // The ledger as it stood then: both commitments still open, neither
    // the mark nor anything made a week later.
    assert!(notes.contains("Text you when I am running late"), "{notes}");
    assert!(!notes.contains(": kept"), "{notes}");
    assert!(!notes.contains("Sunday"), "{notes}");
    insta::assert_snapshot!("session-notes-break-decline-private", notes);
    let dap = render(&data, &log, "dap");
    assert!(!dap.contains("coffee"), "{dap}");
    insta::assert_snapshot!("dap-break-decline-private", dap);
}

/// What an exercise recorded before it stopped is not in the ledger until
/// it is finished, and the notes say so, rather than "none".
#[test]
fn notes_show_what_an_exercise_stopped_before_its_end_had_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    mend(&["run", "check-in-daily", "--partners", "Alex,Sam"])
        .data(data)
        .stdin("I appreciated that you made coffee for me\nTen minutes together tonight, phones away\n2\n\n:quit\n")
        .ok();
    let notes = mend(&["notes", "--last"]).data(data).ok().stdout;
    let id = notes
        .split("`mend resume ")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap()
        .to_owned();
    assert!(
        notes.contains(&format!(
            "## Commitments and agreements made or reviewed\n\nNone this session in a finished exercise.\n\nSaid in an exercise that stopped before its end; these go into the ledger only when it is finished (`mend resume {id}`):\n\n- Daily check-in, kept open, **Alex**: Ten minutes together tonight, phones away (about: Sam would like to talk about it first) (at the next check-in)\n"
        )),
        "{notes}"
    );
    let dap = mend(&["notes", "--last", "--template", "dap"])
        .data(data)
        .ok()
        .stdout;
    assert!(
        dap.contains("- Said in Daily check-in before it stopped (in the ledger only once it is finished), kept open, **Alex**: Ten minutes together tonight, phones away (about: Sam would like to talk about it first) (at the next check-in)\n"),
        "{dap}"
    );
    // Not in the ledger yet: it goes there when the check-in is finished.
    let ledger = mend(&["ledger", "--partners", "Alex,Sam"])
        .data(data)
        .ok()
        .stdout;
    assert!(!ledger.contains("Ten minutes together"), "{ledger}");
}

/// An answer kept private stays out of the notes wherever the exercise
/// quotes it later: the next question, the agreement built from it, and
/// the notes of later sessions that list that agreement. The couple's own
/// ledger keeps the words.
#[test]
fn a_private_answer_stays_out_of_notes_where_the_exercise_quotes_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let ran = mend(&["run", "pacing", "--partners", "Alex,Sam"])
        .data(data)
        .stdin("1\n1\n:private\nPRIVPACE one talk a week\n3\nStop\nI will wait for you to ask\n1\n1\nin 2 weeks\n1\n1\n\n\n\n")
        .ok();
    // The partner is told plainly where the words still are.
    assert!(
        ran.stdout.contains("It is still saved for the two of you: the exercise may use it, and if it becomes part of an agreement or something kept open, your ledger and later check-ins show it to you both."),
        "{}",
        ran.stdout
    );
    // The summary shown at the end leaves it out too.
    assert!(
        ran.stdout.contains("Pace set by Alex: (kept private);"),
        "{}",
        ran.stdout
    );
    for template in ["session-notes", "dap"] {
        let notes = mend(&["notes", "--last", "--template", template])
            .data(data)
            .ok()
            .stdout;
        assert!(!notes.contains("PRIVPACE"), "{notes}");
        assert!(
            notes.contains("Alex has set this pace: \"(kept private)\""),
            "{notes}"
        );
        assert!(
            notes.contains("Pace set by Alex: (kept private);"),
            "{notes}"
        );
    }
    let ledger = mend(&["ledger", "--partners", "Alex,Sam"])
        .data(data)
        .ok()
        .stdout;
    assert!(
        ledger.contains("Pace set by Alex: PRIVPACE one talk a week"),
        "{ledger}"
    );
    // A later session lists the agreement among what is still open.
    mend(&["run", "check-in-daily", "--partners", "Alex,Sam"])
        .data(data)
        .stdin(
            "I appreciated the coffee you made me\n\n\nI appreciated your walk with me today\n\n\n",
        )
        .run();
    let later = mend(&["notes", "--last"]).data(data).ok().stdout;
    assert!(!later.contains("PRIVPACE"), "{later}");
    assert!(later.contains("(kept private)"), "{later}");
}

/// `:private` and the answer on one line: the answer is kept private, not
/// saved as ":private ..." for everyone to read.
#[test]
fn private_and_an_answer_on_one_line_keep_the_answer_out_of_the_notes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let ran = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(data)
        .stdin(":private I come home and nobody says hello\nlonely\n:quit\n")
        .ok();
    assert!(
        ran.stdout
            .contains("Alex's answer to this question will stay out of the session notes."),
        "{}",
        ran.stdout
    );
    let notes = mend(&["notes", "--last"]).data(data).ok().stdout;
    assert!(!notes.contains("nobody says hello"), "{notes}");
    assert!(!notes.contains(":private"), "{notes}");
    assert!(
        notes.contains("*kept private at Alex's request*"),
        "{notes}"
    );
}

/// Coming back from a break, the end of the exercise shows its notes once,
/// with a doubt kept private left out, as a sitting without a break does.
#[test]
fn after_a_break_the_resumed_exercise_shows_its_notes_once_without_private_words() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = play_file(
        dir.path(),
        "title: Doubt\nsummary: One doubt, answered.\nminutes: 2\nversion: 1\nroles: {speaker: Says it., listener: Hears it.}\nsteps:\n  - id: doubt\n    by: speaker\n    ask: A small doubt?\n  - id: reply\n    by: listener\n    ask: What do you say?\n  - id: landed\n    by: speaker\n    ask: Did that help?\nnotes: '{{ speaker }}, a doubt noticed: {{ answers.doubt }}'\n",
        ":private\nWhen you went quiet at dinner PRIVDOUBT came back.\nI hear you, I am here.\n:break\n",
    );
    let resumed = mend(&["resume"])
        .data(&data)
        .stdin("y\ny\nYes, it helped.\n:quit\n")
        .ok();
    let out = resumed.stdout;
    assert!(!out.contains("PRIVDOUBT"), "{out}");
    assert_eq!(
        out.matches("Alex, a doubt noticed: (kept private)").count(),
        1,
        "{out}"
    );
    assert!(out.contains("What you did today"), "{out}");
    let notes = mend(&["notes", "--last"]).data(&data).ok().stdout;
    assert!(!notes.contains("PRIVDOUBT"), "{notes}");
}

/// A template that quotes a private answer mid-sentence drops its full stop
/// (as the apology ritual does); the notes leave it out all the same.
#[test]
fn a_private_answer_quoted_without_its_full_stop_stays_out_of_the_notes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let file = dir.path().join("quote.yaml");
    std::fs::write(
        &file,
        "title: Quote\nsummary: One need, heard.\nminutes: 2\nversion: 1\nroles: {speaker: Says it., listener: Hears it.}\nsteps:\n  - id: need\n    by: speaker\n    ask: What do you most need heard?\n  - id: heard\n    by: listener\n    ask: '{{ speaker }} needs heard: \"{{ answers.need | trim | trim(\".\") }}\". What did you hear?'\n",
    )
    .unwrap();
    mend(&["run", file.to_str().unwrap(), "--partners", "Alex,Sam"])
        .data(data)
        .stdin(":private\nThat you hid the PRIVMSG for months.\nI heard you\n")
        .ok();
    for template in ["session-notes", "dap"] {
        let notes = mend(&["notes", "--last", "--template", template])
            .data(data)
            .ok()
            .stdout;
        assert!(!notes.contains("PRIVMSG"), "{notes}");
        assert!(notes.contains("\"(kept private)\""), "{notes}");
    }
}

/// An answer given after a nudge says so in the notes, so a clinician can
/// tell words that stood after a hint from words that came at once.
#[test]
fn notes_mark_an_answer_that_came_after_a_nudge() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(data)
        .stdin("I come home and nobody says hello\nthat you do not care\nlonely\n:quit\n")
        .ok();
    for template in ["session-notes", "dap"] {
        let notes = mend(&["notes", "--last", "--template", template])
            .data(data)
            .ok()
            .stdout;
        assert!(
            notes.contains("Alex (speaker): lonely *(after a nudge)*"),
            "{notes}"
        );
        assert!(
            notes.contains("Alex (speaker): I come home and nobody says hello\n"),
            "{notes}"
        );
    }
}

/// A choice kept `:private` is left out where it is the answer, but its
/// key or label ("Yes") is not the partner's own words: the other
/// partner's "Yes, ..." stays in the notes as they said it.
#[test]
fn a_private_choice_does_not_blank_the_same_word_in_other_answers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("choice.yaml"),
        r#"title: A choice
summary: One choice, one answer.
minutes: 1
version: 1
roles:
  speaker: Chooses.
  listener: Answers.
steps:
  - id: suggest
    choose: "{{ speaker }}, would you like to suggest one?"
    by: speaker
    options:
      - key: yes
        label: Yes, let me suggest one.
      - key: pass
        label: Not now.
  - id: reply
    ask: "{{ listener }}, what do you say?"
    by: listener
"#,
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let folder = dir.path().display().to_string();
    mend(&[
        "--exercises",
        &folder,
        "run",
        "choice",
        "--partners",
        "Alex,Sam",
    ])
    .data(data.path())
    .stdin(":private\n1\nYes, I think so too.\n")
    .ok();
    let notes = mend(&["--exercises", &folder, "notes", "--last"])
        .data(data.path())
        .ok()
        .stdout;
    assert!(notes.contains("Yes, I think so too."), "{notes}");
    assert!(!notes.contains("let me suggest one"), "{notes}");
}

/// A mirror of a doubt kept private stays out of the notes too, even when a
/// break falls between them: the listener is told before they answer, and
/// the notes say whose private answer kept it out.
#[test]
fn a_reply_to_a_private_answer_stays_private_across_a_break() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = play_file(
        dir.path(),
        "title: Doubt\nsummary: One doubt, said back.\nminutes: 2\nversion: 1\nroles: {speaker: Says it., listener: Hears it.}\nsteps:\n  - id: doubt\n    by: speaker\n    ask: A small doubt?\n  - id: heard\n    by: listener\n    ask: What did you hear?\n    private_with: [doubt]\n  - id: reply\n    by: listener\n    ask: What do you say?\nnotes: '{{ listener }} heard: {{ answers.heard }}'\n",
        ":private\nWhen you went quiet PRIVDOUBT came back.\n:break\n",
    );
    let resumed = mend(&["resume"])
        .data(&data)
        .stdin("y\ny\nI heard MIRRORWORDS.\nI am here, REPLYWORDS.\n")
        .ok();
    let out = resumed.stdout;
    assert!(
        out.contains("Sam's answer to this question will stay out of the session notes too, because it follows what Alex kept private."),
        "{out}"
    );
    assert!(out.contains("Sam heard: (kept private)"), "{out}");
    let notes = mend(&["notes", "--last"]).data(&data).ok().stdout;
    assert!(!notes.contains("PRIVDOUBT"), "{notes}");
    assert!(!notes.contains("MIRRORWORDS"), "{notes}");
    assert!(
        notes.contains("Sam (listener): *kept private with Alex's private answer*"),
        "{notes}"
    );
    // Only a reply the exercise names follows the private answer.
    assert!(notes.contains("REPLYWORDS"), "{notes}");
}

/// A nudge at a question whose answer was then taken back with `:back`
/// is not pinned on the answer that later takes that place: the notes
/// mark "(after a nudge)" only where a nudge came (review U2 R-1).
#[test]
fn a_nudge_before_going_back_is_not_pinned_on_a_later_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = play_file(
        dir.path(),
        "title: Back\nsummary: Three questions.\nminutes: 2\nversion: 1\nroles: {speaker: Says it.}\nsteps:\n  - id: first\n    by: speaker\n    ask: First?\n  - id: second\n    by: speaker\n    ask: Second?\n    check:\n      - rule: words(answer) >= 2\n        hint: A few words, please.\n  - id: third\n    by: speaker\n    ask: Third?\n",
        "one\nx\n:back\none again\ntwo words\nthree\n",
    );
    let notes = mend(&["notes", "--last"]).data(&data).ok().stdout;
    assert!(notes.contains("Alex (speaker): two words\n"), "{notes}");
    assert!(!notes.contains("after a nudge"), "{notes}");
}

/// A strict rule refuses: the answer it lets through passes it, so that
/// answer is not marked "(after a nudge)" (a stray menu number refused,
/// then real words).
#[test]
fn an_answer_after_a_strict_refusal_is_not_after_a_nudge() {
    let dir = tempfile::tempdir().unwrap();
    let (data, ran) = play_file(
        dir.path(),
        "title: Strict\nsummary: One question.\nminutes: 2\nversion: 1\nroles: {speaker: Says it.}\nsteps:\n  - id: first\n    by: speaker\n    ask: First?\n    check:\n      - rule: words(answer) >= 2\n        hint: A few words, please.\n        strict: true\n",
        "2\ntwo words\n",
    );
    assert!(ran.contains("A few words, please."), "{ran}");
    let notes = mend(&["notes", "--last"]).data(&data).ok().stdout;
    assert!(notes.contains("Alex (speaker): two words\n"), "{notes}");
    assert!(!notes.contains("after a nudge"), "{notes}");
}

/// Plays an exercise written into `dir` as Alex and Sam, the data folder
/// beside it: that folder and what the run printed.
fn play_file(dir: &Path, yaml: &str, input: &str) -> (PathBuf, String) {
    let data = dir.join("data");
    let file = dir.join("exercise.yaml");
    std::fs::write(&file, yaml).unwrap();
    let ran = mend(&["run", file.to_str().unwrap(), "--partners", "Alex,Sam"])
        .data(&data)
        .stdin(input)
        .ok();
    (data, ran.stdout)
}
