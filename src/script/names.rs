//! Reading a run's values by name without building a view: the common shape
//! of check rules, conditions and prompt templates (`answers.feeling`,
//! `speaker`, `words(answer) >= 4`) is evaluated natively (`fast_expr`,
//! `fast_text`), and only what falls outside it goes through rhai or
//! minijinja. Both fast paths read names through `Names`, and both give up
//! (`None`) wherever the outcome is anything but a plain string, number or
//! true/false, so the slow path produces the same result or the same error.

use crate::script::helpers::Words;

#[cfg(test)]
thread_local! {
    static SLOW_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the fast paths may be taken; tests turn them off on their thread
/// to compare every result with the slow path's.
pub fn fast_paths_on() -> bool {
    #[cfg(test)]
    return !SLOW_ONLY.get();
    #[cfg(not(test))]
    true
}

/// A value both fast paths understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plain<'a> {
    Str(&'a str),
    Int(i64),
    Bool(bool),
}

/// One step of a name: `answers` `.feeling`, `partners` `[0]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A name and the keys and indexes read from it: `answers.feeling`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePath {
    pub root: String,
    pub rest: Vec<Segment>,
}

/// What a fast path may read of a run.
pub trait Names {
    /// The plain value at `path`, or `None` when it is missing or not plain.
    fn plain(&self, path: &NamePath) -> Option<Plain<'_>>;
    /// How often `step` ran in this round, as `visits(step)` tells scripts.
    fn visits(&self, step: &str) -> u32;
    /// The answer a check rule is testing.
    fn answer(&self) -> Option<&str>;
    /// The answer's words, split once for all the rules that read them.
    fn answer_words(&self) -> Option<&Words<'_>>;
}

/// A tiny reader over the text of an expression: identifiers, whole
/// numbers, double-quoted strings without escapes, and punctuation. Anything
/// else ends the fast path (the caller keeps the slow one).
pub struct Cursor<'s> {
    text: &'s str,
    at: usize,
}

impl<'s> Cursor<'s> {
    pub fn new(text: &'s str) -> Self {
        Cursor { text, at: 0 }
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
    use crate::engine::event::{Event, Reply};
    use crate::{Run, Source, compile};
    use chrono::{DateTime, Utc};

    /// Plays `text` with answers drawn in turn from `answers` (an option
    /// number where options are asked for), once with the fast paths and
    /// once without: every event, reply, error and the final state must be
    /// the same.
    fn both_ways_agree(file: &str, text: &str, answers: &[&str], seed: usize) {
        let exercise = compile(file, Source::new(file, text))
            .exercise
            .unwrap_or_else(|| panic!("{file} compiles"));
        let play = |slow: bool| {
            SLOW_ONLY.set(slow);
            let mut run = Run::start(&exercise, ["Alex".into(), "Sam".into()]);
            let mut seen = Vec::new();
            for n in seed..seed + 400 {
                let event = match run.next_event() {
                    Ok(event) => event,
                    Err(e) => {
                        seen.push(format!("error {}", e));
                        break;
                    }
                };
                seen.push(format!("{event:?}"));
                let Event::Prompt(prompt) = event else {
                    if matches!(event, Event::Finished) {
                        break;
                    }
                    continue;
                };
                let answer = if prompt.options.is_empty() {
                    answers[n * 7 % answers.len()].to_owned()
                } else {
                    (1 + n * 5 % prompt.options.len()).to_string()
                };
                let reply = run.answer(&answer, DateTime::<Utc>::UNIX_EPOCH);
                seen.push(match reply {
                    Ok(Reply::Accepted) => "accepted".to_owned(),
                    Ok(Reply::Retry { hint, check }) => format!("retry {check:?} {hint}"),
                    Err(e) => format!("error {e}"),
                });
            }
            SLOW_ONLY.set(false);
            (
                seen,
                run.notes().map_err(|e| e.to_string()),
                run.into_state(),
            )
        };
        let (fast, slow) = (play(false), play(true));
        assert_eq!(fast.0, slow.0, "{file} (seed {seed}): events differ");
        assert_eq!(fast.1, slow.1, "{file} (seed {seed}): notes differ");
        assert_eq!(fast.2, slow.2, "{file} (seed {seed}): states differ");
    }

    const ANSWERS: [&str; 9] = [
        "You never listen to me",
        "lonely",
        "I feel lonely when we eat with phones out, because time together matters, and I need phones away at dinner.",
        "What I heard is you feel lonely at dinner",
        "I will put my phone away by Friday",
        "in 2 weeks",
        "no",
        "I’M HURT, but I'd like us to talk for ten minutes",
        "",
    ];

    #[test]
    fn fast_paths_agree_with_rhai_and_minijinja_on_every_shipped_exercise() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".yaml"))
            .filter(|p| !p.to_string_lossy().ends_with(".test.yaml"))
            .collect();
        files.sort();
        assert!(files.len() >= 14);
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            for seed in 0..6 {
                both_ways_agree(&path.to_string_lossy(), &text, &ANSWERS, seed);
            }
        }
    }

    #[test]
    fn fast_paths_agree_at_their_edges() {
        let text = include_str!("../../tests/exercises/fast-path-edges.yaml");
        for seed in 0..12 {
            both_ways_agree("fast-path-edges.yaml", text, &ANSWERS, seed);
        }
    }

    #[test]
    fn reads_names_numbers_and_plain_strings() {
        let mut c = Cursor::new(r#" answers.feeling partners[1] vars["x"] 42 "hi" "#);
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
        assert_eq!(Cursor::new(r#""a\"b""#).string(), None);
        assert_eq!(Cursor::new("'a'").string(), None);
        for number in ["1_000", "2.5", "0x1f", "99999999999999999999"] {
            assert_eq!(Cursor::new(number).int(), None, "{number}");
        }
        let mut c = Cursor::new("partners[-1]");
        let root = c.ident().unwrap();
        assert_eq!(c.name_path(root), None);
    }
}
