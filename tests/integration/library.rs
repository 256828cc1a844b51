//! The shipped library, played end to end through the real binary.
//!
//! Each exercise's test plan (`exercises/<id>.test.yaml`) is fed to
//! `mend run` as piped answers, one process per plan, and the transcript is
//! read as the couple would see it: whose answer each line is, the hints that
//! fire, the text shown, and the notes with the recorded commitments and
//! agreements. Another test makes sure that, across the plans, every option
//! of every `choose` step is taken, so each branch is played at least once.

use crate::common::{compiled, mend, repo};
use mend::engine::StepKind;
use mend::playtest::plan::{Action, Plan};
use std::collections::{BTreeMap, BTreeSet};

/// The exercises this library ships, each with a test plan.
const EXERCISES: [&str; 20] = [
    "apology-ritual",
    "behavior-effect-meaning",
    "boundaries",
    "check-in-daily",
    "check-in-weekly",
    "communication-agreement",
    "doubts-early",
    "i-statements",
    "intimacy-plan",
    "joint-project",
    "milestones",
    "needs-forward",
    "pacing",
    "reflective-listening",
    "review-monthly",
    "self-care-plan",
    "setback-aftermath",
    "shared-meaning",
    "transparency-agreement",
    "trigger-plan",
];

fn read(file: &str) -> mend::Source {
    let path = repo().join("exercises").join(file);
    // Plans are held to their own, larger bound, as `mend test` holds them.
    let read = if file.ends_with(".test.yaml") {
        mend::format::read_plan
    } else {
        mend::format::read_source
    };
    read(&path).unwrap_or_else(|d| panic!("{d}"))
}

fn exercise(id: &str) -> mend::Exercise {
    mend::compile(
        id,
        read(&format!("{id}.yaml")),
        &crate::common::library_words(),
    )
    .exercise
    .unwrap_or_else(|| panic!("{id} compiles"))
}

/// The plans of exercise `id`, read by mend's own plan loader.
fn plans(id: &str) -> Vec<Plan> {
    let (plans, diagnostics) =
        mend::playtest::plan::load(&read(&format!("{id}.test.yaml")), &exercise(id));
    assert!(diagnostics.is_empty(), "{id}'s plan: {diagnostics:?}");
    plans
}

/// The transcript split at each echoed answer: `segments[0]` is everything
/// before the first answer, `segments[n]` what was shown after answer `n`.
struct Transcript {
    echoes: Vec<String>,
    segments: Vec<String>,
}

fn split(stdout: &str, partners: &[String; 2]) -> Transcript {
    let mut echoes = Vec::new();
    let mut segments = vec![String::new()];
    for line in stdout.lines() {
        let echo = partners
            .iter()
            .any(|name| line.starts_with(&format!("{name} › ")) || line == format!("{name} ›"));
        if echo {
            echoes.push(line.to_owned());
            segments.push(String::new());
        } else if let Some(segment) = segments.last_mut() {
            segment.push_str(line);
            segment.push('\n');
        }
    }
    Transcript { echoes, segments }
}

/// Plays one plan through the binary; returns what did not match, and the
/// transcript.
fn play(id: &str, plan: &Plan) -> (Vec<String>, String) {
    let partners = plan.partners.clone();
    let input: String = plan
        .turns
        .iter()
        .filter_map(|t| t.action.typed())
        .map(|line| format!("{line}\n"))
        .collect();
    let data = tempfile::tempdir().expect("a temporary folder");
    if let Some(seed) = &plan.ledger {
        let dir = mend::store::DataDir::open(Some(data.path())).expect("a data folder");
        mend::store::ledger_log::seed(&dir, &partners, seed, chrono::Utc::now())
            .expect("the ledger is written");
    }
    let output = mend(&["run", id, "--partners", &partners.join(",")])
        .data(data.path())
        .stdin(&input)
        .run();
    let transcript = split(&output.stdout, &partners);
    let mut problems = Vec::new();
    let mut inputs = 0;
    for turn in &plan.turns {
        if let Some(line) = turn.action.typed() {
            inputs += 1;
            let Some(echo) = transcript.echoes.get(inputs - 1) else {
                problems.push(format!("input {inputs} ({line:?}) was never asked for"));
                break;
            };
            let asked = transcript
                .segments
                .get(inputs - 1)
                .map_or("", String::as_str);
            if let Some(by) = &turn.by
                && !echo.starts_with(&format!("{by} ›"))
                && !asked.contains(&format!(" ({by}) · "))
            {
                problems.push(format!("{line:?} should be {by}'s answer, got `{echo}`"));
            }
            continue;
        }
        let segment = transcript
            .segments
            .get(inputs)
            .map(String::as_str)
            .unwrap_or("");
        let (kind, wanted) = match &turn.action {
            Action::Hint(wanted) => ("hint", wanted),
            Action::See(wanted) => ("see", wanted),
            _ => continue,
        };
        if !mend::playtest::shows(segment, wanted) {
            problems.push(format!(
                "after input {inputs}, expected {kind} {wanted:?} in:\n{segment}"
            ));
        }
    }
    // A hand-off never announces the turn of the partner who just answered.
    for (n, echo) in transcript.echoes.iter().enumerate() {
        let after = transcript.segments.get(n + 1).map_or("", String::as_str);
        // The notes after the close may name a turn kept open ("Sam's turn
        // as speaker, kept open"): only the sitting's own text hands off.
        let after = after.split("Thank you both.").next().unwrap_or_default();
        for name in &partners {
            if echo.starts_with(&format!("{name} ›")) && after.contains(&format!("{name}'s turn"))
            {
                problems.push(format!(
                    "right after `{echo}`, the text says it is {name}'s turn:\n{after}"
                ));
            }
        }
    }
    if plan.expect.finished == Some(true) {
        if output.code != 0 {
            problems.push(format!("exit code {}: {}", output.code, output.stderr));
        }
        if !output.stdout.contains(". Thank you both.\n") {
            problems.push("the run did not reach the end".to_owned());
        }
    }
    // `mend run` runs on today's clock; a plan's day (its `today:`, or the
    // fixed day plans run on) differs, and its dated lines are checked by
    // `mend test`, which runs on the plan's day.
    let other_day =
        mend::playtest::plan_clock(plan).date_naive() != chrono::Utc::now().date_naive();
    // `mend run` shows the exercise's notes when it ends; a plan that stops
    // half-way has them checked by `mend test`, which renders them anyway.
    let ended = output.stdout.contains(". Thank you both.\n");
    for line in plan.expect.notes.iter().filter(|_| ended) {
        if other_day && names_a_day(line) {
            continue;
        }
        // `mend run` shows notes as plain text; plans give them as Markdown.
        // ... and headings without their `#` marks.
        let shown = mend::frontend::markdown_as_text(line);
        let shown = shown.trim_start_matches('#');
        if !output.stdout.contains(shown.trim()) {
            problems.push(format!("notes lack {line:?}"));
        }
    }
    if !problems.is_empty() {
        problems.push(format!("full transcript:\n{}", output.stdout));
    }
    (problems, output.stdout)
}

/// Whether `line` holds a day written as `YYYY-MM-DD`.
fn names_a_day(line: &str) -> bool {
    let shape = |w: &[u8]| {
        w.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
    };
    line.as_bytes().windows(10).any(shape)
}

/// Plays each plan of exercise `id`; returns all transcripts, one after another.
fn plays_every_plan(id: &str) -> String {
    let mut failures = Vec::new();
    let mut transcripts = String::new();
    for plan in plans(id).into_iter().filter(|p| !p.swap_roles) {
        let (problems, stdout) = play(id, &plan);
        if !problems.is_empty() {
            failures.push(format!(
                "{id} / {}:\n  {}",
                plan.name,
                problems.join("\n  ")
            ));
        }
        transcripts.push_str(&stdout);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    insta::assert_snapshot!(format!("notes-{id}"), first_notes(&transcripts, &title(id)));
    transcripts
}

fn title(id: &str) -> String {
    exercise(id).title
}

/// The notes printed at the end of the first plan's run, with dates (which
/// depend on the day the test runs) replaced by `[date]`.
/// The notes start with a heading naming the exercise, shown as its own line.
fn first_notes(transcripts: &str, title: &str) -> String {
    let first = transcripts
        .split("\nThat's the end of ")
        .next()
        .unwrap_or_default();
    let heading = format!("\n\n{title}\n");
    let notes = first.rfind(&heading).map_or("", |at| &first[at + 2..]);
    redact_dates(notes)
}

/// Dates depend on the day the test runs: `2026-11-27` becomes `[date]`.
fn redact_dates(text: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let is_date = chars.len() - i >= 10
            && chars[i..i + 10].iter().enumerate().all(|(n, c)| match n {
                4 | 7 => *c == '-',
                _ => c.is_ascii_digit(),
            });
        if is_date {
            out.push_str("[date]");
            i += 10;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// One `mend session` that plays every exercise (each with its first plan
/// that needs no ledger and no swap), then the session notes it writes.
#[test]
fn notes_of_a_session_that_ran_every_exercise() {
    let data = tempfile::tempdir().expect("a temporary folder");
    let mut input = String::new();
    let mut played = Vec::new();
    // The check-ins that ask about ledger items (the weekly check-in and the
    // monthly review) go first, while the ledger is still empty as their
    // ledger-free plans expect; later exercises add items to it.
    let ledger_readers = ["check-in-weekly", "review-monthly"];
    let weekly_first = ledger_readers
        .iter()
        .chain(EXERCISES.iter().filter(|id| !ledger_readers.contains(id)));
    for id in weekly_first {
        let Some(plan) = plans(id)
            .into_iter()
            .find(|p| p.expect.finished == Some(true) && p.ledger.is_none() && !p.swap_roles)
        else {
            continue;
        };
        input.push_str(&format!("{id}\n"));
        // Where the roles differ and the exercise does not swap them
        // itself, the session asks whether to swap them; "n" keeps the
        // plan's order.
        let yaml = std::fs::read_to_string(repo().join(format!("exercises/{id}.yaml")))
            .expect("the shipped exercise reads");
        if compiled(id, &yaml).offers_role_swap() {
            input.push_str("n\n");
        }
        for line in plan.turns.iter().filter_map(|t| t.action.typed()) {
            input.push_str(&format!("{line}\n"));
        }
        input.push_str("y\n");
        played.push(id);
    }
    let session = mend(&["session", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin(&input)
        .ok();
    for id in &played {
        assert!(
            session
                .stdout
                .contains(&format!("  {}: finished", title(id))),
            "{id} did not finish:\n{}",
            session.stdout
        );
    }
    let notes = mend(&["notes", "--last"]).data(data.path()).ok();
    // The session id holds the time the test ran.
    let notes: Vec<String> = notes
        .stdout
        .lines()
        .map(|line| match line.strip_prefix("**Session:** ") {
            Some(_) => "**Session:** [id]".to_owned(),
            None => redact_times(&redact_dates(line)),
        })
        .collect();
    insta::assert_snapshot!(notes.join("\n"));
}

/// "16:43" → "HH:MM": the notes give the time the test ran.
fn redact_times(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let is_time = i + 5 <= chars.len()
            && chars[i].is_ascii_digit()
            && chars[i + 1].is_ascii_digit()
            && chars[i + 2] == ':'
            && chars[i + 3].is_ascii_digit()
            && chars[i + 4].is_ascii_digit();
        if is_time {
            out.push_str("HH:MM");
            i += 5;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

macro_rules! exercise_tests {
    ($($name:ident => $id:literal,)*) => {
        $(
            #[test]
            fn $name() {
                let transcripts = plays_every_plan($id);
                assert!(transcripts.contains("── Over to "), "{transcripts}");
            }
        )*
    };
}

exercise_tests! {
    behavior_effect_meaning => "behavior-effect-meaning",
    boundaries => "boundaries",
    check_in_daily => "check-in-daily",
    check_in_weekly => "check-in-weekly",
    communication_agreement => "communication-agreement",
    doubts_early => "doubts-early",
    i_statements => "i-statements",
    intimacy_plan => "intimacy-plan",
    joint_project => "joint-project",
    milestones => "milestones",
    needs_forward => "needs-forward",
    pacing => "pacing",
    reflective_listening => "reflective-listening",
    review_monthly => "review-monthly",
    self_care_plan => "self-care-plan",
    setback_aftermath => "setback-aftermath",
    shared_meaning => "shared-meaning",
    transparency_agreement => "transparency-agreement",
    trigger_plan => "trigger-plan",
}

/// `choose` steps of an exercise file: step id → option keys, in order.
fn choices(id: &str) -> BTreeMap<String, Vec<String>> {
    exercise(id)
        .steps
        .iter()
        .filter_map(|step| match &step.kind {
            StepKind::Choose(choose) => Some((
                step.id.clone(),
                choose.options.iter().map(|o| o.key.clone()).collect(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn the_plans_take_every_option_of_every_choice() {
    let mut missing = Vec::new();
    for id in EXERCISES {
        let mut taken: BTreeSet<(String, String)> = BTreeSet::new();
        let choices = choices(id);
        for plan in plans(id) {
            for turn in &plan.turns {
                let (Some(at), Action::Answer(answer)) = (&turn.at, &turn.action) else {
                    continue;
                };
                let Some(keys) = choices.get(at) else {
                    continue;
                };
                let key = match answer.parse::<usize>() {
                    Ok(n) => keys.get(n.wrapping_sub(1)).cloned(),
                    Err(_) => keys.iter().find(|k| *k == answer).cloned(),
                };
                if let Some(key) = key {
                    taken.insert((at.clone(), key));
                }
            }
        }
        for (step, keys) in &choices {
            for key in keys {
                if !taken.contains(&(step.clone(), key.clone())) {
                    missing.push(format!("{id}: `{step}` option `{key}`"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "options no plan takes (answer them on a turn with `at:`):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_exercise_has_a_plan_and_passes_check() {
    let output = mend(&["check"]).ok();
    assert!(
        output.stdout.ends_with(&format!(
            "{} files checked: 0 errors, 0 warnings\n",
            // The exercises and the shared word lists.
            EXERCISES.len() + 1
        )),
        "{}",
        output.stdout
    );
    for id in EXERCISES {
        assert!(
            repo()
                .join("exercises")
                .join(format!("{id}.test.yaml"))
                .is_file(),
            "{id} has no test plan"
        );
    }
}

#[test]
fn tags_filter_the_list() {
    let daily = mend(&["list", "--tag", "daily"]).ok().stdout;
    let ids: Vec<&str> = daily
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(ids, ["check-in-daily"], "{daily}");

    let agreements = mend(&["list", "--tag", "agreement"]).ok().stdout;
    for id in [
        "boundaries",
        "communication-agreement",
        "milestones",
        "pacing",
        "trigger-plan",
        "intimacy-plan",
        "transparency-agreement",
        "joint-project",
        "self-care-plan",
    ] {
        assert!(
            agreements.lines().any(|l| l.starts_with(&format!("{id} "))),
            "{id} is tagged agreement:\n{agreements}"
        );
    }
}

/// Lewicki et al. (2016): a request for forgiveness matters least, so the
/// ritual never asks for forgiveness; the partner who apologizes may voice a
/// hope for it only after the other chose to hear one, and it needs no
/// answer (Spring: accepting is not forgiving). "Not yet" and "no" are
/// respected, never argued.
#[test]
fn apology_ritual() {
    let transcript = plays_every_plan("apology-ritual");
    let lower = transcript.to_lowercase();
    let runs: Vec<&str> = lower.split("that's the end of").collect();
    let mut heard = 0;
    for run in &runs {
        for asked in ["do you forgive", "will you forgive", "can you forgive me?"] {
            assert!(!run.contains(asked), "{transcript}");
        }
        match run.find("say it as a hope") {
            Some(at) => {
                heard += 1;
                assert!(run[..at].contains("would you like to hear"), "{transcript}");
                assert!(
                    run[at..].contains("nothing needs answering about forgiveness"),
                    "{transcript}"
                );
            }
            // A partner may say the words in an answer, and the notes quote
            // them ("if you can forgive me" must never be trapped); the
            // exercise itself never puts them in anyone's mouth.
            None => assert!(
                !run.lines()
                    .any(|line| line.trim_start().starts_with("for example:")
                        && line.contains("forgive")),
                "{transcript}"
            ),
        }
    }
    assert!(
        heard > 0,
        "a plan hears a hope for forgiveness:\n{transcript}"
    );
    for answer in ["not yet is a full answer", "\"no\" is a full answer"] {
        let after = lower
            .split(answer)
            .nth(1)
            .expect("a plan gives this answer");
        let after = after.split("that's the end of").next().unwrap_or_default();
        for pressure in [
            "are you sure",
            "reconsider",
            "try again",
            "why not",
            "change your mind",
        ] {
            assert!(!after.contains(pressure), "{transcript}");
        }
    }
}

/// Every string a partner could see in an exercise file (texts, labels,
/// examples, hints), leaving out scripts (`rule`, `when`, `set`).
fn shown_texts(value: &serde_yaml::Value, out: &mut Vec<String>) {
    match value {
        serde_yaml::Value::String(s) => out.push(s.clone()),
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|v| shown_texts(v, out)),
        serde_yaml::Value::Mapping(map) => {
            for (key, v) in map {
                if !matches!(key.as_str(), Some("rule" | "when" | "set")) {
                    shown_texts(v, out);
                }
            }
        }
        _ => {}
    }
}

/// What the clinical review asks of the wording of every exercise (issue
/// 13, "Everywhere"): the welcome names `:break`; a longer exercise (20
/// minutes or more) closes by asking each partner how they are leaving; a
/// role is never shown as a bare "(hurt)"; and no text assumes a gender or
/// children.
#[test]
fn every_exercise_reads_as_the_clinical_review_asks() {
    const ASSUMING: [&str; 14] = [
        "she",
        "he",
        "her",
        "him",
        "his",
        "hers",
        "husband",
        "wife",
        "boyfriend",
        "girlfriend",
        "kids",
        "children",
        "son",
        "daughter",
    ];
    let mut problems = Vec::new();
    for id in EXERCISES {
        let file = repo().join("exercises").join(format!("{id}.yaml"));
        let text = std::fs::read_to_string(&file).expect("the exercise file reads");
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("the exercise is YAML");
        let steps = yaml["steps"].as_sequence().expect("an exercise has steps");
        // The first thing shown (a `set` step that reads the ledger may
        // come before it).
        let welcome = steps
            .iter()
            .find_map(|step| step["say"].as_str())
            .unwrap_or_default();
        if !welcome.contains(":break") {
            problems.push(format!("{id}: the welcome does not mention :break"));
        }
        let minutes = yaml["minutes"].as_u64().unwrap_or_default();
        let leaving = steps.iter().any(|s| {
            s["by"].as_str() == Some("both")
                && s["choose"]
                    .as_str()
                    .is_some_and(|q| q.contains("how are you leaving this?"))
        });
        if minutes >= 20 && !leaving {
            problems.push(format!(
                "{id}: {minutes} minutes, and no \"how are you leaving this?\" at the close"
            ));
        }
        for role in exercise(id).roles {
            if role.name == "hurt" && role.label == "hurt" {
                problems.push(format!(
                    "{id}: the role `hurt` is shown bare; give it a label"
                ));
            }
        }
        // Word lists in `vars` are read by rules, never shown: a list that
        // catches "for the kids" as pressure must hold the words it catches.
        let mut shown_yaml = yaml.clone();
        if let Some(vars) = shown_yaml
            .get_mut("vars")
            .and_then(serde_yaml::Value::as_mapping_mut)
        {
            vars.retain(|_, value| !value.is_sequence());
        }
        let mut texts = Vec::new();
        shown_texts(&shown_yaml, &mut texts);
        for shown in texts {
            let lower = shown.to_lowercase();
            for word in lower.split(|c: char| !c.is_alphanumeric()) {
                if ASSUMING.contains(&word) {
                    problems.push(format!("{id}: \"{word}\" in {shown:?}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
