//! The spellings of one word that mean the same to a check rule: "you're"
//! and "you are", "youre" and "you're", "didnt" and "didn't", and the
//! strengtheners a partner may put inside a phrase ("sorry you're *really*
//! upset"). A word list names a phrase once ("sorry you're upset") and it is
//! found however a partner types it ("Im sorry youre upset", "I am so sorry you
//! are upset"), so authors write the idea, not each spelling of it. Both the
//! answer and the list's phrases are read through the same forms, so
//! nothing an author writes stops matching itself. Verb tenses stay apart
//! ("felt" is not "feel"): lists tell them apart on purpose ("you always
//! loved" is fond, "you always" is not).

/// Contractions, and the way people type them without the apostrophe, as
/// the words they stand for. Only spellings with one reading: "its",
/// "wont" and "ill" are words of their own, "he's" may be "he has". A
/// negative ("didn't", "isn't") stays one word (`NEGATIVES` reads its
/// spellings as one), so a list's "you did" never finds "you didn't".
const CONTRACTIONS: &[(&str, &[&str])] = &[
    ("cos", &["because"]),
    ("coz", &["because"]),
    ("cuz", &["because"]),
    ("i'd", &["i", "would"]),
    ("i'll", &["i", "will"]),
    ("i'm", &["i", "am"]),
    ("i've", &["i", "have"]),
    ("im", &["i", "am"]),
    ("it'll", &["it", "will"]),
    ("it's", &["it", "is"]),
    ("ive", &["i", "have"]),
    ("that's", &["that", "is"]),
    ("thats", &["that", "is"]),
    ("there's", &["there", "is"]),
    ("they'd", &["they", "would"]),
    ("they'll", &["they", "will"]),
    ("they're", &["they", "are"]),
    ("they've", &["they", "have"]),
    ("we'd", &["we", "would"]),
    ("we'll", &["we", "will"]),
    ("we're", &["we", "are"]),
    ("we've", &["we", "have"]),
    ("what's", &["what", "is"]),
    ("you'd", &["you", "would"]),
    ("you'll", &["you", "will"]),
    ("you're", &["you", "are"]),
    ("you've", &["you", "have"]),
    ("youre", &["you", "are"]),
];

/// Negatives, each read as one word whatever its tense or spelling:
/// "didn't", "didnt" and "doesn't" as "don't"; "wasn't" as "isn't".
const NEGATIVES: &[(&str, &str)] = &[
    ("aren't", "isn't"),
    ("arent", "isn't"),
    ("cannot", "can't"),
    ("cant", "can't"),
    ("couldnt", "couldn't"),
    ("didn't", "don't"),
    ("didnt", "don't"),
    ("doesn't", "don't"),
    ("doesnt", "don't"),
    ("dont", "don't"),
    ("hadn't", "haven't"),
    ("hadnt", "haven't"),
    ("hasn't", "haven't"),
    ("hasnt", "haven't"),
    ("havent", "haven't"),
    ("isnt", "isn't"),
    ("shouldnt", "shouldn't"),
    ("wasn't", "isn't"),
    ("wasnt", "isn't"),
    ("weren't", "isn't"),
    ("werent", "isn't"),
    ("wouldnt", "wouldn't"),
];

/// Words that only make another stronger, or softer, which a partner may
/// put inside any phrase ("sorry you're *really* upset", "I *just* lied",
/// "can we *please* move on"): a phrase is
/// found with a few of them between its words, never at its ends.
const STRENGTHENERS: &[&str] = &[
    "absolutely",
    "actually",
    "awfully",
    "completely",
    "deeply",
    "extremely",
    "genuinely",
    "honestly",
    "incredibly",
    "just",
    "please",
    "really",
    "sincerely",
    "so",
    "terribly",
    "that",
    "totally",
    "truly",
    "utterly",
    "very",
];

/// The most strengtheners read past between two words of a phrase.
pub const MOST_STRENGTHENERS: usize = 2;

/// Reads `word` in the form every helper compares, giving each word it
/// stands for to `push`: its contraction spelled out, a negative read as
/// one. False, and nothing given, when the word stands as it is.
pub fn read(word: &str, mut push: impl FnMut(&'static str)) -> bool {
    // Every answer's words and every list's phrases pass through here on
    // each rule, and almost none is in the tables: one look for an
    // apostrophe and one `match` turn most away before any search.
    if !word.contains('\'') && !typed_without_apostrophe(word) {
        return false;
    }
    if let Ok(i) = CONTRACTIONS.binary_search_by(|(w, _)| (*w).cmp(word)) {
        for w in CONTRACTIONS[i].1 {
            push(negative(w).unwrap_or(w));
        }
        return true;
    }
    negative(word).map(push).is_some()
}

/// Whether `word` is one of the tables' spellings without an apostrophe
/// (a test keeps this in step with the tables).
fn typed_without_apostrophe(word: &str) -> bool {
    matches!(
        word,
        "arent"
            | "cannot"
            | "cant"
            | "cos"
            | "couldnt"
            | "coz"
            | "cuz"
            | "didnt"
            | "doesnt"
            | "dont"
            | "hadnt"
            | "hasnt"
            | "havent"
            | "im"
            | "isnt"
            | "ive"
            | "shouldnt"
            | "thats"
            | "wasnt"
            | "werent"
            | "wouldnt"
            | "youre"
    )
}

/// The one word a negative is read as, when `word` is one.
fn negative(word: &str) -> Option<&'static str> {
    NEGATIVES
        .binary_search_by(|(w, _)| (*w).cmp(word))
        .ok()
        .map(|i| NEGATIVES[i].1)
}

/// Whether a phrase may be found with `word` between two of its words.
pub fn strengthens(word: &str) -> bool {
    STRENGTHENERS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_without_an_apostrophe_is_let_through_to_the_tables() {
        let keys = CONTRACTIONS
            .iter()
            .map(|c| c.0)
            .chain(NEGATIVES.iter().map(|n| n.0));
        for key in keys.filter(|k| !k.contains('\'')) {
            assert!(typed_without_apostrophe(key), "{key}");
        }
    }

    #[test]
    fn the_tables_are_sorted_for_binary_search() {
        assert!(CONTRACTIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(NEGATIVES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(STRENGTHENERS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_word_read_once_reads_the_same_again() {
        fn read_all(word: &'static str) -> Vec<&'static str> {
            let mut out = Vec::new();
            if !read(word, |w| out.push(w)) {
                out.push(word);
            }
            out
        }
        for word in CONTRACTIONS
            .iter()
            .map(|c| c.0)
            .chain(NEGATIVES.iter().map(|v| v.0))
        {
            for w in read_all(word) {
                assert_eq!(read_all(w), [w], "{word} reads as {w}, which reads on");
            }
        }
    }

    #[test]
    fn contractions_read_as_the_plain_words_and_negatives_as_one() {
        let mut out = Vec::new();
        assert!(read("you're", |w| out.push(w)));
        assert!(read("didnt", |w| out.push(w)));
        assert!(!read("felt", |w| out.push(w)));
        assert_eq!(out, ["you", "are", "don't"]);
    }
}
