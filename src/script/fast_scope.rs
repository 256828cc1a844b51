//! Reading a run's values by name without building a view: the common shape
//! of check rules, conditions and prompt templates (`answers.feeling`,
//! `speaker`, `words(answer) >= 4`) is evaluated natively (`fast_expr`,
//! `fast_text`), and only what falls outside it goes through rhai or
//! minijinja. Both fast paths read names through `FastScope`, and both give up
//! (`None`) wherever the outcome is anything but a plain string, number or
//! true/false, so the slow path produces the same result or the same error.

use crate::script::words::Words;
use std::cell::Cell;

thread_local! {
    static SLOW_ONLY: Cell<bool> = const { Cell::new(false) };
}

/// Whether the fast paths may be taken on this thread.
pub fn fast_paths_on() -> bool {
    !SLOW_ONLY.get()
}

/// Runs `f` with the fast paths off on this thread, so every script and
/// template goes through rhai and minijinja. For tests, which compare the
/// two ways (tests/integration/fast_paths.rs); nothing else turns them off.
pub fn with_slow_paths_only<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            SLOW_ONLY.set(self.0);
        }
    }
    let _restore = Restore(SLOW_ONLY.replace(true));
    f()
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

/// What a fast path may read of a run: its scope, one name at a time.
pub trait FastScope {
    /// The plain value at `path`, or `None` when it is missing or not plain.
    fn plain(&self, path: &NamePath) -> Option<Plain<'_>>;
    /// How often `step` ran in this round, as `visits(step)` tells scripts.
    fn visits(&self, step: &str) -> u32;
    /// The answer a check rule is testing.
    fn answer(&self) -> Option<&str>;
    /// The answer's words, split once for all the rules that read them.
    fn answer_words(&self) -> Option<&Words<'_>>;
    /// The list of strings at `path` (an exercise's word list,
    /// `vars.defence_words`), or `None` when it is anything else.
    fn strings(&self, _path: &NamePath) -> Option<Vec<&str>> {
        None
    }
}
