//! Reading when a commitment is due, the way people say it: "by Friday",
//! "in 2 weeks", "tomorrow", "end of the month" or an ISO date.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// The date `text` names, counted from `today`; `None` when it names none.
pub fn parse_due(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let lower = text.trim().trim_end_matches(['.', '!']).to_lowercase();
    if let Ok(date) = NaiveDate::parse_from_str(lower.trim(), "%Y-%m-%d") {
        return Some(date);
    }
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    while let Some(first) = words.first() {
        if ["by", "on", "before", "until", "till", "within", "the"].contains(first) {
            words.remove(0);
        } else {
            break;
        }
    }
    words.retain(|w| *w != "the" && *w != "of");
    match words.as_slice() {
        ["today"] | ["tonight"] | ["end", "day"] => Some(today),
        ["tomorrow"] => today.checked_add_days(Days::new(1)),
        ["next", "week"] | ["a", "week"] | ["one", "week"] => today.checked_add_days(Days::new(7)),
        ["end", "week"] | ["this", "weekend"] | ["weekend"] => {
            next_weekday(today, Weekday::Sat, true)
        }
        ["end", "month"] | ["month", "end"] => {
            let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)?;
            first.checked_add_months(Months::new(1))?.pred_opt()
        }
        ["next", "month"] => today.checked_add_months(Months::new(1)),
        ["in", amount, unit] => offset(today, amount, unit),
        ["in", unit] => offset(today, "1", unit),
        ["next", day] => next_weekday(today, weekday(day)?, false),
        ["this", day] | [day] => next_weekday(today, weekday(day)?, true),
        [amount, unit] => offset(today, amount, unit),
        _ => None,
    }
}

fn offset(today: NaiveDate, amount: &str, unit: &str) -> Option<NaiveDate> {
    let n: u32 = match amount {
        "a" | "an" | "one" => 1,
        "two" | "couple" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "ten" => 10,
        "twelve" => 12,
        digits => digits.parse().ok().filter(|n| *n <= 1000)?,
    };
    match unit.trim_end_matches('s') {
        "day" => today.checked_add_days(Days::new(n.into())),
        "week" => today.checked_add_days(Days::new(u64::from(n) * 7)),
        "month" => today.checked_add_months(Months::new(n)),
        _ => None,
    }
}

fn weekday(word: &str) -> Option<Weekday> {
    let word = word.trim_end_matches(',');
    [
        ("mon", Weekday::Mon),
        ("tue", Weekday::Tue),
        ("wed", Weekday::Wed),
        ("thu", Weekday::Thu),
        ("fri", Weekday::Fri),
        ("sat", Weekday::Sat),
        ("sun", Weekday::Sun),
    ]
    .iter()
    .find(|(prefix, _)| word.len() >= 3 && word.starts_with(prefix))
    .map(|(_, day)| *day)
}

/// The next `day` on or after `today` (`include_today`) or strictly after.
fn next_weekday(today: NaiveDate, day: Weekday, include_today: bool) -> Option<NaiveDate> {
    let ahead = (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    let ahead = if ahead == 0 && !include_today {
        7
    } else {
        ahead
    };
    today.checked_add_days(Days::new(ahead.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(text: &str) -> Option<String> {
        // 2026-11-25 is a Wednesday.
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        parse_due(text, today).map(|d| d.to_string())
    }

    #[test]
    fn everyday_phrases() {
        assert_eq!(on("by Friday").as_deref(), Some("2026-11-27"));
        assert_eq!(on("next Wednesday").as_deref(), Some("2026-12-02"));
        assert_eq!(on("Wednesday").as_deref(), Some("2026-11-25"));
        assert_eq!(on("in 2 weeks").as_deref(), Some("2026-12-09"));
        assert_eq!(on("in three days").as_deref(), Some("2026-11-28"));
        assert_eq!(on("tomorrow").as_deref(), Some("2026-11-26"));
        assert_eq!(on("by the end of the month").as_deref(), Some("2026-11-30"));
        assert_eq!(on("2027-01-15").as_deref(), Some("2027-01-15"));
        assert_eq!(on("in a month").as_deref(), Some("2026-12-25"));
    }

    #[test]
    fn unclear_text_is_none() {
        assert_eq!(on("soon"), None);
        assert_eq!(on("when I can"), None);
        assert_eq!(on("in 99999999999 days"), None);
    }
}
