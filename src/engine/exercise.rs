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
    pub vars: IndexMap<String, serde_json::Value>,
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
    pub role: usize,
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
    pub by: usize,
    pub example: Option<Text>,
    pub checks: Vec<Check>,
    pub optional: bool,
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
    pub by: usize,
    pub options: Vec<Choice>,
    pub optional: bool,
}

#[derive(Debug)]
pub struct Commit {
    pub by: usize,
    pub text: Text,
    pub due: Text,
}

#[derive(Debug)]
pub struct Agree {
    pub text: Text,
    pub topic: Option<String>,
    pub revisit: Option<Text>,
}

#[derive(Debug)]
pub struct Mark {
    pub commitment: Text,
    pub status: Text,
}

#[derive(Debug)]
pub struct Choice {
    pub key: String,
    pub label: Text,
    pub goto: Option<usize>,
}

impl Exercise {
    /// FNV-1a of the file text: tells a resumed session whether the file
    /// changed. Computed when asked, since checking a library never asks.
    pub fn hash(&self) -> String {
        content_hash(&self.source.text)
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn role_index(&self, name: &str) -> Option<usize> {
        self.roles.iter().position(|r| r.name == name)
    }

    /// How many questions a full run asks, counting both rounds of a swap block.
    pub fn question_count(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| matches!(s.kind, StepKind::Ask(_) | StepKind::Choose(_)))
            .map(|s| match s.block.map(|b| &self.steps[b].kind) {
                Some(StepKind::Block { swap: Some(_), .. }) => 2,
                _ => 1,
            })
            .sum()
    }
}

impl Step {
    /// The role that answers this step, for ask and choose.
    pub fn by(&self) -> Option<usize> {
        match &self.kind {
            StepKind::Ask(a) => Some(a.by),
            StepKind::Choose(c) => Some(c.by),
            StepKind::Commit(c) => Some(c.by),
            _ => None,
        }
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
