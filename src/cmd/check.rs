use crate::cmd::Status;
use crate::diagnostic::json::CheckReport;
use crate::diagnostic::report::Diagnostic;
use crate::diagnostic::report::{Diagnostics, plural};
use crate::format::compiler::{Compiled, compile, compile_and_analyze};
use crate::format::library::{Library, TEST_PLAN_SUFFIX, exercise_files, exercise_id, read_source};
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
        for (_, compiled) in library.compile_all_with(compile_and_analyze) {
            add(compiled);
        }
    } else {
        for path in exercise_files(paths)? {
            // A test plan named among the files (`exercises/*.yaml` names
            // them all) is checked as a plan, against its exercise.
            if let Some(exercise) = exercise_of_plan(&path) {
                add(Compiled {
                    exercise: None,
                    diagnostics: check_plan(&path, &exercise),
                });
                continue;
            }
            let id = exercise_id(&path).unwrap_or_else(|| path.display().to_string());
            match read_source(&path) {
                Ok(source) => add(compile_and_analyze(&id, source)),
                Err(d) => add(Compiled {
                    exercise: None,
                    diagnostics: vec![d],
                }),
            }
        }
    }
    Ok((diagnostics, files))
}

/// The exercise file beside a test plan, when `path` names one.
fn exercise_of_plan(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(TEST_PLAN_SUFFIX)?;
    Some(path.with_file_name(format!("{stem}.yaml")))
}

/// Every problem in the test plan at `path`: what `mend test` would refuse
/// to play, without playing it.
fn check_plan(path: &Path, exercise_file: &Path) -> Vec<Diagnostic> {
    let plan_source = match read_source(path) {
        Ok(source) => source,
        Err(d) => return vec![d],
    };
    let id = exercise_id(exercise_file).unwrap_or_else(|| exercise_file.display().to_string());
    let exercise = read_source(exercise_file)
        .ok()
        .and_then(|source| compile(&id, source).exercise);
    match exercise {
        Some(exercise) => plan::load(&plan_source, &exercise).1,
        None => vec![Diagnostic::error(
            path.display().to_string(),
            format!(
                "this test plan can be checked once its exercise `{}` reads and compiles; `mend check {}` shows why it does not",
                exercise_file.display(),
                exercise_file.display()
            ),
        )],
    }
}
