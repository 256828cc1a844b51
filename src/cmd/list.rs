use crate::cmd::Status;
use crate::format::library::Library;
use crate::text::{display_width, terminal_width};
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
    if let Some(tag) = args.tag.as_ref().filter(|_| rows.is_empty()) {
        let mut tags: Vec<String> = library
            .compile_all()
            .into_iter()
            .filter_map(|(_, c)| c.exercise)
            .flat_map(|e| e.tags)
            .collect();
        tags.sort();
        tags.dedup();
        println!(
            "No exercise has the tag \"{}\". The tags in use: {}.",
            crate::text::neutralize(tag),
            tags.join(", ")
        );
        return Ok(ExitCode::SUCCESS);
    }
    let id_width = rows.iter().map(|r| display_width(&r.0)).max().unwrap_or(0);
    let title_width = rows.iter().map(|r| display_width(&r.1)).max().unwrap_or(0);
    let width = terminal_width();
    for (id, title, minutes, summary) in &rows {
        let pad =
            |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(display_width(s))));
        let head = format!(
            "{}  {}  {:>3} min  ",
            pad(id, id_width),
            pad(title, title_width),
            minutes
        );
        // The summary wraps under itself, never breaking a word.
        let line = match width.filter(|w| *w > display_width(&head) + 20) {
            Some(w) => {
                let indent = " ".repeat(display_width(&head));
                let options = textwrap::Options::new(w)
                    .initial_indent(&head)
                    .subsequent_indent(&indent)
                    .break_words(false);
                textwrap::fill(summary, &options)
            }
            None => format!("{head}{summary}"),
        };
        println!("{line}");
    }
    if broken > 0 {
        eprintln!(
            "{broken} exercise file(s) in {} have errors; `mend check` shows them",
            library.describe()
        );
    }
    Ok(ExitCode::SUCCESS)
}
