use crate::cmd::Status;
use crate::notes::render as notes;
use crate::store::data_dir::DataDir;
use crate::store::private;
use crate::store::session::{self, SessionLog};
use crate::store::session_log::newest;
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The session [default: the latest]
    #[arg(conflicts_with = "last")]
    pub session: Option<String>,
    /// The latest session
    #[arg(long)]
    pub last: bool,
    /// A template name (session-notes, dap, or one in <data>/templates/) or a file path
    #[arg(long, value_name = "NAME|PATH")]
    pub template: Option<String>,
    /// Write the notes to FILE (readable only by you) instead of the screen
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn execute(args: Args, data: Option<&Path>) -> Status {
    let data = DataDir::open(data)?;
    let log = match &args.session {
        Some(id) => session::find(&data, Some(id))?,
        None => latest(&data)?,
    };
    if let Some(warning) = &log.warning {
        eprintln!("note: {warning}");
    }
    for run in &log.runs {
        if let Err(problem) = run.text() {
            eprintln!(
                "note: {problem:#}. The notes show what was said, under the questions as saved, without what that exercise adds to them."
            );
        }
    }
    let today = chrono::Local::now().date_naive();
    let (notes, problems) =
        notes::render_noting_problems(&data, &log, args.template.as_deref(), today)?;
    for problem in &problems {
        eprintln!("{problem}");
        eprintln!(
            "note: the notes still list every answer under its question; only what that exercise's own notes add is missing (a template that shows them says so)."
        );
    }
    match &args.output {
        Some(path) => {
            private::write_private(path, notes.as_bytes())
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            println!(
                "Wrote the notes of session {} to {}",
                log.id,
                path.display()
            );
        }
        None => print!("{notes}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The newest session that can be read, found from the end of the
/// sessions index (reading no other journal, whatever the history).
pub fn latest(data: &DataDir) -> anyhow::Result<SessionLog> {
    let mut error = None;
    for entry in newest(data, 1, |_| true) {
        match entry {
            Ok(log) => return Ok(log),
            Err((_, e)) => error = error.or(Some(e)),
        }
    }
    match error {
        Some(error) => Err(error.into()),
        None => bail!("there are no sessions yet; `mend run <exercise>` starts one"),
    }
}
