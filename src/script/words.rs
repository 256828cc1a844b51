//! Splitting a partner's text into words, the way every helper reads it:
//! lower-cased, curly apostrophes made straight, surrounding punctuation
//! removed.

use std::borrow::Cow;

/// The words of `s`, lower-cased, with curly apostrophes made straight and
/// surrounding punctuation removed.
pub fn words(s: &str) -> Vec<String> {
    each_word(s).map(Cow::into_owned).collect()
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
/// rules of one answer share one split (`fast_expr`).
pub struct Words<'a>(Vec<Cow<'a, str>>);

impl<'a> Words<'a> {
    pub fn of(s: &'a str) -> Self {
        if s.is_ascii() {
            // Room for words of three letters and a space: rarely regrown.
            let mut words = Vec::with_capacity(s.len() / 4 + 1);
            words.extend(each_ascii_word(s));
            Words(words)
        } else {
            Words(each_word(s).collect())
        }
    }

    pub fn count(&self) -> usize {
        self.0.len()
    }

    /// The first word, if any.
    pub fn first(&self) -> Option<&str> {
        self.0.first().map(|w| &**w)
    }

    /// Each word, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|w| &**w)
    }

    /// Whether the phrase's words appear here in a row.
    pub fn contain(&self, phrase: &Phrase) -> bool {
        self.contain_words(&phrase.0)
    }

    /// Whether the text opens with the phrase's words.
    pub fn start_with(&self, phrase: &Phrase) -> bool {
        !phrase.0.is_empty()
            && self
                .0
                .get(..phrase.0.len())
                .is_some_and(|here| here.iter().zip(&phrase.0).all(|(w, p)| **w == *p))
    }

    /// Whether a phrase of `first` is followed by a phrase of `second` with
    /// at most `gap` words between them ("you have finally forgiven me":
    /// "you" then "forgiven me", two words apart).
    pub fn near(&self, first: &[Phrase], second: &[Phrase], gap: usize) -> bool {
        let at = |phrase: &Phrase, start: usize| {
            let words = &phrase.0;
            !words.is_empty()
                && self
                    .0
                    .get(start..start + words.len())
                    .is_some_and(|here| here.iter().zip(words).all(|(w, p)| **w == *p))
        };
        (0..self.0.len()).any(|start| {
            first.iter().filter(|a| at(a, start)).any(|a| {
                let end = start + a.0.len();
                (end..=end.saturating_add(gap).min(self.0.len()))
                    .any(|next| second.iter().any(|b| at(b, next)))
            })
        })
    }

    /// Whether these words appear here in a row.
    pub fn contain_words<S: AsRef<str>>(&self, wanted: &[S]) -> bool {
        let same = |w: &Cow<str>, word: &S| **w == *word.as_ref();
        match wanted {
            [] => false,
            [word] => self.0.iter().any(|w| same(w, word)),
            _ => self
                .0
                .windows(wanted.len())
                .any(|w| w.iter().zip(wanted).all(|(w, word)| same(w, word))),
        }
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
        let mut kept = Vec::with_capacity(self.0.len());
        let mut at = 0;
        while at < self.0.len() {
            let rest = &self.0[at..];
            let longest = phrases
                .iter()
                .map(|p| &p.0)
                .filter(|p| {
                    !p.is_empty()
                        && p.len() <= rest.len()
                        && p.iter().zip(rest).all(|(p, w)| *p == **w)
                })
                .map(Vec::len)
                .max();
            match longest {
                Some(len) => {
                    kept.push(Cow::Borrowed(SET_ASIDE));
                    at += len;
                }
                None => {
                    kept.push(Cow::Owned(rest[0].to_string()));
                    at += 1;
                }
            }
        }
        Words(kept)
    }

    /// The words, joined by single spaces.
    pub fn joined(&self) -> String {
        self.0.join(" ")
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
        assert!(!near("once you have finally forgiven me", 1));
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
            "because set_aside paranoid i'm sorry"
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
}
