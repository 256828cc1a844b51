//! The exercise file format as therapists write it. These types mirror the YAML
//! one to one; `format/compiler.rs` turns them into a runnable `Exercise`.
//! docs/exercise-format.md documents every key.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
/// One mend exercise: a guided conversation for a couple, written as data.
/// docs/exercise-format.md describes every key.
#[serde(deny_unknown_fields)]
pub struct ExerciseSpec {
    /// The name shown in `mend list` and at the start.
    pub title: String,
    /// One line: what the exercise is for.
    pub summary: String,
    /// About how long it takes, in minutes (at least 1).
    #[schemars(range(min = 1))]
    pub minutes: u32,
    /// Words to group exercises by, e.g. `daily` or `communication`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Raise it when you change the steps, so resumed sessions notice.
    pub version: u32,
    /// Role name → what the role does. The first role is played by the first
    /// partner, the second by the other, unless the couple swaps them.
    #[serde(deserialize_with = "unique_keys")]
    pub roles: IndexMap<String, RoleSpec>,
    /// Exercise variables and their starting values, read and written by `set`.
    #[serde(default, deserialize_with = "unique_keys")]
    pub vars: IndexMap<String, serde_json::Value>,
    /// Lists from the library's shared `words.yaml` (beside the exercises)
    /// that this exercise reads; each becomes a variable of the same name,
    /// e.g. `words: [contempt_words]` is read as `vars.contempt_words`.
    #[serde(default)]
    pub words: Vec<String>,
    /// The steps, played in order unless a `goto` or `when` says otherwise.
    pub steps: Vec<StepSpec>,
    /// A Markdown template: what this exercise adds to session notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// When `mend session` should suggest this exercise first, and why.
    #[serde(default)]
    pub suggest: Vec<SuggestSpec>,
    /// Whose pace the exercise follows: who is asked first whether now is a
    /// good time when the couple comes back from a break, and which answers
    /// mean "not now" (the notes say who declined, in their words).
    #[serde(default)]
    pub pace: Option<PaceSpec>,
}

/// Whose pace an exercise follows.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaceSpec {
    /// The role asked whether they are ready when the couple comes back
    /// from a break (without `pace`, both partners are asked); `both` in
    /// an exercise whose roles swap, where either partner may decline.
    pub by: String,
    /// `STEP.OPTION`: choices that decline the exercise ("ready.later").
    #[serde(default)]
    pub declines: Vec<String>,
}

/// One step. Exactly one of `say`, `ask`, `choose`, `set` or `steps` gives its
/// kind; a step with none of them and a `goto` is a jump.
/// A role: what it does, or that and how the screen names it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum RoleSpec {
    /// What the role does.
    Description(String),
    Details(RoleDetails),
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleDetails {
    /// What the role does.
    pub description: String,
    /// How the screen names the role ("partner who apologizes"), where the
    /// role's name would read oddly as a noun.
    #[serde(default)]
    pub label: Option<String>,
}

impl RoleSpec {
    pub fn description(&self) -> &str {
        match self {
            RoleSpec::Description(d) => d,
            RoleSpec::Details(details) => &details.description,
        }
    }

    pub fn label(&self) -> Option<&str> {
        match self {
            RoleSpec::Description(_) => None,
            RoleSpec::Details(details) => details.label.as_deref(),
        }
    }
}

/// Read by hand rather than `untagged`, so a mistake inside the mapping form
/// gets its own message (an unknown key, a missing description) instead of
/// "did not match any variant".
impl<'de> Deserialize<'de> for RoleSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match serde_yaml::Value::deserialize(deserializer)? {
            serde_yaml::Value::String(description) => Ok(RoleSpec::Description(description)),
            value @ serde_yaml::Value::Mapping(_) => serde_yaml::from_value(value)
                .map(RoleSpec::Details)
                .map_err(D::Error::custom),
            _ => Err(D::Error::custom(
                "a role is its description, or a mapping with `description` and `label`",
            )),
        }
    }
}

/// A reason to suggest an exercise before the others.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestSpec {
    /// A rhai condition over `ledger` (the couple's commitments and
    /// agreements), e.g. `ledger.due.len() > 0`.
    pub when: String,
    /// Shown beside the suggestion: why now.
    pub reason: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// A unique name for the step: lowercase letters, digits and `_`. An
    /// ask or choose step's answer is `answers.<id>`.
    pub id: String,
    /// Text to show (a template).
    #[serde(default)]
    pub say: Option<String>,
    /// A question answered in free text by the role in `by` (a template).
    #[serde(default)]
    pub ask: Option<String>,
    /// A question answered by picking one of `options` (a template).
    #[serde(default)]
    pub choose: Option<String>,
    /// rhai statements that update `vars`, e.g. `vars.tries += 1`.
    #[serde(default)]
    pub set: Option<String>,
    /// Records a commitment made by the role in `by` into the couple's ledger.
    #[serde(default)]
    pub commit: Option<CommitSpec>,
    /// Records an agreement both partners made into the couple's ledger.
    #[serde(default)]
    pub agree: Option<AgreeSpec>,
    /// Records what became of a ledger item: kept, missed, retried, renegotiated, renegotiating,
    /// renewed, changed, retired, reached or settled.
    #[serde(default)]
    pub mark: Option<MarkSpec>,
    /// Records a decline or pause ("not yet", "I need time to think") as an
    /// open item in the partner's words, raised at every check-in until
    /// settled.
    #[serde(default)]
    pub defer: Option<DeferSpec>,
    /// A block of steps; with `swap`, played twice with the two roles exchanged.
    #[serde(default)]
    pub steps: Option<Vec<StepSpec>>,
    /// The two roles that exchange partners for the block's second round.
    #[serde(default)]
    pub swap: Option<Vec<String>>,
    /// The role whose turn it is (ask and choose), or `both`: each partner
    /// answers in turn. On commit, agree and defer: whose it is (`both`
    /// for a commitment made together).
    #[serde(default)]
    pub by: Option<String>,
    /// With `by: both`: the role whose partner answers first.
    #[serde(default)]
    pub first: Option<String>,
    /// On an `ask`: the answer is a timing. `required`: one day (today or
    /// later) or a habit; `words`: also open words ("when I feel ready").
    #[serde(default)]
    pub date: Option<DateSpec>,
    /// On commit, agree or mark: who must agree before anything is saved.
    #[serde(default)]
    pub confirm: Option<ConfirmSpec>,
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
    /// On an `ask` or `choose`: steps whose answer, when a partner kept it
    /// out of the notes (`:private`), keeps this answer out too (a mirror
    /// of a private doubt restates it).
    #[serde(default)]
    pub private_with: Vec<String>,
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

/// A check rule of an `ask` step.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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

/// One option of a `choose` step.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionSpec {
    /// What is stored as the answer; also accepted as input.
    pub key: String,
    /// What the partners see (a template).
    pub label: String,
    /// Other words that pick this option when a partner types them, e.g.
    /// `["I need time", "not yet"]` for a pause (case, spacing and closing
    /// punctuation aside).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// `true`: words a partner types that pick no option pick this one,
    /// and are kept as theirs (`typed_words.STEP`, and in the notes), e.g.
    /// a "Not yet" that takes "I'd like to see the wood bought first".
    /// At most one option of a step.
    #[serde(default)]
    pub own_words: bool,
    /// The step to go to when this option is picked.
    #[serde(default)]
    pub goto: Option<String>,
    /// A rhai condition; the option is shown only when it holds (e.g. only
    /// commitments can be marked kept).
    #[serde(default)]
    pub when: Option<String>,
}

/// A commitment recorded into the couple's ledger.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitSpec {
    /// What was promised (a template, usually `{{ answers.some_step }}`).
    pub text: String,
    /// When it is due (a template): "by Friday", "in 2 weeks", an ISO date.
    pub due: String,
}

/// An agreement recorded into the couple's ledger.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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

/// What became of a ledger item.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkSpec {
    /// The item's ledger id (a template, e.g. `{{ ledger.review[vars.i].id }}`).
    #[serde(default)]
    pub item: Option<String>,
    /// The older name of `item`, for commitments.
    #[serde(default)]
    pub commitment: Option<String>,
    /// kept, missed, retried, renegotiated, renegotiating, renewed, changed, retired, reached or
    /// settled (a template, e.g. `{{ answers.status }}`).
    pub status: String,
    /// New words, for `changed` (a template).
    #[serde(default)]
    pub text: Option<String>,
    /// New timing, for `renewed` or `changed`: a day or words (a template).
    #[serde(default)]
    pub due: Option<String>,
}

/// A decline or pause kept as an open item.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeferSpec {
    /// The partner's own words ("I need time to think"), a template.
    pub text: String,
    /// What it is about (a template).
    #[serde(default)]
    pub about: Option<String>,
    /// What kind of item it is about: boundary, milestone, ...
    #[serde(default)]
    pub topic: Option<String>,
    /// When to come back to it: a day or words (a template).
    #[serde(default)]
    pub revisit: Option<String>,
}

/// Consent before a record is saved.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmSpec {
    /// The role that must agree, `both` (each in turn; the first "no"
    /// ends it), or `other`: the partner who does not own what would be
    /// saved (both, when both own it).
    pub by: String,
    /// The question (a template); default `NAME, do you agree? "TEXT"`.
    #[serde(default)]
    pub ask: Option<String>,
    /// The "yes" option's label (a template); default "Yes, I agree."
    #[serde(default)]
    pub yes: Option<String>,
    /// The "no" option's label (a template); default "Not yet."
    #[serde(default)]
    pub no: Option<String>,
    /// Where a "no" goes; default the next step.
    #[serde(default)]
    pub if_no: Option<String>,
}

/// How an `ask` reads its answer as a timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DateSpec {
    /// One day, today or later, or a habit ("every evening").
    Required,
    /// A day, a habit, or open words kept as said ("when I feel ready").
    Words,
}

/// The step kinds, in the order the error message lists them.
pub const STEP_KINDS: [&str; 9] = [
    "say", "ask", "choose", "set", "commit", "agree", "mark", "defer", "steps",
];

impl StepSpec {
    /// The first kind key this step carries, without collecting the others.
    pub fn kind(&self) -> Option<&'static str> {
        self.present_kinds().next()
    }

    /// The kind keys this step carries, in `STEP_KINDS` order.
    pub fn present_kinds(&self) -> impl Iterator<Item = &'static str> {
        let present = [
            self.say.is_some(),
            self.ask.is_some(),
            self.choose.is_some(),
            self.set.is_some(),
            self.commit.is_some(),
            self.agree.is_some(),
            self.mark.is_some(),
            self.defer.is_some(),
            self.steps.is_some(),
        ];
        STEP_KINDS
            .into_iter()
            .zip(present)
            .filter_map(|(kind, here)| here.then_some(kind))
    }
}

/// A map whose keys must be unique: an `IndexMap` would keep the last of two
/// equal keys without a word. The loader then reports where the second is.
fn unique_keys<'de, D, V>(deserializer: D) -> Result<IndexMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Unique<V> {
        type Value = IndexMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = IndexMap::new();
            while let Some((key, value)) = map.next_entry::<String, V>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "duplicate entry with key \"{key}\""
                    )));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Unique(std::marker::PhantomData))
}
