//! A session on disk: its journal and its lock, and the `save` hook every
//! front-end hands to `play`. `mend run`, `mend resume` and `mend session`
//! all go through `Session`, so every run is journaled the same way.

use crate::diagnostic::report::Diagnostics;
use crate::diagnostic::source::Source;
use crate::engine::exercise::Exercise;
use crate::engine::ledger::LedgerView;
use crate::engine::relocate::{Placement, relocate};
use crate::engine::run::Run;
use crate::engine::state::RunState;
use crate::format::compiler::compile;
use crate::format::library::{Library, read_source};
use crate::format::word_lists::WordLists;
use crate::store::data_dir::DataDir;
use crate::store::exercise_texts;
use crate::store::journal::{ExerciseHeader, ExerciseRef, JOURNAL_VERSION, Journal, Line, Start};
use crate::store::kept_private;
use crate::store::ledger_log;
use crate::store::lock::SessionLock;
use crate::store::moment::{Moment, MomentKind};
use crate::store::save_error::SaveError;
pub use crate::store::session_log::{RunLog, SessionLog, find, newest_waiting};
use crate::store::store_error::StoreError;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

pub type Clock = Box<dyn Fn() -> DateTime<Utc>>;

/// The time as journals keep it: to the millisecond (finer says nothing
/// about a conversation and costs bytes on every line).
pub fn now() -> DateTime<Utc> {
    use chrono::DurationRound;
    let now = Utc::now();
    now.duration_trunc(chrono::TimeDelta::milliseconds(1))
        .unwrap_or(now)
}

pub struct Session {
    id: String,
    data: DataDir,
    partners: [String; 2],
    journal: Journal,
    _lock: SessionLock,
    clock: Clock,
    /// Exercises begun in this session, counting from 1.
    runs: usize,
    current: Option<ExerciseRef>,
    /// Whether the current run's records are in the ledger yet.
    recorded: bool,
    /// Things to tell the couple (a lock taken over, a torn line skipped).
    notices: Vec<String>,
    /// The current run's answers a partner kept out of the notes
    /// (`:private`), by place: records holding their words are marked so.
    private: Vec<usize>,
}

/// An unfinished exercise, loaded and fitted to its saved state, ready for
/// `Session::resume_run`.
pub struct Pending {
    pub exercise: Exercise,
    pub state: Option<RunState>,
    pub ledger: LedgerView,
    /// What changed since, to tell the couple before the question appears.
    pub messages: Vec<String>,
    /// The answers kept private so far (see `Session::private`).
    private: Vec<usize>,
    /// A new header to journal when the run continues on an edited file.
    header: Option<ExerciseHeader>,
}

impl Session {
    /// Starts a new session for two partners.
    pub fn create(
        data: &DataDir,
        partners: [String; 2],
        clock: Clock,
    ) -> Result<Session, StoreError> {
        ledger_log::ensure_histories(data)?;
        let dir = data.sessions();
        data.ensure(&dir)?;
        let started = clock();
        // Sessions started in one process in the same second (a server's
        // sittings; the clock may not give sub-seconds) differ by a count.
        static STARTED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let count = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut suffix = (std::process::id() as u64 ^ u64::from(started.timestamp_subsec_nanos()))
            .wrapping_add(count.wrapping_mul(0x9e37));
        loop {
            let id = format!(
                "{}-{:04x}",
                started.format("%Y%m%d-%H%M%S"),
                suffix & 0xffff
            );
            let path = dir.join(format!("{id}.jsonl"));
            if path.exists() {
                suffix = suffix.wrapping_mul(31).wrapping_add(7);
                continue;
            }
            let (lock, _) = SessionLock::acquire(&dir.join(format!("{id}.lock")), &id)?;
            // Listed before it exists: an id without a journal is passed
            // over, a journal missing from the index would be hard to find.
            crate::store::session_index::add(data, &id, || {
                crate::store::session_log::journal_ids(data)
            })?;
            let journal = Journal::create(&path)?;
            let mut session = Session {
                id: id.clone(),
                data: data.clone(),
                partners: partners.clone(),
                journal,
                _lock: lock,
                clock,
                runs: 0,
                current: None,
                recorded: false,
                notices: Vec::new(),
                private: Vec::new(),
            };
            session.journal.append(&Line::Start(Start {
                v: JOURNAL_VERSION,
                session: id,
                started,
                partners,
            }))?;
            return Ok(session);
        }
    }

    /// Opens a saved session to continue it: takes its lock (or says it is
    /// open elsewhere) and cuts off a torn last line.
    pub fn reopen(data: &DataDir, log: &SessionLog, clock: Clock) -> Result<Session, StoreError> {
        let dir = data.sessions();
        let (lock, note) = SessionLock::acquire(&dir.join(format!("{}.lock", log.id)), &log.id)?;
        // Read again under the lock: the file may have grown since.
        let log = SessionLog::read(&log.path)?;
        let Some(partners) = log.partners().cloned() else {
            return Err(StoreError::Refused(format!(
                "session {} has no partners recorded; there is nothing to resume",
                log.id
            )));
        };
        ledger_log::ensure_histories(data)?;
        let base = log.runs.last().and_then(|r| r.state.clone());
        let journal = Journal::reopen(&log.path, log.valid_len, base)?;
        let mut notices: Vec<String> = note.into_iter().collect();
        notices.extend(log.warning.clone());
        Ok(Session {
            id: log.id.clone(),
            data: data.clone(),
            partners,
            journal,
            _lock: lock,
            clock,
            runs: log.runs.len(),
            current: log.runs.last().map(|r| r.header.exercise.clone()),
            recorded: log.runs.last().is_some_and(RunLog::finished),
            notices,
            private: Vec::new(),
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn partners(&self) -> &[String; 2] {
        &self.partners
    }

    pub fn data(&self) -> &DataDir {
        &self.data
    }

    /// Notes for the couple gathered while opening the session.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// The couple's ledger as exercises see it today.
    pub fn ledger_view(&self) -> Result<LedgerView, StoreError> {
        let ledger = ledger_log::read(&self.data, &self.partners)?.ledger();
        let mut view = ledger.view((self.clock)().date_naive());
        // Names are matched ignoring case; show them as typed today, so
        // `owner == speaker` holds in scripts.
        for c in view
            .open
            .iter_mut()
            .chain(&mut view.due)
            .chain(&mut view.commitments)
        {
            if let Some(name) = self
                .partners
                .iter()
                .find(|p| p.to_lowercase() == c.owner.to_lowercase())
            {
                c.owner = name.clone();
            }
        }
        Ok(view)
    }

    /// Begins an exercise: journals it and returns its run, which sees the
    /// couple's ledger. `path` is the file it came from, if not the library.
    pub fn start<'e>(
        &mut self,
        exercise: &'e Exercise,
        path: Option<&Path>,
    ) -> Result<Run<'e>, StoreError> {
        let ledger = self.ledger_view()?;
        let path = path.map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_owned()));
        self.begin(
            header(exercise, path, ledger.clone(), (self.clock)(), false),
            exercise,
        )?;
        let run = Run::start(exercise, self.partners.clone()).with_ledger(ledger);
        self.save(&run)?;
        Ok(run)
    }

    /// Journals `header`, naming the exercise's text and the shared word
    /// lists it reads, kept first in the data folder (held there until the
    /// journal names them).
    fn begin(&mut self, mut header: ExerciseHeader, exercise: &Exercise) -> Result<(), StoreError> {
        // Before the journal says the exercise began: a crash between
        // the two leaves a marker too many, never a waiting session unmarked.
        crate::store::waiting::mark(&self.data, &self.id)?;
        let (key, held) = exercise_texts::keep(&self.data, &exercise.source.text)?;
        header.text_sha256 = Some(key);
        if let Some(words) = exercise_texts::played_words_text(exercise) {
            let key = exercise_texts::key(&words);
            exercise_texts::keep_held(&self.data, &key, &words)?;
            header.words_sha256 = Some(key);
        }
        if !header.edited {
            self.runs += 1;
            self.recorded = false;
            self.private.clear();
        }
        self.current = Some(header.exercise.clone());
        self.journal.begin(header)?;
        drop(held);
        Ok(())
    }

    /// Closes a session; one in which no exercise began leaves nothing
    /// behind (no "not started" row in `mend sessions`).
    pub fn close(self) -> Result<(), StoreError> {
        let empty = self.runs == 0;
        let (data, id) = (self.data.clone(), self.id.clone());
        drop(self);
        if empty {
            let dir = data.sessions();
            std::fs::remove_file(dir.join(format!("{id}.jsonl")))?;
            let _ = std::fs::remove_file(dir.join(format!("{id}.lock")));
        }
        Ok(())
    }

    /// Records a moment of the sitting (a break, a nudge...) in the journal.
    pub fn note(&mut self, moment: Moment) -> Result<(), SaveError> {
        match (moment.kind, moment.answer) {
            (MomentKind::Private, Some(answer)) => self.private.push(answer),
            // Answers taken back take their `:private` with them.
            (MomentKind::Back, Some(from)) => self.private.retain(|&i| i < from),
            _ => {}
        }
        self.journal.moment(moment)
    }

    /// The places of the current run's answers a partner kept out of the
    /// notes.
    pub fn kept_private(&self) -> &[usize] {
        &self.private
    }

    /// The current run's answers a partner kept out of the notes, in their
    /// words: what the exercise's summary on screen leaves out too.
    pub fn private_words(&self, run: &Run) -> Vec<String> {
        self.private
            .iter()
            .filter_map(|&i| Some(run.state().answers.get(i)?.typed_words()?.to_owned()))
            .collect()
    }

    /// The time by this session's clock.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Continues the unfinished exercise of this session.
    pub fn resume_run<'e>(&mut self, pending: &'e mut Pending) -> Result<Run<'e>, StoreError> {
        self.private.clone_from(&pending.private);
        if let Some(header) = pending.header.take() {
            self.begin(header, &pending.exercise)?;
        }
        let run = match pending.state.clone() {
            Some(state) => Run::restore(&pending.exercise, state)
                .map_err(StoreError::from)?
                .with_ledger(pending.ledger.clone()),
            None => Run::start(&pending.exercise, self.partners.clone())
                .with_ledger(pending.ledger.clone()),
        };
        Ok(run)
    }

    /// The hook for `play`: journals what changed in the run and fsyncs it
    /// before returning. When the run has finished, its commitments,
    /// agreements and marks go into the couple's ledger history, once (a
    /// marker names the run from just before the journal says it finished
    /// until the ledger has it, so a crash between the two loses nothing).
    pub fn save(&mut self, run: &Run) -> Result<(), SaveError> {
        let exercise = run.exercise();
        let reference = match &self.current {
            Some(current) if current.id == exercise.id => current.clone(),
            _ => {
                return Err(SaveError::Io(std::io::Error::other(format!(
                    "session {} was saving exercise `{}` that it never began",
                    self.id, exercise.id
                ))));
            }
        };
        let now = (self.clock)();
        let finishing = run.is_finished() && !self.recorded;
        if finishing && !run.state().records.is_empty() {
            ledger_log::mark_pending(&self.data, &self.id, self.runs)?;
        }
        self.journal.save(&reference, now, run.state())?;
        if finishing {
            ledger_log::record(
                &self.data,
                &self.partners,
                &self.id,
                self.runs,
                &exercise.id,
                now,
                &kept_private::marked(run.state(), &self.private),
            )?;
            self.recorded = true;
            // After the journal says it finished (see `waiting`). A marker
            // left behind only costs a reader one journal read.
            let _ = crate::store::waiting::unmark(&self.data, &self.id);
        }
        Ok(())
    }

    /// Loads the exercise a saved session was in the middle of, from where it
    /// came (library or file), and fits the saved state to it. When the file
    /// is gone, broken, or changed beyond use, the copy in the journal is used.
    pub fn pending(
        &self,
        log: &SessionLog,
        exercises: Option<&Path>,
    ) -> Result<Pending, StoreError> {
        let Some(run) = log.unfinished() else {
            return Err(StoreError::Refused(format!(
                "session {} is finished; there is nothing to resume",
                log.id
            )));
        };
        let saved = &run.header;
        let id = saved.exercise.id.clone();
        let mut messages = Vec::new();
        // The copy saved when the run began: a missing or changed copy is
        // an error that says so (not a guess), when it is needed at all.
        let copy = || -> Result<String, StoreError> {
            run.text().map_err(|e| StoreError::Within {
                doing: format!("session {} cannot be resumed", log.id),
                source: Box::new(e),
            })
        };
        let played = run.played_words();
        let journaled = |text: String| -> Result<Exercise, StoreError> {
            compile_or_explain(
                &id,
                Source::new(format!("{id} (as saved in session {})", log.id), text),
                &played,
            )
        };
        let current = match &saved.path {
            Some(path) => read_source(path)
                .map(|source| (source, std::sync::Arc::new(WordLists::beside(path))))
                .map_err(StoreError::from),
            None => Library::open(exercises)
                .and_then(|l| Ok((l.find(&id)?, l.words().clone())))
                .map_err(StoreError::from),
        }
        .and_then(|(source, words)| compile_or_explain(&id, source, &words));
        let exercise = match current {
            Ok(exercise) => exercise,
            Err(e) => {
                messages.push(format!(
                    "The exercise `{id}` could not be loaded as it is now ({}); continuing with the copy saved when you started.",
                    first_line(&e)
                ));
                journaled(copy()?)?
            }
        };
        let mut state = run.state.clone();
        let mut edited = false;
        let exercise = if exercise.hash() == saved.exercise.hash {
            // The file is the text played: a saved copy gone missing or
            // changed is put back from it (when it is the very text the
            // journal names), so the notes have it again.
            if let Some(key) = &saved.text_sha256
                && run.text().is_err()
                && exercise_texts::key(&exercise.source.text) == *key
            {
                drop(exercise_texts::keep(&self.data, &exercise.source.text)?);
            }
            // The word lists it was played with, though `words.yaml` may
            // have changed since: the run goes on as it began (with
            // today's lists if that copy is gone).
            let now = exercise_texts::played_words_text(&exercise).map(|t| exercise_texts::key(&t));
            match (&saved.words_sha256, run.played_words_kept()) {
                (Some(key), Some(words)) if now.as_ref() != Some(key) => {
                    compile_or_explain(&id, exercise.source.clone(), &words).unwrap_or(exercise)
                }
                _ => exercise,
            }
        } else {
            // Fitting the saved answers to the edited file replays them on
            // the copy they were given on; without it, no guessing.
            let old = journaled(copy()?).ok();
            let fitted = state.clone().map(|mut s| {
                let placement = relocate(old.as_ref(), &exercise, &mut s);
                (s, placement)
            });
            match fitted {
                Some((s, placement)) if Run::restore(&exercise, s.clone()).is_ok() => {
                    let what = match (saved.exercise.version, exercise.version) {
                        (was, now) if was != now => format!("`{id}` (version {was}, now {now})"),
                        _ => format!("`{id}`"),
                    };
                    messages.extend(describe(&what, &placement));
                    state = Some(s);
                    edited = true;
                    exercise
                }
                None => {
                    messages.push(format!("The exercise `{id}` changed since you started; starting it from the beginning, as nothing was answered yet."));
                    edited = true;
                    exercise
                }
                Some(_) => match old {
                    Some(old) => {
                        messages.push(format!(
                            "The exercise `{id}` changed too much since you started (its roles differ); continuing with the copy saved when you started."
                        ));
                        old
                    }
                    None => {
                        return Err(StoreError::Refused(format!(
                            "the exercise `{id}` changed since session {} began, and the saved copy no longer loads; start it again with `mend run {id}`",
                            log.id
                        )));
                    }
                },
            }
        };
        let header = edited.then(|| {
            header(
                &exercise,
                saved.path.clone(),
                saved.ledger.clone(),
                (self.clock)(),
                true,
            )
        });
        let private = kept_private::answers(&run.moments);
        Ok(Pending {
            exercise,
            state,
            ledger: saved.ledger.clone(),
            messages,
            header,
            private,
        })
    }
}

fn header(
    exercise: &Exercise,
    path: Option<PathBuf>,
    ledger: LedgerView,
    began: DateTime<Utc>,
    edited: bool,
) -> ExerciseHeader {
    ExerciseHeader {
        exercise: ExerciseRef {
            id: exercise.id.clone(),
            version: exercise.version,
            hash: exercise.hash(),
        },
        began,
        path,
        // Kept once in the data folder and named by `begin`.
        text: String::new(),
        text_sha256: None,
        words_sha256: None,
        ledger,
        edited,
    }
}

/// `what` names the exercise, with its versions when they differ.
fn describe(what: &str, placement: &Placement) -> Option<String> {
    match placement {
        Placement::Unchanged | Placement::Finished => None,
        Placement::Kept { at } => Some(format!(
            "The exercise {what} changed since you started; continuing at `{at}`."
        )),
        Placement::Moved { gone, to: Some(to) } => Some(format!(
            "The exercise {what} changed since you started, and step `{gone}` is no longer in it; continuing at `{to}`, the next step that still is."
        )),
        Placement::Moved { gone, to: None } => Some(format!(
            "The exercise {what} changed since you started, and step `{gone}` is no longer in it; nothing after it is left, so this exercise ends here."
        )),
    }
}

/// Compiles an exercise; when it has errors, the error shows them all.
pub fn compile_or_explain(
    id: &str,
    source: Source,
    words: &WordLists,
) -> Result<Exercise, StoreError> {
    let compiled = compile(id, source, words);
    match compiled.exercise {
        Some(exercise) => Ok(exercise),
        None => {
            let diagnostics = Diagnostics(compiled.diagnostics);
            Err(StoreError::Refused(format!(
                "exercise `{id}` has errors:\n\n{diagnostics}{}",
                diagnostics.summary()
            )))
        }
    }
}

/// The first line of an error (with its causes), for a one-line summary.
pub fn first_line(error: &impl std::fmt::Display) -> String {
    let text = format!("{error:#}");
    text.lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches(':')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Barrier};

    /// A server's sittings start sessions on several threads at once.
    #[test]
    fn sessions_started_together_in_the_same_millisecond_each_get_an_id() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let data = DataDir::open(Some(folder.path())).expect("a data folder");
        let at = now();
        let threads = 16;
        let start = Arc::new(Barrier::new(threads));
        let made = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (data, start, made) = (data.clone(), start.clone(), made.clone());
                std::thread::spawn(move || {
                    start.wait();
                    let session =
                        Session::create(&data, ["A".into(), "B".into()], Box::new(move || at));
                    // Every session stays open until all have been made.
                    made.wait();
                    session
                        .map(|s| s.id().to_owned())
                        .map_err(|e| e.to_string())
                })
            })
            .collect();
        let mut ids: Vec<String> = handles
            .into_iter()
            .map(|h| h.join().expect("no panic").expect("a new session"))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), threads);
    }
}
