//! Session notes: a journal rendered to Markdown through a minijinja
//! template (`templates/*.md.j2`, overridable). Every value is escaped as it
//! goes into the Markdown, so a partner's words stay words; the only text
//! inserted unescaped is an exercise's own `notes` fragment, which was
//! rendered with the same escaping.

use crate::diagnostic::source::Source;
use crate::engine::run::Run;
use crate::engine::state::{Record, RecordKind};
use crate::format::compiler::compile;
use crate::format::library::{builtin_templates, read_source};
use crate::script::template::{MARKDOWN_SUFFIX, Templates};
use crate::store::data_dir::DataDir;
use crate::store::session::{RunLog, SessionLog};
use anyhow::bail;
use chrono::NaiveDate;
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
    pub fn find(data: &DataDir, wanted: Option<&str>) -> anyhow::Result<NotesTemplate> {
        let wanted = wanted.unwrap_or(DEFAULT_TEMPLATE);
        let as_path = Path::new(wanted);
        if wanted.contains(std::path::MAIN_SEPARATOR) || wanted.contains('/') || as_path.is_file() {
            // A regular file of at most an exercise's size: a FIFO or a
            // device named here is refused, not waited on.
            let text = read_source(as_path)
                .map(|source| source.text.to_string())
                .map_err(|d| {
                    anyhow::anyhow!("cannot read notes template `{wanted}`: {}", d.message)
                })?;
            return Ok(NotesTemplate {
                name: wanted.to_owned(),
                text,
            });
        }
        let file_names = [format!("{wanted}{TEMPLATE_SUFFIX}"), wanted.to_owned()];
        for file in &file_names {
            let path = data.templates().join(file);
            if path.is_file() {
                let text = read_source(&path)
                    .map(|source| source.text.to_string())
                    .map_err(|d| {
                        anyhow::anyhow!(
                            "cannot read notes template `{}`: {}",
                            path.display(),
                            d.message
                        )
                    })?;
                return Ok(NotesTemplate {
                    name: path.display().to_string(),
                    text,
                });
            }
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
        bail!(
            "there is no notes template `{wanted}`; built in: {} (or give a file path, or put one in `{}`)",
            known.join(", "),
            data.templates().display()
        )
    }

    /// Renders `log` as Markdown. `today` decides what counts as due.
    pub fn render(&self, context: &NotesContext) -> anyhow::Result<String> {
        let mut templates = Templates::new();
        // The internal name ends in `.md`, so every value is escaped,
        // whatever the file is called.
        let internal = format!("session-notes{MARKDOWN_SUFFIX}");
        let located = |e: crate::script::template::TemplateError| {
            anyhow::anyhow!(
                "notes template `{}`, line {}, column {}: {}",
                self.name,
                e.line,
                e.column,
                e.message
            )
        };
        let text = templates.add(&internal, &self.text).map_err(located)?;
        let notes = templates.render(&text, context).map_err(located)?;
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
) -> anyhow::Result<String> {
    let template = NotesTemplate::find(data, template)?;
    template.render(&NotesContext::new(data, log, today)?)
}

/// What notes templates see. docs/sessions.md lists every name.
#[derive(Debug, Clone, Serialize)]
pub struct NotesContext {
    pub session: SessionView,
    pub partners: [String; 2],
    pub today: String,
    pub exercises: Vec<ExerciseNotes>,
    pub commitments: Vec<RecordView>,
    pub agreements: Vec<RecordView>,
    /// Declines and pauses kept open, in the partner's words.
    pub open: Vec<RecordView>,
    pub marks: Vec<RecordView>,
    pub counts: Counts,
    pub revisit: Revisit,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub id: String,
    pub date: String,
    pub finished: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExerciseNotes {
    pub id: String,
    pub title: String,
    pub version: u32,
    pub finished: bool,
    /// The step it is paused at, empty when finished.
    pub paused_at: String,
    pub answers: Vec<AnswerView>,
    /// The exercise's own notes fragment, already escaped Markdown: insert
    /// it with `{{ exercise.notes | safe }}`.
    pub notes: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerView {
    pub step: String,
    pub name: String,
    pub role: String,
    /// How the screen named the role (its label, else its name).
    pub role_label: String,
    pub round: u32,
    pub question: String,
    pub text: String,
    /// The chosen option's label as shown, empty for written answers.
    pub label: String,
    pub skipped: bool,
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
    /// A `changed` mark's new words.
    pub new_text: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub exercises: usize,
    pub finished: usize,
    pub answers: usize,
    pub skipped: usize,
    pub commitments: usize,
    pub agreements: usize,
    pub kept: usize,
    pub missed: usize,
    pub renegotiated: usize,
}

/// What to look at next time.
#[derive(Debug, Clone, Serialize)]
pub struct Revisit {
    /// Open commitments in the couple's ledger.
    pub open: Vec<crate::engine::ledger::CommitmentView>,
    /// Open items (declines, pauses) waiting in the ledger.
    pub pending: Vec<crate::engine::ledger::ItemView>,
    /// Agreements in the ledger with a revisit date.
    pub agreements: Vec<crate::engine::ledger::AgreementView>,
    /// Exercises of this session left unfinished (titles).
    pub unfinished: Vec<String>,
}

impl NotesContext {
    pub fn new(data: &DataDir, log: &SessionLog, today: NaiveDate) -> anyhow::Result<NotesContext> {
        let Some(partners) = log.partners().cloned() else {
            bail!(
                "session {} has no partners recorded; there is nothing to write notes from",
                log.id
            );
        };
        let mut context = NotesContext {
            session: SessionView {
                id: log.id.clone(),
                date: log
                    .started()
                    .map(|t| t.date_naive().to_string())
                    .unwrap_or_default(),
                finished: log.finished(),
            },
            partners: partners.clone(),
            today: today.to_string(),
            exercises: Vec::new(),
            commitments: Vec::new(),
            agreements: Vec::new(),
            open: Vec::new(),
            marks: Vec::new(),
            counts: Counts::default(),
            revisit: Revisit {
                open: Vec::new(),
                pending: Vec::new(),
                agreements: Vec::new(),
                unfinished: Vec::new(),
            },
        };
        for run in &log.runs {
            let exercise = exercise_notes(run);
            let records = run
                .state
                .as_ref()
                .map(|s| s.records.as_slice())
                .unwrap_or_default();
            for record in records {
                let view = record_view(&exercise.title, record);
                match record.kind {
                    RecordKind::Commitment => context.commitments.push(view),
                    RecordKind::Agreement => context.agreements.push(view),
                    RecordKind::Open => context.open.push(view),
                    RecordKind::Mark => {
                        match view.status.as_str() {
                            "kept" => context.counts.kept += 1,
                            "missed" => context.counts.missed += 1,
                            "renegotiated" => context.counts.renegotiated += 1,
                            _ => {}
                        }
                        context.marks.push(view);
                    }
                }
            }
            context.counts.exercises += 1;
            context.counts.finished += usize::from(exercise.finished);
            context.counts.answers += exercise.answers.iter().filter(|a| !a.skipped).count();
            context.counts.skipped += exercise.answers.iter().filter(|a| a.skipped).count();
            if !exercise.finished {
                context.revisit.unfinished.push(exercise.title.clone());
            }
            context.exercises.push(exercise);
        }
        context.counts.commitments = context.commitments.len();
        context.counts.agreements = context.agreements.len();
        let ledger = crate::store::session::sync_ledger(data, &partners)?.view(today);
        context.revisit.open = ledger.open;
        context.revisit.pending = ledger.pending;
        context.revisit.agreements = ledger
            .agreements
            .into_iter()
            .filter(|a| !a.revisit.is_empty())
            .collect();
        Ok(context)
    }
}

/// One exercise as it was played: the saved copy of its file is compiled
/// again, so the notes match what the couple saw even if the file changed.
fn exercise_notes(run: &RunLog) -> ExerciseNotes {
    let id = run.header.exercise.id.clone();
    let compiled = compile(&id, Source::new(id.clone(), run.header.text.clone())).exercise;
    let title = compiled
        .as_ref()
        .map_or_else(|| id.clone(), |e| e.title.clone());
    let answers = run
        .state
        .as_ref()
        .map(|s| {
            s.answers
                .iter()
                .map(|a| AnswerView {
                    step: a.step.clone(),
                    name: a.name.clone(),
                    role: a.role.clone(),
                    role_label: compiled
                        .as_ref()
                        .and_then(|e| e.roles.iter().find(|r| r.name == a.role))
                        .map_or_else(|| a.role.clone(), |r| r.label.clone()),
                    round: a.round,
                    question: a.question.clone(),
                    text: a.text.clone().unwrap_or_default(),
                    label: a.label.clone().unwrap_or_default(),
                    skipped: a.text.is_none(),
                })
                .collect()
        })
        .unwrap_or_default();
    let fragment = match (&compiled, &run.state) {
        (Some(exercise), Some(state)) => Run::restore(exercise, state.clone())
            .ok()
            .and_then(|r| {
                r.with_ledger(run.header.ledger.clone())
                    .notes()
                    .ok()
                    .flatten()
            })
            .unwrap_or_default(),
        _ => String::new(),
    };
    ExerciseNotes {
        id,
        title: title.clone(),
        version: run.header.exercise.version,
        finished: run.finished(),
        paused_at: run
            .state
            .as_ref()
            .and_then(|s| s.cursor.at.clone())
            .unwrap_or_default(),
        answers,
        notes: without_heading(&fragment, &title),
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
        new_text: r.new_text.clone().unwrap_or_default(),
    }
}
