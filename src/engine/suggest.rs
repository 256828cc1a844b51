//! Which exercises `mend session` offers first. Each exercise says when it
//! should come first (`suggest:` rules over the couple's ledger), so the
//! order is the therapist's, written in the exercise files, not mend's.

use crate::engine::exercise::Exercise;
use crate::engine::ledger::LedgerView;
use rhai::Scope;
use std::collections::BTreeMap;

/// An exercise to offer first, and why.
pub struct Suggestion<'e> {
    pub exercise: &'e Exercise,
    pub reason: String,
}

/// The exercises whose first true `suggest` rule holds for this ledger, in
/// library order, and the problems met on the way (a rule that failed to
/// run is reported, not silently skipped).
pub fn suggestions<'e>(
    exercises: &'e [Exercise],
    ledger: &LedgerView,
) -> (Vec<Suggestion<'e>>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let ledger = match rhai::serde::to_dynamic(ledger) {
        Ok(value) => value,
        Err(e) => return (found, vec![format!("could not read the ledger: {e}")]),
    };
    let visits = BTreeMap::new();
    for exercise in exercises {
        for (rule, reason) in &exercise.suggest {
            let mut scope = Scope::new();
            scope.push_dynamic("ledger", ledger.clone());
            match rule.test(&mut scope, &visits, None) {
                Ok(true) => {
                    found.push(Suggestion {
                        exercise,
                        reason: reason.clone(),
                    });
                    break;
                }
                Ok(false) => {}
                Err(e) => problems.push(format!(
                    "a suggest rule of `{}` failed: {}",
                    exercise.id, e.message
                )),
            }
        }
    }
    (found, problems)
}
