//! Which of a run's ledger records hold an answer a partner kept out of the
//! notes (`:private`). The couple's ledger keeps the words; the mark lets
//! notes, in this session and later ones, show them as kept private.

use crate::engine::state::{Record, RunState};
use crate::store::moment::{self, Moment, MomentKind};

/// The places of the answers kept private, from a run's moments.
pub fn answers(moments: &[Moment]) -> Vec<usize> {
    let mut places: Vec<usize> = moment::standing(moments)
        .filter(|m| m.kind == MomentKind::Private)
        .filter_map(|m| m.answer)
        .collect();
    places.sort_unstable();
    places.dedup();
    places
}

/// The run's records, each naming the answers at `private` its words hold.
pub fn marked(state: &RunState, private: &[usize]) -> Vec<Record> {
    let kept: Vec<&str> = private
        .iter()
        .filter_map(|&i| state.answers.get(i)?.typed_words())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    state
        .records
        .iter()
        .map(|record| {
            let mut record = record.clone();
            let fields = [
                Some(record.text.as_str()),
                record.about.as_deref(),
                record.date_text.as_deref(),
                record.new_text.as_deref(),
            ];
            record.private_words = kept
                .iter()
                .filter(|k| {
                    let forms = crate::text::quoted_forms(k);
                    fields
                        .iter()
                        .flatten()
                        .any(|field| forms.iter().any(|form| field.contains(form.as_str())))
                })
                .map(|k| (*k).to_owned())
                .collect();
            record
        })
        .collect()
}
