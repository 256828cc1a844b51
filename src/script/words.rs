//! Splitting a partner's text into words, the way every helper reads it:
//! lower-cased, curly apostrophes made straight, surrounding punctuation
//! removed, each word in the form `word_forms` reads it ("you're" as "you
//! are", "didnt" as "didn't").

use crate::script::word_forms::{self, MOST_STRENGTHENERS};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// The words of `s`, lower-cased, with curly apostrophes made straight,
/// surrounding punctuation removed, and each read as `word_forms` reads it.
pub fn words(s: &str) -> Vec<String> {
    let mut read = Vec::new();
    for word in each_word(s) {
        push_read(word, &mut read);
    }
    read.into_iter().map(Cow::into_owned).collect()
}

/// Pushes `word` as `word_forms` reads it: one word or more.
fn push_read<'a>(word: Cow<'a, str>, out: &mut Vec<Cow<'a, str>>) {
    if !word_forms::read(&word, |w| out.push(Cow::Borrowed(w))) {
        out.push(word);
    }
}

/// `words`, borrowing each word from `s` when it needs no change: the
/// helpers run inside every check rule, so they avoid allocating.
fn each_word(s: &str) -> impl Iterator<Item = Cow<'_, str>> {
    s.split(separates_words)
        .map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}');
            let ascii_lowercase = w.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase());
            if ascii_lowercase {
                Cow::Borrowed(w.trim_matches('\''))
            } else {
                Cow::Owned(w.replace('\u{2019}', "'").trim_matches('\'').to_lowercase())
            }
        })
        .filter(|w| w.chars().any(char::is_alphanumeric))
}

fn separates_words(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ';' | '.' | '!' | '?' | ':' | '(' | ')' | '"')
}

/// `each_word` for ASCII text, trimming bytes instead of characters: the
/// same words (a property test below compares them) at a fraction of the
/// cost, and most answers are ASCII.
fn each_ascii_word(s: &str) -> impl Iterator<Item = Cow<'_, str>> {
    fn trim(w: &str, keep: impl Fn(u8) -> bool) -> Option<&str> {
        let bytes = w.as_bytes();
        let start = bytes.iter().position(|&b| keep(b))?;
        let end = bytes.iter().rposition(|&b| keep(b))? + 1;
        w.get(start..end)
    }
    let bytes = s.as_bytes();
    bytes
        .split(|&b| b.is_ascii() && separates_words(char::from(b)))
        .filter_map(move |w| {
            // Where the word starts in `s`, to slice the `str` itself.
            let start = w.as_ptr().addr() - bytes.as_ptr().addr();
            let w = s.get(start..start + w.len())?;
            let w = trim(w, |b| b.is_ascii_alphanumeric() || b == b'\'')?;
            let w = trim(w, |b| b != b'\'')?;
            if !w.bytes().any(|b| b.is_ascii_alphanumeric()) {
                return None;
            }
            Some(if w.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(w.to_ascii_lowercase())
            } else {
                Cow::Borrowed(w)
            })
        })
}

/// A text split into words once, for every helper that reads it: the check
/// rules of one answer share one split (`fast_expr`). The words are read
/// as `word_forms` reads them ("I'm" as "i am"); `count` and the gaps
/// `near` allows are in words the partner typed.
pub struct Words<'a> {
    words: Vec<Cow<'a, str>>,
    /// For each word, which typed word it was read from.
    typed_at: Vec<usize>,
    typed: usize,
    /// Where each word stands, for long texts: built on the first search,
    /// so a pasted page read against thousands of phrases costs the words
    /// once plus a look-up per phrase, not the words times the phrases.
    starts: std::cell::OnceCell<HashMap<u64, Vec<usize>>>,
}

/// Texts of more words than this are searched through `Words::starts`.
const INDEXED_FROM: usize = 64;

fn word_key(word: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    word.hash(&mut hasher);
    hasher.finish()
}

impl<'a> Words<'a> {
    pub fn of(s: &'a str) -> Self {
        // Room for words of three letters and a space: rarely regrown.
        let mut read = Words {
            words: Vec::with_capacity(s.len() / 4 + 1),
            typed_at: Vec::with_capacity(s.len() / 4 + 1),
            typed: 0,
            starts: std::cell::OnceCell::new(),
        };
        if s.is_ascii() {
            each_ascii_word(s).for_each(|w| read.push_typed(w));
        } else {
            each_word(s).for_each(|w| read.push_typed(w));
        }
        read
    }

    /// Adds one typed word, as `word_forms` reads it.
    fn push_typed(&mut self, word: Cow<'a, str>) {
        push_read(word, &mut self.words);
        self.typed_at.resize(self.words.len(), self.typed);
        self.typed += 1;
    }

    /// The same words, owning their text (to be kept past the text).
    pub fn into_owned(self) -> Words<'static> {
        Words {
            words: self
                .words
                .into_iter()
                .map(|w| Cow::Owned(w.into_owned()))
                .collect(),
            typed_at: self.typed_at,
            typed: self.typed,
            starts: self.starts,
        }
    }

    /// How many words were typed ("I'm" is one, though read as two).
    pub fn count(&self) -> usize {
        self.typed
    }

    /// The first word, if any.
    pub fn first(&self) -> Option<&str> {
        self.words.first().map(|w| &**w)
    }

    /// Each word, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|w| &**w)
    }

    /// Whether the phrase's words appear here in a row, or with a few
    /// strengtheners between them ("sorry you're really upset").
    pub fn contain(&self, phrase: &Phrase) -> bool {
        self.contain_words(&phrase.0)
    }

    /// Whether the text opens with the phrase's words.
    pub fn start_with(&self, phrase: &Phrase) -> bool {
        self.phrase_at(&phrase.0, 0).is_some()
    }

    /// Whether a phrase of `first` is followed by a phrase of `second` with
    /// at most `gap` words between them ("you have finally forgiven me":
    /// "you" then "forgiven me", two words apart).
    pub fn near(&self, first: &[Phrase], second: &[Phrase], gap: usize) -> bool {
        first.iter().any(|a| {
            let Some(opening) = a.0.first() else {
                return false;
            };
            self.any_start_of(opening, |start| {
                self.phrase_at(&a.0, start).is_some_and(|end| {
                    // Words typed between the two phrases, not words read:
                    // "or you'll be sleeping" has two, though read as three.
                    let last_typed = self.typed_at[end - 1];
                    (end..self.words.len())
                        .take_while(|&next| self.typed_at[next] <= last_typed + 1 + gap)
                        .any(|next| second.iter().any(|b| self.phrase_at(&b.0, next).is_some()))
                })
            })
        })
    }

    /// Whether these words appear here in a row, or with a few
    /// strengtheners between them.
    pub fn contain_words<S: AsRef<str>>(&self, wanted: &[S]) -> bool {
        match wanted {
            [] => false,
            [first, ..] => self.any_start_of(first.as_ref(), |start| {
                self.phrase_at(wanted, start).is_some()
            }),
        }
    }

    /// Whether `found` holds at some place where `word` stands.
    fn any_start_of(&self, word: &str, mut found: impl FnMut(usize) -> bool) -> bool {
        if self.words.len() <= INDEXED_FROM {
            return (0..self.words.len()).any(|at| *self.words[at] == *word && found(at));
        }
        let starts = self.starts.get_or_init(|| {
            let mut starts: HashMap<u64, Vec<usize>> = HashMap::new();
            for (at, w) in self.words.iter().enumerate() {
                starts.entry(word_key(w)).or_default().push(at);
            }
            starts
        });
        starts.get(&word_key(word)).is_some_and(|places| {
            places
                .iter()
                .any(|&at| *self.words[at] == *word && found(at))
        })
    }

    /// Where the phrase `wanted` ends when it starts at word `start`: its
    /// words in order, with at most `MOST_STRENGTHENERS` strengtheners
    /// before each word after the first.
    fn phrase_at<S: AsRef<str>>(&self, wanted: &[S], start: usize) -> Option<usize> {
        let (first, rest) = wanted.split_first()?;
        if *self.words.get(start)? != *first.as_ref() {
            return None;
        }
        let mut at = start + 1;
        for word in rest {
            let word = word.as_ref();
            let mut passed = 0;
            while *self.words.get(at)? != *word {
                if passed == MOST_STRENGTHENERS || !word_forms::strengthens(&self.words[at]) {
                    return None;
                }
                passed += 1;
                at += 1;
            }
            at += 1;
        }
        Some(at)
    }
}

/// The word that stands where `without` took a phrase out: a word, so the
/// words either side never join into a phrase of their own, and one no
/// word list holds.
pub const SET_ASIDE: &str = "set_aside";

impl Words<'_> {
    /// These words with every phrase of `phrases` taken out, each place
    /// where one stood left as `SET_ASIDE` (the longest phrase first where
    /// two start at the same word).
    pub fn without(&self, phrases: &[Phrase]) -> Words<'static> {
        let mut kept = Vec::with_capacity(self.words.len());
        let mut at = 0;
        while at < self.words.len() {
            let end = phrases
                .iter()
                .filter_map(|p| self.phrase_at(&p.0, at))
                .max();
            match end {
                Some(end) => {
                    kept.push(Cow::Borrowed(SET_ASIDE));
                    at = end;
                }
                None => {
                    kept.push(Cow::Owned(self.words[at].to_string()));
                    at += 1;
                }
            }
        }
        // What is left is a new text, each word typed as read (the joined
        // text rhai's `without` gives is split so again).
        let typed = kept.len();
        Words {
            words: kept,
            typed_at: (0..typed).collect(),
            typed,
            starts: std::cell::OnceCell::new(),
        }
    }

    /// The words, joined by single spaces.
    pub fn joined(&self) -> String {
        self.words.join(" ")
    }
}

/// A needle of `contains_any`, split into words like the text it is sought in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase(Vec<String>);

impl Phrase {
    pub fn new(text: &str) -> Self {
        Phrase(words(text))
    }
}

pub fn word_count(s: &str) -> usize {
    each_word(s).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ascii_text_splits_as_any_text_does(s in "[ -~\t\n\r\x0B\x0C]{0,40}") {
            let general: Vec<Cow<str>> = each_word(&s).collect();
            let ascii: Vec<Cow<str>> = each_ascii_word(&s).collect();
            proptest::prop_assert_eq!(general, ascii);
        }
    }

    #[test]
    fn ascii_words_are_the_words() {
        for s in [
            "I'M hurt, 'really'  -- 'ok'-",
            "'' a'b 'C' ",
            "\x0bx\x0cY",
            "",
        ] {
            let general: Vec<Cow<str>> = each_word(s).collect();
            assert_eq!(general, each_ascii_word(s).collect::<Vec<_>>(), "{s:?}");
        }
    }

    #[test]
    fn counts_words() {
        assert_eq!(word_count("I feel — hurt, when..."), 4);
        assert_eq!(word_count(""), 0);
    }

    #[test]
    fn start_with_reads_whole_words_at_the_start() {
        let words = Words::of("Stop, you're FLOODING again");
        assert!(words.start_with(&Phrase::new("stop")));
        assert!(words.start_with(&Phrase::new("stop you're")));
        assert!(!words.start_with(&Phrase::new("sto")));
        assert!(!words.start_with(&Phrase::new("flooding")));
        assert!(!words.start_with(&Phrase::new("")));
        assert!(!Words::of("").start_with(&Phrase::new("stop")));
    }

    #[test]
    fn near_finds_two_phrases_with_at_most_gap_words_between() {
        let you = [Phrase::new("you"), Phrase::new("you've")];
        let healed = [Phrase::new("forgiven me"), Phrase::new("let it go")];
        let near = |s: &str, gap| Words::of(s).near(&you, &healed, gap);
        assert!(near("Once you have finally forgiven me.", 2));
        assert!(near("once YOU'VE forgiven me", 0));
        assert!(!near("once you have finally forgiven me", 0));
        // "You've" reads as "you have", and gaps count the words typed.
        assert!(near("once you've finally forgiven me", 1));
        // In order only, whole words only, and never past the text's end.
        assert!(!near("I have forgiven me, you", 5));
        assert!(!near("youth has forgiven me", 3));
        assert!(!near("you have finally", 3));
        assert!(near("you just let it go", 1));
        assert!(!Words::of("you forgiven me").near(&[], &healed, 3));
    }

    #[test]
    fn without_takes_whole_phrases_out_and_leaves_a_word_in_their_place() {
        let phrases = [
            Phrase::new("I called you"),
            Phrase::new("i called"),
            Phrase::new("so "),
        ];
        let words = Words::of("Because I CALLED you paranoid, I'm sorry.");
        assert_eq!(
            words.without(&phrases).joined(),
            "because set_aside paranoid i am sorry"
        );
        // Whole words only: "so" is not taken out of "sorry" or "also".
        assert_eq!(
            Words::of("also sorry, so").without(&phrases).joined(),
            "also sorry set_aside"
        );
        // The words either side of a phrase taken out never join.
        let you_are = Words::of("you were so stupid").without(&[Phrase::new("were so")]);
        assert!(!you_are.contain(&Phrase::new("you stupid")));
        assert_eq!(Words::of("").without(&phrases).count(), 0);
    }

    #[test]
    fn phrases_are_found_however_they_are_spelt_and_strengthened() {
        let upset = Phrase::new("sorry you're upset");
        for typed in [
            "I'm sorry you're upset",
            "Im so sorry youre really upset",
            "i am sorry that you are SO upset",
        ] {
            assert!(Words::of(typed).contain(&upset), "{typed}");
        }
        // Never more than two strengtheners, never a word that is not one.
        assert!(!Words::of("sorry you are really very truly upset").contain(&upset));
        assert!(!Words::of("sorry you are not upset").contain(&upset));
        // A negative stays one word: "you did" is not in "you didnt".
        assert!(!Words::of("you didnt lie").contain(&Phrase::new("you did")));
        assert!(Words::of("you didnt lie").contain(&Phrase::new("you didn't")));
        assert_eq!(Words::of("I'm sorry").count(), 2);
    }

    #[test]
    fn long_texts_find_what_short_ones_do() {
        let long = format!(
            "{} I'm so sorry you are upset, or I am leaving",
            "and it keeps coming back ".repeat(100)
        );
        let words = Words::of(&long);
        assert!(words.count() > INDEXED_FROM);
        assert!(words.contain(&Phrase::new("sorry you're upset")));
        assert!(words.contain(&Phrase::new("keeps")));
        assert!(!words.contain(&Phrase::new("keeps going")));
        assert!(words.near(&[Phrase::new("or")], &[Phrase::new("i'm leaving")], 0));
        assert!(!words.near(&[Phrase::new("sorry")], &[Phrase::new("leaving")], 2));
    }
}
