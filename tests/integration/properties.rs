//! Property tests: whatever an author writes or a couple types, mend answers
//! with a result or a located error, never a panic or a hang.
//!
//! Cases per property: 64, or `PROPTEST_CASES`. The journal's property (any
//! prefix of a journal file loads) lives beside it, in src/store/journal.rs.

use chrono::{DateTime, Duration, Utc};
use mend::engine::RunState;
use mend::{Diagnostic, Event, Exercise, Run, Source, compile};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_yaml::Value;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        ..Config::default()
    }
}

/// The shipped exercises: (id, text).
fn shipped() -> Vec<(String, String)> {
    let dir = crate::common::repo().join("exercises");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the exercises folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter_map(|path| {
            let id = mend::format::exercise_id(&path)?;
            Some((id, std::fs::read_to_string(&path).ok()?))
        })
        .collect();
    files.sort();
    files
}

fn a_shipped_exercise() -> impl Strategy<Value = (String, String)> {
    prop::sample::select(shipped())
}

/// Every diagnostic points at a real place: line and column from 1, on a
/// line of the file (or just past its end), at most one past the line's end.
fn assert_located(text: &str, diagnostics: &[Diagnostic]) {
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert!(d.line <= lines.len(), "line past the end: {d:?}");
        let length = lines[d.line - 1].trim_end_matches('\r').chars().count();
        assert!(d.column <= length + 1, "column past the line: {d:?}");
    }
}

fn check(text: &str) -> mend::Compiled {
    let compiled = compile(
        "prop",
        Source::new("prop.yaml", text),
        &mend::WordLists::none(),
    );
    assert_located(text, &compiled.diagnostics);
    assert_eq!(
        compiled.exercise.is_some(),
        !compiled.diagnostics.iter().any(Diagnostic::is_error)
    );
    compiled
}

// ---- Text that looks a little like an exercise file ----

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "title: T\n",
            "summary: S\n",
            "minutes: 5\n",
            "version: 1\n",
            "roles:\n  speaker: s\n",
            "steps:\n",
            "  - id: a\n",
            "    say: ",
            "    ask: ",
            "    by: speaker\n",
            "    goto: a\n",
            "    when: ",
            "    check:\n      - rule: ",
            "{{ ",
            " }}",
            "{% for x in partners %}",
            "&a ",
            "*a",
            "<<: *a\n",
            "[",
            "]",
            "{",
            "}",
            ": ",
            "- ",
            "\n",
            "  ",
            "\t",
            "\"",
            "'",
            "#",
            "|\n",
            ">-\n",
            "---\n",
            "\r\n",
            "é",
            "🙂",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,6}",
    ]
}

fn yamlish() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..60).prop_map(|parts| parts.concat())
}

/// A shipped exercise with a few characters deleted or inserted.
fn damaged_exercise() -> impl Strategy<Value = String> {
    (
        a_shipped_exercise(),
        prop::collection::vec((any::<prop::sample::Index>(), 0..4usize, fragment()), 1..6),
    )
        .prop_map(|((_, original), edits)| {
            let mut text: Vec<char> = original.chars().collect();
            for (at, delete, insert) in edits {
                let start = at.index(text.len() + 1);
                let end = (start + delete).min(text.len());
                text.splice(start..end, insert.chars());
            }
            text.into_iter().collect()
        })
}

// ---- Structured exercises: well-formed YAML, mostly valid parts ----

/// Parts that compile, and now and then one that does not.
fn mostly(good: &'static [&'static str], bad: &'static [&'static str]) -> BoxedStrategy<Value> {
    prop_oneof![
        29 => prop::sample::select(good),
        1 => prop::sample::select(bad),
    ]
    .prop_map(|s| Value::String(s.to_owned()))
    .boxed()
}

fn template() -> BoxedStrategy<Value> {
    mostly(
        &[
            "Hello.",
            "{{ speaker }}, your turn.",
            "{{ answers.s1 }}",
            "{% for x in partners %}{{ x }} {% endfor %}",
            "{{ answers_by[partners[0]] }}",
            "{{ transcript | length }} so far",
            "{{ vars.n }}",
            "round {{ round }}, {{ by }}",
            "{{ exercise.title }} {{ roles }}",
        ],
        &["{{ nope }}", "{{ ", "", "{% endfor %}"],
    )
}

fn condition() -> BoxedStrategy<Value> {
    mostly(
        &[
            "true",
            "false",
            "answers.s1 != \"yes\"",
            "visits(\"s0\") < 3",
            "vars.n > 1",
            "round == 2",
            "speaker == \"Alex\"",
            "transcript.len() > 1",
            "answers_by[partners[1]].len() == 0",
        ],
        &["(", "1 +", "answers", "nope"],
    )
}

fn check_rule() -> BoxedStrategy<Value> {
    mostly(
        &[
            "words(answer) >= 2",
            "starts_with_i(answer)",
            "!has_absolutes(answer)",
            "contains_any(answer, [\"need\", \"want\"])",
            "names_feeling(answer) || answer.len() > 30",
        ],
        &["answer.len()", "answer +"],
    )
}

fn set_script() -> BoxedStrategy<Value> {
    mostly(
        &[
            "vars.n = 1;",
            "vars.n += 1;",
            "vars.said = answers;",
            "vars.n = vars.n * 2;",
        ],
        &["vars = 5;", "let x = ", "loop { }"],
    )
}

fn role() -> BoxedStrategy<Value> {
    mostly(&["speaker", "listener"], &["ghost", "answers"])
}

fn target() -> BoxedStrategy<Value> {
    mostly(&["s0", "s1", "s2", "s3", "s4"], &["nowhere"])
}

fn mapping(entries: Vec<(&str, Value)>) -> Value {
    Value::Mapping(
        entries
            .into_iter()
            .map(|(k, v)| (Value::String(k.to_owned()), v))
            .collect(),
    )
}

fn step(depth: u32) -> BoxedStrategy<Value> {
    let kind = prop_oneof![
        template().prop_map(|t| vec![("say", t)]),
        (
            template(),
            role(),
            prop::collection::vec((check_rule(), template(), any::<bool>()), 0..3),
            any::<bool>(),
        )
            .prop_map(|(ask, by, checks, optional)| {
                let checks = checks
                    .into_iter()
                    .map(|(rule, hint, strict)| {
                        mapping(vec![
                            ("rule", rule),
                            ("hint", hint),
                            ("strict", Value::Bool(strict)),
                        ])
                    })
                    .collect();
                vec![
                    ("ask", ask),
                    ("by", by),
                    ("check", Value::Sequence(checks)),
                    ("optional", Value::Bool(optional)),
                ]
            }),
        (
            template(),
            role(),
            prop::collection::vec((template(), prop::option::weighted(0.2, target())), 2..4),
        )
            .prop_map(|(choose, by, options)| {
                let options = options
                    .into_iter()
                    .enumerate()
                    .map(|(n, (label, goto))| {
                        let mut option =
                            vec![("key", Value::String(format!("k{n}"))), ("label", label)];
                        option.extend(goto.map(|g| ("goto", g)));
                        mapping(option)
                    })
                    .collect();
                vec![
                    ("choose", choose),
                    ("by", by),
                    ("options", Value::Sequence(options)),
                ]
            }),
        set_script().prop_map(|s| vec![("set", s)]),
        target().prop_map(|t| vec![("goto", t)]),
    ];
    let block = if depth == 0 {
        Just(None).boxed()
    } else {
        prop::option::weighted(
            0.2,
            (
                prop::collection::vec(step(depth - 1), 1..4),
                prop::option::of(prop_oneof![
                    9 => Just((Value::from("speaker"), Value::from("listener"))),
                    1 => (role(), role()),
                ]),
            ),
        )
        .boxed()
    };
    (
        kind,
        block,
        prop::option::weighted(0.3, condition()),
        prop::option::weighted(0.08, target()),
        prop::option::weighted(0.1, 0u32..=100),
    )
        .prop_map(|(kind, block, when, goto, max_visits)| {
            let mut step = match block {
                Some((steps, swap)) => {
                    let mut step = vec![("steps", Value::Sequence(steps))];
                    step.extend(swap.map(|(a, b)| ("swap", Value::Sequence(vec![a, b]))));
                    step
                }
                None => kind,
            };
            step.extend(when.map(|w| ("when", w)));
            step.extend(goto.map(|g| ("goto", g)));
            step.extend(max_visits.map(|n| ("max_visits", Value::Number(n.into()))));
            mapping(step)
        })
        .boxed()
}

/// Gives every step its id, `s0`, `s1`, ... in file order.
fn number_steps(steps: &mut [Value], next: &mut usize) {
    for step in steps {
        if let Value::Mapping(map) = step {
            map.insert("id".into(), Value::String(format!("s{next}")));
            *next += 1;
            if let Some(Value::Sequence(inner)) = map.get_mut("steps") {
                number_steps(inner, next);
            }
        }
    }
}

fn exercise_yaml() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(step(1), 1..8),
        prop_oneof![
            8 => Just(vec!["speaker", "listener"]),
            1 => Just(vec!["speaker"]),
            1 => prop::sample::subsequence(vec!["speaker", "listener", "answers", "Bad"], 0..=3),
        ],
        any::<bool>(),
        prop::option::weighted(0.5, template()),
    )
        .prop_map(|(mut steps, roles, with_vars, notes)| {
            number_steps(&mut steps, &mut 0);
            let roles = roles
                .into_iter()
                .map(|r| {
                    (
                        Value::String(r.to_owned()),
                        Value::String("A role.".to_owned()),
                    )
                })
                .collect();
            let mut root = vec![
                ("title", "Generated".into()),
                ("summary", "From a property test.".into()),
                ("minutes", Value::Number(5.into())),
                ("version", Value::Number(1.into())),
                ("roles", Value::Mapping(roles)),
            ];
            if with_vars {
                root.push(("vars", mapping(vec![("n", Value::Number(0.into()))])));
            }
            root.push(("steps", Value::Sequence(steps)));
            root.extend(notes.map(|n| ("notes", n)));
            serde_yaml::to_string(&mapping(root)).expect("a YAML value prints")
        })
}

// ---- Driving a run ----

#[derive(Debug, Clone)]
enum Op {
    Answer(String),
    Skip,
    Back,
    SwapRoles,
    SaveAndRestore,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => prop_oneof![
            prop::sample::select(vec![
                "I feel lonely when we eat apart, and I need us to sit together.",
                "You never listen",
                "tired",
                "yes",
                "1",
                "2",
                "3",
                "",
                "What I heard is you feel alone",
            ])
            .prop_map(str::to_owned),
            "\\PC{0,30}",
        ]
        .prop_map(Op::Answer),
        1 => Just(Op::Skip),
        1 => Just(Op::Back),
        1 => Just(Op::SwapRoles),
        2 => Just(Op::SaveAndRestore),
    ]
}

fn at(n: usize) -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::seconds(n as i64)
}

/// The next event that needs the couple (a prompt or the end), or an error.
/// Says are shown and passed; the visit limit bounds how many there can be.
fn advance(run: &mut Run) -> Result<Event, mend::RunError> {
    for _ in 0..100_000 {
        match run.next_event()? {
            Event::Say { .. } => {}
            other => return Ok(other),
        }
    }
    panic!("next_event produced 100,000 says in a row");
}

/// Plays `ops` against `exercise`. Every outcome is allowed except a panic
/// or a hang; saving and restoring must not change what comes next.
fn play(exercise: &Exercise, ops: &[Op]) {
    let mut run = Run::start(exercise, ["Alex".to_owned(), "Sam".to_owned()]);
    for (n, op) in ops.iter().enumerate() {
        match advance(&mut run) {
            Ok(Event::Prompt(_)) => {}
            Ok(Event::Finished) => return,
            Ok(Event::Say { .. }) => unreachable!("advance passes says"),
            Err(error) => {
                assert!(error.diagnostic.line >= 1 && error.diagnostic.column >= 1);
                return;
            }
        }
        let result = match op {
            Op::Answer(text) => run.answer(text, at(n)).map(drop),
            Op::Skip => run.skip(at(n)).map(drop),
            Op::Back => {
                run.back();
                Ok(())
            }
            Op::SwapRoles => {
                run.swap_roles();
                Ok(())
            }
            Op::SaveAndRestore => {
                let json = serde_json::to_string(run.state()).expect("state serialises");
                let state: RunState = serde_json::from_str(&json).expect("state loads");
                assert_eq!(&state, run.state());
                let mut restored = Run::restore(exercise, state).expect("state restores");
                assert_eq!(restored.next_event(), run.next_event());
                assert_eq!(restored.state(), run.state());
                Ok(())
            }
        };
        if result.is_err() {
            return;
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn yamlish_text_never_panics_the_loader(text in yamlish()) {
        check(&text);
    }

    #[test]
    fn a_damaged_exercise_is_reported_at_real_positions(text in damaged_exercise()) {
        check(&text);
    }

    #[test]
    fn generated_exercises_compile_or_explain_and_then_run(
        text in exercise_yaml(),
        ops in prop::collection::vec(op(), 0..25),
    ) {
        if let Some(exercise) = check(&text).exercise {
            play(&exercise, &ops);
        }
    }

    #[test]
    fn any_answers_to_a_shipped_exercise_finish_wait_or_explain(
        (id, text) in a_shipped_exercise(),
        ops in prop::collection::vec(op(), 0..40),
    ) {
        let words = crate::common::library_words();
        let compiled = compile(&id, Source::new(format!("{id}.yaml"), text), &words);
        let exercise = compiled.exercise.expect("the shipped exercise compiles");
        play(&exercise, &ops);
    }
}

// ---- Fast paths against rhai and minijinja ----

/// A name as the fast paths read it, or one they must leave to the slow
/// path (missing, structured, not a plain value). A missing answer is one
/// a partner may not have given (`answers_by.Sam.nope`): an answer no step
/// can give (`answers.nope`, a `say` step's) stops the exercise compiling.
fn fast_name(check_rule: bool) -> BoxedStrategy<String> {
    let mut names = vec![
        "answers.s0",
        "answers[\"s0\"]",
        "answers_by.Sam.nope",
        "answers_by.Alex.s0",
        "answers_by[\"Sam\"].s1",
        "vars.n",
        "vars.flag",
        "vars.word",
        "vars.ratio",
        "vars.list",
        "partners[0]",
        "partners[1]",
        "partners[2]",
        "roles.speaker",
        "roles.nope",
        "speaker",
        "listener",
        "round",
        "by",
        "exercise.id",
        "exercise.title",
        "exercise.nope",
    ];
    if check_rule {
        names.push("answer");
    }
    prop::sample::select(names).prop_map(str::to_owned).boxed()
}

/// Text-valued expressions: names, literals.
fn text_expression(check_rule: bool) -> BoxedStrategy<String> {
    let mut names = vec![
        "answers.s0",
        "answers[\"s0\"]",
        "answers_by.Alex.s0",
        "speaker",
        "listener",
        "by",
        "partners[0]",
        "roles.listener",
        "vars.word",
        "exercise.title",
        "\"yes\"",
        "\"Alex\"",
        "\"\"",
        "\"I feel hurt\"",
    ];
    if check_rule {
        names.extend(["answer", "answer", "answer"]);
    }
    prop::sample::select(names).prop_map(str::to_owned).boxed()
}

/// Number-valued expressions.
fn number_expression(check_rule: bool) -> BoxedStrategy<String> {
    prop_oneof![
        2 => text_expression(check_rule).prop_map(|t| format!("words({t})")),
        1 => prop::sample::select(vec!["s0", "s1", "nope"]).prop_map(|s| format!("visits(\"{s}\")")),
        1 => prop::sample::select(vec!["round", "vars.n", "0", "1", "2", "3", "12"]).prop_map(str::to_owned),
    ]
    .boxed()
}

/// Expressions in the fast path's shape (true or false from typed parts),
/// and now and then one just outside it: a missing or structured name, a
/// number compared with text, a value that is not true or false.
fn fast_expression(check_rule: bool) -> BoxedStrategy<String> {
    let text = text_expression(check_rule);
    let number = number_expression(check_rule);
    let leaf = prop_oneof![
        1 => prop::sample::select(vec!["true", "false", "vars.flag"]).prop_map(str::to_owned),
        2 => (
            prop::sample::select(vec!["starts_with_i", "has_absolutes", "names_feeling", "is_due", "is_ongoing"]),
            text.clone(),
        )
            .prop_map(|(helper, arg)| format!("{helper}({arg})")),
        1 => text.clone().prop_map(|arg| format!("contains_any({arg}, [\"need\", \"i feel\", \"\"])")),
        3 => (text.clone(), prop::sample::select(vec!["==", "!="]), text.clone())
            .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        3 => (number.clone(), prop::sample::select(vec!["==", "!=", "<", "<=", ">", ">="]), number)
            .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        1 => (fast_name(check_rule), prop::sample::select(vec!["==", "<", "&&"]), fast_name(check_rule))
            .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| format!("!({e})")),
            (
                inner.clone(),
                prop::sample::select(vec!["&&", "||", "==", "!="]),
                inner
            )
                .prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
        ]
    })
    .boxed()
}

/// Templates of holes and text, in the fast path's shape and around it.
fn fast_template() -> BoxedStrategy<String> {
    let piece = prop_oneof![
        3 => fast_name(false).prop_map(|n| format!("{{{{ {n} }}}}")),
        1 => fast_name(false).prop_map(|n| format!("{{{{{n}}}}}")),
        1 => fast_name(false).prop_map(|n| format!("{{{{- {n} | upper }}}}")),
        2 => prop::sample::select(vec!["Hi ", ", ", " and ", "é—", "\n", "\r\n", "", "100%"]).prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 1..6)
        .prop_map(|pieces| pieces.concat())
        .boxed()
}

fn yaml_string(text: &str) -> String {
    serde_yaml::to_string(&Value::String(text.to_owned()))
        .expect("a string prints")
        .trim_end()
        .to_owned()
}

/// An exercise whose scripts and templates are generated: two questions
/// with check rules, a condition, a say, and notes.
fn fast_path_exercise() -> impl Strategy<Value = String> {
    (
        fast_expression(true),
        fast_expression(true),
        fast_expression(false),
        prop::collection::vec(fast_template(), 4),
    )
        .prop_map(|(rule0, rule1, when, templates)| {
            let [ask, hint, say, notes] = [0, 1, 2, 3].map(|i| yaml_string(&templates[i]));
            format!(
                "title: Generated\nsummary: Fast and slow.\nminutes: 5\nversion: 1\n\
                 roles:\n  speaker: Speaks.\n  listener: Listens.\n\
                 vars:\n  n: 2\n  flag: true\n  word: yes\n  ratio: 2.5\n  list: [1, 2]\n\
                 steps:\n\
                 \x20 - id: s0\n    ask: {ask}\n    by: speaker\n    check:\n      - rule: {}\n        hint: {hint}\n\
                 \x20 - id: s1\n    when: {}\n    say: {say}\n\
                 \x20 - id: s2\n    ask: Again?\n    by: listener\n    check:\n      - rule: {}\n        hint: Try again.\n        strict: false\n\
                 notes: {notes}\n",
                yaml_string(&rule0),
                yaml_string(&when),
                yaml_string(&rule1),
            )
        })
}

fn answer() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "I feel lonely when we eat apart, and I need us to sit together.",
            "You always ignore me",
            "yes",
            "Alex",
            "by Friday",
            "",
            "I’M HURT",
            "3",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(config())]

    /// Generated check rules, conditions, templates and answers: the fast
    /// paths give what rhai and minijinja give, or leave it to them.
    #[test]
    fn fast_paths_agree_with_the_slow_paths_on_generated_scripts(
        text in fast_path_exercise(),
        answers in prop::collection::vec(answer(), 1..6),
        seed in 0usize..8,
    ) {
        let compiled = compile("generated", Source::new("generated.yaml", text.clone()), &mend::WordLists::none());
        if let Some(exercise) = compiled.exercise {
            let answers: Vec<&str> = answers.iter().map(String::as_str).collect();
            let (fast, slow) = crate::fast_paths::both_ways(&exercise, &answers, seed);
            prop_assert_eq!(fast, slow, "{}", text);
        }
    }
}

/// The comparison above says little if generated exercises rarely compile,
/// or if their scripts never take a fast path: most must compile.
#[test]
fn most_generated_fast_path_exercises_compile() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = fast_path_exercise();
    let total = 200;
    let compiled = (0..total)
        .filter(|_| {
            let text = strategy
                .new_tree(&mut runner)
                .expect("a generated exercise")
                .current();
            compile(
                "generated",
                Source::new("generated.yaml", text),
                &mend::WordLists::none(),
            )
            .exercise
            .is_some()
        })
        .count();
    assert!(compiled * 2 > total, "only {compiled} of {total} compiled");
}
