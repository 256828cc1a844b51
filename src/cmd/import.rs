use crate::cmd::Status;
use crate::frontend::passphrase::passphrase;
use crate::store::archive::Archive;
use crate::store::data_dir::DataDir;
use crate::store::sealed::{self, Unseal};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An archive written by `mend export`
    pub file: PathBuf,
    /// For an archive encrypted to an age key: the identity file that opens it
    #[arg(long, value_name = "FILE")]
    pub identity: Option<PathBuf>,
}

pub fn execute(args: Args, data: Option<&Path>) -> Status {
    let data = DataDir::open(data)?;
    let shown = args.file.display();
    let meta = std::fs::metadata(&args.file).with_context(|| format!("cannot read `{shown}`"))?;
    if !meta.is_file() {
        bail!("`{shown}` is not a file; `mend export` writes an archive to a file");
    }
    if meta.len() > crate::limits::ARCHIVE_BYTES {
        bail!(
            "`{shown}` is {} MiB; an archive mend imports holds at most {} MiB, so it was not read",
            meta.len().div_ceil(1024 * 1024),
            crate::limits::ARCHIVE_BYTES / (1024 * 1024)
        );
    }
    let mut bytes = std::fs::read(&args.file).with_context(|| format!("cannot read `{shown}`"))?;
    if sealed::is_sealed(&bytes) {
        let with = match &args.identity {
            Some(path) => Unseal::Identities(sealed::identities(path)?),
            None => Unseal::Passphrase(passphrase(false)?),
        };
        bytes = sealed::unseal(&bytes, with)?;
    }
    let archive =
        Archive::from_bytes(&bytes).with_context(|| format!("cannot import `{shown}`"))?;
    let imported = archive.import(&data)?;
    let [a, b] = &archive.partners;
    println!(
        "Imported {} session(s) of {a} and {b} into {}{}.",
        imported.added.len(),
        data.root().display(),
        match imported.already.len() {
            0 => String::new(),
            n => format!("; {n} were already here"),
        }
    );
    Ok(ExitCode::SUCCESS)
}
