use crate::cmd::Status;
use crate::diagnostic::report::{Diagnostics, plural};
use crate::format::compiler::{Compiled, compile_and_analyze};
use crate::format::library::{Library, exercise_files, exercise_id, read_source};
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
}

pub fn execute(args: Args, exercises: Option<&Path>) -> Status {
    let mut diagnostics = Diagnostics::default();
    let mut files = 0;
    let mut add = |compiled: Compiled| {
        files += 1;
        diagnostics.0.extend(compiled.diagnostics);
    };
    if args.paths.is_empty() {
        let library = Library::open(exercises)?;
        for (_, compiled) in library.compile_all_with(compile_and_analyze) {
            add(compiled);
        }
    } else {
        for path in exercise_files(&args.paths)? {
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
    let mut out = std::io::stdout().lock();
    write!(out, "{diagnostics}")?;
    writeln!(
        out,
        "{} checked: {}",
        plural(files, "file"),
        diagnostics.summary()
    )?;
    let failed = diagnostics.has_errors() || (args.deny_warnings && diagnostics.warnings() > 0);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
