use crate::cmd::Status;
use crate::diagnostic::json::CheckReport;
use crate::diagnostic::report::{Diagnostic, Diagnostics, plural};
use crate::format::compiler::{Compiled, compile, compile_and_analyze};
use crate::format::library::{
    Library, TEST_PLAN_SUFFIX, exercise_files, exercise_id, file_in, read_plan, read_source,
};
use crate::format::word_lists::{WORD_LISTS_FILE, WordLists};
use crate::playtest::plan;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Exercise files or folders [default: the whole library]
    pub paths: Vec<PathBuf>,
    /// Fail (exit 1) on warnings too, not only on errors
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to print: `text` (with the line and a caret), `short` (one
    /// `file:line:col: severity[code]: message` line each, for editors'
    /// problem matchers) or `json` (docs/check-output.schema.json)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Short,
    Json,
}

pub fn execute(args: Args, exercises: Option<&Path>) -> Status {
    let (diagnostics, files) = check(&args.paths, exercises)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Text => {
            write!(out, "{diagnostics}")?;
            writeln!(
                out,
                "{} checked: {}",
                plural(files, "file"),
                diagnostics.summary()
            )?;
        }
        Format::Short => {
            for d in &diagnostics.0 {
                writeln!(out, "{}", d.headline())?;
            }
        }
        Format::Json => {
            let report = CheckReport::new(files, &diagnostics);
            writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        }
    }
    let failed = diagnostics.has_errors() || (args.deny_warnings && diagnostics.warnings() > 0);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Every problem in the files (folders: the exercise files in them; none:
/// the library), and how many files were read.
pub fn check(paths: &[PathBuf], exercises: Option<&Path>) -> anyhow::Result<(Diagnostics, usize)> {
    let mut diagnostics = Diagnostics::default();
    let mut files = 0;
    let mut add = |compiled: Compiled| {
        files += 1;
        diagnostics.0.extend(compiled.diagnostics);
    };
    if paths.is_empty() {
        let library = Library::open(exercises)?;
        if library.has_own_words() {
            add(Compiled {
                exercise: None,
                diagnostics: library.words().diagnostics.clone(),
            });
        }
        for (_, compiled) in library.compile_all_with(compile_and_analyze) {
            add(compiled);
        }
    } else {
        for path in exercise_files(paths)? {
            if let Some(id) = plan_of(&path) {
                add(Compiled {
                    exercise: None,
                    diagnostics: check_plan(&path, id),
                });
                continue;
            }
            if path.file_name().is_some_and(|n| n == WORD_LISTS_FILE) {
                add(Compiled {
                    exercise: None,
                    diagnostics: WordLists::in_dir(path.parent().unwrap_or(Path::new("")))
                        .diagnostics,
                });
                continue;
            }
            let id = exercise_id(&path).unwrap_or_else(|| path.display().to_string());
            match read_source(&path) {
                Ok(source) => add(compile_and_analyze(&id, source, &WordLists::beside(&path))),
                Err(d) => add(Compiled {
                    exercise: None,
                    diagnostics: vec![d],
                }),
            }
        }
    }
    Ok((diagnostics, files))
}

/// The exercise id of a test plan's file name (`ID.test.yaml`).
fn plan_of(path: &Path) -> Option<&str> {
    path.file_name()?.to_str()?.strip_suffix(TEST_PLAN_SUFFIX)
}

/// A test plan named on the command line is checked as a test plan,
/// against the exercise beside it, so `mend check exercises/*.yaml` reads
/// every file of the folder for what it is.
fn check_plan(path: &Path, id: &str) -> Vec<Diagnostic> {
    let source = match read_plan(path) {
        Ok(source) => source,
        Err(d) => return vec![d],
    };
    let exercise_path = file_in(path.parent().unwrap_or(Path::new("")), id);
    let Ok(exercise_source) = read_source(&exercise_path) else {
        return vec![
            source
                .whole_file(format!(
                    "this test plan is for the exercise `{id}`, but `{}` cannot be read",
                    exercise_path.display()
                ))
                .with_help(format!(
                    "a test plan sits beside its exercise: `{id}{TEST_PLAN_SUFFIX}` next to `{id}.yaml`"
                )),
        ];
    };
    match compile(id, exercise_source, &WordLists::beside(&exercise_path)).exercise {
        Some(exercise) => plan::load(&source, &exercise).1,
        None => vec![
            source
                .whole_file(format!(
                    "the exercise `{id}` has errors, so its test plan cannot be checked"
                ))
                .with_help(format!(
                    "`mend check {}` lists them",
                    exercise_path.display()
                )),
        ],
    }
}
