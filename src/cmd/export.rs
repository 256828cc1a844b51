use crate::cmd::Status;
use crate::frontend::passphrase::passphrase;
use crate::notes::render as notes;
use crate::partners;
use crate::store::archive::Archive;
use crate::store::couple_data::CoupleData;
use crate::store::data_dir::DataDir;
use crate::store::private;
use crate::store::sealed::{self, SealTo};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Whose data: the two names, in either order
    #[arg(long, value_name = "\"NAME,NAME\"")]
    pub partners: String,
    /// The archive to write (readable only by you)
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Encrypt it to a passphrase (asked for, or MEND_PASSPHRASE)
    #[arg(long, conflicts_with = "recipient")]
    pub encrypt: bool,
    /// Encrypt it to this age public key (age1...) instead; may be repeated
    #[arg(long, value_name = "KEY")]
    pub recipient: Vec<String>,
}

pub fn execute(args: Args, data: Option<&Path>) -> Status {
    let data = DataDir::open(data)?;
    let found = CoupleData::gather(&data, &partners::parse(&args.partners)?);
    let partners = found.partners.clone();
    if found.sessions.is_empty() && found.ledger.is_none() {
        bail!(
            "mend keeps nothing for {} and {} in {}; `mend sessions` lists whose sessions are there",
            partners[0],
            partners[1],
            data.root().display()
        );
    }
    let today = chrono::Local::now().date_naive();
    let (archive, left_out) = Archive::of(&partners, &found, chrono::Utc::now(), |log| {
        notes::render(&data, log, None, today).ok()
    })?;
    let mut bytes = archive.to_bytes()?;
    if bytes.len() as u64 > crate::limits::ARCHIVE_BYTES {
        anyhow::bail!(
            "this couple's data is {} MiB, more than the {} MiB an archive may hold (mend import would refuse it); nothing was written",
            (bytes.len() as u64).div_ceil(1024 * 1024),
            crate::limits::ARCHIVE_BYTES / (1024 * 1024)
        );
    }
    let sealed_to = if !args.recipient.is_empty() {
        Some(SealTo::Recipients(sealed::recipients(&args.recipient)?))
    } else if args.encrypt {
        Some(SealTo::Passphrase(passphrase(true)?))
    } else {
        None
    };
    let encrypted = sealed_to.is_some();
    if let Some(to) = sealed_to {
        bytes = sealed::seal(&bytes, to)?;
    }
    private::write_private(&args.output, &bytes)
        .with_context(|| format!("cannot write `{}`", args.output.display()))?;
    println!(
        "Wrote {} session(s){} of {} and {} to {}{}.",
        archive.sessions.len(),
        if archive.ledger.is_some() {
            " and their ledger"
        } else {
            ""
        },
        partners[0],
        partners[1],
        args.output.display(),
        if encrypted {
            ", encrypted"
        } else {
            " (not encrypted: anyone who has the file can read it)"
        }
    );
    for path in &found.unreadable {
        eprintln!(
            "note: `{}` could not be read, so it is not in the archive; it may hold their words too",
            path.display()
        );
    }
    for problem in &left_out {
        eprintln!(
            "note: {problem}. The session's journal is in the archive all the same, without that exercise text."
        );
    }
    Ok(ExitCode::SUCCESS)
}
