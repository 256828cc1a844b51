//! What a script's helpers read besides their arguments: the run's visit
//! counts (`visits(step)`) and the day of the answer (`due_within`). Each
//! evaluation carries its own, as rhai's per-evaluation tag, so no helper
//! reads state left behind by another evaluation.

use crate::script::scope_names::Visits;
use chrono::NaiveDate;
use rhai::NativeCallContext;

#[derive(Debug, Clone, Default)]
pub struct EvalFacts {
    /// How often each step ran in this round.
    pub visits: Visits,
    /// The day of the answer being checked, when there is one.
    pub today: Option<NaiveDate>,
}

/// The day `due_within` counts from when no answer gives one: any fixed
/// day, as scripts never read the clock.
pub fn fallback_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

impl EvalFacts {
    /// The facts of the evaluation a helper was called from.
    pub fn read<T>(context: &NativeCallContext, f: impl FnOnce(Option<&EvalFacts>) -> T) -> T {
        match context.tag().and_then(|tag| tag.read_lock::<EvalFacts>()) {
            Some(facts) => f(Some(&facts)),
            None => f(None),
        }
    }
}
