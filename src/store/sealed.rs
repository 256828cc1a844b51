//! Archives encrypted with age (the `age` crate, the format's reference
//! implementation in Rust): to a passphrase (scrypt) or to recipients'
//! public keys (`age1...`), so a couple's words can travel on a USB stick
//! or by mail without anyone else reading them.

use age::secrecy::SecretString;
use std::fmt;
use std::io::{self, Read, Write};
use std::path::Path;

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

/// Why an archive could not be sealed or opened.
#[derive(Debug)]
pub enum SealError {
    NotAKey {
        key: String,
        why: String,
    },
    IdentityFile {
        path: String,
        why: String,
    },
    NoRecipient,
    WantsIdentity,
    WantsPassphrase,
    WrongKey,
    Damaged(String),
    /// It decrypts to more than an archive may hold.
    TooLarge,
    /// Its passphrase asks scrypt for more work (and memory) than mend allows.
    TooMuchWork {
        required: u8,
    },
    Io(io::Error),
}

impl fmt::Display for SealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SealError::NotAKey { key, why } => {
                write!(
                    f,
                    "`{key}` is not an age public key (they start with age1): {why}"
                )
            }
            SealError::IdentityFile { path, why } => {
                write!(f, "`{path}` holds no usable age identity: {why}")
            }
            SealError::NoRecipient => f.write_str("no recipient to encrypt to"),
            SealError::WantsIdentity => f.write_str(
                "this archive was encrypted to a key, not a passphrase; pass --identity FILE",
            ),
            SealError::WantsPassphrase => f.write_str(
                "this archive was encrypted to a passphrase, not a key; leave out --identity",
            ),
            SealError::WrongKey => f.write_str("the passphrase or key does not open this archive"),
            SealError::Damaged(why) => write!(f, "the encrypted archive is damaged: {why}"),
            SealError::TooLarge => write!(
                f,
                "the archive opens to more than the {} MiB an archive may hold, so it was not read",
                crate::limits::ARCHIVE_BYTES / (1024 * 1024)
            ),
            SealError::TooMuchWork { required } => write!(
                f,
                "the archive's passphrase asks for scrypt work 2^{required}, more than mend allows (2^{}, about 1 GiB of memory); it was not written by mend export",
                crate::limits::ARCHIVE_SCRYPT_WORK_FACTOR
            ),
            SealError::Io(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for SealError {}

impl From<io::Error> for SealError {
    fn from(error: io::Error) -> Self {
        SealError::Io(error)
    }
}

const MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// Whether `bytes` are an age file (binary form).
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Reads recipients' public keys as age writes them (`age1...`).
pub fn recipients(keys: &[String]) -> Result<Vec<age::x25519::Recipient>, SealError> {
    keys.iter()
        .map(|key| {
            key.trim()
                .parse::<age::x25519::Recipient>()
                .map_err(|why| SealError::NotAKey {
                    key: key.clone(),
                    why: why.to_string(),
                })
        })
        .collect()
}

/// Reads an age identity file (what `age-keygen` writes).
pub fn identities(path: &Path) -> Result<Vec<Box<dyn age::Identity>>, SealError> {
    let shown = path.display().to_string();
    let failed = |why: String| SealError::IdentityFile {
        path: shown.clone(),
        why,
    };
    age::IdentityFile::from_file(shown.clone())
        .map_err(|e| failed(e.to_string()))?
        .into_identities()
        .map_err(|e| failed(e.to_string()))
}

pub fn seal(bytes: &[u8], to: SealTo) -> Result<Vec<u8>, SealError> {
    let encryptor = match to {
        SealTo::Passphrase(passphrase) => age::Encryptor::with_user_passphrase(passphrase),
        SealTo::Recipients(recipients) => {
            if recipients.is_empty() {
                return Err(SealError::NoRecipient);
            }
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|_| SealError::NoRecipient)?
        }
    };
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out)?;
    writer.write_all(bytes)?;
    writer.finish()?;
    Ok(out)
}

pub fn unseal(bytes: &[u8], with: Unseal) -> Result<Vec<u8>, SealError> {
    let decryptor = age::Decryptor::new(bytes).map_err(|e| SealError::Damaged(e.to_string()))?;
    let passphrase_needed = decryptor.is_scrypt();
    let reader = match with {
        Unseal::Passphrase(passphrase) => {
            if !passphrase_needed {
                return Err(SealError::WantsIdentity);
            }
            let mut identity = age::scrypt::Identity::new(passphrase);
            identity.set_max_work_factor(crate::limits::ARCHIVE_SCRYPT_WORK_FACTOR);
            decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity))
        }
        Unseal::Identities(identities) => {
            if passphrase_needed {
                return Err(SealError::WantsPassphrase);
            }
            decryptor.decrypt(identities.iter().map(|i| i.as_ref()))
        }
    };
    let reader = reader.map_err(|e| match e {
        age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
            SealError::WrongKey
        }
        age::DecryptError::ExcessiveWork { required, .. } => SealError::TooMuchWork { required },
        other => SealError::Damaged(other.to_string()),
    })?;
    let mut out = Vec::new();
    reader
        .take(crate::limits::ARCHIVE_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| SealError::Damaged(e.to_string()))?;
    if out.len() as u64 > crate::limits::ARCHIVE_BYTES {
        return Err(SealError::TooLarge);
    }
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
