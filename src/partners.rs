//! The two names a session is played by.

use crate::limits;
use crate::text::neutralize;
use std::fmt;

pub const DEFAULT_PARTNERS: [&str; 2] = ["Partner A", "Partner B"];

/// Why a name, or a pair of names, cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    NotTwo,
    Same,
    Empty,
    TooLong,
    MultiLine,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::NotTwo => {
                f.write_str("--partners takes two names separated by a comma, like \"Alex,Sam\"")
            }
            NameError::Same => f.write_str(
                "the two partners need different names, so the screen can say whose turn it is",
            ),
            NameError::Empty => f.write_str("a name cannot be empty"),
            NameError::TooLong => {
                write!(f, "a name can be at most {} characters", limits::NAME_CHARS)
            }
            NameError::MultiLine => f.write_str("a name is one line"),
        }
    }
}

impl std::error::Error for NameError {}

/// Parses `--partners "Alex,Sam"`.
pub fn parse(list: &str) -> Result<[String; 2], NameError> {
    let names: Vec<&str> = list.split(',').map(str::trim).collect();
    let [a, b] = names.as_slice() else {
        return Err(NameError::NotTwo);
    };
    let pair = [name(a)?, name(b)?];
    if pair[0].to_lowercase() == pair[1].to_lowercase() {
        return Err(NameError::Same);
    }
    Ok(pair)
}

/// Checks one name.
pub fn name(raw: &str) -> Result<String, NameError> {
    let name = neutralize(raw.trim());
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > limits::NAME_CHARS {
        return Err(NameError::TooLong);
    }
    if name.contains('\n') {
        return Err(NameError::MultiLine);
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
