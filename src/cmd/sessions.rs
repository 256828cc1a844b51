use crate::cmd::Status;
use crate::store::data_dir::DataDir;
use crate::store::session::{SessionLog, first_line, list};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn execute(_args: Args, data: Option<&Path>) -> Status {
    let data = DataDir::open(data)?;
    let sessions = list(&data);
    if sessions.is_empty() {
        println!(
            "No sessions yet in {}. `mend run <exercise>` starts one.",
            data.root().display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<[String; 5]> = sessions
        .iter()
        .map(|entry| match entry {
            Ok(log) => row(log),
            Err((path, error)) => [
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
                format!("cannot be read: {}", first_line(error)),
            ],
        })
        .collect();
    let header = ["ID", "STARTED", "PARTNERS", "EXERCISES", "STATUS"].map(str::to_owned);
    let mut widths = [0usize; 5];
    for r in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for r in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = r
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
    Ok(ExitCode::SUCCESS)
}

fn row(log: &SessionLog) -> [String; 5] {
    let started = log
        .started()
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    let partners = log.partners().map(|p| p.join(", ")).unwrap_or_default();
    let exercises: Vec<&str> = log
        .runs
        .iter()
        .map(|r| r.header.exercise.id.as_str())
        .collect();
    let status = match log.unfinished() {
        _ if log.finished() => "finished".to_owned(),
        Some(run) => match run.state.as_ref().and_then(|s| s.cursor.at.as_deref()) {
            Some(step) => format!("paused at `{step}`"),
            None => "paused".to_owned(),
        },
        None => "not started".to_owned(),
    };
    let status = match &log.warning {
        Some(_) => format!("{status} (last line cut off)"),
        None => status,
    };
    [
        log.id.clone(),
        started,
        partners,
        exercises.join(", "),
        status,
    ]
}
