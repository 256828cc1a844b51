//! Which option of a prompt a typed answer picks.
//!
//! Partners type what they mean, not always a number: "Not today." at an
//! option labelled "Not today, keep it open for the next check-in", or "I need
//! time" where an author listed it as an alias. A typed answer picks an option
//! by, in order: its number; its key; its whole label; one of its aliases; or
//! the label's opening phrase (up to the first comma, dash, colon, semicolon,
//! bracket or full stop) when no other option opens with the same phrase. Case,
//! spacing, curly apostrophes and closing punctuation do not matter.
//!
//! Last, a partner who says no or not yet in their own words ("I need time",
//! "not tonight", "I'm not ready", "No.") at a menu that offers a pause
//! ("Not yet", "Not today, keep it open", "Stop here for today") or a no
//! gets that option: the hurt partner may always say not yet, and should not
//! have to find its number to be heard. A "no" picks the option that opens
//! with "No", else the pause; a "not yet" picks only a pause, never a no.
//! Anything else picks nothing, so the question is asked again: a sentence
//! is never read as an option it merely contains.

/// The index of the option `input` picks, if any. `options` are the shown
/// options as (key, rendered label); `aliases` gives an option's aliases by
/// key, already [`loose`].
pub fn pick_among<'a>(
    options: &[(String, String)],
    aliases: impl Fn(&str) -> &'a [String],
    input: &str,
) -> Option<usize> {
    pick_named(options, aliases, input).or_else(|| pick_declined(options, input))
}

/// The option `input` names: by number, key, label, alias or opening
/// phrase (everything `pick_among` reads but a no or not-yet).
pub fn pick_named<'a>(
    options: &[(String, String)],
    aliases: impl Fn(&str) -> &'a [String],
    input: &str,
) -> Option<usize> {
    let input = input.trim();
    if let Ok(n) = input.parse::<usize>() {
        return (1..=options.len()).contains(&n).then(|| n - 1);
    }
    let typed = loose(input);
    if typed.is_empty() {
        return None;
    }
    let unique = |found: Vec<usize>| (found.len() == 1).then(|| found[0]);
    let matching = |matches: &dyn Fn(&(String, String)) -> bool| {
        options
            .iter()
            .enumerate()
            .filter(|(_, option)| matches(option))
            .map(|(n, _)| n)
            .collect::<Vec<_>>()
    };
    options
        .iter()
        .position(|(key, _)| key.to_lowercase() == input.to_lowercase())
        .or_else(|| unique(matching(&|(_, label)| loose(label) == typed)))
        .or_else(|| unique(matching(&|(key, _)| aliases(key).contains(&typed))))
        .or_else(|| unique(matching(&|(_, label)| opening(label) == typed)))
}

/// The option a no or not-yet in the partner's own words picks.
pub fn pick_declined(options: &[(String, String)], input: &str) -> Option<usize> {
    decline(options, &loose(input))
}

/// Ways of saying "not now" that a partner types at a menu.
const NOT_YET_SAID: &[&str] = &[
    "not yet",
    "not now",
    "not today",
    "not tonight",
    "not right now",
    "not this time",
    "not at the moment",
    "not this week",
    "i need time",
    "i need more time",
    "i need some time",
    "i need time to think",
    "i need to think",
    "i need to think about it",
    "i need to sleep on it",
    "let me think",
    "let me think about it",
    "give me time",
    "give me some time",
    "give me a minute",
    "give me a few days",
    "i'm not ready",
    "im not ready",
    "i am not ready",
    "not ready",
    "not ready yet",
    "i'm not ready yet",
    "maybe later",
    "later",
    "another time",
    "maybe another time",
    "another day",
    "some other time",
    "can this wait",
    "can it wait",
    "can we wait",
    "can we do this later",
    "can we stop",
    "can we stop here",
    "can we pause",
    "let's stop",
    "lets stop",
    "let's pause",
    "lets pause",
    "let's stop here",
    "let's leave it for now",
    "pause",
    "i need a pause",
    "i need a break",
    "i'm too tired",
    "im too tired",
    "too tired",
    "i don't know yet",
    "i dont know yet",
    "not sure yet",
    "i'm not sure yet",
    "when i'm ready",
    "when i feel ready",
    "i can't right now",
    "i cant right now",
    "i can't today",
    "i can't tonight",
    "not today thanks",
    "not yet thanks",
    "stop",
    "stop here",
    "stop for today",
    "stop for now",
    "let's stop for today",
    "lets stop for today",
    "let's stop for now",
    "let's leave it",
    "leave it for now",
    "i need to stop",
    "not calm yet",
    "i'm not calm yet",
    "im not calm yet",
    "not sure",
    "i'm not sure",
    "im not sure",
    "i don't know",
    "i dont know",
    "idk",
    "dunno",
];

/// Ways of saying no.
const NO_SAID: &[&str] = &[
    "no",
    "nope",
    "no thanks",
    "no thank you",
    "no i can't",
    "no i cant",
    "i'd rather not",
    "id rather not",
    "i would rather not",
    "rather not",
    "i don't want to",
    "i dont want to",
    "no not this one",
    "not this one",
    "i can't",
    "i cant",
    "no way",
];

/// How a pause option's label opens.
const PAUSE_OPENS: &[&str] = &[
    "not yet",
    "not today",
    "not now",
    "not right now",
    "not tonight",
    "later",
    "another time",
    "another day",
    "i need time",
    "i need more time",
    "i need a pause",
    "i need to think",
    "i'm not ready",
    "not ready",
    "pause",
    "take a pause",
    "stop here",
    "stop for today",
    "let's stop",
    "let's pause",
    "let it rest",
    "maybe later",
    "come back to it",
];

/// The option a typed no or not-yet picks, when the menu has exactly one
/// that fits.
fn decline(options: &[(String, String)], typed: &str) -> Option<usize> {
    let not_yet = NOT_YET_SAID.contains(&typed);
    let no = NO_SAID.contains(&typed);
    if !(not_yet || no) {
        return None;
    }
    let only = |fits: &dyn Fn(&str) -> bool| {
        let found: Vec<usize> = options
            .iter()
            .enumerate()
            .filter(|(_, (_, label))| fits(&loose(label)))
            .map(|(n, _)| n)
            .collect();
        (found.len() == 1).then(|| found[0])
    };
    let opens = |label: &str, with: &str| {
        label == with
            || label
                .strip_prefix(with)
                .is_some_and(|rest| rest.starts_with(|c: char| !c.is_alphanumeric() && c != '\''))
    };
    let pause = || only(&|label| PAUSE_OPENS.iter().any(|p| opens(label, p)));
    if no {
        only(&|label| opens(label, "no")).or_else(pause)
    } else {
        pause()
    }
}

/// Text as compared: lower case, single spaces, straight apostrophes, and no
/// punctuation or quotes at either end.
pub fn loose(text: &str) -> String {
    let spaced = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace(['\u{2019}', '\u{2018}'], "'");
    spaced
        .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation() || is_quote(c))
        .to_owned()
}

fn is_quote(c: char) -> bool {
    matches!(c, '\u{201c}' | '\u{201d}' | '\u{2026}')
}

/// A label's opening phrase: the words before its first comma, dash, colon,
/// semicolon, bracket or full stop; the whole label when it has none.
fn opening(label: &str) -> String {
    const BREAKS: [&str; 10] = [
        ",", ";", ":", "(", ". ", "! ", "? ", " - ", "\u{2014}", "\u{2013}",
    ];
    let end = BREAKS
        .iter()
        .filter_map(|b| label.find(b))
        .min()
        .unwrap_or(label.len());
    loose(&label[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(labels: &[&str]) -> Vec<(String, String)> {
        labels
            .iter()
            .enumerate()
            .map(|(n, l)| (format!("k{n}"), (*l).to_owned()))
            .collect()
    }

    fn none(_: &str) -> &'static [String] {
        &[]
    }

    #[test]
    fn a_number_key_or_label_picks_as_before() {
        let o = options(&["Yes, as said", "Not today"]);
        assert_eq!(pick_among(&o, none, "2"), Some(1));
        assert_eq!(pick_among(&o, none, "3"), None);
        assert_eq!(pick_among(&o, none, "K0"), Some(0));
        assert_eq!(pick_among(&o, none, "  not TODAY "), Some(1));
    }

    #[test]
    fn closing_punctuation_and_curly_apostrophes_do_not_matter() {
        let o = options(&["I don't know", "Not today"]);
        assert_eq!(pick_among(&o, none, "Not today."), Some(1));
        assert_eq!(pick_among(&o, none, "I don\u{2019}t know!"), Some(0));
        assert_eq!(pick_among(&o, none, "\"not today\""), Some(1));
    }

    #[test]
    fn an_opening_phrase_picks_only_when_no_other_option_shares_it() {
        let o = options(&[
            "Yes, as said",
            "Yes, with a change",
            "Not today \u{2014} keep it open for the next check-in",
            "No, I can't accept it",
        ]);
        assert_eq!(pick_among(&o, none, "not today"), Some(2));
        assert_eq!(pick_among(&o, none, "No."), Some(3));
        assert_eq!(pick_among(&o, none, "yes"), None);
        // A sentence that merely contains an option is not that option.
        assert_eq!(pick_among(&o, none, "not today, I am tired"), None);
        assert_eq!(pick_among(&o, none, "nobody asked"), None);
    }

    #[test]
    fn aliases_pick_their_option() {
        let o = options(&["Go on", "Stop here for today"]);
        let aliases = ["i need time".to_owned(), "not today".to_owned()];
        let by_key = |key: &str| -> &[String] { if key == "k1" { &aliases } else { &[] } };
        assert_eq!(pick_among(&o, by_key, "I need time."), Some(1));
        assert_eq!(pick_among(&o, by_key, "Not today"), Some(1));
        assert_eq!(pick_among(&o, by_key, "go on"), Some(0));
        assert_eq!(pick_among(&o, by_key, "I need"), None);
    }

    #[test]
    fn a_no_or_not_yet_in_own_words_picks_the_pause_or_the_no() {
        let o = options(&[
            "Yes, that answers what I asked",
            "Not yet \u{2014} I need more time",
            "No, I can't accept it",
        ]);
        assert_eq!(pick_among(&o, none, "I need time."), Some(1));
        assert_eq!(pick_among(&o, none, "Not tonight"), Some(1));
        assert_eq!(pick_among(&o, none, "I'm not ready"), Some(1));
        assert_eq!(pick_among(&o, none, "No."), Some(2));
        assert_eq!(pick_among(&o, none, "nope"), Some(2));
        // A not-yet never picks a no; a no picks the pause when there is no no.
        let o = options(&["Yes", "No, not this one"]);
        assert_eq!(pick_among(&o, none, "not now"), None);
        let o = options(&["Go on", "Stop here for today"]);
        assert_eq!(pick_among(&o, none, "no thanks"), Some(1));
        assert_eq!(pick_among(&o, none, "can this wait?"), Some(1));
        assert_eq!(pick_among(&o, none, "Stop here."), Some(1));
        assert_eq!(pick_among(&o, none, "I'm not calm yet"), Some(1));
        // Words that only start like a decline, or a menu with two pauses.
        assert_eq!(pick_among(&o, none, "not now, but soon"), None);
        let o = options(&["Not today", "Not yet, later this week", "Yes"]);
        assert_eq!(pick_among(&o, none, "I need time"), None);
        // "Nothing" and "Notes" do not open with "no" or "not".
        let o = options(&["Nothing today", "Yes"]);
        assert_eq!(pick_among(&o, none, "no"), None);
    }

    #[test]
    fn empty_or_punctuation_only_input_picks_nothing() {
        let o = options(&["A", "B"]);
        assert_eq!(pick_among(&o, none, "..."), None);
        assert_eq!(pick_among(&o, none, ""), None);
    }
}
