//! Archives encrypted with age (the `age` crate, the format's reference
//! implementation in Rust): to a passphrase (scrypt) or to recipients'
//! public keys (`age1...`), so a couple's words can travel on a USB stick
//! or by mail without anyone else reading them.

use age::secrecy::SecretString;
use anyhow::{Context, bail};
use std::io::{Read, Write};

/// Who can open a sealed archive.
pub enum SealTo {
    Passphrase(SecretString),
    Recipients(Vec<age::x25519::Recipient>),
}

/// What opens a sealed archive.
pub enum Unseal {
    Passphrase(SecretString),
    /// The identities of an age identity file (`AGE-SECRET-KEY-1...`).
    Identities(Vec<Box<dyn age::Identity>>),
}

const MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// Whether `bytes` are an age file (binary form).
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Reads recipients' public keys as age writes them (`age1...`).
pub fn recipients(keys: &[String]) -> anyhow::Result<Vec<age::x25519::Recipient>> {
    keys.iter()
        .map(|key| {
            key.trim().parse::<age::x25519::Recipient>().map_err(|e| {
                anyhow::anyhow!("`{key}` is not an age public key (they start with age1): {e}")
            })
        })
        .collect()
}

/// Reads an age identity file (what `age-keygen` writes).
pub fn identities(path: &std::path::Path) -> anyhow::Result<Vec<Box<dyn age::Identity>>> {
    let file = age::IdentityFile::from_file(path.display().to_string())
        .with_context(|| format!("cannot read the identity file `{}`", path.display()))?;
    file.into_identities()
        .map_err(|e| anyhow::anyhow!("`{}` holds no usable age identity: {e}", path.display()))
}

pub fn seal(bytes: &[u8], to: SealTo) -> anyhow::Result<Vec<u8>> {
    let encryptor = match to {
        SealTo::Passphrase(passphrase) => age::Encryptor::with_user_passphrase(passphrase),
        SealTo::Recipients(recipients) => {
            if recipients.is_empty() {
                bail!("no recipient to encrypt to");
            }
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .context("cannot encrypt to these recipients")?
        }
    };
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out)?;
    writer.write_all(bytes)?;
    writer.finish()?;
    Ok(out)
}

pub fn unseal(bytes: &[u8], with: Unseal) -> anyhow::Result<Vec<u8>> {
    let decryptor = age::Decryptor::new(bytes).context("the encrypted archive is damaged")?;
    let passphrase_needed = decryptor.is_scrypt();
    let reader = match with {
        Unseal::Passphrase(passphrase) => {
            if !passphrase_needed {
                bail!(
                    "this archive was encrypted to a key, not a passphrase; pass --identity FILE"
                );
            }
            let identity = age::scrypt::Identity::new(passphrase);
            decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity))
        }
        Unseal::Identities(identities) => {
            if passphrase_needed {
                bail!(
                    "this archive was encrypted to a passphrase, not a key; leave out --identity"
                );
            }
            decryptor.decrypt(identities.iter().map(|i| i.as_ref()))
        }
    };
    let mut reader = reader.map_err(|e| match e {
        age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
            anyhow::anyhow!("the passphrase or key does not open this archive")
        }
        other => anyhow::anyhow!("cannot decrypt the archive: {other}"),
    })?;
    let mut out = Vec::new();
    reader
        .read_to_end(&mut out)
        .context("the encrypted archive is damaged")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;

    #[test]
    fn a_recipient_key_seals_and_its_identity_unseals() {
        let identity = age::x25519::Identity::generate();
        let recipient = recipients(&[identity.to_public().to_string()]).unwrap();
        let sealed = seal(b"what we said", SealTo::Recipients(recipient)).unwrap();
        assert!(is_sealed(&sealed));
        assert!(!sealed.windows(4).any(|w| w == b"said"));
        let key = identity.to_string();
        let file = age::IdentityFile::from_buffer(key.expose_secret().as_bytes())
            .unwrap()
            .into_identities()
            .unwrap();
        assert_eq!(
            unseal(&sealed, Unseal::Identities(file)).unwrap(),
            b"what we said"
        );
        let other = vec![Box::new(age::x25519::Identity::generate()) as Box<dyn age::Identity>];
        let error = unseal(&sealed, Unseal::Identities(other)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the passphrase or key does not open this archive"
        );
    }
}
