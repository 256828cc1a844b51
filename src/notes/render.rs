//! Session notes: a journal rendered to Markdown through a minijinja
//! template (`templates/*.md.j2`, overridable). Every value is escaped as it
//! goes into the Markdown, so a partner's words stay words; the only text
//! inserted unescaped is an exercise's own `notes` fragment, which was
//! rendered with the same escaping.
//!
//! The notes read and render only: they write nothing, and they show the
//! couple's ledger as it stood at the end of the session, so the notes of
//! an old session never list what was promised weeks later. An answer a
//! partner asked to keep private is left out, everywhere (its question and
//! "kept private" remain, so nothing looks lost).

use crate::engine::exercise::Exercise;
use crate::engine::ledger::{Action, AgreementView, CommitmentView};
use crate::engine::run::Run;
use crate::engine::state::{AnswerRecord, Record, RecordKind, RunState};
use crate::format::library::{builtin_templates, read_source};
use crate::notes::notes_error::NotesError;
use crate::script::template::{MARKDOWN_SUFFIX, Templates};
use crate::store::data_dir::DataDir;
use crate::store::ledger_log;
use crate::store::moment::{Moment, MomentKind, about_answer};
use crate::store::session::{RunLog, SessionLog};
use chrono::{DateTime, FixedOffset, Local, NaiveDate, Offset, TimeZone, Utc};
use serde::Serialize;
use std::path::Path;

pub const DEFAULT_TEMPLATE: &str = "session-notes";
const TEMPLATE_SUFFIX: &str = ".md.j2";

/// A notes template: where it came from (for errors) and its text.
#[derive(Debug, Clone)]
pub struct NotesTemplate {
    pub name: String,
    pub text: String,
}

impl NotesTemplate {
    /// `NAME` or `PATH`: a file path when one exists there, else a name
    /// looked up in `<data>/templates/` and then among the built-in ones.
    pub fn find(data: &DataDir, wanted: Option<&str>) -> Result<NotesTemplate, NotesError> {
        let wanted = wanted.unwrap_or(DEFAULT_TEMPLATE);
        let as_path = Path::new(wanted);
        if wanted.contains(std::path::MAIN_SEPARATOR) || wanted.contains('/') || as_path.is_file() {
            // A regular file of at most an exercise's size: a FIFO or a
            // device named here is refused, not waited on.
            let text = read_source(as_path)
                .map(|source| source.text.to_string())
                .map_err(|d| {
                    NotesError::Refused(format!(
                        "cannot read notes template `{wanted}`: {}",
                        d.message
                    ))
                })?;
            return Ok(NotesTemplate {
                name: wanted.to_owned(),
                text,
            });
        }
        let file_names = [format!("{wanted}{TEMPLATE_SUFFIX}"), wanted.to_owned()];
        let dir = data.templates();
        // The folder decides what the notes say: it is kept private like the
        // others (made so again, or refused if it is a link or someone
        // else's), and a template in it must be a regular file of the user's.
        if std::fs::symlink_metadata(&dir).is_ok() {
            data.ensure(&dir)?;
        }
        for file in &file_names {
            let path = dir.join(file);
            if std::fs::symlink_metadata(&path).is_err() {
                continue;
            }
            let cannot = |message: String| {
                NotesError::Refused(format!(
                    "cannot read notes template `{}`: {message}",
                    path.display()
                ))
            };
            crate::store::private::open_own(&path).map_err(|e| cannot(e.to_string()))?;
            let text = read_source(&path)
                .map(|source| source.text.to_string())
                .map_err(|d| cannot(d.message))?;
            return Ok(NotesTemplate {
                name: path.display().to_string(),
                text,
            });
        }
        for (file, text) in builtin_templates() {
            if file_names.iter().any(|f| f == file) {
                return Ok(NotesTemplate {
                    name: (*file).to_owned(),
                    text: (*text).to_owned(),
                });
            }
        }
        let known: Vec<&str> = builtin_templates()
            .iter()
            .filter_map(|(f, _)| f.strip_suffix(TEMPLATE_SUFFIX))
            .collect();
        Err(NotesError::Refused(format!(
            "there is no notes template `{wanted}`; built in: {} (or give a file path, or put one in `{}`)",
            known.join(", "),
            data.templates().display()
        )))
    }

    /// Renders `log` as Markdown. `today` decides what counts as due.
    pub fn render(&self, context: &NotesContext) -> Result<String, NotesError> {
        let mut templates = Templates::new();
        // The internal name ends in `.md`, so every value is escaped,
        // whatever the file is called.
        let internal = format!("session-notes{MARKDOWN_SUFFIX}");
        let located = |e: crate::script::template::TemplateError| {
            NotesError::Refused(format!(
                "notes template `{}`, line {}, column {}: {}",
                self.name, e.line, e.column, e.message
            ))
        };
        let text = templates.add(&internal, &self.text).map_err(located)?;
        let mut values = serde_json::to_value(context)
            .map_err(|e| NotesError::Refused(format!("cannot prepare the notes: {e}")))?;
        crate::notes::private_words::clear(&mut values, &context.private_words);
        let notes = templates.render(&text, &values).map_err(located)?;
        Ok(format!("{}\n", notes.trim_end()))
    }
}

/// A session's notes with the template `NAME|PATH` (default
/// `session-notes`): what `mend notes` prints, and what a front-end offers at
/// the end of a session.
pub fn render(
    data: &DataDir,
    log: &SessionLog,
    template: Option<&str>,
    today: NaiveDate,
) -> Result<String, NotesError> {
    render_noting_problems(data, log, template, today).map(|(notes, _)| notes)
}

/// [`render`], and each exercise notes fragment that could not be rendered
/// (with its file and line), for the command to tell whoever asked.
pub fn render_noting_problems(
    data: &DataDir,
    log: &SessionLog,
    template: Option<&str>,
    today: NaiveDate,
) -> Result<(String, Vec<String>), NotesError> {
    let template = NotesTemplate::find(data, template)?;
    let context = NotesContext::new(data, log, today)?;
    let problems = context
        .exercises
        .iter()
        .filter(|e| !e.notes_problem.is_empty())
        .map(|e| e.notes_problem.clone())
        .collect();
    Ok((template.render(&context)?, problems))
}

/// What notes templates see. docs/sessions.md lists every name.
#[derive(Debug, Clone, Serialize)]
pub struct NotesContext {
    pub session: SessionView,
    pub partners: [String; 2],
    pub today: String,
    pub exercises: Vec<ExerciseNotes>,
    /// Breaks, resumes and "not yet"s, in order, across the session.
    pub breaks: Vec<MomentView>,
    /// Answers that named violence, fear or self-harm, for the clinician.
    pub flagged: Vec<MomentView>,
    pub commitments: Vec<RecordView>,
    pub agreements: Vec<RecordView>,
    /// Declines and pauses kept open, in the partner's words.
    pub open: Vec<RecordView>,
    pub marks: Vec<RecordView>,
    /// What an exercise that stopped before its end had recorded: it goes
    /// into the ledger only when the exercise is finished, so the notes
    /// say so rather than "none".
    pub unfinished_records: Vec<RecordView>,
    pub counts: Counts,
    /// What a clinician may read from the record, each a plain sentence of
    /// fact (never an interpretation).
    pub indicators: Vec<String>,
    /// The couple's ledger as it stood at the end of this session.
    pub ledger: LedgerAtEnd,
    /// Words a partner kept out of the notes (`:private`) that the record
    /// may quote elsewhere: a later question, an agreement, an open item.
    /// Every value of the notes is cleared of them before rendering.
    #[serde(skip)]
    pub private_words: Vec<String>,
    pub revisit: Revisit,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub id: String,
    /// The day it started, `YYYY-MM-DD` (local time).
    pub date: String,
    /// Start and end, `HH:MM` local time; end is the last thing saved.
    pub start: String,
    pub end: String,
    /// "40 minutes", "1 hour 5 minutes".
    pub duration: String,
    pub finished: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExerciseNotes {
    pub id: String,
    pub title: String,
    pub version: u32,
    pub finished: bool,
    /// `finished`, `declined`, `paused` (a break) or `stopped`.
    pub outcome: String,
    /// The outcome in words: "finished", "declined by Sam: “Not today.”",
    /// "paused for a break at: QUESTION".
    pub outcome_text: String,
    /// The question it is waiting at, in words (empty when finished).
    pub paused_at: String,
    /// `HH:MM` local time.
    pub began: String,
    pub ended: String,
    pub answers: Vec<AnswerView>,
    /// Breaks, nudges, revisions, in order.
    pub moments: Vec<MomentView>,
    /// The exercise's own notes fragment, already escaped Markdown: insert
    /// it with `{{ exercise.notes | safe }}`. Private answers are left out.
    /// When the fragment fails to render it says so, in italics.
    pub notes: String,
    /// Why the exercise's notes fragment could not be rendered, with the
    /// file, line and column; empty when it rendered.
    pub notes_problem: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerView {
    pub step: String,
    pub name: String,
    pub role: String,
    /// How the screen named the role (its label, else its name); empty
    /// where the screen showed just the partner's name.
    pub role_label: String,
    pub round: u32,
    pub question: String,
    /// The answer as written, or the chosen option's label as shown; empty
    /// when skipped or private.
    pub text: String,
    /// The chosen option's label as shown, empty for written answers.
    pub label: String,
    /// The partner's own words at a choice whose `own_words` option took
    /// them; empty otherwise (and when private).
    pub words: String,
    pub skipped: bool,
    /// The partner asked to keep it out of the notes, or it follows an
    /// answer kept private (see `private_with`).
    pub private: bool,
    /// Whose private answer kept this one private too (`private_with`);
    /// empty when the partner asked themselves.
    pub private_with: String,
    /// It named violence, fear or self-harm.
    pub flagged: bool,
    /// It came after a nudge at its question: the words may be what the
    /// nudge asked about, kept.
    pub nudged: bool,
    /// `HH:MM` local time.
    pub at: String,
}

/// Something that happened besides an answer.
#[derive(Debug, Clone, Serialize)]
pub struct MomentView {
    /// `break`, `resume`, `not-ready`, `quit`, `nudge`, `slip`, `back`,
    /// `private`, `safety`.
    pub kind: String,
    /// In words: "A break, during Sam's turn", "Alex was nudged"...
    pub text: String,
    pub by: String,
    /// `HH:MM` local time, and the day when it differs from the session's.
    pub at: String,
    pub exercise: String,
    pub question: String,
    /// A nudge's hint; the safety words matched.
    pub detail: String,
}

/// A commitment, agreement or mark, with dates as text (empty when none).
#[derive(Debug, Clone, Serialize)]
pub struct RecordView {
    pub exercise: String,
    pub owner: String,
    pub text: String,
    pub date: String,
    pub date_text: String,
    pub topic: String,
    /// An open item's subject.
    pub about: String,
    /// A mark's ledger item id.
    pub commitment: String,
    pub status: String,
    /// How a mark's status reads to the couple: a habit's `kept` reads
    /// "going well", its `missed` "hard to keep up lately".
    pub reads: String,
    /// A `changed` mark's new words.
    pub new_text: String,
    /// `commitment`, `agreement`, `open` or `mark`.
    pub kind: String,
    /// A habit ("every evening", "from now on"): `date` is its first day,
    /// not a day it is due.
    pub ongoing: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub exercises: usize,
    pub finished: usize,
    pub declined: usize,
    pub answers: usize,
    pub skipped: usize,
    pub private: usize,
    pub nudges: usize,
    pub revisions: usize,
    pub breaks: usize,
    pub commitments: usize,
    pub agreements: usize,
    pub kept: usize,
    pub missed: usize,
    pub renegotiated: usize,
    /// Habits reviewed: a habit is never passed or failed, so its marks
    /// are counted apart from the commitments kept or missed.
    pub habits_going_well: usize,
    pub habits_hard: usize,
}

/// The ledger at the end of the session, dated as of that day.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerAtEnd {
    /// The day it is as of.
    pub date: String,
    /// Open commitments not made in this session.
    pub open: Vec<CommitmentView>,
    /// Agreements with a date or words to revisit, not made in this session.
    pub agreements: Vec<AgreementView>,
    /// Open items (declines, pauses) still waiting, not made in this session.
    pub pending: Vec<crate::engine::ledger::ItemView>,
}

/// What to look at next time.
#[derive(Debug, Clone, Serialize)]
pub struct Revisit {
    /// Open commitments in the ledger at the end of the session (all).
    pub open: Vec<CommitmentView>,
    /// Agreements in the ledger then with a revisit date or words (all).
    pub agreements: Vec<AgreementView>,
    /// Open items (declines, pauses) waiting in the ledger then.
    pub pending: Vec<crate::engine::ledger::ItemView>,
    /// Exercises of this session left unfinished (titles).
    pub unfinished: Vec<String>,
}

/// Times in the notes are local to where the session was held (the
/// offset at its start), so a clinician reads the clock the couple saw.
#[derive(Debug, Clone, Copy)]
struct Zone(FixedOffset);

impl Zone {
    fn clock(self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.0).format("%H:%M").to_string()
    }

    fn day(self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.0).date_naive().to_string()
    }
}

fn duration(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let minutes = (to - from).num_minutes().max(0);
    let (hours, minutes) = (minutes / 60, minutes % 60);
    let unit = |n: i64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match hours {
        0 => unit(minutes, "minute"),
        _ if minutes == 0 => unit(hours, "hour"),
        _ => format!("{} {}", unit(hours, "hour"), unit(minutes, "minute")),
    }
}

impl NotesContext {
    /// The context with times in this machine's local time.
    pub fn new(
        data: &DataDir,
        log: &SessionLog,
        today: NaiveDate,
    ) -> Result<NotesContext, NotesError> {
        let started = log.started().unwrap_or_default();
        let offset = Local.offset_from_utc_datetime(&started.naive_utc()).fix();
        Self::with_offset(data, log, today, offset)
    }

    /// The context with times at `offset` from UTC.
    pub fn with_offset(
        data: &DataDir,
        log: &SessionLog,
        today: NaiveDate,
        offset: FixedOffset,
    ) -> Result<NotesContext, NotesError> {
        let zone = Zone(offset);
        let Some(partners) = log.partners().cloned() else {
            return Err(NotesError::Refused(format!(
                "session {} has no partners recorded; there is nothing to write notes from",
                log.id
            )));
        };
        let started = log.started().unwrap_or_default();
        let ended = log
            .runs
            .iter()
            .flat_map(|r| r.saved.into_iter().chain(r.moments.iter().map(|m| m.at)))
            .max()
            .unwrap_or(started)
            .max(started);
        let session_day = zone.day(started);
        let mut context = NotesContext {
            session: SessionView {
                id: log.id.clone(),
                date: session_day.clone(),
                start: zone.clock(started),
                end: zone.clock(ended),
                duration: duration(started, ended),
                finished: log.finished(),
            },
            partners: partners.clone(),
            today: today.to_string(),
            exercises: Vec::new(),
            breaks: Vec::new(),
            flagged: Vec::new(),
            commitments: Vec::new(),
            agreements: Vec::new(),
            open: Vec::new(),
            marks: Vec::new(),
            unfinished_records: Vec::new(),
            counts: Counts::default(),
            indicators: Vec::new(),
            private_words: Vec::new(),
            ledger: LedgerAtEnd {
                date: String::new(),
                open: Vec::new(),
                agreements: Vec::new(),
                pending: Vec::new(),
            },
            revisit: Revisit {
                open: Vec::new(),
                pending: Vec::new(),
                agreements: Vec::new(),
                unfinished: Vec::new(),
            },
        };
        for run in &log.runs {
            if let Some(state) = &run.state {
                context.private_words.extend(
                    (0..state.answers.len())
                        .filter(|&i| is_private(&run.moments, i))
                        .filter_map(|i| state.answers[i].typed_words().map(str::to_owned)),
                );
            }
            let exercise = exercise_notes(run, &session_day, zone);
            let records = run
                .state
                .as_ref()
                .map(|s| s.records.as_slice())
                .unwrap_or_default();
            for record in records {
                let view = record_view(&exercise.title, record);
                if !run.finished() {
                    context.unfinished_records.push(view);
                    continue;
                }
                match record.kind {
                    RecordKind::Commitment => context.commitments.push(view),
                    RecordKind::Agreement => context.agreements.push(view),
                    RecordKind::Open => context.open.push(view),
                    // Counted once the ledger says which marks are habits.
                    RecordKind::Mark => context.marks.push(view),
                }
            }
            for moment in &exercise.moments {
                match moment.kind.as_str() {
                    "break" | "resume" | "not-ready" | "quit" => {
                        context.breaks.push(moment.clone())
                    }
                    "safety" => context.flagged.push(moment.clone()),
                    _ => {}
                }
            }
            let counts = &mut context.counts;
            counts.exercises += 1;
            counts.finished += usize::from(exercise.outcome == "finished");
            counts.declined += usize::from(exercise.outcome == "declined");
            counts.answers += exercise
                .answers
                .iter()
                .filter(|a| !a.skipped && !a.private)
                .count();
            counts.skipped += exercise.answers.iter().filter(|a| a.skipped).count();
            counts.private += exercise.answers.iter().filter(|a| a.private).count();
            let kinds = |kind: &str| exercise.moments.iter().filter(|m| m.kind == kind).count();
            counts.nudges += kinds("nudge");
            counts.revisions += kinds("back");
            counts.breaks += kinds("break");
            if !exercise.finished {
                context.revisit.unfinished.push(exercise.title.clone());
            }
            context.indicators.extend(indicators(run, &exercise));
            context.exercises.push(exercise);
        }
        context.counts.commitments = context.commitments.len();
        context.counts.agreements = context.agreements.len();
        context.indicators.extend(nudge_kinds(&context.exercises));
        // The ledger as it stood when the session ended, dated that day.
        let history = ledger_log::read(data, &partners)?;
        let as_of = ended.with_timezone(&offset).date_naive();
        let ledger = history.ledger_until(Some(ended));
        // A habit's kept or missed is how it has been going, not a pass or
        // a fail: it reads so, and is counted apart.
        let is_habit = |id: &str| ledger.items.iter().any(|i| i.id == id && i.ongoing);
        for mark in context
            .marks
            .iter_mut()
            .chain(context.unfinished_records.iter_mut())
            .filter(|r| r.kind == "mark" && is_habit(&r.commitment))
        {
            mark.ongoing = true;
            mark.reads = Action::reads(&mark.status, true).to_owned();
        }
        let counts = &mut context.counts;
        for mark in &context.marks {
            match (mark.status.as_str(), mark.ongoing) {
                ("kept", true) => counts.habits_going_well += 1,
                ("missed", true) => counts.habits_hard += 1,
                ("kept", false) => counts.kept += 1,
                ("missed" | "retried", _) => counts.missed += 1,
                ("renegotiated" | "renegotiating", _) => counts.renegotiated += 1,
                _ => {}
            }
        }
        // Items whose words hold an answer kept private, from any session.
        for item in &ledger.items {
            context
                .private_words
                .extend(item.private_words.iter().cloned());
        }
        let ledger = ledger.view(as_of);
        // What this session made (not what it only marked: an earlier item
        // reviewed here and still open is still one from earlier).
        let made_here: Vec<&str> = history
            .entries
            .iter()
            .filter(|e| e.session == log.id)
            .flat_map(|e| e.records.iter())
            .filter(|r| r.kind != RecordKind::Mark)
            .map(|r| r.text.as_str())
            .collect();
        let agreements: Vec<AgreementView> = ledger
            .agreements
            .into_iter()
            .filter(|a| !a.revisit.is_empty() || !a.revisit_text.is_empty())
            .collect();
        context.ledger = LedgerAtEnd {
            date: as_of.to_string(),
            open: ledger
                .open
                .iter()
                .filter(|c| !made_here.contains(&c.text.as_str()))
                .cloned()
                .collect(),
            agreements: agreements
                .iter()
                .filter(|a| !made_here.contains(&a.text.as_str()))
                .cloned()
                .collect(),
            pending: ledger
                .pending
                .iter()
                .filter(|o| !made_here.contains(&o.text.as_str()))
                .cloned()
                .collect(),
        };
        context.revisit.pending = ledger.pending.clone();
        context.revisit.open = ledger.open;
        context.revisit.agreements = agreements;
        Ok(context)
    }
}

/// Facts about pace and consent a clinician may want: where the partner
/// whose pace the exercise follows said yes, not yet, or declined.
fn indicators(run: &RunLog, exercise: &ExerciseNotes) -> Vec<String> {
    let mut out = Vec::new();
    for moment in &exercise.moments {
        match moment.kind.as_str() {
            "not-ready" => out.push(format!(
                "{}: {} said not yet when asked to go on after a break ({}).",
                exercise.title, moment.by, moment.at
            )),
            "resume" => out.push(format!(
                "{}: went on after a break ({}).",
                exercise.title, moment.at
            )),
            _ => {}
        }
    }
    if exercise.outcome == "declined" {
        out.push(format!("{}: {}", exercise.title, exercise.outcome_text));
    } else if let Some(pace) = run.exercise().and_then(|e| e.pace) {
        // The pace partner's choices (either partner's, for `by: both`),
        // as they answered them.
        let name = pace.role.and_then(|role| {
            run.state
                .as_ref()
                .and_then(|s| s.bindings.get(role).and_then(|&p| s.partners.get(p)))
                .cloned()
        });
        for (step, _) in &pace.declines {
            let mut told: Vec<&str> = Vec::new();
            for answer in exercise.answers.iter().filter(|a| {
                &a.step == step && name.as_ref().is_none_or(|n| a.name == *n) && !a.private
            }) {
                // Each partner's first answer at the step, as before.
                if told.contains(&answer.name.as_str()) {
                    continue;
                }
                told.push(&answer.name);
                let name = &answer.name;
                out.push(format!(
                    "{}: asked \u{201c}{}\u{201d}, {} answered \u{201c}{}\u{201d}.",
                    exercise.title,
                    answer.question.trim(),
                    name,
                    answer.text
                ));
            }
        }
    }
    out
}

/// "Nudges: 2 × “Try starting from your own side...” (Alex)".
fn nudge_kinds(exercises: &[ExerciseNotes]) -> Vec<String> {
    let mut kinds: Vec<(String, Vec<String>, usize)> = Vec::new();
    for moment in exercises
        .iter()
        .flat_map(|e| &e.moments)
        .filter(|m| m.kind == "nudge")
    {
        match kinds.iter_mut().find(|(hint, _, _)| *hint == moment.detail) {
            Some((_, names, count)) => {
                *count += 1;
                if !names.contains(&moment.by) {
                    names.push(moment.by.clone());
                }
            }
            None => kinds.push((moment.detail.clone(), vec![moment.by.clone()], 1)),
        }
    }
    kinds
        .into_iter()
        .map(|(hint, names, count)| {
            format!(
                "Nudged {count} time{} ({}): \u{201c}{}\u{201d}",
                if count == 1 { "" } else { "s" },
                names.join(", "),
                hint.trim()
            )
        })
        .collect()
}

/// How the screen named the role at this answer: its label, or nothing
/// where the role meant nothing for the question (see
/// `Exercise::shows_role_at`). Without the exercise, the role's name.
fn role_label(exercise: Option<&Exercise>, answer: &AnswerRecord) -> String {
    let Some(exercise) = exercise else {
        return answer.role.clone();
    };
    let shown = exercise
        .step_index(&answer.step)
        .is_none_or(|i| exercise.shows_role_at(i));
    exercise
        .roles
        .iter()
        .find(|r| r.name == answer.role)
        .filter(|_| shown)
        .map_or_else(
            || {
                if shown {
                    answer.role.clone()
                } else {
                    String::new()
                }
            },
            |r| r.label.clone(),
        )
}

fn is_private(moments: &[Moment], index: usize) -> bool {
    about_answer(moments, MomentKind::Private, index)
        .next()
        .is_some()
}

/// Whose private answer kept the answer at `index` private too, if that
/// is why it is private.
fn private_with(moments: &[Moment], index: usize) -> String {
    about_answer(moments, MomentKind::Private, index)
        .map(|m| m.detail.clone())
        .reduce(|a, b| a.and(b))
        .flatten()
        .unwrap_or_default()
}

/// Whether the answer at `index` came after a nudge at its question (older
/// journals do not say, and read as no).
fn is_nudged(moments: &[Moment], index: usize) -> bool {
    about_answer(moments, MomentKind::Nudge, index)
        .next()
        .is_some()
}

/// Whether the answer at `index` named violence, fear or self-harm.
fn is_flagged(moments: &[Moment], index: usize) -> bool {
    about_answer(moments, MomentKind::Safety, index)
        .next()
        .is_some()
}

/// The run's state with private answers blanked wherever the exercise's
/// own notes could print them (the answers, and variables holding them).
pub fn without_private(state: &RunState, moments: &[Moment]) -> RunState {
    let mut state = state.clone();
    let hidden: Vec<String> = state
        .answers
        .iter()
        .enumerate()
        .filter(|(i, _)| is_private(moments, *i))
        .filter_map(|(_, a)| a.text.clone())
        .collect();
    for (i, answer) in state.answers.iter_mut().enumerate() {
        if is_private(moments, i) {
            answer.text = Some("(kept private)".to_owned());
            answer.label = None;
            answer.words = None;
        }
    }
    for value in state.cursor.vars.values_mut() {
        if let serde_json::Value::String(text) = value
            && hidden.iter().any(|h| h == text)
        {
            *text = "(kept private)".to_owned();
        }
    }
    state
}

fn moment_view(moment: &Moment, exercise: &str, session_day: &str, zone: Zone) -> MomentView {
    let by = moment.by.clone().unwrap_or_default();
    let text = match moment.kind {
        MomentKind::Break if by.is_empty() => "A break".to_owned(),
        // Who was at the keyboard, not necessarily who asked for it.
        MomentKind::Break => format!("A break, during {by}'s turn"),
        MomentKind::Resume => "Back from the break; ready to go on".to_owned(),
        MomentKind::NotReady => format!("{by} said not yet, after a break"),
        MomentKind::Quit => "Stopped, to go on another time".to_owned(),
        MomentKind::Nudge => format!("{by} was nudged"),
        MomentKind::Slip => format!("A typing slip by {by}"),
        MomentKind::Back => format!("{by}'s answer was taken back and revised"),
        MomentKind::Private => match &moment.detail {
            Some(owner) => format!("{by}'s answer was kept private along with {owner}'s"),
            None => format!("{by} kept an answer private"),
        },
        MomentKind::Safety => format!("{by}'s answer named a safety concern"),
    };
    let kind = serde_json::to_value(moment.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut at = zone.clock(moment.at);
    if zone.day(moment.at) != session_day {
        at = format!("{} {at}", zone.day(moment.at));
    }
    MomentView {
        kind,
        text,
        by,
        at,
        exercise: exercise.to_owned(),
        question: moment
            .question
            .as_deref()
            .map(question_line)
            .unwrap_or_default(),
        detail: moment.detail.clone().unwrap_or_default(),
    }
}

/// A question as a line of the notes names it: its first line, without the
/// colon that led into an example or a form below it.
fn question_line(question: &str) -> String {
    question
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default()
        .trim_end_matches(':')
        .trim_end()
        .to_owned()
}

/// The choice that declined the exercise, if one did: (name, words).
fn declined(run: &RunLog, state: &RunState) -> Option<(String, String)> {
    let pace = run.exercise()?.pace?;
    state.answers.iter().find_map(|a| {
        let chosen = a.text.as_deref()?;
        pace.declines
            .iter()
            .any(|(step, key)| *step == a.step && key == chosen)
            .then(|| {
                (
                    a.name.clone(),
                    a.label.clone().unwrap_or_else(|| chosen.to_owned()),
                )
            })
    })
}

/// One exercise as it was played: the saved copy of its file is compiled
/// again, so the notes match what the couple saw even if the file changed.
/// A notes fragment that fails is marked in its place and named, with its
/// line, in `notes_problem`: never a section silently missing, never the
/// whole record withheld for one template's mistake.
fn exercise_notes(run: &RunLog, session_day: &str, zone: Zone) -> ExerciseNotes {
    let id = run.header.exercise.id.clone();
    let compiled = run.exercise();
    let title = compiled
        .as_ref()
        .map_or_else(|| id.clone(), |e| e.title.clone());
    let moments = &run.moments;
    let answers: Vec<AnswerView> = run
        .state
        .as_ref()
        .map(|s| {
            s.answers
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let private = is_private(moments, i);
                    // A choice that took the partner's own words shows
                    // both: `Not yet: "I'd like to see the wood first."`
                    let said = match (&a.label, &a.words) {
                        (Some(label), Some(words)) => Some(format!("{label}: \"{words}\"")),
                        _ => a.label.clone().or_else(|| a.text.clone()),
                    };
                    AnswerView {
                        step: a.step.clone(),
                        name: a.name.clone(),
                        role: a.role.clone(),
                        role_label: role_label(compiled.as_ref(), a),
                        round: a.round,
                        // One line: a line break inside the bold heading
                        // would print as a stray backslash.
                        question: a.question.split_whitespace().collect::<Vec<_>>().join(" "),
                        text: if private {
                            String::new()
                        } else {
                            said.unwrap_or_default()
                        },
                        label: if private {
                            String::new()
                        } else {
                            a.label.clone().unwrap_or_default()
                        },
                        words: if private {
                            String::new()
                        } else {
                            a.words.clone().unwrap_or_default()
                        },
                        skipped: a.text.is_none(),
                        private,
                        private_with: private_with(moments, i),
                        flagged: is_flagged(moments, i),
                        nudged: is_nudged(moments, i),
                        at: zone.clock(a.at),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    // An exercise's notes fragment is written for the exercise played to
    // its end; a paused or stopped one has not given the answers it reads.
    // A fragment that fails to render is marked where it would stand and
    // named in `notes_problem`, with its line: the rest of the notes (every
    // answer under its question) is still true and a clinician needs it.
    let mut notes_problem = String::new();
    let fragment = match (&compiled, &run.state) {
        (Some(exercise), Some(state)) if run.finished() => {
            match Run::restore(exercise, without_private(state, moments)) {
                Ok(r) => match r.with_ledger(run.header.ledger.clone()).notes() {
                    Ok(text) => text.unwrap_or_default(),
                    Err(problem) => {
                        notes_problem = format!("{problem:#}");
                        format!(
                            "*{}*",
                            crate::markdown::escape(&format!(
                                "This exercise's own notes could not be written ({}). The answers themselves are all in the session record.",
                                notes_problem.lines().next().unwrap_or_default()
                            ))
                        )
                    }
                },
                Err(_) => String::new(),
            }
        }
        _ => String::new(),
    };
    let finished = run.finished();
    let paused_at = if finished {
        String::new()
    } else {
        run.waiting_question().unwrap_or_default()
    };
    let first_line = question_line(&paused_at);
    let stop = run.last_stop().map(|m| m.kind);
    let declined = run
        .state
        .as_ref()
        .filter(|_| finished)
        .and_then(|s| declined(run, s));
    let (outcome, outcome_text) = match (&declined, finished, stop) {
        (Some((name, words)), _, _) => (
            "declined",
            format!("declined by {name}: \u{201c}{}\u{201d}", words.trim()),
        ),
        (None, true, _) => ("finished", "finished".to_owned()),
        (None, false, Some(MomentKind::Break)) => (
            "paused",
            format!("paused for a break at \u{201c}{first_line}\u{201d}"),
        ),
        (None, false, _) => (
            "stopped",
            format!("stopped at \u{201c}{first_line}\u{201d}"),
        ),
    };
    let began = zone.clock(run.header.began);
    let ended = run
        .saved
        .map(|at| zone.clock(at))
        .unwrap_or_else(|| began.clone());
    ExerciseNotes {
        id,
        title: title.clone(),
        version: run.header.exercise.version,
        finished,
        outcome: outcome.to_owned(),
        outcome_text,
        paused_at,
        began,
        ended,
        answers,
        moments: moments
            .iter()
            .map(|m| moment_view(m, &title, session_day, zone))
            .collect(),
        notes: without_heading(&fragment, &title),
        notes_problem,
    }
}

/// An exercise's notes often start with its own title as a heading; the
/// session notes already give one.
fn without_heading(fragment: &str, title: &str) -> String {
    let trimmed = fragment.trim();
    match trimmed.split_once('\n') {
        Some((first, rest))
            if first.trim_start_matches('#').trim() == title && first.starts_with('#') =>
        {
            rest.trim().to_owned()
        }
        None if trimmed.trim_start_matches('#').trim() == title => String::new(),
        _ => trimmed.to_owned(),
    }
}

fn record_view(exercise: &str, r: &Record) -> RecordView {
    RecordView {
        exercise: exercise.to_owned(),
        owner: match &r.owner {
            Some(owner) => owner.clone(),
            None => r.owners.join(" and "),
        },
        text: r.text.clone(),
        date: r.date.map(|d| d.to_string()).unwrap_or_default(),
        date_text: r.date_text.clone().unwrap_or_default(),
        topic: r.topic.clone().unwrap_or_default(),
        about: r.about.clone().unwrap_or_default(),
        commitment: r.item.clone().unwrap_or_default(),
        status: r.status.clone().unwrap_or_default(),
        reads: Action::reads(r.status.as_deref().unwrap_or_default(), r.ongoing).to_owned(),
        new_text: r.new_text.clone().unwrap_or_default(),
        ongoing: r.ongoing,
        kind: match r.kind {
            RecordKind::Commitment => "commitment",
            RecordKind::Agreement => "agreement",
            RecordKind::Open => "open",
            RecordKind::Mark => "mark",
        }
        .to_owned(),
    }
}
