//! Capability tokens: 128 random bits from the operating system, compared in
//! constant time so a guess learns nothing from how long a refusal takes.

use subtle::ConstantTimeEq;

/// A secret that grants access to whoever holds it.
#[derive(Clone)]
pub struct Secret([u8; 16]);

impl Secret {
    pub fn random() -> Result<Secret, getrandom::Error> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        Ok(Secret(bytes))
    }

    /// 32 lower-case hex digits: safe in a URL fragment and a header.
    pub fn text(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether `typed` is this secret, in time that does not depend on where
    /// the two differ.
    pub fn matches(&self, typed: &str) -> bool {
        let Some(bytes) = parse_hex(typed) else {
            return false;
        };
        bool::from(self.0.ct_eq(&bytes))
    }
}

impl std::fmt::Debug for Secret {
    /// Never printed, even in a debug trace.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

fn parse_hex(text: &str) -> Option<[u8; 16]> {
    let text = text.as_bytes();
    if text.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, pair) in text.chunks(2).enumerate() {
        let digit = |c: u8| (c as char).to_digit(16);
        out[i] = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
    }
    Some(out)
}

/// A random identifier that is not a secret (a sitting's id in a token).
pub fn random_id() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_matches_only_itself() {
        let secret = Secret::random().unwrap();
        let other = Secret::random().unwrap();
        assert!(secret.matches(&secret.text()));
        assert!(!secret.matches(&other.text()));
        assert!(!secret.matches(""));
        assert!(!secret.matches(&secret.text()[..31]));
        assert!(!secret.matches(&format!("{}0", secret.text())));
        assert_eq!(format!("{secret:?}"), "Secret(..)");
    }
}
