use crate::cmd::Status;
use crate::frontend::console::open_console;
use crate::frontend::play::Input;
use crate::partners;
use crate::store::couple_data::CoupleData;
use crate::store::data_dir::DataDir;
use crate::store::exercise_texts;
use crate::store::private;
use anyhow::{Context, bail};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Whose data: the two names, in either order
    #[arg(long, value_name = "\"NAME,NAME\"")]
    pub partners: String,
    /// Erase without asking (for scripts)
    #[arg(long)]
    pub yes: bool,
}

/// The word that confirms: a plain "y" is too easy to type by accident.
const CONFIRM: &str = "erase";

pub fn execute(args: Args, data: Option<&Path>) -> Status {
    let data = DataDir::open(data)?;
    let found = CoupleData::gather(&data, &partners::parse(&args.partners)?);
    let [a, b] = &found.partners;
    for path in &found.unreadable {
        eprintln!(
            "note: `{}` could not be read, so whose it is is unknown; it is left as it is",
            path.display()
        );
    }
    if found.is_empty() {
        println!(
            "mend keeps nothing for {a} and {b} in {}.",
            data.root().display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    // A session open in another mend would be written again after this.
    for log in &found.sessions {
        let lock = log.path.with_extension("lock");
        if let Ok(file) = std::fs::File::open(&lock)
            && file.try_lock().is_err()
        {
            bail!(
                "session {} is open in another mend; finish or :break it there first, then erase",
                log.id
            );
        }
    }
    let mut what = format!(
        "This erases everything mend keeps for {a} and {b} in {}, for good:\n",
        data.root().display()
    );
    let ids: Vec<&str> = found.sessions.iter().map(|s| s.id.as_str()).collect();
    if !ids.is_empty() {
        what.push_str(&format!("  {} session(s): {}\n", ids.len(), ids.join(", ")));
    }
    if found.ledger.is_some() {
        what.push_str("  their ledger of commitments and agreements\n");
    }
    let others = found.files.len() - found.sessions.len() - usize::from(found.ledger.is_some());
    if others > 0 {
        what.push_str(&format!(
            "  {others} other file(s) of theirs (locks, copies left by a crash)\n"
        ));
    }
    what.push_str("Notes written elsewhere with `mend notes -o` are not in the data folder and are not touched.");
    let mut console = open_console()?;
    let console = console.as_mut();
    console.say(&what)?;
    if !args.yes {
        let answer = match console.ask(
            &format!("Type {CONFIRM} to erase it, or anything else to keep it all."),
            &[],
        )? {
            Input::Line(line) => line,
            Input::End | Input::Interrupted => String::new(),
        };
        if answer.trim() != CONFIRM {
            println!("Nothing was erased.");
            return Ok(ExitCode::FAILURE);
        }
    }
    for file in &found.files {
        std::fs::remove_file(file)
            .with_context(|| format!("cannot remove `{}`", file.display()))?;
    }
    // The index of when sessions began names theirs too.
    let erased: std::collections::HashSet<&str> = ids.iter().copied().collect();
    crate::store::session_index::remove(&data, &erased)
        .context("their files are erased, but their sessions could not be taken out of the index of sessions")?;
    for dir in [data.sessions(), data.ledgers()] {
        if let Ok(folder) = std::fs::File::open(&dir) {
            let _ = folder.sync_all();
        }
        private::sweep_temps(&dir);
    }
    private::sweep_temps_in(&data.session_temps(), &data.sessions());
    // The exercise texts their journals named, unless another couple's
    // journal names one too.
    exercise_texts::remove_unused(&data, &found.texts())
        .context("their sessions are erased, but the exercise texts they used could not be")?;
    exercise_texts::sweep(&data);
    println!(
        "Erased {} file(s) of {a} and {b}. Nothing of theirs is left in the data folder.",
        found.files.len()
    );
    Ok(ExitCode::SUCCESS)
}
