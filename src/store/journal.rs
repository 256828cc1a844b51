//! A session's journal: one append-only file of JSON lines, each line complete
//! on its own. A `start` line names the partners; an `exercise` line begins
//! each exercise (naming the file's text, kept once in the data folder by
//! `exercise_texts`, so a resumed or re-read session sees the exercise
//! exactly as it was played); the first save of an exercise is a
//! whole `state` line and every later one a `change` line holding only what
//! changed (`state_delta`), written and fsynced before the next prompt;
//! `moment` lines record breaks, resumes, nudges and the like.
//! docs/sessions.md describes the format. Version 1 journals (a whole
//! `state` line after every change) read as before.
//!
//! Past `limits::JOURNAL_COMPACT_BYTES`, and when an exercise in which an
//! answer was revised with `:back` ends, the file is rewritten (atomically)
//! with only what readers use: each exercise's state as one line, so an
//! answer replaced through `:back` is not kept.

use crate::engine::ledger::LedgerView;
use crate::engine::state::RunState;
use crate::limits;
use crate::store::data_dir::session_temps;
use crate::store::moment::Moment;
use crate::store::private;
use crate::store::save_error::SaveError;
use crate::store::state_delta::{self, StateChange};
use crate::store::store_error::{Doing, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Bumped when a line's shape changes incompatibly. Version 2 added
/// `change` and `moment` lines; version 3 names the exercise's text by its
/// SHA-256 (`text_sha256`) instead of holding it. Versions 1 and 2 still read.
pub const JOURNAL_VERSION: u32 = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Line {
    Start(Start),
    Exercise(Box<ExerciseHeader>),
    State(Box<Snapshot>),
    Change(Box<Change>),
    Moment(Box<Moment>),
}

/// What changed in the current exercise's state since the line before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// When it was saved; left out when that is when the answer it adds
    /// was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub change: StateChange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Start {
    pub v: u32,
    pub session: String,
    pub started: DateTime<Utc>,
    pub partners: [String; 2],
}

/// Which exercise, which version of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseRef {
    pub id: String,
    pub version: u32,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseHeader {
    pub exercise: ExerciseRef,
    pub began: DateTime<Utc>,
    /// The file it was read from; `None` for an exercise from the library.
    pub path: Option<PathBuf>,
    /// The exercise file's text as it was played, in the journal itself
    /// (journals before version 3; empty since).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Since version 3: the SHA-256 of that text, which the data folder
    /// keeps once for every journal that names it (`exercise_texts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_sha256: Option<String>,
    /// The shared word lists the exercise read as it was played (JSON, a
    /// list name to its phrases), kept like the text and named by its
    /// SHA-256: the same lists for every run, so no run's state holds them.
    /// Journals before it kept them in the run's variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words_sha256: Option<String>,
    /// The couple's ledger as the exercise saw it.
    #[serde(default)]
    pub ledger: LedgerView,
    /// True when a resumed run continues on an edited file: this header
    /// replaces the one before it, for the same run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub edited: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub exercise: ExerciseRef,
    pub saved: DateTime<Utc>,
    pub state: RunState,
}

/// Appends lines and makes each durable before returning.
#[derive(Debug)]
pub struct Journal {
    file: File,
    path: PathBuf,
    /// Bytes in the file.
    len: u64,
    /// Past this size the file is compacted.
    compact_at: u64,
    /// The current exercise's state as last written: changes are taken
    /// from it.
    base: Option<RunState>,
    /// Whether an answer of the current exercise was revised with `:back`.
    revised: bool,
}

/// A state line over `limits::JOURNAL_STATE_BYTES`: it was not written, so
/// the journal still ends with the state before the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateTooLarge {
    pub bytes: usize,
}

impl StateTooLarge {
    /// What the couple reads when an answer is refused for it.
    pub fn refusal(&self) -> String {
        format!(
            "That answer would make this exercise's record larger than mend can keep ({} for one exercise), so it was not taken; everything you said before it is saved. A shorter answer may fit, or type :quit and go on in a new exercise.",
            state_limit()
        )
    }
}

impl fmt::Display for StateTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "this exercise's record would be {} bytes, more than the {} mend keeps for one exercise, so the last change was not saved; everything before it is",
            self.bytes,
            state_limit()
        )
    }
}

impl std::error::Error for StateTooLarge {}

fn state_limit() -> String {
    format!("{} MiB", limits::JOURNAL_STATE_BYTES / (1024 * 1024))
}

/// When to compact next: past the limit, and not before the file has doubled,
/// so a journal whose needed lines are already large is not rewritten after
/// every answer (the cost of compacting stays proportional to what was written).
fn compact_after(len: u64) -> u64 {
    (limits::JOURNAL_COMPACT_BYTES as u64).max(len.saturating_mul(2))
}

impl Journal {
    /// Creates a new journal; fails if one is already there.
    pub fn create(path: &Path) -> Result<Journal, StoreError> {
        let file = private::create_new_append(path)
            .doing(|| format!("cannot create session journal `{}`", path.display()))?;
        Ok(Journal {
            file,
            path: path.to_owned(),
            len: 0,
            compact_at: compact_after(0),
            base: None,
            revised: false,
        })
    }

    /// Opens an existing journal for appending, first cutting off a torn
    /// last line (at `valid_len`) so new lines never follow a broken one.
    /// `base` is the last exercise's state as the journal holds it.
    pub fn reopen(
        path: &Path,
        valid_len: u64,
        base: Option<RunState>,
    ) -> Result<Journal, StoreError> {
        let file = private::open_append(path)
            .doing(|| format!("cannot open session journal `{}`", path.display()))?;
        if file.metadata()?.len() > valid_len {
            file.set_len(valid_len)?;
            file.sync_data()?;
        }
        Ok(Journal {
            file,
            path: path.to_owned(),
            len: valid_len,
            compact_at: compact_after(0),
            base,
            revised: false,
        })
    }

    /// Begins an exercise: its header, after which states are its own.
    pub fn begin(&mut self, header: ExerciseHeader) -> Result<(), SaveError> {
        if !header.edited {
            self.base = None;
            self.revised = false;
        }
        self.append(&Line::Exercise(Box::new(header)))
    }

    /// Saves the current exercise's state: whole the first time, then only
    /// what changed. A change too large is refused with `StateTooLarge`
    /// and nothing is written.
    pub fn save(
        &mut self,
        exercise: &ExerciseRef,
        saved: DateTime<Utc>,
        state: &RunState,
    ) -> Result<(), SaveError> {
        let whole = || {
            Line::State(Box::new(Snapshot {
                exercise: exercise.clone(),
                saved,
                state: state.clone(),
            }))
        };
        let line = match &self.base {
            Some(base) => {
                let change = state_delta::diff(base, state);
                let revised = change
                    .answers
                    .as_ref()
                    .is_some_and(|t| t.keep < base.answers.len());
                self.revised |= revised;
                let answered = change
                    .answers
                    .as_ref()
                    .and_then(|t| t.add.last())
                    .map(|a| a.at);
                let saved = (answered != Some(saved)).then_some(saved);
                Line::Change(Box::new(Change { saved, change }))
            }
            None => whole(),
        };
        // The whole state is what the limit is about, however it is written.
        let whole_bytes = match &line {
            Line::State(_) => None,
            _ => Some(
                serde_json::to_vec(&whole())
                    .map_err(|e| SaveError::Io(e.into()))?
                    .len()
                    + 1,
            ),
        };
        if let Some(bytes) = whole_bytes.filter(|&b| b > limits::JOURNAL_STATE_BYTES) {
            return Err(StateTooLarge { bytes }.into());
        }
        self.append(&line)?;
        self.base = Some(state.clone());
        // An exercise over: what `:back` replaced is not kept.
        if state.cursor.at.is_none() && std::mem::take(&mut self.revised) {
            let compacted = self.compact().doing(|| {
                format!(
                    "the last change is saved, but session journal `{}` could not be compacted",
                    self.path.display()
                )
            });
            compacted?;
        }
        Ok(())
    }

    /// Records a moment of the sitting (a break, a nudge...).
    pub fn moment(&mut self, moment: Moment) -> Result<(), SaveError> {
        self.append(&Line::Moment(Box::new(moment)))
    }

    /// Writes `line` durably. A state line over `limits::JOURNAL_STATE_BYTES`
    /// is refused with `StateTooLarge` and nothing is written.
    pub fn append(&mut self, line: &Line) -> Result<(), SaveError> {
        let mut bytes = serde_json::to_vec(line).map_err(|e| SaveError::Io(e.into()))?;
        bytes.push(b'\n');
        if matches!(line, Line::State(_)) && bytes.len() > limits::JOURNAL_STATE_BYTES {
            return Err(StateTooLarge { bytes: bytes.len() }.into());
        }
        // One write per line: a crash leaves at most this line torn.
        self.file
            .write_all(&bytes)
            .and_then(|()| self.file.sync_data())
            .doing(|| format!("cannot write session journal `{}`", self.path.display()))?;
        self.len += bytes.len() as u64;
        if self.len > self.compact_at {
            self.compact().doing(|| {
                format!(
                    "the last change is saved, but session journal `{}` could not be compacted",
                    self.path.display()
                )
            })?;
        }
        Ok(())
    }

    /// Rewrites the file with only the lines readers use (see `Folded`).
    /// `write_atomic` makes a crash leave the old file or the new one, whole.
    /// The session's lock is a separate file, so it holds throughout; the
    /// journal itself is a new file afterwards, so it is opened again.
    fn compact(&mut self) -> Result<(), StoreError> {
        let read = read(&self.path)?;
        let mut bytes = Vec::new();
        for line in fold(read.lines).lines() {
            serde_json::to_writer(&mut bytes, &line)?;
            bytes.push(b'\n');
        }
        // The temp file in the journals' own temp folder (`session_temps`).
        let folder = self.path.parent().unwrap_or(Path::new("."));
        let temps = session_temps(folder);
        private::ensure_dir(&temps, true)
            .doing(|| format!("cannot use folder `{}`", temps.display()))?;
        private::write_atomic_in(&self.path, &bytes, &temps)
            .doing(|| format!("cannot write `{}`", self.path.display()))?;
        self.file = private::open_append(&self.path)
            .doing(|| format!("cannot open session journal `{}`", self.path.display()))?;
        self.len = bytes.len() as u64;
        self.compact_at = compact_after(self.len);
        Ok(())
    }
}

/// A journal as its readers see it: the start line, moments before any
/// exercise, and for each exercise its header, its last state and its
/// moments. `lines` is the compacted journal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Folded {
    pub start: Option<Start>,
    pub moments: Vec<Moment>,
    pub runs: Vec<FoldedRun>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FoldedRun {
    /// The run's header; an `edited` header has replaced the one before it.
    pub header: ExerciseHeader,
    pub last: Option<Snapshot>,
    /// Breaks, resumes, nudges... during this exercise, oldest first.
    pub moments: Vec<Moment>,
}

/// Reads lines in order: the last start line counts, an `edited` header
/// replaces the current run's header, a state line replaces the current
/// run's state and a change line changes it (either before any header
/// belongs to no run and is dropped, as is a change with no state before
/// it), a moment belongs to the current run.
pub fn fold(lines: Vec<Line>) -> Folded {
    let mut folded = Folded::default();
    for line in lines {
        match line {
            Line::Start(start) => folded.start = Some(start),
            Line::Exercise(mut header) => {
                let replaces = header.edited;
                // Folded, the header is simply the run's own.
                header.edited = false;
                match folded.runs.last_mut() {
                    Some(run) if replaces => run.header = *header,
                    _ => folded.runs.push(FoldedRun {
                        header: *header,
                        last: None,
                        moments: Vec::new(),
                    }),
                }
            }
            Line::State(snapshot) => {
                if let Some(run) = folded.runs.last_mut() {
                    run.last = Some(*snapshot);
                }
            }
            Line::Change(change) => {
                if let Some(last) = folded.runs.last_mut().and_then(|r| r.last.as_mut()) {
                    last.state = state_delta::apply(&last.state, &change.change);
                    let answered = change
                        .change
                        .answers
                        .as_ref()
                        .and_then(|t| t.add.last())
                        .map(|a| a.at);
                    if let Some(saved) = change.saved.or(answered) {
                        last.saved = saved;
                    }
                }
            }
            Line::Moment(moment) => match folded.runs.last_mut() {
                Some(run) => run.moments.push(*moment),
                None => folded.moments.push(*moment),
            },
        }
    }
    folded
}

impl Folded {
    /// The fewest lines that fold back to the same thing.
    pub fn lines(self) -> Vec<Line> {
        let mut lines: Vec<Line> = self.start.into_iter().map(Line::Start).collect();
        lines.extend(self.moments.into_iter().map(|m| Line::Moment(Box::new(m))));
        for run in self.runs {
            lines.push(Line::Exercise(Box::new(run.header)));
            lines.extend(run.last.map(|s| Line::State(Box::new(s))));
            lines.extend(run.moments.into_iter().map(|m| Line::Moment(Box::new(m))));
        }
        lines
    }
}

/// A journal read back: its good lines, how many bytes they cover, and a
/// warning when a torn last line was skipped.
#[derive(Debug, Clone, Default)]
pub struct Read {
    pub lines: Vec<Line>,
    pub valid_len: u64,
    pub warning: Option<String>,
}

/// Reads journal bytes. A last line that is cut off or unreadable is what a
/// crash mid-write leaves: it is skipped with a warning. An unreadable line
/// anywhere else means the file was damaged: an error naming the line.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Read, StoreError> {
    let mut read = Read::default();
    let mut offset = 0usize;
    let mut number = 0usize;
    while offset < bytes.len() {
        number += 1;
        let rest = &bytes[offset..];
        let (text, complete) = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (&rest[..end], true),
            None => (rest, false),
        };
        let next = offset + text.len() + usize::from(complete);
        let is_last = next >= bytes.len();
        if text.iter().all(u8::is_ascii_whitespace) && complete {
            offset = next;
            read.valid_len = next as u64;
            continue;
        }
        match serde_json::from_slice::<Line>(text)
            .ok()
            .filter(|_| complete)
        {
            Some(line) => read.lines.push(line),
            // A line cut off by a crash has no newline; a whole line that
            // does not read is damage, and is never cut away on resuming.
            None if is_last && !complete => {
                read.warning = Some(format!(
                    "the last line of session journal `{name}` (line {number}) was cut off, probably by a crash while it was written; it was skipped, and everything before it is kept"
                ));
                break;
            }
            None => {
                let why = match serde_json::from_slice::<Line>(text) {
                    // serde_json counts lines within the line: only the column helps.
                    Err(e) => e.to_string().replace(" at line 1 column ", " at column "),
                    Ok(_) => "the line is incomplete".to_owned(),
                };
                return Err(StoreError::Refused(format!(
                    "session journal `{name}` is damaged at line {number}: {why}\n(mend will not guess at what it held; a copy of the file with that line removed would load)"
                )));
            }
        }
        offset = next;
        read.valid_len = next as u64;
    }
    Ok(read)
}

pub fn read(path: &Path) -> Result<Read, StoreError> {
    let bytes = private::read(path)
        .doing(|| format!("cannot read session journal `{}`", path.display()))?;
    parse(&path.display().to_string(), &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> Line {
        Line::Start(Start {
            v: JOURNAL_VERSION,
            session: "s".into(),
            started: DateTime::<Utc>::UNIX_EPOCH,
            partners: ["Alex".into(), "Sam".into()],
        })
    }

    fn text(lines: &[Line]) -> Vec<u8> {
        let mut out = Vec::new();
        for line in lines {
            out.extend(serde_json::to_vec(line).unwrap());
            out.push(b'\n');
        }
        out
    }

    #[test]
    fn a_torn_last_line_is_skipped_with_a_warning() {
        let mut bytes = text(&[start(), start()]);
        let whole = bytes.len();
        bytes.truncate(whole - 10);
        let read = parse("j", &bytes).unwrap();
        assert_eq!(read.lines.len(), 1);
        assert!(read.warning.unwrap().contains("(line 2) was cut off"));
        assert_eq!(read.valid_len as usize, text(&[start()]).len());
    }

    #[test]
    fn a_damaged_line_in_the_middle_is_an_error_naming_it() {
        let mut bytes = b"{\"t\":\"start\", oops\n".to_vec();
        bytes.extend(text(&[start()]));
        let error = parse("j.jsonl", &bytes).unwrap_err().to_string();
        assert!(
            error.starts_with("session journal `j.jsonl` is damaged at line 1:"),
            "{error}"
        );
    }

    pub(super) fn header(id: &str, edited: bool) -> Line {
        Line::Exercise(Box::new(ExerciseHeader {
            exercise: ExerciseRef {
                id: id.into(),
                version: 1,
                hash: "h".into(),
            },
            began: DateTime::<Utc>::UNIX_EPOCH,
            path: None,
            text: format!("title: {id}"),
            text_sha256: None,
            words_sha256: None,
            ledger: LedgerView::default(),
            edited,
        }))
    }

    /// A state line whose one variable holds `said`.
    pub(super) fn state(id: &str, said: &str) -> Line {
        let cursor = crate::engine::state::Cursor {
            at: Some("ask".into()),
            waiting: true,
            round: 0,
            vars: [("said".to_owned(), said.into())].into_iter().collect(),
            visits: Default::default(),
            nudged: Vec::new(),
            nudged_answer: None,
            turn: 0,
        };
        Line::State(Box::new(Snapshot {
            exercise: ExerciseRef {
                id: id.into(),
                version: 1,
                hash: "h".into(),
            },
            saved: DateTime::<Utc>::UNIX_EPOCH,
            state: RunState {
                state_version: crate::engine::state::STATE_VERSION,
                exercise: id.into(),
                exercise_version: 1,
                partners: ["Alex".into(), "Sam".into()],
                bindings: vec![0],
                cursor,
                answers: Vec::new(),
                records: Vec::new(),
                trail: Vec::new(),
            },
        }))
    }

    #[test]
    fn a_journal_past_the_threshold_keeps_only_what_readers_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.jsonl");
        let mut journal = Journal::create(&path).unwrap();
        let mut appended = vec![start(), header("a", false), state("a", "first")];
        let big = "x".repeat(limits::JOURNAL_COMPACT_BYTES / 8);
        appended.extend((0..6).map(|n| state("a", &format!("{n}{big}"))));
        appended.extend([header("b", false), header("b", true)]);
        appended.extend((0..6).map(|n| state("b", &format!("{n}{big}"))));
        for line in &appended {
            journal.append(line).unwrap();
        }
        let lines = read(&path).unwrap().lines;
        assert!(lines.len() < appended.len(), "{} lines", lines.len());
        assert_eq!(fold(lines), fold(appended.clone()));
        // Appends after a compaction go to the new file.
        appended.push(state("b", "last"));
        journal.append(appended.last().unwrap()).unwrap();
        assert_eq!(fold(read(&path).unwrap().lines), fold(appended));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Nothing beside it but the (empty) temp folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        assert_eq!(
            std::fs::read_dir(session_temps(dir.path()))
                .unwrap()
                .count(),
            0
        );
    }

    #[test]
    fn a_state_past_the_limit_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.jsonl");
        let mut journal = Journal::create(&path).unwrap();
        journal.append(&start()).unwrap();
        journal.append(&header("a", false)).unwrap();
        let before = std::fs::read(&path).unwrap();
        let error = journal
            .append(&state("a", &"x".repeat(limits::JOURNAL_STATE_BYTES)))
            .unwrap_err();
        assert!(matches!(error, SaveError::TooLarge(_)), "{error}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn every_prefix_loads() {
        let bytes = text(&[start(), start(), start()]);
        for cut in 0..=bytes.len() {
            let read = parse("j", &bytes[..cut]).unwrap();
            assert!(read.lines.len() <= 3);
            assert!(read.valid_len as usize <= cut);
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn line(a: String, b: String, seconds: i64) -> Line {
        Line::Start(Start {
            v: JOURNAL_VERSION,
            session: format!("{a}{b}"),
            started: DateTime::<Utc>::from_timestamp(seconds, 0).unwrap_or_default(),
            partners: [a, b],
        })
    }

    fn any_line() -> impl Strategy<Value = Line> {
        prop_oneof![
            "[a-c]".prop_map(|a| line(a, "b".into(), 0)),
            ("[a-c]", any::<bool>()).prop_map(|(id, edited)| super::tests::header(&id, edited)),
            ("[a-c]", "[x-z]{0,3}").prop_map(|(id, said)| super::tests::state(&id, &said)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A compacted journal reads back as the whole one did, and
        /// compacting it again changes nothing.
        #[test]
        fn a_compacted_journal_reads_the_same(lines in prop::collection::vec(any_line(), 0..24)) {
            let folded = fold(lines);
            let compacted = folded.clone().lines();
            prop_assert_eq!(&fold(compacted.clone()), &folded);
            prop_assert_eq!(fold(compacted.clone()).lines(), compacted);
        }

        /// Any prefix of a journal loads: whole lines come back as written,
        /// a cut line is skipped, never an error.
        #[test]
        fn any_prefix_of_a_journal_loads(
            texts in prop::collection::vec((".{0,40}", "\\PC{0,40}", 0i64..4_000_000_000), 1..6),
            cut in 0.0f64..=1.0,
        ) {
            let lines: Vec<Line> = texts.into_iter().map(|(a, b, s)| line(a, b, s)).collect();
            let mut bytes = Vec::new();
            let mut ends = Vec::new();
            for line in &lines {
                bytes.extend(serde_json::to_vec(line).unwrap());
                bytes.push(b'\n');
                ends.push(bytes.len());
            }
            let cut = ((bytes.len() as f64) * cut) as usize;
            let read = parse("j", &bytes[..cut]).unwrap();
            let whole = ends.iter().filter(|&&end| end <= cut).count();
            prop_assert_eq!(&read.lines[..], &lines[..whole]);
            prop_assert_eq!(read.warning.is_some(), whole < lines.len() && cut > ends.get(whole.wrapping_sub(1)).copied().unwrap_or(0));
        }
    }
}
