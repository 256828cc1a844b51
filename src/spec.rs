//! The exercise file format as therapists write it. These types mirror the YAML
//! one to one; `compiler.rs` turns them into a runnable `Exercise`.
//! docs/exercise-format.md documents every key.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseSpec {
    pub title: String,
    pub summary: String,
    pub minutes: u32,
    #[serde(default)]
    pub tags: Vec<String>,
    pub version: u32,
    /// Role name → what the role does. The first role is played by the first
    /// partner, the second by the other, unless the couple swaps them.
    pub roles: IndexMap<String, String>,
    /// Exercise variables and their starting values, read and written by `set`.
    #[serde(default)]
    pub vars: IndexMap<String, serde_json::Value>,
    pub steps: Vec<StepSpec>,
    /// A Markdown template: what this exercise adds to session notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// One step. Exactly one of `say`, `ask`, `choose`, `set` or `steps` gives its
/// kind; a step with none of them and a `goto` is a jump.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    pub id: String,
    #[serde(default)]
    pub say: Option<String>,
    #[serde(default)]
    pub ask: Option<String>,
    #[serde(default)]
    pub choose: Option<String>,
    #[serde(default)]
    pub set: Option<String>,
    /// Records a commitment made by the role in `by` into the couple's ledger.
    #[serde(default)]
    pub commit: Option<CommitSpec>,
    /// Records an agreement both partners made into the couple's ledger.
    #[serde(default)]
    pub agree: Option<AgreeSpec>,
    /// A block of steps; with `swap`, played twice with the two roles exchanged.
    #[serde(default)]
    pub steps: Option<Vec<StepSpec>>,
    #[serde(default)]
    pub swap: Option<Vec<String>>,
    /// The role whose turn it is (ask and choose).
    #[serde(default)]
    pub by: Option<String>,
    /// An example answer shown under the question (a template).
    #[serde(default)]
    pub example: Option<String>,
    /// Check rules for an `ask`: rhai expressions over `answer`.
    #[serde(default)]
    pub check: Vec<CheckSpec>,
    /// The options of a `choose`.
    #[serde(default)]
    pub options: Vec<OptionSpec>,
    /// An `ask` or `choose` that may be skipped with `:skip` or an empty answer.
    #[serde(default)]
    pub optional: bool,
    /// A rhai condition; when false the step is skipped.
    #[serde(default)]
    pub when: Option<String>,
    /// The step to go to after this one.
    #[serde(default)]
    pub goto: Option<String>,
    /// How often this step may run in one round (default 10).
    #[serde(default)]
    pub max_visits: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// A rhai expression over `answer` that is true for a good answer.
    pub rule: String,
    /// Shown when the rule is false; then the question is asked again.
    pub hint: String,
    /// A strict rule asks again until it passes; otherwise the hint is a nudge
    /// and the same rule failing a second time lets the answer stand.
    #[serde(default)]
    pub strict: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSpec {
    /// What is stored as the answer; also accepted as input.
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub goto: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommitSpec {
    /// What was promised (a template, usually `{{ answers.some_step }}`).
    pub text: String,
    /// When it is due (a template): "by Friday", "in 2 weeks", an ISO date.
    pub due: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgreeSpec {
    /// What both agreed (a template).
    pub text: String,
    /// What kind of agreement: boundary, communication, milestone, ...
    #[serde(default)]
    pub topic: Option<String>,
    /// When to look at it again (a template, like `due`).
    #[serde(default)]
    pub revisit: Option<String>,
}

/// The step kinds, in the order the error message lists them.
pub const STEP_KINDS: [&str; 7] = ["say", "ask", "choose", "set", "commit", "agree", "steps"];

impl StepSpec {
    /// The kind keys this step carries.
    pub fn kinds(&self) -> Vec<&'static str> {
        let present = [
            self.say.is_some(),
            self.ask.is_some(),
            self.choose.is_some(),
            self.set.is_some(),
            self.commit.is_some(),
            self.agree.is_some(),
            self.steps.is_some(),
        ];
        STEP_KINDS
            .iter()
            .zip(present)
            .filter_map(|(kind, here)| here.then_some(*kind))
            .collect()
    }
}
