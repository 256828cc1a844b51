//! Exercise scripts that would hang or exhaust the machine.

use super::*;

#[test]
fn sleep_is_not_a_function_scripts_can_call_and_check_says_so() {
    let expected = format!(
        "{}:12:15: error: script error: unknown function `sleep`\n   |\n12 |       - rule: sleep(86400) == ()\n   |               ^^^^^\n",
        hostile("sleep.yaml")
    );
    let checked = mend(&["check", &hostile("sleep.yaml")]).run();
    assert_eq!(checked.code, 1);
    assert!(checked.stdout.starts_with(&expected), "{}", checked.stdout);
    // Nothing starts: before, the rule hung the session on the first answer.
    let ran = mend(&["run", &hostile("sleep.yaml"), "--partners", "Alex,Sam"])
        .stdin("anything\n")
        .run();
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.contains(&expected), "{}", ran.stderr);
    assert!(!ran.stdout.contains("Anything?"), "{}", ran.stdout);
}

/// A function named at run time is one the check cannot see: `Fn`, `call`
/// and `curry` are refused where they are written.
#[test]
fn a_function_pointer_is_refused_by_check_with_where_and_why() {
    let expected = format!(
        "{}:12:15: error: script error: `call` is not available in exercise scripts\n   |\n12 |       - rule: call(Fn(\"sle\" + \"ep\"), 86400) == ()\n   |               ^^^^\n   |\n   = help: call a function by its own name",
        hostile("function-pointer.yaml")
    );
    let checked = mend(&["check", &hostile("function-pointer.yaml")]).run();
    assert_eq!(checked.code, 1);
    assert!(checked.stdout.starts_with(&expected), "{}", checked.stdout);
}

#[test]
fn costly_work_within_the_operations_limit_stops_on_time() {
    let started = std::time::Instant::now();
    let output = mend(&[
        "run",
        &hostile("costly-search.yaml"),
        "--partners",
        "Alex,Sam",
    ])
    .run();
    assert_eq!(output.code, 1, "{output:?}");
    // The column is wherever the deadline found the script: `+=` or the call.
    let prefix = format!("{}:13:", hostile("costly-search.yaml"));
    let message = ": error: script error in step `search`: the script ran for more than 2000 ms; is it doing the same costly work over and over?\n";
    assert!(
        output.stderr.starts_with(&prefix) && output.stderr.contains(message),
        "{output:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn a_map_grown_key_by_key_across_steps_stops_at_the_run_bound() {
    stops_with(
        "grow-map.yaml",
        "",
        "12:10: error: the exercise's variables would take 262154 bytes together, more than the 256 KiB mend keeps for one exercise",
    );
}

#[test]
fn a_value_nested_past_the_bound_by_a_script_stops_the_run() {
    stops_with(
        "deep-script.yaml",
        "",
        "9:10: error: variable `deep` nests more than 32 levels deep; mend keeps values at most that deep, so every saved session can be read back",
    );
}

#[test]
fn values_nested_while_a_script_runs_stop_at_the_item_limit() {
    // Each level copies the map and rhai measures it again, so a debug
    // build on a busy machine may meet the deadline before the limit:
    // either way the run stops at that line with the bound named.
    let output = mend(&[
        "run",
        &hostile("nested-while-running.yaml"),
        "--partners",
        "Alex,Sam",
    ])
    .run();
    assert_eq!(output.code, 1, "{output:?}");
    let at = format!("{}:11:", hostile("nested-while-running.yaml"));
    assert!(output.stderr.starts_with(&at), "{output:?}");
    assert!(
        output.stderr.contains("error: script error in step `nest`: the script built a value that is too large (Size of object map)\n")
            || output.stderr.contains("error: script error in step `nest`: the script ran for more than 2000 ms"),
        "{output:?}"
    );
}

#[test]
fn yaml_vars_nested_past_the_bound_are_refused_by_check() {
    let output = mend(&["check", &hostile("deep-vars.yaml")]).run();
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output.stdout.starts_with(&format!(
            "{}:8:3: error: variable `deep` nests more than 32 levels deep; mend keeps values at most that deep, so every saved session can be read back\n",
            hostile("deep-vars.yaml")
        )),
        "{output:?}"
    );
}

#[test]
fn debug_is_not_a_function_templates_can_use_and_check_says_so() {
    let expected = format!(
        "{}:12:22: error: `debug` is not a function templates can use\n   |\n12 |       Everything: {{{{ debug() }}}}\n   |                      ^^^^^\n",
        hostile("template-debug.yaml")
    );
    let checked = check("template-debug.yaml");
    assert_eq!(checked.code, 1);
    assert!(checked.stdout.starts_with(&expected), "{}", checked.stdout);
    // Before, the run printed the whole render context, variables included.
    let ran = mend(&[
        "run",
        &hostile("template-debug.yaml"),
        "--partners",
        "Alex,Sam",
    ])
    .run();
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.contains(&expected), "{}", ran.stderr);
    assert!(!ran.stdout.contains("secret"), "{}", ran.stdout);
}

/// Word lists of 2,800 items in all: a `set` reading one short variable
/// runs (it is given only the variables it names), and a `set` reading
/// both long lists is refused by `mend check`, located, instead of failing
/// in the room the first time it runs.
#[test]
fn a_set_script_sees_only_the_variables_it_names_and_check_bounds_them() {
    let dir = tempfile::tempdir().unwrap();
    let list = |prefix: &str| {
        (0..2800)
            .map(|i| format!("\"{prefix}{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let exercise = |set: &str| {
        format!(
            "title: Many words\nsummary: Long lists.\nminutes: 1\nversion: 1\nroles:\n  speaker: Speaks.\nvars:\n  a: [{}]\n  b: [{}]\n  hit: false\nsteps:\n  - id: feeling\n    ask: How do you feel?\n    by: speaker\n  - id: s\n    set: |\n      {set}\n  - id: done\n    say: \"Hit: {{{{ vars.hit }}}}\"\n",
            list("a"),
            list("b")
        )
    };
    let short = dir.path().join("short.yaml");
    std::fs::write(&short, exercise("vars.hit = answers.feeling.len() > 3;")).unwrap();
    let ran = mend(&["run", short.to_str().unwrap(), "--partners", "Alex,Sam"])
        .stdin("calm down\n")
        .run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(ran.stdout.contains("Hit: True"), "{}", ran.stdout);
    assert!(!ran.stderr.contains("too large"), "{}", ran.stderr);

    let long = dir.path().join("long.yaml");
    std::fs::write(
        &long,
        exercise(
            "vars.hit = vars.a.contains(answers.feeling) || vars.b.contains(answers.feeling);",
        ),
    )
    .unwrap();
    let checked = mend(&["check", long.to_str().unwrap()]).run();
    assert_eq!(checked.code, 1, "{}", checked.stdout);
    assert!(
        checked.stdout.contains("long.yaml:16:10: error: the variables this script names hold 5600 list items and 3 map entries together (`vars.a` 2800, `vars.b` 2800); a script can hold at most 5000, so it would fail the first time it ran"),
        "{}",
        checked.stdout
    );
}
