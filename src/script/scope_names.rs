//! The one table of names a script or template can read of a run.
//!
//! Everything that needs to know those names is built from `SCOPE_NAMES`:
//! the compiler's list of names a script may read and of names an exercise
//! may not take (`format::compiler`), the scan of which names a text reads
//! (`uses`), the view scripts and templates get and its rhai and minijinja
//! conversions, and the fast paths' look-up (`engine::view`). Adding a name
//! is one entry here and one variant of `ScopeName`; the compiler then points
//! at the match in `engine::view` that must say what its value is.
//!
//! Besides these, every role's name is a name of its own (`{{ speaker }}`),
//! read per exercise.

use std::collections::BTreeMap;
use std::sync::Arc;

/// Runs of each step by step id, as `visits(step)` tells scripts (a run
/// saves it as a plain map of strings).
pub type Visits = BTreeMap<Arc<str>, u32>;

/// A name the engine gives scripts or templates, in the order of
/// `SCOPE_NAMES` (`SCOPE_NAMES[name as usize]` is its entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScopeName {
    Answers,
    AnswersBy,
    TypedWords,
    Vars,
    Partners,
    Roles,
    Round,
    By,
    Transcript,
    Records,
    Exercise,
    Ledger,
    Answer,
    Visits,
}

/// Where a name can be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A value in the scope of every script and template.
    Value,
    /// A value only check rules see.
    CheckRule,
    /// A helper function scripts call with an argument.
    Helper,
}

/// What can be read inside a value, for checking names like `answers.x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    /// A plain string or number: nothing inside.
    Plain,
    /// Keyed by step id: `answers.feeling`.
    StepIds,
    /// Keyed by partner name, then step id: `answers_by[name].feeling`.
    PartnerThenStepIds,
    /// Keyed by the exercise's variables: `vars.tries`.
    VarNames,
    /// Keyed by role name: `roles.speaker`.
    RoleNames,
    /// The two partners, `[0]` and `[1]`.
    TwoPartners,
    /// These fields.
    Fields(&'static [&'static str]),
    /// A list of records or a structure (see the entry's doc).
    Data,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub name: ScopeName,
    /// The name as scripts and templates write it.
    pub word: &'static str,
    pub kind: Kind,
    pub members: Members,
    /// What it is, as docs/exercise-format.md tells authors.
    pub doc: &'static str,
}

/// Every name scripts and templates can read (besides role names).
pub const SCOPE_NAMES: &[Entry] = &[
    Entry {
        name: ScopeName::Answers,
        word: "answers",
        kind: Kind::Value,
        members: Members::StepIds,
        doc: "step id → answer text (or chosen key), this round's inside a swap block",
    },
    Entry {
        name: ScopeName::AnswersBy,
        word: "answers_by",
        kind: Kind::Value,
        members: Members::PartnerThenStepIds,
        doc: "partner name → step id → that partner's latest answer",
    },
    Entry {
        name: ScopeName::TypedWords,
        word: "typed_words",
        kind: Kind::Value,
        members: Members::StepIds,
        doc: "step id → the words a partner typed at a choose step whose `own_words` option took them (\"\" when an option was picked), this round's inside a swap block",
    },
    Entry {
        name: ScopeName::Vars,
        word: "vars",
        kind: Kind::Value,
        members: Members::VarNames,
        doc: "the exercise variables; `set` may change them",
    },
    Entry {
        name: ScopeName::Partners,
        word: "partners",
        kind: Kind::Value,
        members: Members::TwoPartners,
        doc: "the two names, in order",
    },
    Entry {
        name: ScopeName::Roles,
        word: "roles",
        kind: Kind::Value,
        members: Members::RoleNames,
        doc: "role → name of the partner playing it now",
    },
    Entry {
        name: ScopeName::Round,
        word: "round",
        kind: Kind::Value,
        members: Members::Plain,
        doc: "0 outside a swap block, else 1 or 2",
    },
    Entry {
        name: ScopeName::By,
        word: "by",
        kind: Kind::Value,
        members: Members::Plain,
        doc: "the name of the partner whose turn it is at this step",
    },
    Entry {
        name: ScopeName::Transcript,
        word: "transcript",
        kind: Kind::Value,
        members: Members::Data,
        doc: "every answer so far: step, round, name, role, question, text; choose answers also label",
    },
    Entry {
        name: ScopeName::Records,
        word: "records",
        kind: Kind::Value,
        members: Members::Data,
        doc: "what this run records for the ledger, one event each: kind (commitment, agreement, open, mark), exercise, owner, owners, text, date, date_text, topic, at; when present: about, ongoing, and on marks item, status and new_text",
    },
    Entry {
        name: ScopeName::Exercise,
        word: "exercise",
        kind: Kind::Value,
        members: Members::Fields(&["id", "title"]),
        doc: "the exercise's id and title",
    },
    Entry {
        name: ScopeName::Ledger,
        word: "ledger",
        kind: Kind::Value,
        members: Members::Fields(&[
            "today",
            "open",
            "due",
            "commitments",
            "agreements",
            "revisit",
            "items",
            "milestones",
            "habits",
            "pending",
            "review",
            "by_exercise",
            "by_topic",
            "marked",
        ]),
        doc: "the couple's ledger from earlier sessions",
    },
    Entry {
        name: ScopeName::Answer,
        word: "answer",
        kind: Kind::CheckRule,
        members: Members::Plain,
        doc: "the answer being checked (check rules only)",
    },
    Entry {
        name: ScopeName::Visits,
        word: "visits",
        kind: Kind::Helper,
        members: Members::Plain,
        doc: "visits(step_id): how often that step has run in this round",
    },
];

impl ScopeName {
    /// Every name, in table order.
    pub const ALL: [ScopeName; 14] = [
        ScopeName::Answers,
        ScopeName::AnswersBy,
        ScopeName::TypedWords,
        ScopeName::Vars,
        ScopeName::Partners,
        ScopeName::Roles,
        ScopeName::Round,
        ScopeName::By,
        ScopeName::Transcript,
        ScopeName::Records,
        ScopeName::Exercise,
        ScopeName::Ledger,
        ScopeName::Answer,
        ScopeName::Visits,
    ];

    /// This name's row of the table.
    pub const fn entry(self) -> &'static Entry {
        &SCOPE_NAMES[self as usize]
    }

    /// The name as scripts and templates write it.
    pub const fn word(self) -> &'static str {
        self.entry().word
    }

    /// The name written `word`, if the engine gives one.
    pub fn of_word(word: &str) -> Option<ScopeName> {
        Self::of_bytes(word.as_bytes())
    }

    pub(crate) fn of_bytes(word: &[u8]) -> Option<ScopeName> {
        SCOPE_NAMES
            .iter()
            .find(|e| e.word.as_bytes() == word)
            .map(|e| e.name)
    }
}

/// The names a `when` or `set` script may read (`check_rule`: a check rule,
/// which also has `answer`), before the exercise's role names.
pub fn script_words(check_rule: bool) -> impl Iterator<Item = &'static str> {
    SCOPE_NAMES
        .iter()
        .filter(move |e| e.kind == Kind::Value || (check_rule && e.kind == Kind::CheckRule))
        .map(|e| e.word)
}

/// Names the engine itself uses, so roles, variables and steps may not take
/// them: every value of the table (`answer` included), `notes` (the
/// exercise's notes template, named in errors like a step) and `both`
/// (`by: both`). Helpers such as `visits` are functions, which a variable
/// does not hide.
pub fn is_reserved(name: &str) -> bool {
    name == "notes"
        || name == "both"
        || SCOPE_NAMES
            .iter()
            .any(|e| e.kind != Kind::Helper && e.word == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_is_at_its_own_row() {
        assert_eq!(ScopeName::ALL.len(), SCOPE_NAMES.len());
        for (i, name) in ScopeName::ALL.into_iter().enumerate() {
            assert_eq!(name as usize, i);
            assert_eq!(SCOPE_NAMES[i].name, name);
            assert_eq!(ScopeName::of_word(name.word()), Some(name));
        }
    }

    /// Authors learn the names from docs/exercise-format.md: a name added
    /// here must be described there.
    #[test]
    fn every_name_is_in_the_authors_guide() {
        let guide = include_str!("../../docs/exercise-format.md");
        for entry in SCOPE_NAMES {
            let row = match entry.kind {
                Kind::Helper => format!("| `{}(", entry.word),
                Kind::Value | Kind::CheckRule => format!("| `{}` |", entry.word),
            };
            assert!(
                guide.contains(&row),
                "docs/exercise-format.md has no row {row}"
            );
        }
    }

    #[test]
    fn reserved_names_are_the_values_and_notes() {
        for name in [
            "answers",
            "answers_by",
            "typed_words",
            "vars",
            "partners",
            "roles",
            "round",
            "by",
            "transcript",
            "records",
            "exercise",
            "ledger",
            "answer",
            "notes",
            "both",
        ] {
            assert!(is_reserved(name), "{name}");
        }
        for name in ["visits", "speaker", "answerz", ""] {
            assert!(!is_reserved(name), "{name}");
        }
    }
}
