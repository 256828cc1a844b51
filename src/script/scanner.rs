//! A tiny reader over the text of an expression or a template hole, for
//! the fast paths.

use crate::script::fast_scope::{NamePath, Segment};

/// A tiny reader over the text of an expression: identifiers, whole
/// numbers, double-quoted strings without escapes, and punctuation. Anything
/// else ends the fast path (the caller keeps the slow one).
pub struct Scanner<'s> {
    text: &'s str,
    at: usize,
}

impl<'s> Scanner<'s> {
    pub fn new(text: &'s str) -> Self {
        Scanner { text, at: 0 }
    }

    fn rest(&self) -> &'s str {
        &self.text[self.at..]
    }

    pub fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
    }

    pub fn at_end(&mut self) -> bool {
        self.skip_space();
        self.at == self.text.len()
    }

    /// Consumes `token` if the text continues with it.
    pub fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        let found = self.rest().starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    /// Whether the text continues with `token`, without consuming it.
    pub fn peek(&mut self, token: &str) -> bool {
        self.skip_space();
        self.rest().starts_with(token)
    }

    pub fn ident(&mut self) -> Option<&'s str> {
        self.skip_space();
        let rest = self.rest();
        let first = rest.bytes().next()?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let len = rest
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
            .unwrap_or(rest.len());
        self.at += len;
        Some(&rest[..len])
    }

    /// A whole number that fits in an `i64`.
    pub fn int(&mut self) -> Option<i64> {
        self.skip_space();
        let rest = self.rest();
        let len = rest
            .bytes()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(rest.len());
        // A digit run followed by a letter, `_` or `.` is some other literal
        // (`1_000`, `2.5`, `0x1f`): not ours.
        let next = rest.as_bytes().get(len).copied();
        if len == 0 || next.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.') {
            return None;
        }
        let value = rest[..len].parse().ok()?;
        self.at += len;
        Some(value)
    }

    /// A double-quoted string with no escapes or interpolation.
    pub fn string(&mut self) -> Option<&'s str> {
        self.skip_space();
        let body = self.rest().strip_prefix('"')?;
        let len = body.find(['"', '\\', '\n', '\r'])?;
        if body.as_bytes()[len] != b'"' {
            return None;
        }
        self.at += len + 2;
        Some(&body[..len])
    }

    /// `root`, then any of `.key`, `[0]` and `["key"]`.
    pub fn name_path(&mut self, root: &str) -> Option<NamePath> {
        let mut rest = Vec::new();
        loop {
            if self.eat(".") {
                rest.push(Segment::Key(self.ident()?.to_owned()));
            } else if self.eat("[") {
                let segment = match self.string() {
                    Some(key) => Segment::Key(key.to_owned()),
                    None => Segment::Index(usize::try_from(self.int()?).ok()?),
                };
                if !self.eat("]") {
                    return None;
                }
                rest.push(segment);
            } else {
                return Some(NamePath {
                    root: root.to_owned(),
                    rest,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_numbers_and_plain_strings() {
        let mut c = Scanner::new(r#" answers.feeling partners[1] vars["x"] 42 "hi" "#);
        let root = c.ident().unwrap();
        assert_eq!(
            c.name_path(root).unwrap().rest,
            [Segment::Key("feeling".into())]
        );
        let root = c.ident().unwrap();
        assert_eq!(c.name_path(root).unwrap().rest, [Segment::Index(1)]);
        let root = c.ident().unwrap();
        assert_eq!(c.name_path(root).unwrap().rest, [Segment::Key("x".into())]);
        assert_eq!(c.int(), Some(42));
        assert_eq!(c.string(), Some("hi"));
        assert!(c.at_end());
    }

    #[test]
    fn gives_up_on_what_it_does_not_know() {
        assert_eq!(Scanner::new(r#""a\"b""#).string(), None);
        assert_eq!(Scanner::new("'a'").string(), None);
        for number in ["1_000", "2.5", "0x1f", "99999999999999999999"] {
            assert_eq!(Scanner::new(number).int(), None, "{number}");
        }
        let mut c = Scanner::new("partners[-1]");
        let root = c.ident().unwrap();
        assert_eq!(c.name_path(root), None);
    }
}
