use crate::cmd::Status;
use crate::compiler::compile;
use crate::diagnostic::{Diagnostics, plural};
use crate::library::{Library, exercise_id, read_source};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Exercise files or folders [default: the whole library]
    pub paths: Vec<PathBuf>,
}

pub fn execute(args: Args, exercises: Option<&Path>) -> Status {
    let mut diagnostics = Diagnostics::default();
    let mut files = 0;
    if args.paths.is_empty() {
        let library = Library::open(exercises)?;
        for (_, compiled) in library.compile_all() {
            files += 1;
            diagnostics.0.extend(compiled.diagnostics);
        }
    } else {
        for path in expand(&args.paths)? {
            files += 1;
            let id = exercise_id(&path).unwrap_or_else(|| path.display().to_string());
            match read_source(&path) {
                Ok(source) => diagnostics.0.extend(compile(&id, source).diagnostics),
                Err(d) => diagnostics.push(d),
            }
        }
    }
    print!("{diagnostics}");
    println!(
        "{} checked: {}",
        plural(files, "file"),
        diagnostics.summary()
    );
    Ok(if diagnostics.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Files as given; folders become the exercise files inside them.
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let library = Library::from_dir(path)?;
            for id in library.ids() {
                let yaml = path.join(format!("{id}.yaml"));
                files.push(if yaml.is_file() {
                    yaml
                } else {
                    path.join(format!("{id}.yml"))
                });
            }
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}
