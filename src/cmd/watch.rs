use crate::cmd::{Status, check, test};
use crate::diagnostic::report::plural;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An exercise file, or a folder of them
    pub path: PathBuf,
    /// How often to look for saved changes, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 300)]
    pub interval: u64,
}

/// Re-checks and replays the test plans each time a file is saved, until
/// interrupted. Saves are found by comparing each file's modification time
/// and size a few times a second: a handful of small files costs nothing to
/// look at, and it works the same on every filesystem and with editors that
/// save by writing a new file and renaming it over the old one, which event
/// watchers (inotify and the like) need special handling for.
pub fn execute(args: Args, exercises: Option<&Path>) -> Status {
    let interval = Duration::from_millis(args.interval.max(50));
    let mut seen: Option<Vec<Stamp>> = None;
    loop {
        let now = stamps(&args.path);
        if seen.as_ref() != Some(&now) {
            // An editor may save in several writes: wait until it is done.
            std::thread::sleep(interval);
            let settled = stamps(&args.path);
            if settled != now {
                continue;
            }
            round(&args.path, exercises)?;
            seen = Some(settled);
        }
        std::thread::sleep(interval);
    }
}

/// One check and one replay of the plans, the same as `mend check PATH` and
/// `mend test PATH` print.
fn round(path: &Path, exercises: Option<&Path>) -> anyhow::Result<()> {
    let time = chrono::Local::now().format("%H:%M:%S");
    println!("── {time} · {} ──", path.display());
    let (diagnostics, files) = check::check(&[path.to_path_buf()], exercises)?;
    print!("{diagnostics}");
    println!(
        "{} checked: {}",
        plural(files, "file"),
        diagnostics.summary()
    );
    // Plans need an exercise that compiles; the errors above say why not.
    if !diagnostics.has_errors() {
        let tested = test::Args {
            paths: vec![path.to_path_buf()],
            random: None,
            seed: 1,
        };
        if let Err(error) = test::execute(tested, exercises) {
            println!("{error:#}");
        }
    }
    println!("Watching {} for changes; Ctrl-C stops.", path.display());
    Ok(())
}

/// A file and what tells a save: its modification time and size.
type Stamp = (PathBuf, Option<SystemTime>, u64);

fn stamps(path: &Path) -> Vec<Stamp> {
    let files: Vec<PathBuf> = if path.is_dir() {
        std::fs::read_dir(path)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        let plan = path.with_extension("test.yaml");
        vec![path.to_path_buf(), plan]
    };
    let mut stamps: Vec<Stamp> = files
        .into_iter()
        .map(|file| {
            let meta = std::fs::metadata(&file).ok();
            let modified = meta.as_ref().and_then(|m| m.modified().ok());
            let len = meta.map_or(0, |m| m.len());
            (file, modified, len)
        })
        .collect();
    stamps.sort();
    stamps
}
