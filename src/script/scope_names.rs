//! The names a script or template can read of a run.

use std::collections::BTreeMap;
use std::sync::Arc;

/// Runs of each step by step id, as `visits(step)` tells scripts (a run
/// saves it as a plain map of strings).
pub type Visits = BTreeMap<Arc<str>, u32>;

/// Names the engine puts in every script's scope (`answer` only in checks).
pub const SCRIPT_NAMES: [&str; 11] = [
    "answers",
    "answers_by",
    "vars",
    "partners",
    "roles",
    "round",
    "by",
    "transcript",
    "records",
    "exercise",
    "ledger",
];

/// Names the engine itself uses, so roles, variables and steps may not take
/// them: everything in a script's scope, plus `answer` (check rules),
/// `notes` (the notes template) and `both` (`by: both`).
pub fn is_reserved(name: &str) -> bool {
    SCRIPT_NAMES.contains(&name) || ["answer", "notes", "both"].contains(&name)
}
