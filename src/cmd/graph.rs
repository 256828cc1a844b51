use crate::cmd::Status;
use crate::format::graph;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An exercise id from the library, or the path of a file
    pub exercise: String,
    /// `mermaid` (renders in Markdown viewers) or `dot` (Graphviz)
    #[arg(long, value_enum, default_value_t = Format::Mermaid)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Mermaid,
    Dot,
}

pub fn execute(args: Args, exercises: Option<&Path>) -> Status {
    let exercise = crate::cmd::run::load(&args.exercise, exercises)?;
    let text = match args.format {
        Format::Mermaid => graph::mermaid(&exercise),
        Format::Dot => graph::dot(&exercise),
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
