//! An exercise's steps and the ways between them, as a diagram: Mermaid
//! (it renders in Markdown viewers) or Graphviz DOT. `mend graph` prints it.
//!
//! The moves are the engine's: the next step, a `goto`, each option of a
//! `choose`, skipping an optional question, and a `when` that is false
//! (the step, or the whole block, is skipped). A swapped block also shows
//! the move from the end of its first round back to its first step.

use crate::engine::exercise::{Exercise, Step, StepKind};

/// One move from a step to another (`None`: the end of the exercise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: Option<usize>,
    pub label: Option<String>,
    /// Taken only when a condition says so (a `when` that is false).
    pub conditional: bool,
}

/// Every move out of every step, in file order.
pub fn edges(exercise: &Exercise) -> Vec<Edge> {
    let steps = &exercise.steps;
    let end = |to: usize| (to < steps.len()).then_some(to);
    let mut out = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let edge = |to: usize, label: Option<String>, conditional: bool| Edge {
            from: i,
            to: end(to),
            label,
            conditional,
        };
        if step.when.is_some() {
            let past = match step.kind {
                StepKind::Block { end, .. } => end,
                _ => i + 1,
            };
            out.push(edge(past, Some("when false".to_owned()), true));
        }
        let onward = step.goto.unwrap_or(i + 1);
        match &step.kind {
            StepKind::Choose(choose) => {
                for option in &choose.options {
                    let to = option.goto.unwrap_or(onward);
                    out.push(edge(to, Some(option.key.clone()), false));
                }
                if choose.optional {
                    out.push(edge(onward, Some("skipped".to_owned()), false));
                }
            }
            &StepKind::Block { swap, end } => {
                out.push(edge(i + 1, None, false));
                // Leaving round 1 of a swapped block starts round 2.
                if swap.is_some() && end > i + 1 {
                    out.push(Edge {
                        from: end - 1,
                        to: Some(i + 1),
                        label: Some("round 2, roles swapped".to_owned()),
                        conditional: false,
                    });
                }
            }
            _ => out.push(edge(onward, None, false)),
        }
    }
    out
}

/// What a step is, in a few words: `ask · speaker`.
fn describe(exercise: &Exercise, step: &Step) -> String {
    let kind = match &step.kind {
        StepKind::Say(_) => "say",
        StepKind::Ask(_) => "ask",
        StepKind::Choose(_) => "choose",
        StepKind::Set(_) => "set",
        StepKind::Commit(_) => "commit",
        StepKind::Agree(_) => "agree",
        StepKind::Mark(_) => "mark",
        StepKind::Defer(_) => "defer",
        StepKind::Block { .. } => "block",
        StepKind::Jump => "goto",
    };
    match step.by().and_then(|r| exercise.roles.get(r)) {
        Some(role) => format!("{kind} · {}", role.name),
        None => kind.to_owned(),
    }
}

/// The title of a block: `turns · swap speaker ⇄ listener`.
fn block_title(exercise: &Exercise, step: &Step) -> String {
    match step.kind {
        StepKind::Block {
            swap: Some((a, b)), ..
        } => {
            let name = |r: usize| exercise.roles.get(r).map_or("?", |r| r.name.as_str());
            format!("{} · played twice, {} ⇄ {}", step.id, name(a), name(b))
        }
        _ => step.id.clone(),
    }
}

/// Mermaid's flowchart: questions are diamonds when they branch.
pub fn mermaid(exercise: &Exercise) -> String {
    let steps = &exercise.steps;
    let node = |to: Option<usize>| to.map_or("finish".to_owned(), |i| format!("s{i}"));
    let mut out = String::from("flowchart TD\n    start([start])\n");
    let mut open_block: Option<usize> = None;
    for (i, step) in steps.iter().enumerate() {
        if let Some(b) = open_block
            && step.block != Some(b)
        {
            out.push_str("    end\n");
            open_block = None;
        }
        let label = format!("{}<br/>{}", step.id, describe(exercise, step));
        match step.kind {
            StepKind::Block { .. } => {
                let title = mermaid_text(&block_title(exercise, step));
                out.push_str(&format!("    s{i}[\"{}\"]\n", mermaid_text(&label)));
                out.push_str(&format!("    subgraph b{i} [\"{title}\"]\n"));
                open_block = Some(i);
            }
            StepKind::Choose(_) => {
                out.push_str(&format!("    s{i}{{\"{}\"}}\n", mermaid_text(&label)));
            }
            _ => out.push_str(&format!("    s{i}[\"{}\"]\n", mermaid_text(&label))),
        }
    }
    if open_block.is_some() {
        out.push_str("    end\n");
    }
    out.push_str("    finish([end])\n");
    out.push_str(&format!(
        "    start --> {}\n",
        node((!steps.is_empty()).then_some(0))
    ));
    for edge in edges(exercise) {
        let arrow = match (&edge.label, edge.conditional) {
            (Some(label), true) => format!("-. \"{}\" .->", mermaid_text(label)),
            (Some(label), false) => format!("-- \"{}\" -->", mermaid_text(label)),
            (None, _) => "-->".to_owned(),
        };
        out.push_str(&format!("    s{} {arrow} {}\n", edge.from, node(edge.to)));
    }
    out
}

/// Text inside a Mermaid label: quotes and angle brackets as entities.
fn mermaid_text(text: &str) -> String {
    text.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace("#lt;br/#gt;", "<br/>")
}

/// Graphviz DOT: blocks are clusters, conditional moves dashed.
pub fn dot(exercise: &Exercise) -> String {
    let steps = &exercise.steps;
    let node = |to: Option<usize>| to.map_or("\"end\"".to_owned(), |i| dot_text(&steps[i].id));
    let mut out = format!(
        "digraph {} {{\n    rankdir=TB;\n    node [shape=box, style=rounded];\n    \"start\" [shape=circle];\n    \"end\" [shape=doublecircle];\n",
        dot_text(&exercise.id)
    );
    let mut open_block: Option<usize> = None;
    for (i, step) in steps.iter().enumerate() {
        if let Some(b) = open_block
            && step.block != Some(b)
        {
            out.push_str("    }\n");
            open_block = None;
        }
        let shape = if matches!(step.kind, StepKind::Choose(_)) {
            ", shape=diamond, style=solid"
        } else {
            ""
        };
        let label = format!("{}\\n{}", step.id, describe(exercise, step));
        out.push_str(&format!(
            "    {} [label={}{shape}];\n",
            node(Some(i)),
            dot_text(&label).replace("\\\\n", "\\n")
        ));
        if let StepKind::Block { .. } = step.kind {
            out.push_str(&format!(
                "    subgraph {} {{\n    label={};\n",
                dot_text(&format!("cluster_{}", step.id)),
                dot_text(&block_title(exercise, step))
            ));
            open_block = Some(i);
        }
    }
    if open_block.is_some() {
        out.push_str("    }\n");
    }
    if !steps.is_empty() {
        out.push_str(&format!("    \"start\" -> {};\n", node(Some(0))));
    }
    for edge in edges(exercise) {
        let mut attributes = Vec::new();
        if let Some(label) = &edge.label {
            attributes.push(format!("label={}", dot_text(label)));
        }
        if edge.conditional {
            attributes.push("style=dashed".to_owned());
        }
        let attributes = if attributes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attributes.join(", "))
        };
        out.push_str(&format!(
            "    {} -> {}{attributes};\n",
            node(Some(edge.from)),
            node(edge.to)
        ));
    }
    out.push_str("}\n");
    out
}

/// A DOT string: quoted, with quotes and backslashes escaped.
fn dot_text(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
