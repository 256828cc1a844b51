//! What changed between two saved states of one run, so a journal line holds
//! the change, not the whole state: new answers, records and `:back` points
//! are appended after the ones kept; only the variables and visit counts
//! that changed are written. A run's journal then grows with what was said,
//! not with the square of it.
//!
//! `diff(before, after)` and `apply(before, &change)` are inverse: applying
//! the change to the state it was taken from gives `after` exactly (a
//! property test checks it).

use crate::engine::state::{AnswerRecord, Checkpoint, Cursor, Record, RunState};
use crate::script::scope_names::Visits;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A list that only grows at the end, except where `:back` cut it: keep the
/// first `keep`, then add `add`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tail<T> {
    pub keep: usize,
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub add: Vec<T>,
}

impl<T: Clone + PartialEq> Tail<T> {
    fn between(before: &[T], after: &[T]) -> Option<Tail<T>> {
        let keep = before.iter().zip(after).take_while(|(a, b)| a == b).count();
        if keep == before.len() && keep == after.len() {
            return None;
        }
        Some(Tail {
            keep,
            add: after[keep..].to_vec(),
        })
    }

    fn onto(&self, list: &mut Vec<T>) {
        list.truncate(self.keep);
        list.extend(self.add.iter().cloned());
    }
}

/// A cursor as a change from another one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CursorChange {
    pub at: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub waiting: bool,
    /// The round, when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<u32>,
    /// Variables set or changed (in the order of the new cursor).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub vars: IndexMap<String, serde_json::Value>,
    /// Variables no longer there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unset: Vec<String>,
    /// The full order of the variables, when it differs from what the old
    /// order plus the new ones would give.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Vec<String>>,
    /// Visit counts that changed; 0 means the step's count was removed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub visits: BTreeMap<String, u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nudged: Vec<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nudged_answer: Option<String>,
    /// Whose turn at a question both partners answer (0 or 1).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub turn: u32,
}

fn is_zero_u32(n: &u32) -> bool {
    *n == 0
}

impl CursorChange {
    pub fn between(before: &Cursor, after: &Cursor) -> CursorChange {
        let vars: IndexMap<String, serde_json::Value> = after
            .vars
            .iter()
            .filter(|(k, v)| before.vars.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let unset: Vec<String> = before
            .vars
            .keys()
            .filter(|k| !after.vars.contains_key(*k))
            .cloned()
            .collect();
        let mut change = CursorChange {
            at: after.at.clone(),
            waiting: after.waiting,
            round: (after.round != before.round).then_some(after.round),
            vars,
            unset,
            order: None,
            visits: BTreeMap::new(),
            nudged: after.nudged.clone(),
            nudged_answer: after.nudged_answer.clone(),
            turn: after.turn,
        };
        for (step, count) in &after.visits {
            if before.visits.get(step) != Some(count) {
                change.visits.insert(step.to_string(), *count);
            }
        }
        for step in before.visits.keys() {
            if !after.visits.contains_key(step) {
                change.visits.insert(step.to_string(), 0);
            }
        }
        // Variables keep their order (scripts may iterate them).
        let mut rebuilt = before.vars.clone();
        change.set_vars(&mut rebuilt);
        if !rebuilt.keys().eq(after.vars.keys()) {
            change.order = Some(after.vars.keys().cloned().collect());
        }
        change
    }

    fn set_vars(&self, vars: &mut IndexMap<String, serde_json::Value>) {
        for key in &self.unset {
            vars.shift_remove(key);
        }
        for (key, value) in &self.vars {
            vars.insert(key.clone(), value.clone());
        }
        if let Some(order) = &self.order {
            let mut ordered = IndexMap::with_capacity(order.len());
            for key in order {
                if let Some(value) = vars.get(key) {
                    ordered.insert(key.clone(), value.clone());
                }
            }
            *vars = ordered;
        }
    }

    pub fn onto(&self, before: &Cursor) -> Cursor {
        let mut vars = before.vars.clone();
        self.set_vars(&mut vars);
        let mut visits: Visits = before.visits.clone();
        for (step, count) in &self.visits {
            if *count == 0 {
                visits.remove(step.as_str());
            } else {
                visits.insert(Arc::from(step.as_str()), *count);
            }
        }
        Cursor {
            at: self.at.clone(),
            waiting: self.waiting,
            round: self.round.unwrap_or(before.round),
            vars,
            visits,
            nudged: self.nudged.clone(),
            nudged_answer: self.nudged_answer.clone(),
            turn: self.turn,
        }
    }
}

/// A `:back` point, its cursor as a change from the state's cursor on the
/// same line (a point is taken at the question just answered, so the two
/// differ in little more than the step), its bindings only when they differ
/// from the state's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckpointChange {
    pub cursor: CursorChange,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bindings: Option<Vec<usize>>,
    pub answers: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub records: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One saved change of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateChange {
    pub cursor: CursorChange,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bindings: Option<Vec<usize>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<Tail<AnswerRecord>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<Tail<Record>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail: Option<Tail<CheckpointChange>>,
}

/// The change from `before` to `after` (two states of the same run).
pub fn diff(before: &RunState, after: &RunState) -> StateChange {
    let keep = before
        .trail
        .iter()
        .zip(&after.trail)
        .take_while(|(a, b)| a == b)
        .count();
    let trail = (keep < before.trail.len() || keep < after.trail.len()).then(|| Tail {
        keep,
        add: after.trail[keep..]
            .iter()
            .map(|point| CheckpointChange {
                cursor: CursorChange::between(&after.cursor, &point.cursor),
                bindings: (point.bindings != after.bindings).then(|| point.bindings.clone()),
                answers: point.answers,
                records: point.records,
            })
            .collect(),
    });
    StateChange {
        cursor: CursorChange::between(&before.cursor, &after.cursor),
        bindings: (before.bindings != after.bindings).then(|| after.bindings.clone()),
        answers: Tail::between(&before.answers, &after.answers),
        records: Tail::between(&before.records, &after.records),
        trail,
    }
}

/// `before` with `change` applied.
pub fn apply(before: &RunState, change: &StateChange) -> RunState {
    let mut state = before.clone();
    state.cursor = change.cursor.onto(&before.cursor);
    if let Some(bindings) = &change.bindings {
        state.bindings = bindings.clone();
    }
    if let Some(answers) = &change.answers {
        answers.onto(&mut state.answers);
    }
    if let Some(records) = &change.records {
        records.onto(&mut state.records);
    }
    if let Some(trail) = &change.trail {
        state.trail.truncate(trail.keep);
        for point in &trail.add {
            state.trail.push(Checkpoint {
                cursor: point.cursor.onto(&state.cursor),
                bindings: point
                    .bindings
                    .clone()
                    .unwrap_or_else(|| state.bindings.clone()),
                answers: point.answers,
                records: point.records,
            });
        }
    }
    state
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::engine::state::STATE_VERSION;
    use chrono::{DateTime, Utc};
    use proptest::prelude::*;

    fn cursor(at: u8, vars: &[(u8, u8)], visits: &[(u8, u32)]) -> Cursor {
        Cursor {
            at: (at > 0).then(|| format!("s{at}")),
            waiting: at.is_multiple_of(2),
            round: u32::from(at % 3),
            vars: vars
                .iter()
                .map(|(k, v)| (format!("v{k}"), serde_json::json!(v)))
                .collect(),
            visits: visits
                .iter()
                .map(|(k, n)| (Arc::from(format!("s{k}").as_str()), *n))
                .collect(),
            nudged: vec![usize::from(at % 2)],
            nudged_answer: None,
            turn: u32::from(at % 2),
        }
    }

    fn answer(n: u8) -> AnswerRecord {
        AnswerRecord {
            step: format!("s{n}"),
            round: 0,
            partner: usize::from(n % 2),
            name: "Alex".into(),
            role: "speaker".into(),
            question: "Q?".into(),
            text: Some(format!("answer {n}")),
            label: None,
            words: None,
            at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    type Parts = (u8, Vec<(u8, u8)>, Vec<(u8, u32)>);

    fn state(c: Parts, answers: Vec<u8>, trail: Vec<Parts>) -> RunState {
        RunState {
            state_version: STATE_VERSION,
            exercise: "e".into(),
            exercise_version: 1,
            partners: ["Alex".into(), "Sam".into()],
            bindings: vec![usize::from(c.0 % 2), 1 - usize::from(c.0 % 2)],
            cursor: cursor(c.0, &c.1, &c.2),
            answers: answers.into_iter().map(answer).collect(),
            records: Vec::new(),
            trail: trail
                .into_iter()
                .enumerate()
                .map(|(i, p)| Checkpoint {
                    cursor: cursor(p.0, &p.1, &p.2),
                    bindings: vec![0, 1],
                    answers: i,
                    records: 0,
                })
                .collect(),
        }
    }

    fn parts() -> impl Strategy<Value = Parts> {
        (
            0u8..5,
            prop::collection::vec((0u8..4, 0u8..3), 0..4),
            prop::collection::vec((0u8..4, 1u32..3), 0..4),
        )
    }

    fn any_state() -> impl Strategy<Value = RunState> {
        (
            parts(),
            prop::collection::vec(0u8..4, 0..5),
            prop::collection::vec(parts(), 0..4),
        )
            .prop_map(|(c, a, t)| state(c, a, t))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// A change applied to the state it was taken from gives the new
        /// state exactly, through JSON as the journal stores it.
        #[test]
        fn a_change_applied_gives_the_new_state(before in any_state(), after in any_state()) {
            let change = diff(&before, &after);
            let stored: StateChange = serde_json::from_slice(&serde_json::to_vec(&change).unwrap()).unwrap();
            prop_assert_eq!(apply(&before, &stored), after);
        }
    }
}
