//! The couple's ledger: commitments, agreements (milestones among them) and
//! open items (declines and pauses in a partner's words) across sessions, so
//! a check-in can ask what was promised, what was delivered, what is due to
//! be looked at again and what is still waiting.
//!
//! The ledger is events applied in order: each `Record` a finished run
//! emits either makes an item or marks one (kept, missed, renewed, changed,
//! retired, reached, settled), and nothing is overwritten that `history`
//! does not keep. A run's records enter it when the run finishes (until
//! then `:back` may still undo them); each finished run is added once.
//! This is the pure half (types, `apply`, `view`); `store::ledger_file`
//! keeps each couple's ledger on disk.

use crate::engine::state::{Record, RecordKind};
use crate::script::due::{Timing, read_timing};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// 2: one list of items of every kind (version 1 kept commitments and
/// agreements apart); an older ledger is rebuilt from the session journals.
pub const LEDGER_VERSION: u32 = 2;

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    /// In force: an open commitment or habit, an agreement, a waiting item.
    Open,
    Kept,
    Missed,
    Renegotiated,
    Retired,
    Reached,
    Settled,
}

impl ItemStatus {
    pub fn word(self) -> &'static str {
        match self {
            ItemStatus::Open => "open",
            ItemStatus::Kept => "kept",
            ItemStatus::Missed => "missed",
            ItemStatus::Renegotiated => "renegotiated",
            ItemStatus::Retired => "retired",
            ItemStatus::Reached => "reached",
            ItemStatus::Settled => "settled",
        }
    }
}

/// What a `mark` does to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Kept,
    Missed,
    /// Missed this time and kept in force to try again (a one-off
    /// commitment; a habit's `missed` already stays in force).
    Retried,
    Renegotiated,
    /// Both agreed the commitment needs new terms, and the new words are
    /// not agreed yet: it stays in force as it was, counted as
    /// renegotiated in the notes.
    Renegotiating,
    Renewed,
    Changed,
    Retired,
    Reached,
    Settled,
}

impl Action {
    /// The statuses a `mark` step may give, in the order errors list them.
    pub const WORDS: [&str; 10] = [
        "kept",
        "missed",
        "retried",
        "renegotiated",
        "renegotiating",
        "renewed",
        "changed",
        "retired",
        "reached",
        "settled",
    ];
    const ALL: [Action; 10] = [
        Action::Kept,
        Action::Missed,
        Action::Retried,
        Action::Renegotiated,
        Action::Renegotiating,
        Action::Renewed,
        Action::Changed,
        Action::Retired,
        Action::Reached,
        Action::Settled,
    ];

    pub fn parse(word: &str) -> Option<Action> {
        let word = word.trim().to_lowercase();
        Self::WORDS
            .iter()
            .position(|w| *w == word)
            .map(|i| Self::ALL[i])
    }

    pub fn word(self) -> &'static str {
        Self::WORDS[Self::ALL.iter().position(|a| *a == self).unwrap_or(0)]
    }

    /// How the mark reads to the couple on an item: a habit is never
    /// passed or failed, so its `kept` reads "going well" and its `missed`
    /// "hard to keep up lately"; every other mark reads as its word.
    pub fn reads(word: &str, ongoing: bool) -> &str {
        match word {
            "kept" if ongoing => "going well",
            "missed" if ongoing => "hard to keep up lately",
            word => word,
        }
    }

    /// Whether this mark makes sense for an item of `kind`: only
    /// commitments are kept, missed, retried or renegotiated (or being
    /// renegotiated); only open items are settled.
    pub fn fits(self, kind: ItemKind) -> bool {
        match self {
            Action::Kept
            | Action::Missed
            | Action::Retried
            | Action::Renegotiated
            | Action::Renegotiating => kind == ItemKind::Commitment,
            Action::Settled => kind == ItemKind::Open,
            Action::Renewed | Action::Changed | Action::Retired | Action::Reached => true,
        }
    }

    /// The item's status after this mark. Kept and missed leave a habit
    /// going; renewed and changed leave any item in force.
    fn status(self, ongoing: bool) -> ItemStatus {
        match self {
            Action::Kept | Action::Missed if ongoing => ItemStatus::Open,
            Action::Kept => ItemStatus::Kept,
            Action::Missed => ItemStatus::Missed,
            Action::Renegotiated => ItemStatus::Renegotiated,
            Action::Retried | Action::Renegotiating | Action::Renewed | Action::Changed => {
                ItemStatus::Open
            }
            Action::Retired => ItemStatus::Retired,
            Action::Reached => ItemStatus::Reached,
            Action::Settled => ItemStatus::Settled,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Commitment,
    Agreement,
    /// A decline or pause ("not yet", "I need time to think").
    Open,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [ItemKind::Commitment, ItemKind::Agreement, ItemKind::Open];

    pub fn word(self) -> &'static str {
        match self {
            ItemKind::Commitment => "commitment",
            ItemKind::Agreement => "agreement",
            ItemKind::Open => "open",
        }
    }

    fn prefix(self) -> char {
        match self {
            ItemKind::Commitment => 'c',
            ItemKind::Agreement => 'a',
            ItemKind::Open => 'o',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub v: u32,
    pub partners: [String; 2],
    pub items: Vec<Item>,
    /// Finished runs already added, as `session#exercise-number`.
    pub applied: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// `c1`, `a1`, `o1`...: the kind's letter and its number in that kind.
    pub id: String,
    pub kind: ItemKind,
    /// The exercise that made it; empty for items from older journals.
    #[serde(default)]
    pub exercise: String,
    pub topic: Option<String>,
    /// Whose it is: one name, or both.
    pub owners: Vec<String>,
    /// The words, as the partners gave them (the latest, after `changed`).
    pub text: String,
    /// An open item's subject.
    pub about: Option<String>,
    /// When it is due or to be looked at again, when the timing names a
    /// day; a habit's first day.
    pub date: Option<NaiveDate>,
    /// The timing as said.
    pub date_text: Option<String>,
    pub ongoing: bool,
    pub made: DateTime<Utc>,
    pub session: String,
    pub status: ItemStatus,
    /// Every mark, oldest first.
    pub history: Vec<Change>,
    /// Answers a partner kept out of the session notes that its words (now
    /// or before a change) hold: notes show each as kept private.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_words: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub action: Action,
    pub at: DateTime<Utc>,
    pub session: String,
    /// The words before a `changed` mark replaced them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_text: Option<String>,
    /// The timing a `renewed` or `changed` mark gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_text: Option<String>,
}

impl Item {
    pub fn live(&self) -> bool {
        self.status == ItemStatus::Open
    }

    /// How notes and screens name whose it is: "Alex", or "Alex and Sam".
    pub fn owner(&self) -> String {
        self.owners.join(" and ")
    }
}

/// What exercises see as `ledger`: plain lists, dates as `YYYY-MM-DD` (empty
/// when none), computed for one day so the engine never reads the clock.
/// Every field has a default, so snapshots saved in older journals load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LedgerView {
    /// The day the view was made (empty in a run without a ledger).
    pub today: String,
    /// Open commitments, earliest due first (habits and undated last).
    pub open: Vec<ItemView>,
    /// Open one-off commitments due today or earlier.
    pub due: Vec<ItemView>,
    /// Every commitment, open or not, in the order they were made.
    pub commitments: Vec<ItemView>,
    /// Agreements in force (milestones among them).
    pub agreements: Vec<ItemView>,
    /// Agreements in force whose date to revisit is today or past.
    pub revisit: Vec<ItemView>,
    /// Every item of every kind, in the order made.
    pub items: Vec<ItemView>,
    /// Agreements with topic `milestone`, in force or reached.
    pub milestones: Vec<ItemView>,
    /// Ongoing commitments in force.
    pub habits: Vec<ItemView>,
    /// Open items (declines, pauses) not yet settled.
    pub pending: Vec<ItemView>,
    /// What a check-in raises today, each with its `reason`.
    pub review: Vec<ItemView>,
    /// Items in force by the exercise that made them, oldest first.
    pub by_exercise: BTreeMap<String, Vec<ItemView>>,
    /// Items in force by topic, oldest first.
    pub by_topic: BTreeMap<String, Vec<ItemView>>,
    /// Items marked in the last 31 days, most recent mark last.
    pub marked: Vec<ItemView>,
}

/// One item as exercises read it. Commitments keep their older names
/// (`due`, `due_text`), agreements theirs (`revisit`, `revisit_text`,
/// `revisit_due`); every item has all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemView {
    pub id: String,
    pub kind: String,
    pub exercise: String,
    pub topic: String,
    /// "Alex", or "Alex and Sam".
    pub owner: String,
    pub owners: Vec<String>,
    pub both: bool,
    pub text: String,
    pub about: String,
    pub date: String,
    pub date_text: String,
    pub ongoing: bool,
    /// A habit's first day.
    pub since: String,
    pub status: String,
    /// Still in force (`status == "open"`).
    pub live: bool,
    /// In force, one-off, and its day has passed.
    pub overdue: bool,
    pub made: String,
    /// The latest mark's word and day ("" when never marked).
    pub mark: String,
    pub marked: String,
    /// Why a check-in raises it (`ledger.review` only): due, habit,
    /// revisit, pending or words.
    pub reason: String,
    pub history: Vec<ChangeView>,
    pub due: String,
    pub due_text: String,
    pub revisit: String,
    pub revisit_text: String,
    /// The date to revisit is today or past.
    pub revisit_due: bool,
}

/// The older names of an item view, as notes and exercises use them.
pub type CommitmentView = ItemView;
pub type AgreementView = ItemView;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeView {
    pub status: String,
    pub on: String,
    /// The words before a `changed` mark.
    pub old_text: String,
    pub date_text: String,
}

/// Items a ledger starts with: a test plan's `ledger:`, so a check-in can be
/// tested without earlier sessions.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    #[serde(default)]
    pub commitments: Vec<SeedItem>,
    #[serde(default)]
    pub agreements: Vec<SeedItem>,
    #[serde(default)]
    pub open: Vec<SeedItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedItem {
    /// A partner's name, or `both`. Commitments and open items need one;
    /// an agreement without one is both partners'.
    #[serde(default)]
    pub owner: Option<String>,
    pub text: String,
    /// A commitment's due day.
    #[serde(default)]
    pub due: Option<NaiveDate>,
    /// An agreement's or open item's day to revisit.
    #[serde(default)]
    pub revisit: Option<NaiveDate>,
    /// The timing in words ("every evening", "when I feel ready").
    #[serde(default)]
    pub words: Option<String>,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub about: Option<String>,
    #[serde(default)]
    pub exercise: Option<String>,
}

/// The ledger's key: both names, trimmed, case-folded, in either order.
pub fn couple_key(partners: &[String; 2]) -> String {
    let mut names: Vec<String> = partners.iter().map(|n| normalized(n)).collect();
    names.sort();
    names.join("\n")
}

/// Whether two names are the same partner's, as the ledger's key reads
/// names: spacing and case aside.
pub fn same_partner(a: &str, b: &str) -> bool {
    normalized(a) == normalized(b)
}

fn normalized(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Seed {
    /// The seed as the records a run would have made at `at` (timing words
    /// read from that day), so a history can start from it.
    pub fn records(&self, at: DateTime<Utc>) -> Vec<Record> {
        let today = at.date_naive();
        let record = |kind, item: &SeedItem, day: Option<NaiveDate>| {
            let (owner, owners) = match item.owner.as_deref() {
                Some("both") | None => (None, Vec::new()),
                Some(name) => (Some(name.to_owned()), Vec::new()),
            };
            let (date, ongoing) = match (day, item.words.as_deref().map(|w| read_timing(w, today)))
            {
                (Some(day), _) => (Some(day), false),
                (None, Some(Timing::Day(day))) => (Some(day), false),
                (None, Some(Timing::Ongoing { since })) => (Some(since), true),
                (None, _) => (None, false),
            };
            Record {
                kind,
                step: "seed".to_owned(),
                exercise: item.exercise.clone().unwrap_or_default(),
                owner,
                owners,
                text: item.text.clone(),
                about: item.about.clone(),
                date,
                date_text: item.words.clone(),
                ongoing,
                topic: item.topic.clone(),
                at,
                item: None,
                status: None,
                new_text: None,
                private_words: Vec::new(),
            }
        };
        let records: Vec<Record> = self
            .commitments
            .iter()
            .map(|c| record(RecordKind::Commitment, c, c.due))
            .chain(
                self.agreements
                    .iter()
                    .map(|a| record(RecordKind::Agreement, a, a.revisit)),
            )
            .chain(
                self.open
                    .iter()
                    .map(|o| record(RecordKind::Open, o, o.revisit)),
            )
            .collect();
        records
    }
}

impl Ledger {
    pub fn new(partners: &[String; 2]) -> Ledger {
        Ledger {
            v: LEDGER_VERSION,
            partners: partners.clone(),
            items: Vec::new(),
            applied: Vec::new(),
        }
    }

    /// Adds a finished run's records, in order. `run_key` identifies the
    /// run; adding the same run again changes nothing. Returns whether
    /// anything was added.
    pub fn apply(&mut self, run_key: &str, session: &str, records: &[Record]) -> bool {
        if self.applied.iter().any(|k| k == run_key) {
            return false;
        }
        self.applied.push(run_key.to_owned());
        for record in records {
            let kind = match record.kind {
                RecordKind::Commitment => ItemKind::Commitment,
                RecordKind::Agreement => ItemKind::Agreement,
                RecordKind::Open => ItemKind::Open,
                RecordKind::Mark => {
                    self.mark(record, session);
                    continue;
                }
            };
            let owners = match (&record.owner, record.owners.is_empty()) {
                (_, false) => record.owners.clone(),
                (Some(owner), true) => vec![owner.clone()],
                (None, true) => self.partners.to_vec(),
            };
            let number = self.items.iter().filter(|i| i.kind == kind).count() + 1;
            self.items.push(Item {
                id: format!("{}{number}", kind.prefix()),
                kind,
                exercise: record.exercise.clone(),
                topic: record.topic.clone(),
                owners,
                text: record.text.clone(),
                about: record.about.clone(),
                date: record.date,
                date_text: record.date_text.clone(),
                ongoing: record.ongoing,
                made: record.at,
                session: session.to_owned(),
                status: ItemStatus::Open,
                history: Vec::new(),
                private_words: record.private_words.clone(),
            });
        }
        true
    }

    /// Applies a mark to the item it names. A mark that does not fit its
    /// item (the engine refuses those before they are recorded) changes
    /// nothing.
    fn mark(&mut self, record: &Record, session: &str) {
        let Some(action) = record.status.as_deref().and_then(Action::parse) else {
            return;
        };
        let Some(item) = self.marked(record) else {
            return;
        };
        if !action.fits(item.kind) {
            return;
        }
        let mut change = Change {
            action,
            at: record.at,
            session: session.to_owned(),
            old_text: None,
            date_text: None,
        };
        // Being renegotiated changes nothing of the item: the old words and
        // timing stand until new ones are agreed.
        if matches!(action, Action::Retried | Action::Renewed | Action::Changed) {
            if let Some(text) = record.new_text.as_ref().filter(|t| !t.is_empty()) {
                change.old_text = Some(std::mem::replace(&mut item.text, text.clone()));
            }
            if matches!(action, Action::Retried | Action::Renewed) || record.date_text.is_some() {
                item.date = record.date;
                item.date_text.clone_from(&record.date_text);
                item.ongoing = record.ongoing;
                change.date_text.clone_from(&record.date_text);
            }
        }
        item.status = action.status(item.ongoing);
        for word in &record.private_words {
            if !item.private_words.contains(word) {
                item.private_words.push(word.clone());
            }
        }
        item.history.push(change);
    }

    /// The item a mark is about: its id, when the words still match (ids
    /// are given in the order runs are added, which a rebuild from the
    /// journals may change), else the same owner and words.
    fn marked(&mut self, mark: &Record) -> Option<&mut Item> {
        let same = |i: &Item| i.text == mark.text && Some(i.owner()) == mark.owner;
        let by_id = self
            .items
            .iter()
            .position(|i| Some(i.id.as_str()) == mark.item.as_deref());
        let found = by_id
            .filter(|&i| same(&self.items[i]))
            .or_else(|| self.items.iter().position(same))
            .or(by_id)?;
        self.items.get_mut(found)
    }

    /// Adds a seed's items, as made at `at` (timing words read from that
    /// day).
    pub fn seed(&mut self, seed: &Seed, at: DateTime<Utc>) {
        self.apply("seed", "seed", &seed.records(at));
    }

    pub fn view(&self, today: NaiveDate) -> LedgerView {
        let items: Vec<ItemView> = self.items.iter().map(|i| item_view(i, today)).collect();
        let of = |kind: ItemKind| items.iter().filter(move |i| i.kind == kind.word());
        let mut open: Vec<ItemView> = of(ItemKind::Commitment)
            .filter(|c| c.live)
            .cloned()
            .collect();
        // Dated first, earliest first; habits and undated after, in the
        // order made.
        open.sort_by_key(|c| (c.due.is_empty(), c.due.clone()));
        let due: Vec<ItemView> = open
            .iter()
            .filter(|c| !c.due.is_empty() && c.due <= today.to_string())
            .cloned()
            .collect();
        let habits: Vec<ItemView> = open.iter().filter(|c| c.ongoing).cloned().collect();
        let agreements: Vec<ItemView> = of(ItemKind::Agreement)
            .filter(|a| a.live)
            .cloned()
            .collect();
        let revisit: Vec<ItemView> = agreements
            .iter()
            .filter(|a| a.revisit_due)
            .cloned()
            .collect();
        let pending: Vec<ItemView> = of(ItemKind::Open).filter(|o| o.live).cloned().collect();
        let words = items
            .iter()
            .filter(|i| i.live && i.kind != "open" && !i.ongoing && i.date.is_empty())
            .filter(|i| !i.date_text.is_empty());
        // An open item the partner gave a day ("in two weeks") waits for
        // it: the check-in does not raise it sooner than they chose.
        let pending_now = pending
            .iter()
            .filter(|o| o.date.is_empty() || o.revisit_due);
        let mut review: Vec<ItemView> = Vec::new();
        let reasons = [
            ("due", due.iter().collect::<Vec<_>>()),
            ("habit", habits.iter().collect()),
            ("revisit", revisit.iter().collect()),
            ("pending", pending_now.collect()),
            ("words", words.collect()),
        ];
        for (reason, list) in reasons {
            for item in list {
                if !review.iter().any(|r| r.id == item.id) {
                    review.push(ItemView {
                        reason: reason.to_owned(),
                        ..item.clone()
                    });
                }
            }
        }
        let mut by_exercise: BTreeMap<String, Vec<ItemView>> = BTreeMap::new();
        let mut by_topic: BTreeMap<String, Vec<ItemView>> = BTreeMap::new();
        for item in items.iter().filter(|i| i.live) {
            if !item.exercise.is_empty() {
                by_exercise
                    .entry(item.exercise.clone())
                    .or_default()
                    .push(item.clone());
            }
            if !item.topic.is_empty() {
                by_topic
                    .entry(item.topic.clone())
                    .or_default()
                    .push(item.clone());
            }
        }
        let month_ago = today
            .checked_sub_days(Days::new(31))
            .unwrap_or(today)
            .to_string();
        let mut marked: Vec<ItemView> = items
            .iter()
            .filter(|i| !i.marked.is_empty() && i.marked >= month_ago)
            .cloned()
            .collect();
        marked.sort_by(|a, b| a.marked.cmp(&b.marked));
        LedgerView {
            today: today.to_string(),
            open,
            due,
            commitments: of(ItemKind::Commitment).cloned().collect(),
            milestones: of(ItemKind::Agreement)
                .filter(|a| a.topic == "milestone" && (a.live || a.status == "reached"))
                .cloned()
                .collect(),
            agreements,
            revisit,
            habits,
            pending,
            review,
            by_exercise,
            by_topic,
            marked,
            items,
        }
    }
}

/// A stored ledger written by an older mend: everything in it comes from
/// the session journals, so it is rebuilt from them rather than converted.
pub fn older_version(bytes: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Version {
        v: u32,
    }
    serde_json::from_slice::<Version>(bytes).is_ok_and(|v| v.v < LEDGER_VERSION)
}

fn item_view(item: &Item, today: NaiveDate) -> ItemView {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    // A habit has a start, not a day it is due.
    let (day, since) = if item.ongoing {
        (String::new(), date(item.date))
    } else {
        (date(item.date), String::new())
    };
    let live = item.live();
    let date_text = item.date_text.clone().unwrap_or_default();
    let last = item.history.last();
    ItemView {
        id: item.id.clone(),
        kind: item.kind.word().to_owned(),
        exercise: item.exercise.clone(),
        topic: item.topic.clone().unwrap_or_default(),
        owner: item.owner(),
        owners: item.owners.clone(),
        both: item.owners.len() > 1,
        text: item.text.clone(),
        about: item.about.clone().unwrap_or_default(),
        ongoing: item.ongoing,
        since,
        status: item.status.word().to_owned(),
        live,
        overdue: live && item.date.is_some_and(|d| d < today) && !item.ongoing,
        made: item.made.date_naive().to_string(),
        mark: last.map(|c| c.action.word().to_owned()).unwrap_or_default(),
        marked: last
            .map(|c| c.at.date_naive().to_string())
            .unwrap_or_default(),
        reason: String::new(),
        history: item
            .history
            .iter()
            .map(|c| ChangeView {
                status: c.action.word().to_owned(),
                on: c.at.date_naive().to_string(),
                old_text: c.old_text.clone().unwrap_or_default(),
                date_text: c.date_text.clone().unwrap_or_default(),
            })
            .collect(),
        revisit_due: live && !item.ongoing && item.date.is_some_and(|d| d <= today),
        due: day.clone(),
        due_text: date_text.clone(),
        revisit: day.clone(),
        revisit_text: date_text.clone(),
        date: day,
        date_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(a: &str, b: &str) -> [String; 2] {
        [a.to_owned(), b.to_owned()]
    }

    #[test]
    fn the_key_ignores_order_case_and_spacing() {
        assert_eq!(
            couple_key(&names("Alex", "Sam")),
            couple_key(&names(" sam", "ALEX "))
        );
        assert_ne!(
            couple_key(&names("Alex", "Sam")),
            couple_key(&names("Alex", "Sasha"))
        );
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn record(kind: RecordKind, text: &str) -> Record {
        Record {
            kind,
            step: "s".into(),
            exercise: "ex".into(),
            owner: Some("Alex".into()),
            owners: Vec::new(),
            text: text.into(),
            about: None,
            date: Some(day(27)),
            date_text: Some("by Friday".into()),
            ongoing: false,
            topic: None,
            at: DateTime::<Utc>::UNIX_EPOCH,
            item: None,
            status: None,
            new_text: None,
            private_words: Vec::new(),
        }
    }

    fn mark(item: &str, owner: &str, text: &str, status: &str) -> Record {
        Record {
            item: Some(item.into()),
            status: Some(status.into()),
            owner: Some(owner.into()),
            date: None,
            date_text: None,
            ..record(RecordKind::Mark, text)
        }
    }

    #[test]
    fn a_run_is_added_once_and_marks_change_status() {
        let mut ledger = Ledger::new(&names("Alex", "Sam"));
        let made = [record(RecordKind::Commitment, "text when late")];
        assert!(ledger.apply("s1#1", "s1", &made));
        assert!(!ledger.apply("s1#1", "s1", &made));
        assert_eq!(ledger.items.len(), 1);
        let today = day(30);
        assert!(ledger.view(today).open[0].overdue);
        ledger.apply("s2#1", "s2", &[mark("c1", "Alex", "", "kept")]);
        assert_eq!(ledger.items[0].status, ItemStatus::Kept);
        assert_eq!(ledger.items[0].history.len(), 1);
        assert!(ledger.view(today).open.is_empty());
    }

    /// A commitment both agreed to renegotiate, whose new words are not
    /// agreed yet, stands as it was (words and timing, whatever the mark
    /// carries) and its history says it is being renegotiated.
    #[test]
    fn a_commitment_being_renegotiated_stands_as_it_was() {
        let mut ledger = Ledger::new(&names("Alex", "Sam"));
        ledger.apply(
            "s1#1",
            "s1",
            &[record(RecordKind::Commitment, "text when late")],
        );
        let before = ledger.items[0].clone();
        let renegotiating = Record {
            new_text: Some("call when late".into()),
            date_text: Some("from now on".into()),
            ..mark("c1", "Alex", "", "renegotiating")
        };
        ledger.apply("s2#1", "s2", &[renegotiating]);
        let item = &ledger.items[0];
        assert_eq!(item.status, ItemStatus::Open);
        assert_eq!(item.text, before.text);
        assert_eq!(item.date_text, before.date_text);
        assert_eq!(item.history[0].action, Action::Renegotiating);
        assert_eq!(ledger.view(day(30)).open[0].mark, "renegotiating");
        assert!(!Action::Renegotiating.fits(ItemKind::Agreement));
    }

    /// A one-off commitment missed and kept to try again stays in force,
    /// with its new timing, and its history says it was missed.
    #[test]
    fn a_retried_commitment_stays_open_and_remembers_it_was_missed() {
        let mut ledger = Ledger::new(&names("Alex", "Sam"));
        ledger.apply(
            "s1#1",
            "s1",
            &[record(RecordKind::Commitment, "text when late")],
        );
        let retried = Record {
            date_text: Some("after our next session".into()),
            ..mark("c1", "Alex", "", "retried")
        };
        ledger.apply("s2#1", "s2", &[retried]);
        let item = &ledger.items[0];
        assert_eq!(item.status, ItemStatus::Open);
        assert_eq!(item.date_text.as_deref(), Some("after our next session"));
        assert_eq!(item.history[0].action, Action::Retried);
        let view = ledger.view(day(30));
        assert_eq!(view.open.len(), 1);
        assert_eq!(view.open[0].mark, "retried");
        // Only commitments are retried.
        assert!(!Action::Retried.fits(ItemKind::Agreement));
    }

    /// The lifecycle of every kind, as events: made, renewed, changed,
    /// retired, reached, settled; kept and missed leave a habit going.
    #[test]
    fn items_live_through_their_events() {
        let mut ledger = Ledger::new(&names("Alex", "Sam"));
        let agreement = Record {
            owner: None,
            topic: Some("pacing".into()),
            date: None,
            date_text: Some("when I feel ready".into()),
            ..record(RecordKind::Agreement, "One hard talk a week")
        };
        let milestone = Record {
            owner: None,
            topic: Some("milestone".into()),
            date: Some(day(28)),
            ..record(RecordKind::Agreement, "Six check-ins in a row")
        };
        let habit = Record {
            owners: names("Alex", "Sam").to_vec(),
            owner: None,
            ongoing: true,
            date: Some(day(25)),
            date_text: Some("every evening".into()),
            ..record(RecordKind::Commitment, "A walk together")
        };
        let pause = Record {
            owner: Some("Sam".into()),
            about: Some("Phones at dinner".into()),
            date: None,
            date_text: None,
            ..record(RecordKind::Open, "I need time to think")
        };
        ledger.apply("s1#1", "s1", &[agreement, milestone, habit, pause]);
        let view = ledger.view(day(30));
        let ids: Vec<(&str, &str)> = view
            .review
            .iter()
            .map(|i| (i.id.as_str(), i.reason.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("c1", "habit"),
                ("a2", "revisit"),
                ("o1", "pending"),
                ("a1", "words")
            ]
        );
        assert_eq!(view.habits[0].owner, "Alex and Sam");
        assert!(view.habits[0].both);
        assert_eq!(view.habits[0].since, "2026-11-25");
        assert_eq!(view.habits[0].due, "", "a habit is never due on a day");
        assert!(view.due.is_empty());
        assert_eq!(view.by_topic["pacing"][0].text, "One hard talk a week");
        assert_eq!(view.by_exercise["ex"].len(), 4);
        assert_eq!(view.pending[0].about, "Phones at dinner");

        let renewed = Record {
            date: Some(day(30)),
            date_text: Some("in 2 weeks".into()),
            ..mark("a1", "Alex and Sam", "One hard talk a week", "renewed")
        };
        let changed = Record {
            new_text: Some("One hard talk a fortnight".into()),
            ..mark("a1", "Alex and Sam", "One hard talk a week", "changed")
        };
        ledger.apply(
            "s2#1",
            "s2",
            &[
                renewed,
                changed,
                mark("a2", "Alex and Sam", "Six check-ins in a row", "reached"),
                mark("c1", "Alex and Sam", "A walk together", "kept"),
                mark("o1", "Sam", "I need time to think", "settled"),
            ],
        );
        let view = ledger.view(day(30));
        let a1 = &view.items[0];
        assert_eq!(a1.text, "One hard talk a fortnight");
        assert_eq!(a1.date, "2026-11-30");
        assert_eq!(a1.history[1].old_text, "One hard talk a week");
        assert_eq!(view.milestones[0].status, "reached");
        assert_eq!(view.habits.len(), 1, "a kept habit keeps going");
        assert_eq!(view.habits[0].mark, "kept");
        assert!(view.pending.is_empty());
        ledger.apply(
            "s3#1",
            "s3",
            &[mark(
                "a1",
                "Alex and Sam",
                "One hard talk a fortnight",
                "retired",
            )],
        );
        let view = ledger.view(day(30));
        assert!(!view.by_topic.contains_key("pacing"));
        assert_eq!(view.items[0].status, "retired");
    }

    /// A monthly review reads the last 31 days' marks, latest last, each
    /// with its word and day.
    #[test]
    fn this_months_marks_are_listed_with_their_word_and_day() {
        let mut ledger = Ledger::new(&names("Alex", "Sam"));
        let made = [
            record(RecordKind::Commitment, "Text when late"),
            record(RecordKind::Commitment, "Walk on Sunday"),
            record(RecordKind::Commitment, "Call on Friday"),
        ];
        ledger.apply("s1#1", "s1", &made);
        let on = |d: u32| day(d).and_hms_opt(18, 0, 0).unwrap().and_utc();
        let marks = [
            Record {
                at: on(29),
                ..mark("c2", "Alex", "Walk on Sunday", "missed")
            },
            Record {
                at: on(20),
                ..mark("c1", "Alex", "Text when late", "kept")
            },
            Record {
                at: DateTime::<Utc>::UNIX_EPOCH,
                ..mark("c3", "Alex", "Call on Friday", "kept")
            },
        ];
        ledger.apply("s2#1", "s2", &marks);
        let view = ledger.view(day(30));
        let marked: Vec<(&str, &str, &str)> = view
            .marked
            .iter()
            .map(|i| (i.id.as_str(), i.mark.as_str(), i.marked.as_str()))
            .collect();
        assert_eq!(
            marked,
            [("c1", "kept", "2026-11-20"), ("c2", "missed", "2026-11-29")]
        );
    }

    /// Marks that do not fit their item (the engine refuses them) change
    /// nothing if a journal holds one anyway.
    #[test]
    fn a_mark_that_does_not_fit_changes_nothing() {
        let mut ledger = Ledger::new(&names("Alex", "Sam"));
        let agreement = Record {
            owner: None,
            ..record(RecordKind::Agreement, "No phones at dinner")
        };
        ledger.apply("s1#1", "s1", &[agreement]);
        ledger.apply(
            "s2#1",
            "s2",
            &[mark("a1", "Alex and Sam", "No phones at dinner", "kept")],
        );
        assert_eq!(ledger.items[0].status, ItemStatus::Open);
        assert!(ledger.items[0].history.is_empty());
    }

    /// A "not yet" timed to a day is not raised before it; one timed in
    /// words, or not timed, is raised at every check-in.
    #[test]
    fn an_open_item_given_a_day_waits_for_it() {
        let mut ledger = Ledger::new(&names("Alex", "Sam"));
        let later = Record {
            owner: Some("Alex".into()),
            date: Some(day(16)),
            date_text: Some("in two weeks".into()),
            ..record(RecordKind::Open, "Not yet; I need more time")
        };
        let ready = Record {
            owner: Some("Alex".into()),
            date: None,
            date_text: Some("when I feel ready".into()),
            ..record(RecordKind::Open, "Not until I feel ready")
        };
        ledger.apply("s1#1", "s1", &[later, ready]);
        let raised =
            |on| -> Vec<String> { ledger.view(on).review.into_iter().map(|i| i.id).collect() };
        assert_eq!(raised(day(2)), ["o2"]);
        assert_eq!(raised(day(16)), ["o1", "o2"]);
        assert_eq!(
            ledger.view(day(2)).pending.len(),
            2,
            "still open, only not raised"
        );
    }

    /// Snapshots in journals written before items existed still load.
    #[test]
    fn an_old_snapshot_loads() {
        let old = r#"{"today":"2026-11-30","open":[{"id":"c1","owner":"Alex","text":"t","due":"","due_text":"","status":"open","overdue":false,"made":"2026-11-01"}],"due":[],"commitments":[],"agreements":[],"revisit":[]}"#;
        let view: LedgerView = serde_json::from_str(old).unwrap();
        assert_eq!(view.open[0].owner, "Alex");
        assert!(view.review.is_empty());
    }
}
