//! The exercise picker of a sitting, one for every front-end: what is
//! offered and in what order (suggested exercises first, with why), the
//! menu the terminal prints, and which offer the partners' typed words
//! name. The browser shows the same offers as buttons.

use crate::engine::exercise::Exercise;
use crate::engine::ledger::LedgerView;
use crate::engine::suggest::suggestions;
use serde::Serialize;

/// An exercise the partners may pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offer {
    pub id: String,
    pub title: String,
    pub minutes: u32,
    pub summary: String,
    /// Why the exercise is suggested now, when it is.
    pub suggested: Option<String>,
}

/// What to offer a couple with this ledger, suggested exercises first, and
/// the problems met (a `suggest` rule that failed), to be shown as notices.
pub fn offers(choices: &[Exercise], ledger: &LedgerView) -> (Vec<Offer>, Vec<String>) {
    let (suggested, problems) = suggestions(choices, ledger);
    let offer = |exercise: &Exercise, suggested: Option<String>| Offer {
        id: exercise.id.clone(),
        title: exercise.title.clone(),
        minutes: exercise.minutes,
        summary: exercise.summary.trim().to_owned(),
        suggested,
    };
    let mut list: Vec<Offer> = suggested
        .iter()
        .map(|s| offer(s.exercise, Some(s.reason.clone())))
        .collect();
    list.extend(
        choices
            .iter()
            .filter(|e| !suggested.iter().any(|s| s.exercise.id == e.id))
            .map(|e| offer(e, None)),
    );
    (list, problems)
}

/// The question the picker asks.
pub const PICK_QUESTION: &str = "Which exercise would you like to do?";

/// The menu as text, one line each so a library of twenty fits a 24-line
/// terminal, suggested ones starred and explained below the list.
pub fn menu_text(offers: &[Offer]) -> String {
    let list: Vec<String> = offers
        .iter()
        .enumerate()
        .map(|(i, offer)| {
            let star = if offer.suggested.is_some() { " *" } else { "" };
            format!(
                "{:>3}. {} ({} min) · {}{star}",
                i + 1,
                offer.title,
                offer.minutes,
                offer.id
            )
        })
        .collect();
    let why: Vec<String> = offers
        .iter()
        .filter_map(|offer| {
            let reason = offer.suggested.as_ref()?;
            Some(format!("* {}: {reason}", offer.title))
        })
        .collect();
    let mut menu = format!("{PICK_QUESTION}\n{}", list.join("\n"));
    if !why.is_empty() {
        menu.push_str(&format!("\n{}", why.join("\n")));
    }
    menu
}

/// Which offer typed words name.
#[derive(Debug, PartialEq, Eq)]
pub enum Found<'a> {
    One(&'a Offer),
    /// Several start so: their titles.
    Several(Vec<String>),
    /// None matches, but this one is spelled closely: ask before taking it.
    Close(&'a Offer),
    None,
}

/// By number in the list, id or title (ignoring case), the start of one
/// when only one starts so, or a close spelling to confirm.
pub fn find<'a>(offers: &'a [Offer], typed: &str) -> Found<'a> {
    let typed = typed.trim();
    if let Ok(n) = typed.parse::<usize>() {
        return match n.checked_sub(1).and_then(|i| offers.get(i)) {
            Some(offer) => Found::One(offer),
            None => Found::None,
        };
    }
    let typed = typed.to_lowercase();
    if typed.is_empty() {
        return Found::None;
    }
    let names = |offer: &Offer| [offer.id.to_lowercase(), offer.title.to_lowercase()];
    if let Some(offer) = offers.iter().find(|offer| names(offer).contains(&typed)) {
        return Found::One(offer);
    }
    let starting: Vec<&Offer> = offers
        .iter()
        .filter(|offer| names(offer).iter().any(|n| n.starts_with(&typed)))
        .collect();
    match starting.as_slice() {
        [one] => return Found::One(one),
        [] => {}
        many => return Found::Several(many.iter().map(|o| o.title.clone()).collect()),
    }
    let distance = |offer: &Offer| {
        names(offer)
            .iter()
            .map(|n| {
                // "apology" is close to "apology-ritual": compare with a
                // start of the same length too.
                let start: String = n.chars().take(typed.chars().count()).collect();
                strsim::damerau_levenshtein(&typed, n)
                    .min(strsim::damerau_levenshtein(&typed, &start))
            })
            .min()
            .unwrap_or(usize::MAX)
    };
    offers
        .iter()
        .map(|offer| (distance(offer), offer))
        .filter(|(d, _)| *d <= 2.max(typed.chars().count() / 4))
        .min_by_key(|(d, _)| *d)
        .map_or(Found::None, |(_, offer)| Found::Close(offer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(id: &str, title: &str, suggested: Option<&str>) -> Offer {
        Offer {
            id: id.to_owned(),
            title: title.to_owned(),
            minutes: 10,
            summary: String::new(),
            suggested: suggested.map(str::to_owned),
        }
    }

    #[test]
    fn typed_words_find_one_several_a_close_one_or_none() {
        let offers = [
            offer("apology-ritual", "Apology with corrective action", None),
            offer("i-statements", "I-statements", None),
            offer("check-in", "Daily check-in", None),
        ];
        assert_eq!(find(&offers, "2"), Found::One(&offers[1]));
        assert_eq!(find(&offers, "4"), Found::None);
        assert_eq!(find(&offers, "I-STATEMENTS"), Found::One(&offers[1]));
        assert_eq!(find(&offers, "apo"), Found::One(&offers[0]));
        assert_eq!(find(&offers, "apolgy"), Found::Close(&offers[0]));
        assert_eq!(find(&offers, "zzzzzzzz"), Found::None);
        let both = [offer("a-one", "A one", None), offer("a-two", "A two", None)];
        assert_eq!(
            find(&both, "a-"),
            Found::Several(vec!["A one".to_owned(), "A two".to_owned()])
        );
    }

    #[test]
    fn the_menu_stars_and_explains_suggestions() {
        let offers = [
            offer("check-in", "Daily check-in", Some("due today")),
            offer("i-statements", "I-statements", None),
        ];
        assert_eq!(
            menu_text(&offers),
            "Which exercise would you like to do?\n  1. Daily check-in (10 min) · check-in *\n  2. I-statements (10 min) · i-statements\n* Daily check-in: due today"
        );
    }
}
