use crate::cmd::Status;
use crate::format::library::Library;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only exercises with this tag
    #[arg(long)]
    pub tag: Option<String>,
}

pub fn execute(args: Args, exercises: Option<&Path>) -> Status {
    let library = Library::open(exercises)?;
    let mut broken = 0;
    let mut rows = Vec::new();
    for (id, compiled) in library.compile_all() {
        let Some(ex) = compiled.exercise else {
            broken += 1;
            continue;
        };
        if args.tag.as_ref().is_some_and(|t| !ex.tags.contains(t)) {
            continue;
        }
        let shown = crate::text::neutralize;
        rows.push((id, shown(&ex.title), ex.minutes, shown(&ex.summary)));
    }
    let id_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let title_width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    for (id, title, minutes, summary) in &rows {
        println!(
            "{id:<id_width$}  {title:<title_width$}  {:>3} min  {summary}",
            minutes
        );
    }
    if broken > 0 {
        eprintln!(
            "{broken} exercise file(s) in {} have errors; `mend check` shows them",
            library.describe()
        );
    }
    Ok(ExitCode::SUCCESS)
}
