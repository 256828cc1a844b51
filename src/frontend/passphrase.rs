//! Asking for the passphrase of an encrypted archive: from `MEND_PASSPHRASE`
//! when scripts set it, else typed at the terminal without echo (and twice
//! when it is new, so a typo cannot lock the couple out of their archive).

use age::secrecy::SecretString;
use anyhow::{Context, bail};
use std::io::IsTerminal;

pub const PASSPHRASE_VAR: &str = "MEND_PASSPHRASE";

pub fn passphrase(new: bool) -> anyhow::Result<SecretString> {
    if let Some(set) = std::env::var(PASSPHRASE_VAR).ok().filter(|p| !p.is_empty()) {
        return Ok(SecretString::from(set));
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "a passphrase is needed: type it at a terminal, or set {PASSPHRASE_VAR} (or use --recipient / --identity with age keys)"
        );
    }
    let first = rpassword::prompt_password("Passphrase: ").context("cannot read the passphrase")?;
    if first.is_empty() {
        bail!("the passphrase is empty; nothing was done");
    }
    if new {
        let again = rpassword::prompt_password("The same passphrase again: ")
            .context("cannot read the passphrase")?;
        if again != first {
            bail!("the two passphrases differ; nothing was done");
        }
    }
    Ok(SecretString::from(first))
}
