//! Functions exercise scripts can call. Each works on the words a partner
//! typed, case-insensitively, and never fails on odd input.

use crate::script::due::Timing;
use crate::script::eval_facts::{EvalFacts, fallback_day};
use crate::script::words::{Phrase, Words, word_count};
use rhai::{Array, Dynamic, Engine, ImmutableString, NativeCallContext};
use std::cell::RefCell;

/// The helpers mend registers for scripts, with what each gives, in the
/// order docs/exercise-format.md lists them.
pub const HELPERS: [(&str, &str); 13] = [
    (
        "words",
        "`words(s)`: how many words `s` has, e.g. `words(answer) >= 4`",
    ),
    (
        "starts_with_i",
        "`starts_with_i(s)`: true when `s` starts from the speaker's side: I, I'm, I've, I'd, I'll, my, me",
    ),
    (
        "has_absolutes",
        "`has_absolutes(s)`: true when `s` generalises: always, never, everyone, nobody, every time, ...",
    ),
    (
        "names_feeling",
        "`names_feeling(s)`: true when `s` names a feeling word (hurt, lonely, worried, tired, ...)",
    ),
    (
        "contains_any",
        "`contains_any(s, [\"a\", \"b c\"])`: true when `s` contains any of the words or phrases, as whole words, ignoring case",
    ),
    (
        "without",
        "`without(s, [\"i called you\"])`: the words of `s` with each phrase taken out (whole words, ignoring case), for a rule that excuses some phrasings: `!contains_any(without(answer, vars.own_words), vars.label_words)`",
    ),
    (
        "starts_with_any",
        "`starts_with_any(s, [\"stop\", \"you need to\"])`: true when `s` opens with any of the words or phrases, as whole words, ignoring case",
    ),
    (
        "near",
        "`near(s, [\"you\"], [\"forgiven me\", \"moved on\"], 3)`: true when a phrase of the first list is followed by one of the second with at most that many words between (whole words, ignoring case): \"you have finally forgiven me\"",
    ),
    (
        "visits",
        "`visits(\"step_id\")`: how often that step has run in this round",
    ),
    (
        "is_due",
        "`is_due(s)`: true when `s` names a date: \"by Friday\", \"in 2 weeks\", \"2026-12-01\", \"Dec 15\", \"in a fortnight\"",
    ),
    (
        "is_ongoing",
        "`is_ongoing(s)`: true when `s` names a habit: \"every evening\", \"starting today\", \"each Sunday\"",
    ),
    (
        "is_ambiguous_date",
        "`is_ambiguous_date(s)`: true when `s` is a numeric date whose day and month could be swapped (\"03/04/2026\")",
    ),
    (
        "due_within",
        "`due_within(s, days)`: true when `s` names a date from the day of the answer to `days` days after it: `due_within(answer, 14)`",
    ),
];

/// An entry of a word list as text: a string is shared, not copied;
/// anything else (a number, say) is read as printed.
fn listed_text(entry: Dynamic) -> ImmutableString {
    match entry.is_string() {
        true => entry.into_immutable_string().unwrap_or_default(),
        false => ImmutableString::from(entry.to_string()),
    }
}

std::thread_local! {
    /// The last long text a helper split, kept with its words: a rule that
    /// asks of each of a thousand phrases whether a long answer holds it
    /// (`.filter(|w| !contains_any(said, [w]))`) splits the answer once.
    static LAST_LONG_TEXT: RefCell<Option<(String, Words<'static>)>> = const { RefCell::new(None) };
}

/// Texts shorter than this are split afresh: cheaper than comparing.
const KEPT_FROM_BYTES: usize = 256;

/// Runs `f` on the words of `s`, split once for repeated long texts.
fn with_words<T>(s: &str, f: impl FnOnce(&Words) -> T) -> T {
    if s.len() < KEPT_FROM_BYTES {
        return f(&Words::of(s));
    }
    LAST_LONG_TEXT.with(|last| {
        let mut last = last.borrow_mut();
        let cached = matches!(&*last, Some((text, _)) if text == s);
        if !cached {
            *last = Some((s.to_owned(), Words::of(s).into_owned()));
        }
        match &*last {
            Some((_, words)) => f(words),
            None => f(&Words::of(s)),
        }
    })
}

pub fn register(engine: &mut Engine) {
    engine.register_fn("words", |s: &str| word_count(s) as i64);
    engine.register_fn("starts_with_i", starts_with_i);
    engine.register_fn("has_absolutes", has_absolutes);
    engine.register_fn("names_feeling", names_feeling);
    engine.register_fn("contains_any", |s: &str, list: Array| {
        contains_any(s, list.into_iter().map(listed_text))
    });
    engine.register_fn("without", |s: &str, list: Array| {
        let phrases: Vec<Phrase> = list
            .into_iter()
            .map(|d| Phrase::new(&listed_text(d)))
            .collect();
        with_words(s, |words| words.without(&phrases).joined())
    });
    engine.register_fn("starts_with_any", |s: &str, list: Array| {
        with_words(s, |words| {
            list.into_iter()
                .any(|d| words.start_with(&Phrase::new(&listed_text(d))))
        })
    });
    engine.register_fn("near", |s: &str, first: Array, second: Array, gap: i64| {
        let phrases = |list: Array| -> Vec<Phrase> {
            list.into_iter()
                .map(|d| Phrase::new(&listed_text(d)))
                .collect()
        };
        let (first, second) = (phrases(first), phrases(second));
        with_words(s, |words| words.near(&first, &second, near_gap(gap)))
    });
    engine.register_fn("is_due", is_due);
    engine.register_fn("is_ongoing", is_ongoing);
    engine.register_fn("is_ambiguous_date", is_ambiguous_date);
    engine.register_fn(
        "due_within",
        |context: NativeCallContext, s: &str, days: i64| {
            let today = EvalFacts::read(&context, |facts| facts.and_then(|f| f.today));
            due_within(s, days, today.unwrap_or_else(fallback_day))
        },
    );
    engine.register_fn("visits", |context: NativeCallContext, step: &str| {
        EvalFacts::read(&context, |facts| {
            facts.and_then(|f| f.visits.get(step).copied()).unwrap_or(0)
        }) as i64
    });
}

/// The words `near` allows between its two phrases: none below zero, and
/// no more than a sentence holds (a longer gap would join unrelated
/// clauses and cost more than a rule should).
pub fn near_gap(gap: i64) -> usize {
    usize::try_from(gap.clamp(0, NEAR_GAP_MAX)).unwrap_or(0)
}

/// The most words `near` allows between its phrases.
pub const NEAR_GAP_MAX: i64 = 12;

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

/// True when the words name a date no later than `days` days after
/// `today`, the day of the answer (and not before it).
pub fn due_within(s: &str, days: i64, today: chrono::NaiveDate) -> bool {
    crate::script::due::parse_due(s, today)
        .map(|date| (date - today).num_days())
        .is_some_and(|ahead| (0..=days).contains(&ahead))
}

const FIRST_PERSON: [&str; 9] = ["i", "i'm", "i've", "i'd", "i'll", "im", "ive", "me", "my"];

/// True when the sentence starts from the speaker's own side:
/// "I feel...", "I'm...", "I've...", "My ...".
pub fn starts_with_i(s: &str) -> bool {
    opens_first_person(&Words::of(s))
}

/// `starts_with_i` for text already split.
pub fn opens_first_person(words: &Words) -> bool {
    words.first().is_some_and(|w| FIRST_PERSON.contains(&w))
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
    says_absolutes(&Words::of(s))
}

/// `has_absolutes` for text already split.
pub fn says_absolutes(words: &Words) -> bool {
    words.iter().any(|w| ABSOLUTES.contains(&w))
        || ABSOLUTE_PHRASES.iter().any(|p| words.contain_words(p))
}

/// Sorted, for a binary search: a long answer has hundreds of words.
/// Feeling words in the spirit of Nonviolent Communication's feelings list:
/// what happens inside the speaker, not a judgement of the other.
const FEELINGS: &[&str] = &[
    "abandoned",
    "affectionate",
    "afraid",
    "alone",
    "angry",
    "annoyed",
    "anxious",
    "appreciated",
    "apprehensive",
    "ashamed",
    "betrayed",
    "bitter",
    "broken",
    "calm",
    "close",
    "cold",
    "comforted",
    "confused",
    "connected",
    "content",
    "crushed",
    "defeated",
    "depleted",
    "desperate",
    "devalued",
    "devastated",
    "disappointed",
    "disconnected",
    "discouraged",
    "disgusted",
    "dismissed",
    "disrespected",
    "distant",
    "distressed",
    "drained",
    "edgy",
    "embarrassed",
    "empty",
    "encouraged",
    "enraged",
    "envious",
    "excited",
    "exhausted",
    "exposed",
    "fearful",
    "flooded",
    "fragile",
    "frightened",
    "frustrated",
    "furious",
    "glad",
    "grateful",
    "grieving",
    "guilty",
    "gutted",
    "happy",
    "heartbroken",
    "heartsick",
    "helpless",
    "hollow",
    "hopeful",
    "hopeless",
    "horrified",
    "humiliated",
    "hurt",
    "hurting",
    "ignored",
    "inadequate",
    "insecure",
    "invisible",
    "irritated",
    "isolated",
    "jealous",
    "jittery",
    "joyful",
    "lonely",
    "lonesome",
    "lost",
    "loved",
    "miserable",
    "misunderstood",
    "neglected",
    "nervous",
    "numb",
    "optimistic",
    "overwhelmed",
    "panicked",
    "panicky",
    "peaceful",
    "powerless",
    "proud",
    "raw",
    "reassured",
    "regretful",
    "rejected",
    "relaxed",
    "relieved",
    "remorseful",
    "replaced",
    "resentful",
    "respected",
    "restless",
    "sad",
    "safe",
    "scared",
    "shaken",
    "shaky",
    "shattered",
    "shocked",
    "shut",
    "sick",
    "small",
    "sorry",
    "stressed",
    "stuck",
    "tearful",
    "teary",
    "tender",
    "tense",
    "terrified",
    "thankful",
    "threatened",
    "tired",
    "torn",
    "touched",
    "trapped",
    "unappreciated",
    "uncertain",
    "uncomfortable",
    "understood",
    "uneasy",
    "unheard",
    "unimportant",
    "unloved",
    "unsafe",
    "unseen",
    "unsettled",
    "unsure",
    "unwanted",
    "upset",
    "valued",
    "vulnerable",
    "warm",
    "wary",
    "weary",
    "worried",
    "worthless",
    "wounded",
];

/// Feelings people say in more than one word ("I've been on edge"). Each
/// word alone ("on", "out") names nothing.
const FEELING_PHRASES: [&[&str]; 10] = [
    &["on", "edge"],
    &["let", "down"],
    &["shut", "out"],
    &["left", "out"],
    &["worn", "out"],
    &["fed", "up"],
    &["taken", "for", "granted"],
    &["stressed", "out"],
    &["freaked", "out"],
    &["pushed", "away"],
];

/// True when the text names a feeling word. "I feel that you..." names a
/// thought, not a feeling, so it does not count on its own.
pub fn names_feeling(s: &str) -> bool {
    names_a_feeling(&Words::of(s))
}

/// `names_feeling` for text already split.
pub fn names_a_feeling(words: &Words) -> bool {
    words.iter().any(|w| FEELINGS.binary_search(&w).is_ok())
        || FEELING_PHRASES.iter().any(|p| words.contain_words(p))
}

/// True when `s` contains any of the words or phrases, ignoring case.
pub fn contains_any<S: AsRef<str>>(s: &str, needles: impl IntoIterator<Item = S>) -> bool {
    with_words(s, |words| {
        needles
            .into_iter()
            .any(|n| words.contain(&Phrase::new(n.as_ref())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::words::words;

    #[test]
    fn due_within_counts_from_the_day_of_the_answer() {
        // 2026-11-25 is a Wednesday.
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert!(due_within("in 2 weeks", 14, today));
        assert!(due_within("by Friday", 2, today));
        assert!(!due_within("in 3 weeks", 14, today));
        assert!(!due_within("2026-11-20", 14, today), "a date already past");
        assert!(!due_within("soon", 14, today));
    }

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

    #[test]
    fn feeling_phrases_are_split_as_words_splits_them() {
        for phrase in FEELING_PHRASES {
            assert_eq!(words(&phrase.join(" ")), phrase);
        }
    }

    #[test]
    fn feelings_are_sorted_for_their_binary_search() {
        assert!(FEELINGS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn feelings() {
        assert!(names_feeling("I feel lonely"));
        // What people type in this setting, in a word or a few.
        for said in [
            "I feel drained",
            "exhausted and numb",
            "I felt betrayed, humiliated",
            "heartbroken",
            "honestly gutted",
            "I've been on edge all week",
            "shaky and raw",
            "I felt let down",
            "I feel taken for granted",
            "Devastated. Disrespected.",
        ] {
            assert!(names_feeling(said), "{said}");
        }
        assert!(!names_feeling("on the edge of the table"));
        assert!(!names_feeling("I feel that you are late"));
    }
}
