//! Asking for the passphrase of an encrypted archive: from `MEND_PASSPHRASE`
//! when scripts set it, else typed at the terminal without echo (and twice
//! when it is new, so a typo cannot lock the couple out of their archive).

use age::secrecy::SecretString;
use std::io::{self, IsTerminal};

pub const PASSPHRASE_VAR: &str = "MEND_PASSPHRASE";

/// Why there is no passphrase, as the user reads it.
fn refused(message: String) -> io::Error {
    io::Error::other(message)
}

pub fn passphrase(new: bool) -> io::Result<SecretString> {
    if let Some(set) = std::env::var(PASSPHRASE_VAR).ok().filter(|p| !p.is_empty()) {
        return Ok(SecretString::from(set));
    }
    if !std::io::stdin().is_terminal() {
        return Err(refused(format!(
            "a passphrase is needed: type it at a terminal, or set {PASSPHRASE_VAR} (or use --recipient / --identity with age keys)"
        )));
    }
    let first = rpassword::prompt_password("Passphrase: ")?;
    if first.is_empty() {
        return Err(refused(
            "the passphrase is empty; nothing was done".to_owned(),
        ));
    }
    if new {
        let again = rpassword::prompt_password("The same passphrase again: ")?;
        if again != first {
            return Err(refused(
                "the two passphrases differ; nothing was done".to_owned(),
            ));
        }
    }
    Ok(SecretString::from(first))
}
