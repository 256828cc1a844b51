//! Which option of a prompt a typed answer picks.
//!
//! Partners type what they mean, not always a number: "Not today." at an
//! option labelled "Not today, keep it open for the next check-in", or "I need
//! time" where an author listed it as an alias. A typed answer picks an option
//! by, in order: its number; its key; its whole label; one of its aliases; or
//! the label's opening phrase (up to the first comma, dash, colon, semicolon,
//! bracket or full stop) when no other option opens with the same phrase. Case,
//! spacing, curly apostrophes and closing punctuation do not matter. Anything
//! else picks nothing, so the question is asked again: a sentence is never
//! read as an option it merely contains.

/// The index of the option `input` picks, if any. `options` are the shown
/// options as (key, rendered label); `aliases` gives an option's aliases by
/// key, already [`loose`].
pub fn pick_among<'a>(
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
        assert_eq!(pick_among(&o, none, "no way"), None);
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
    fn empty_or_punctuation_only_input_picks_nothing() {
        let o = options(&["A", "B"]);
        assert_eq!(pick_among(&o, none, "..."), None);
        assert_eq!(pick_among(&o, none, ""), None);
    }
}
