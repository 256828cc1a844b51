//! `mend graph`: an exercise's steps and branches as Mermaid or DOT.

use crate::common::{mend, repo};

#[test]
fn mermaid_shows_steps_options_conditions_and_blocks() {
    let output = mend(&["graph", "tests/exercises/graph.yaml"])
        .dir(&repo())
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    insta::assert_snapshot!("graph-mermaid", output.stdout);
}

#[test]
fn dot_is_the_same_graph_for_graphviz() {
    let output = mend(&["graph", "--format", "dot", "tests/exercises/graph.yaml"])
        .dir(&repo())
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    insta::assert_snapshot!("graph-dot", output.stdout);
}

#[test]
fn a_library_exercise_is_drawn_by_id() {
    let output = mend(&["graph", "i-statements"]).dir(&repo()).run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(
        output.stdout.starts_with("flowchart TD\n"),
        "{}",
        output.stdout
    );
    assert!(output.stdout.contains("finish([end])"), "{}", output.stdout);
}
