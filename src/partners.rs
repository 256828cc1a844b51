//! The two names a session is played by.

use crate::limits;
use crate::text::neutralize;
use anyhow::bail;

pub const DEFAULT_PARTNERS: [&str; 2] = ["Partner A", "Partner B"];

/// Parses `--partners "Alex,Sam"`.
pub fn parse(list: &str) -> anyhow::Result<[String; 2]> {
    let names: Vec<&str> = list.split(',').map(str::trim).collect();
    let [a, b] = names.as_slice() else {
        bail!("--partners takes two names separated by a comma, like \"Alex,Sam\"");
    };
    Ok([name(a)?, name(b)?]).and_then(|pair: [String; 2]| {
        if pair[0].to_lowercase() == pair[1].to_lowercase() {
            bail!("the two partners need different names, so the screen can say whose turn it is");
        }
        Ok(pair)
    })
}

/// Checks one name.
pub fn name(raw: &str) -> anyhow::Result<String> {
    let name = neutralize(raw.trim());
    if name.is_empty() {
        bail!("a name cannot be empty");
    }
    if name.chars().count() > limits::NAME_CHARS {
        bail!("a name can be at most {} characters", limits::NAME_CHARS);
    }
    if name.contains('\n') {
        bail!("a name is one line");
    }
    Ok(name)
}

pub fn defaults() -> [String; 2] {
    DEFAULT_PARTNERS.map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_distinct_names() {
        assert_eq!(
            parse(" Alex , Sam ").unwrap(),
            ["Alex".to_owned(), "Sam".to_owned()]
        );
        assert!(parse("Alex").is_err());
        assert!(parse("Alex,alex").is_err());
        assert!(parse("Alex,").is_err());
    }
}
