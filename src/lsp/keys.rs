//! The keys of an exercise file with a line of documentation each, for
//! completion and hover (docs/exercise-format.md is the full reference).

/// Keys at the top of an exercise file.
pub const TOP_LEVEL: [(&str, &str); 11] = [
    ("title", "The name shown in `mend list` and at the start."),
    ("summary", "One line: what the exercise is for."),
    (
        "minutes",
        "About how long it takes (a whole number, at least 1).",
    ),
    (
        "version",
        "A whole number; raise it when you change the steps.",
    ),
    (
        "tags",
        "Words for `mend list --tag`, e.g. `[daily, check-in]`.",
    ),
    ("roles", "One or two roles: `name: what this role does`."),
    ("vars", "Exercise variables with their starting values."),
    (
        "words",
        "Shared lists from the library's `words.yaml` this exercise reads, e.g. `[contempt_words]`; each is read as `vars.NAME`.",
    ),
    ("steps", "The steps, in order."),
    (
        "notes",
        "A Markdown template: what this exercise adds to session notes.",
    ),
    (
        "suggest",
        "When `mend session` should offer this exercise first, and why.",
    ),
];

/// Keys of a step.
pub const STEP: [(&str, &str); 23] = [
    (
        "id",
        "The step's id: lowercase letters, digits and underscores. `goto` and `answers.ID` name it.",
    ),
    ("say", "Shows text (a template)."),
    (
        "ask",
        "Asks the role in `by` a free-text question; the answer is stored under the step id.",
    ),
    (
        "choose",
        "Asks the role in `by` to pick one of `options`; the key is stored.",
    ),
    (
        "set",
        "rhai statements that update `vars`, e.g. `vars.tries += 1`.",
    ),
    (
        "commit",
        "Records a commitment by the role in `by`: `{text, due}`.",
    ),
    (
        "agree",
        "Records an agreement both partners made: `{text, topic, revisit}`.",
    ),
    (
        "mark",
        "Marks a ledger item kept, missed, retried, renegotiated, renegotiating, renewed, changed, retired, reached or settled: `{item, status}`.",
    ),
    (
        "steps",
        "A block of steps; with `swap`, played twice with two roles exchanged.",
    ),
    (
        "swap",
        "`[ROLE, ROLE]`: play the block twice, the two roles exchanging partners in round 2.",
    ),
    (
        "when",
        "A rhai condition; when false the step (or block) is skipped.",
    ),
    (
        "goto",
        "Where to go after this step (a step id in the same block).",
    ),
    (
        "max_visits",
        "How often this step may run in one round (default 10, at most 100).",
    ),
    ("by", "Whose turn it is: a role name."),
    (
        "optional",
        "`true`: the question may be skipped (`:skip` or an empty answer; it then reads as \"\").",
    ),
    (
        "private_with",
        "Step ids: when a partner kept one of their answers out of the notes (`:private`), this answer stays out too.",
    ),
    (
        "example",
        "An example answer shown under the question (ask steps).",
    ),
    (
        "check",
        "Check rules for an ask step: each `rule`, `hint` and optional `strict`.",
    ),
    (
        "options",
        "The options of a choose step: each `key`, `label` and optional `goto`, `aliases` and `when`.",
    ),
    (
        "aliases",
        "Words a partner might type for this option, e.g. `[\"I need time\", \"not yet\"]`; each picks one option only.",
    ),
    (
        "own_words",
        "`true`: typed words that pick no option pick this one and are kept as the partner's (`typed_words.STEP`, and in the notes). One option per step.",
    ),
    (
        "rule",
        "A rhai condition over `answer`: true for a good answer.",
    ),
    (
        "hint",
        "Shown when the rule fails (a template); the question is asked again.",
    ),
];

/// The documentation of `key`, wherever it is used.
pub fn doc(key: &str) -> Option<&'static str> {
    TOP_LEVEL
        .iter()
        .chain(STEP.iter())
        .find(|(k, _)| *k == key)
        .map(|(_, doc)| *doc)
}
