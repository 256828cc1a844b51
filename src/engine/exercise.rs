//! A compiled exercise: every step resolved to an index, every script and
//! template compiled. Nothing here is parsed again while a couple is in the
//! middle of a step.

use crate::diagnostic::source::Source;
use crate::diagnostic::yaml_path::YamlPath;
use crate::script::rhai_script::Script;
use crate::script::template::{Templates, Text};
use indexmap::IndexMap;
use rustc_hash::FxHashMap as HashMap;

#[derive(Debug)]
pub struct Exercise {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub minutes: u32,
    pub tags: Vec<String>,
    pub version: u32,
    pub roles: Vec<Role>,
    /// The variables a run starts with, the shared word lists included.
    /// A run reads them from here until it changes one, and keeps only
    /// what it changed in its state: a journal then holds what the couple
    /// said, not a copy of the exercise's lists.
    pub vars: IndexMap<String, serde_json::Value>,
    /// Which of `vars` are shared word lists (`words:` in the file), kept
    /// once in the data folder beside the exercise text as played.
    pub shared_lists: Vec<String>,
    pub steps: Vec<Step>,
    pub notes: Option<Text>,
    /// Conditions over the couple's ledger that put this exercise first in
    /// `mend session`, each with its reason.
    pub suggest: Vec<(Script, String)>,
    /// Whose pace the exercise follows (`pace:` in the file).
    pub pace: Option<Pace>,
    pub source: Source,
    pub(crate) templates: Templates,
    /// Step ids to indexes, looked up at every step: Fx hashes short keys
    /// several times faster than the default SipHash, and an exercise file
    /// has no reason to choose colliding ids.
    pub(crate) index: HashMap<String, usize>,
}

/// Whose pace an exercise follows: the role asked first whether they are
/// ready after a break, and the choices (step id, option key) that decline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pace {
    /// The role whose pace it is; `None` for `by: both` (the exercise
    /// swaps roles, and either partner may decline).
    pub role: Option<usize>,
    pub declines: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub description: String,
    /// How the screen names the role; the name when the file gives none.
    pub label: String,
}

#[derive(Debug)]
pub struct Step {
    pub id: String,
    /// Where the step sits in the file, for errors found while it runs.
    pub path: YamlPath,
    pub kind: StepKind,
    pub when: Option<Script>,
    pub goto: Option<usize>,
    pub max_visits: u32,
    /// The block step this step sits in, if any.
    pub block: Option<usize>,
    /// On commit, agree and mark: who must agree before it is saved.
    pub confirm: Option<Confirm>,
    /// On ask and choose: the steps whose answer, kept private, keeps this
    /// one private too (`private_with`).
    pub private_with: Vec<String>,
}

/// Whose turn a question is: one role's partner, or both partners in turn
/// (the partner playing `role` first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turns {
    pub role: usize,
    pub both: bool,
}

impl Turns {
    pub fn one(role: usize) -> Turns {
        Turns { role, both: false }
    }

    /// How many answers the question takes.
    pub fn count(self) -> usize {
        if self.both { 2 } else { 1 }
    }
}

/// Consent asked before a commit, agree or mark step records anything.
#[derive(Debug)]
pub struct Confirm {
    /// Who is asked; with `other`, a placeholder (see `other`).
    pub by: Turns,
    /// `by: other`: the partner who does not own what would be saved, or
    /// both when both own it, found when the confirmation is asked.
    pub other: bool,
    pub prompt: Option<Text>,
    pub yes: Text,
    pub no: Text,
    pub if_no: Option<usize>,
}

/// How an `ask` reads its answer as a timing (see `script::due`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateMode {
    /// One day, today or later, or a habit.
    Required,
    /// A day, a habit, or open words kept as said.
    Words,
}

#[derive(Debug)]
pub enum StepKind {
    Say(Text),
    Ask(Ask),
    Choose(Choose),
    Set(Script),
    Commit(Commit),
    Agree(Agree),
    Mark(Mark),
    Defer(Defer),
    /// A step with only a `goto` (and usually a `when`).
    Jump,
    /// Steps `start + 1 .. end` form the block; with `swap`, they run twice and
    /// the two roles exchange partners for the second round.
    Block {
        swap: Option<(usize, usize)>,
        end: usize,
    },
}

#[derive(Debug)]
pub struct Ask {
    pub prompt: Text,
    pub by: Turns,
    pub example: Option<Text>,
    pub checks: Vec<Check>,
    pub optional: bool,
    pub date: Option<DateMode>,
}

#[derive(Debug)]
pub struct Check {
    pub rule: Script,
    pub hint: Text,
    pub strict: bool,
    pub path: YamlPath,
}

#[derive(Debug)]
pub struct Choose {
    pub prompt: Text,
    pub by: Turns,
    pub options: Vec<Choice>,
    pub optional: bool,
}

#[derive(Debug)]
pub struct Commit {
    pub by: Turns,
    pub text: Text,
    pub due: Text,
}

#[derive(Debug)]
pub struct Agree {
    /// One partner's agreement (`by: ROLE`); `None`: both partners'.
    pub by: Option<usize>,
    pub text: Text,
    pub topic: Option<String>,
    pub revisit: Option<Text>,
}

#[derive(Debug)]
pub struct Mark {
    pub item: Text,
    /// `item`, or `commitment` where the file uses the older name.
    pub item_key: &'static str,
    pub status: Text,
    pub text: Option<Text>,
    pub due: Option<Text>,
}

#[derive(Debug)]
pub struct Defer {
    pub by: Turns,
    pub text: Text,
    pub about: Option<Text>,
    pub topic: Option<String>,
    pub revisit: Option<Text>,
}

#[derive(Debug)]
pub struct Choice {
    pub key: String,
    pub label: Text,
    /// Other words that pick this option when typed, already loose
    /// (see `pick::loose`).
    pub aliases: Vec<String>,
    /// Takes typed words that pick no other option, keeping them.
    pub own_words: bool,
    pub goto: Option<usize>,
    /// Shown only when this condition holds.
    pub when: Option<Script>,
}

impl Exercise {
    /// FNV-1a of the file text: tells a resumed session whether the file
    /// changed. Computed when asked, since checking a library never asks.
    pub fn hash(&self) -> String {
        content_hash(&self.source.text)
    }

    /// The shared word lists, by name, in the order `words:` names them.
    pub fn shared_lists(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.shared_lists
            .iter()
            .filter_map(|name| Some((name.as_str(), self.vars.get(name)?)))
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn role_index(&self, name: &str) -> Option<usize> {
        self.roles.iter().position(|r| r.name == name)
    }

    /// How many questions a full run asks, counting both rounds of a swap
    /// block and both partners' turns at a `by: both` question.
    pub fn question_count(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| s.waits())
            .map(|s| {
                let answers = s.turns().map_or(1, Turns::count);
                match s.block.map(|b| &self.steps[b].kind) {
                    Some(StepKind::Block { swap: Some(_), .. }) => 2 * answers,
                    _ => answers,
                }
            })
            .sum()
    }

    /// Whether asking the couple to swap roles before the exercise starts
    /// makes a difference: there are two roles with different jobs (their
    /// descriptions differ) and no swap block, which swaps the roles
    /// itself so each partner plays both.
    pub fn offers_role_swap(&self) -> bool {
        let [first, second] = self.roles.as_slice() else {
            return false;
        };
        let same_job =
            first.description.trim().to_lowercase() == second.description.trim().to_lowercase();
        let swaps_itself = self
            .steps
            .iter()
            .any(|s| matches!(s.kind, StepKind::Block { swap: Some(_), .. }));
        !same_job && !swaps_itself
    }

    /// Whether the screen names the role of a question at step `index`.
    /// Roles a swap block exchanges mean something only inside a swap
    /// block: outside it the last round's roles no longer apply, and each
    /// partner is just themselves. Roles that share a label say nothing.
    pub fn shows_role_at(&self, index: usize) -> bool {
        if let [first, second] = self.roles.as_slice()
            && first.label.trim().eq_ignore_ascii_case(second.label.trim())
        {
            return false;
        }
        let is_swap =
            |i: usize| matches!(self.steps[i].kind, StepKind::Block { swap: Some(_), .. });
        if !(0..self.steps.len()).any(is_swap) {
            return true;
        }
        let mut block = self.steps.get(index).and_then(|s| s.block);
        while let Some(b) = block {
            if is_swap(b) {
                return true;
            }
            block = self.steps[b].block;
        }
        false
    }

    /// How many questions every run asks, when that is known before it
    /// starts: the exercise has no `when`, no `goto` (on a step, an option
    /// or a refused confirmation), so every run asks the same questions.
    /// `None` when the path branches, since a total shown then would be
    /// wrong on some path ("question 12 of 14" at the end of a short one).
    pub fn fixed_question_count(&self) -> Option<usize> {
        let branches = self.steps.iter().any(|s| {
            s.when.is_some()
                || s.goto.is_some()
                || s.confirm.as_ref().is_some_and(|c| c.if_no.is_some())
                || matches!(&s.kind, StepKind::Choose(c)
                    if c.options.iter().any(|o| o.goto.is_some()))
        });
        (!branches).then(|| self.question_count())
    }
}

impl Step {
    /// The role that answers this step first (ask, choose, a confirmation),
    /// or whose record it is (commit, defer, an agree with `by`).
    pub fn by(&self) -> Option<usize> {
        self.turns().map(|t| t.role)
    }

    /// Who answers this step when it waits: the confirmation's partners on
    /// a confirmed step, else the step's own `by`.
    pub fn turns(&self) -> Option<Turns> {
        if let Some(confirm) = &self.confirm {
            return Some(confirm.by);
        }
        match &self.kind {
            StepKind::Ask(a) => Some(a.by),
            StepKind::Choose(c) => Some(c.by),
            StepKind::Commit(c) => Some(c.by),
            StepKind::Defer(d) => Some(d.by),
            StepKind::Agree(a) => a.by.map(Turns::one),
            _ => None,
        }
    }

    /// Whether the step waits for an answer: ask, choose, and a commit,
    /// agree or mark with `confirm`.
    pub fn waits(&self) -> bool {
        matches!(self.kind, StepKind::Ask(_) | StepKind::Choose(_)) || self.confirm.is_some()
    }
}

/// A stable 64-bit FNV-1a hash, as hex. Not cryptographic: it only has to
/// notice that an exercise file changed between two runs.
pub fn content_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
