//! Functions exercise scripts can call. Each works on the words a partner
//! typed, case-insensitively, and never fails on odd input.

use crate::script::due::Timing;
use rhai::{Array, Engine, ImmutableString};
use std::borrow::Cow;

pub fn register(engine: &mut Engine) {
    engine.register_fn("words", |s: &str| word_count(s) as i64);
    engine.register_fn("starts_with_i", starts_with_i);
    engine.register_fn("has_absolutes", has_absolutes);
    engine.register_fn("names_feeling", names_feeling);
    engine.register_fn("contains_any", |s: &str, list: Array| {
        // Strings are shared, not copied; anything else is read as printed.
        let needles = list.into_iter().map(|d| {
            d.into_immutable_string()
                .unwrap_or_else(|other| ImmutableString::from(other.to_string()))
        });
        contains_any(s, needles)
    });
    engine.register_fn("is_due", is_due);
    engine.register_fn("is_ongoing", is_ongoing);
    engine.register_fn("is_ambiguous_date", is_ambiguous_date);
    engine.register_fn("visits", |step: &str| {
        crate::script::rhai_script::visits_of(step) as i64
    });
}

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

    pub fn start_with_i(&self) -> bool {
        self.0.first().is_some_and(|w| FIRST_PERSON.contains(&&**w))
    }

    pub fn have_absolutes(&self) -> bool {
        self.0.iter().any(|w| ABSOLUTES.contains(&&**w))
            || ABSOLUTE_PHRASES.iter().any(|p| self.contain_words(p))
    }

    pub fn name_feeling(&self) -> bool {
        self.0.iter().any(|w| FEELINGS.binary_search(&&**w).is_ok())
    }

    /// Whether the phrase's words appear here in a row.
    pub fn contain(&self, phrase: &Phrase) -> bool {
        self.contain_words(&phrase.0)
    }

    fn contain_words<S: AsRef<str>>(&self, wanted: &[S]) -> bool {
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

/// A needle of `contains_any`, split into words like the text it is sought in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase(Vec<String>);

impl Phrase {
    pub fn new(text: &str) -> Self {
        Phrase(words(text))
    }
}

/// True when the words name a date or a time from now ("by Friday").
pub fn is_due(s: &str) -> bool {
    matches!(timing(s), Timing::Day(_))
}

/// True when the words name a habit ("every evening", "starting today").
pub fn is_ongoing(s: &str) -> bool {
    matches!(timing(s), Timing::Ongoing { .. })
}

/// True when the words are a numeric date whose day and month could be
/// swapped ("03/04/2026").
pub fn is_ambiguous_date(s: &str) -> bool {
    matches!(timing(s), Timing::Ambiguous(..))
}

fn timing(s: &str) -> Timing {
    // Any fixed day works: only what kind of timing the words name matters.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    crate::script::due::read_timing(s, today)
}

pub fn word_count(s: &str) -> usize {
    each_word(s).count()
}

const FIRST_PERSON: [&str; 9] = ["i", "i'm", "i've", "i'd", "i'll", "im", "ive", "me", "my"];

/// True when the sentence starts from the speaker's own side:
/// "I feel...", "I'm...", "I've...", "My ...".
pub fn starts_with_i(s: &str) -> bool {
    Words::of(s).start_with_i()
}

const ABSOLUTES: [&str; 10] = [
    "always",
    "never",
    "everyone",
    "everybody",
    "nobody",
    "everything",
    "nothing",
    "constantly",
    "forever",
    "ever",
];
/// Already split into words (a test checks they split so), since
/// `has_absolutes` looks for them in every answer it reads.
const ABSOLUTE_PHRASES: [&[&str]; 4] = [
    &["every", "time"],
    &["all", "the", "time"],
    &["no", "one"],
    &["each", "and", "every"],
];

/// True when the text generalises ("always", "never", "every time"), which
/// turns a complaint about a moment into a verdict about a person.
pub fn has_absolutes(s: &str) -> bool {
    Words::of(s).have_absolutes()
}

/// Sorted, for a binary search: a long answer has hundreds of words.
/// Feeling words in the spirit of Nonviolent Communication's feelings list:
/// what happens inside the speaker, not a judgement of the other.
const FEELINGS: &[&str] = &[
    "abandoned",
    "afraid",
    "alone",
    "angry",
    "anxious",
    "ashamed",
    "betrayed",
    "calm",
    "close",
    "cold",
    "confused",
    "connected",
    "content",
    "disappointed",
    "discouraged",
    "dismissed",
    "distant",
    "embarrassed",
    "excited",
    "exhausted",
    "frightened",
    "frustrated",
    "glad",
    "grateful",
    "guilty",
    "happy",
    "heartbroken",
    "helpless",
    "hopeful",
    "hopeless",
    "humiliated",
    "hurt",
    "ignored",
    "insecure",
    "invisible",
    "irritated",
    "jealous",
    "lonely",
    "lost",
    "loved",
    "nervous",
    "numb",
    "overwhelmed",
    "panicked",
    "peaceful",
    "proud",
    "raw",
    "rejected",
    "relieved",
    "resentful",
    "sad",
    "safe",
    "scared",
    "shaken",
    "shocked",
    "shut",
    "small",
    "sorry",
    "stressed",
    "tender",
    "tense",
    "thankful",
    "tired",
    "torn",
    "touched",
    "uncertain",
    "uneasy",
    "unheard",
    "unimportant",
    "unsafe",
    "unseen",
    "upset",
    "vulnerable",
    "warm",
    "worried",
];

/// True when the text names a feeling word. "I feel that you..." names a
/// thought, not a feeling, so it does not count on its own.
pub fn names_feeling(s: &str) -> bool {
    Words::of(s).name_feeling()
}

/// True when `s` contains any of the words or phrases, ignoring case.
pub fn contains_any<S: AsRef<str>>(s: &str, needles: impl IntoIterator<Item = S>) -> bool {
    let words = Words::of(s);
    needles
        .into_iter()
        .any(|n| words.contain(&Phrase::new(n.as_ref())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_person_openings() {
        assert!(starts_with_i("I feel lonely when..."));
        assert!(starts_with_i("  \"I’m hurt\""));
        assert!(starts_with_i("I've been worried"));
        assert!(!starts_with_i("You never listen"));
        assert!(!starts_with_i("Ideally we would"));
        assert!(!starts_with_i(""));
    }

    #[test]
    fn absolute_phrases_are_split_as_words_splits_them() {
        for phrase in ABSOLUTE_PHRASES {
            assert_eq!(words(&phrase.join(" ")), phrase);
        }
    }

    #[test]
    fn absolutes_are_whole_words() {
        assert!(has_absolutes("you ALWAYS do this"));
        assert!(has_absolutes("it happens every time"));
        assert!(!has_absolutes("I feel unheard sometimes"));
        assert!(!has_absolutes("nevertheless, I need"));
    }

    #[test]
    fn phrases_match_whole_words() {
        let needles = vec!["but".to_owned(), "if you".to_owned()];
        assert!(contains_any("I'm sorry, BUT you", &needles));
        assert!(contains_any("sorry if you felt", &needles));
        assert!(!contains_any("the butter", &needles));
    }

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
    fn feelings_are_sorted_for_their_binary_search() {
        assert!(FEELINGS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn feelings() {
        assert!(names_feeling("I feel lonely"));
        assert!(!names_feeling("I feel that you are late"));
    }
}
