use crate::cmd::Status;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; stdio is the only transport
    #[arg(long)]
    pub stdio: bool,
}

pub fn execute(_args: Args) -> Status {
    crate::lsp::server::serve_stdio()?;
    Ok(ExitCode::SUCCESS)
}
