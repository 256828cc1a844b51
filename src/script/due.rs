//! Reading a timing the way people say it: a day ("by Friday", "in a
//! fortnight", "Dec 15", "15/12/2026"), a habit with a start ("every
//! evening", "starting Monday"), or words that name neither ("when I feel
//! ready"), which are kept as said.
//!
//! mend's own phrase layer reads the everyday phrases (with number words,
//! "fortnight", and a time of day after the day, "tomorrow night"); the
//! `interim` parser (the maintained fork of chrono-english) reads the
//! calendar forms ("Dec 15", "15 December 2026", "next friday"). A numeric
//! date whose day and month could be swapped is never guessed.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, Weekday};

/// What a timing's words name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// One day (possibly already past: the caller decides what that means).
    Day(NaiveDate),
    /// Something done again and again, from `since` on.
    Ongoing { since: NaiveDate },
    /// A numeric date read two ways: day first, then month first.
    Ambiguous(NaiveDate, NaiveDate),
    /// No day: words such as "when I feel ready", kept as said.
    Words,
}

/// The date `text` names, counted from `today`; `None` when it names no
/// single day (a habit, open words, or a date that could be two days).
pub fn parse_due(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    match read_timing(text, today) {
        Timing::Day(day) => Some(day),
        _ => None,
    }
}

/// Reads `text` as a timing, counted from `today`.
pub fn read_timing(text: &str, today: NaiveDate) -> Timing {
    let written = text.trim().trim_end_matches(['.', '!', ',']).to_lowercase();
    let lower = written.replace(',', " ");
    if lower.is_empty() || lower.len() > 200 {
        return Timing::Words;
    }
    if let Some(since) = ongoing(&lower, today) {
        return Timing::Ongoing { since };
    }
    let words = strip_fillers(&lower);
    if let [one] = words.as_slice()
        && let Some(numeric) = numeric_date(one)
    {
        return numeric;
    }
    if let Some(day) = phrase(&words, today) {
        return Timing::Day(day);
    }
    calendar(&words.join(" "), today)
        .or_else(|| calendar(&written, today))
        .map_or(Timing::Words, Timing::Day)
}

/// Leading "by", "on", "before"... and a trailing time of day ("tomorrow
/// night", "Monday morning") say nothing about which day.
fn strip_fillers(lower: &str) -> Vec<&str> {
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    while let Some(first) = words.first() {
        if [
            "by", "on", "before", "until", "till", "within", "the", "at", "around", "latest",
        ]
        .contains(first)
        {
            words.remove(0);
        } else {
            break;
        }
    }
    while words.len() > 1
        && let Some(last) = words.last()
        && [
            "morning",
            "afternoon",
            "evening",
            "night",
            "noon",
            "lunchtime",
            "latest",
            "at",
            "the",
            "in",
        ]
        .contains(last)
    {
        words.pop();
    }
    words.retain(|w| *w != "the" && *w != "of");
    words
}

/// The text with "weekly", "daily"... taken out where they name one
/// meeting rather than a rhythm: "at our next weekly check-in" is a moment
/// to come back to, not a habit ("at every weekly check-in" still is).
fn one_meeting(padded: &str) -> String {
    const ONE: [&str; 5] = [" the ", " our ", " next ", " this ", " your "];
    const RHYTHM: [&str; 4] = ["weekly ", "daily ", "monthly ", "nightly "];
    const MEETING: [&str; 7] = [
        "check-in", "check in", "checkin", "session", "review", "meeting", "call",
    ];
    let mut text = padded.to_owned();
    for one in ONE {
        for rhythm in RHYTHM {
            for meeting in MEETING {
                let named = format!("{one}{rhythm}{meeting}");
                if text.contains(&named) {
                    text = text.replace(&named, &format!("{one}{meeting}"));
                }
            }
        }
    }
    text
}

/// A habit: "every evening", "each Sunday", "daily", "twice a week",
/// "from now on", "starting Monday". Its start is the day after "starting"
/// or "from" when that names one, else today.
fn ongoing(lower: &str, today: NaiveDate) -> Option<NaiveDate> {
    let padded = one_meeting(&format!(" {lower} "));
    let habit = [
        " every ",
        " each ",
        " daily ",
        " nightly ",
        " weekly ",
        " from now on ",
        " going forward ",
        " twice a ",
        " once a ",
        " times a ",
        " per day ",
        " per week ",
        " ongoing ",
        " starting ",
        " beginning ",
        " from today ",
        " from tomorrow ",
    ]
    .iter()
    .any(|marker| padded.contains(marker));
    if !habit {
        return None;
    }
    let start = ["starting ", "beginning ", "from "]
        .iter()
        .find_map(|marker| padded.split_once(marker).map(|(_, rest)| rest))
        .map(|rest| {
            // The start's words run to the next habit word: "starting
            // Monday, every evening".
            let end = [" every ", " each ", " and "]
                .iter()
                .filter_map(|w| format!(" {rest}").find(w))
                .min()
                .unwrap_or(rest.len() + 1);
            rest[..end.saturating_sub(1).min(rest.len())].to_owned()
        })
        .and_then(|rest| parse_due(&rest, today));
    Some(start.unwrap_or(today))
}

/// `15/12/2026`, `12/15/2026`, `3.4.26`: day first unless it cannot be;
/// two possible days are reported, not guessed.
fn numeric_date(word: &str) -> Option<Timing> {
    let parts: Vec<&str> = word.split(['/', '.', '-']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    if a.len() > 2 || b.len() > 2 || !(y.len() == 2 || y.len() == 4) {
        return None;
    }
    let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    let year = if y < 100 { 2000 + y } else { y };
    let day_first = NaiveDate::from_ymd_opt(year, b, a);
    let month_first = NaiveDate::from_ymd_opt(year, a, b);
    Some(match (day_first, month_first) {
        (Some(d), Some(m)) if d != m => Timing::Ambiguous(d, m),
        (Some(d), _) | (None, Some(d)) => Timing::Day(d),
        (None, None) => Timing::Words,
    })
}

/// mend's everyday phrases.
fn phrase(words: &[&str], today: NaiveDate) -> Option<NaiveDate> {
    match words {
        [iso] if iso.len() == 10 => NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok(),
        ["today"] | ["tonight"] | ["end", "day"] | ["this", "evening"] => Some(today),
        ["tomorrow"] | ["tmrw"] => today.checked_add_days(Days::new(1)),
        ["day", "after", "tomorrow"] => today.checked_add_days(Days::new(2)),
        ["next", "week"] | ["a", "week"] | ["one", "week"] => today.checked_add_days(Days::new(7)),
        ["end", "week"] | ["this", "weekend"] | ["weekend"] => {
            next_weekday(today, Weekday::Sat, true)
        }
        ["end", "month"] | ["month", "end"] => {
            let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)?;
            first.checked_add_months(Months::new(1))?.pred_opt()
        }
        ["next", "month"] => today.checked_add_months(Months::new(1)),
        ["in", amount, unit] | [amount, unit, "from", "now"] => offset(today, amount, unit),
        ["in", unit] => offset(today, "1", unit),
        ["next", day] => next_weekday(today, weekday(day)?, false),
        ["this", day] | [day] => next_weekday(today, weekday(day)?, true),
        [amount, unit] => offset(today, amount, unit),
        _ => None,
    }
}

/// Calendar forms mend's phrases do not cover: "Dec 15", "15 December
/// 2026", "December 15 2026", read by `interim` (day first, as most of the
/// world writes). A month and day without a year that has passed this year
/// means next year's.
fn calendar(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    // interim reads a lone number as a time of day; a day needs a month.
    if !text.chars().any(|c| c.is_alphabetic()) {
        return None;
    }
    // interim also reads some plain words as "now" ("settled" came back as
    // today): a calendar day names a number, a month or a weekday.
    let names_a_day = text.chars().any(|c| c.is_ascii_digit())
        || months_named(text)
        || text.split_whitespace().any(|w| weekday(w).is_some());
    if !names_a_day {
        return None;
    }
    let now = today.and_time(NaiveTime::from_hms_opt(12, 0, 0)?).and_utc();
    let day = interim::parse_date_string(text, now, interim::Dialect::Uk)
        .ok()?
        .date_naive();
    let has_year = text
        .split(|c: char| !c.is_ascii_digit())
        .any(|n| n.len() == 4);
    if day < today && !has_year && months_named(text) {
        return day.checked_add_months(Months::new(12));
    }
    Some(day)
}

fn months_named(text: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    text.split_whitespace()
        .any(|w| w.len() >= 3 && MONTHS.iter().any(|m| w.starts_with(m)))
}

fn offset(today: NaiveDate, amount: &str, unit: &str) -> Option<NaiveDate> {
    const NUMBERS: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    let n: u32 = match amount {
        "a" | "an" => 1,
        "couple" => 2,
        "few" => 3,
        "thirty" => 30,
        word => match NUMBERS.iter().position(|n| *n == word) {
            Some(n) => u32::try_from(n).ok()?,
            None => word.parse().ok().filter(|n| *n <= 1000)?,
        },
    };
    let unit = unit.trim_end_matches('s');
    let days = |per: u64| today.checked_add_days(Days::new(u64::from(n) * per));
    match unit {
        "day" | "night" => days(1),
        "week" => days(7),
        "fortnight" => days(14),
        "month" => today.checked_add_months(Months::new(n)),
        "year" => today.checked_add_months(Months::new(n.checked_mul(12)?)),
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

/// How mend writes a day back to the partners: "Thursday 3 April 2026".
pub fn spoken(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-25 is a Wednesday.
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn on(text: &str) -> Option<String> {
        parse_due(text, today()).map(|d| d.to_string())
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

    /// The forms issue 13 lists, each as people type them.
    #[test]
    fn what_people_type() {
        assert_eq!(on("by 2026-12-15").as_deref(), Some("2026-12-15"));
        assert_eq!(on("Dec 15").as_deref(), Some("2026-12-15"));
        assert_eq!(on("15 December").as_deref(), Some("2026-12-15"));
        assert_eq!(on("December 15, 2026").as_deref(), Some("2026-12-15"));
        assert_eq!(on("15/12/2026").as_deref(), Some("2026-12-15"));
        assert_eq!(on("12/15/2026").as_deref(), Some("2026-12-15"));
        assert_eq!(on("tomorrow night").as_deref(), Some("2026-11-26"));
        assert_eq!(on("Monday morning").as_deref(), Some("2026-11-30"));
        assert_eq!(on("in nine days").as_deref(), Some("2026-12-04"));
        assert_eq!(on("in a fortnight").as_deref(), Some("2026-12-09"));
        assert_eq!(on("by Friday evening.").as_deref(), Some("2026-11-27"));
        // A month and day already past this year are next year's.
        assert_eq!(on("March 3").as_deref(), Some("2027-03-03"));
    }

    /// Words that name no day are never read as one: "settled" (the answer
    /// to another question, typed one line too early) is not today.
    #[test]
    fn plain_words_are_not_a_day() {
        for words in [
            "settled",
            "soon",
            "later",
            "sometime",
            "set",
            "when I feel ready",
        ] {
            assert_eq!(on(words), None, "{words}");
        }
    }

    #[test]
    fn day_and_month_that_could_swap_are_not_guessed() {
        let april = NaiveDate::from_ymd_opt(2026, 4, 3).unwrap();
        let march = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        assert_eq!(
            read_timing("03/04/2026", today()),
            Timing::Ambiguous(april, march)
        );
        assert_eq!(on("03/04/2026"), None);
        assert_eq!(
            read_timing("04/04/2026", today()),
            Timing::Day(NaiveDate::from_ymd_opt(2026, 4, 4).unwrap())
        );
        assert_eq!(spoken(april), "Friday 3 April 2026");
    }

    #[test]
    fn habits_have_a_start_not_a_due_date() {
        let start = |text: &str| match read_timing(text, today()) {
            Timing::Ongoing { since } => Some(since.to_string()),
            _ => None,
        };
        assert_eq!(start("every evening").as_deref(), Some("2026-11-25"));
        assert_eq!(start("starting today").as_deref(), Some("2026-11-25"));
        assert_eq!(start("Starting Monday").as_deref(), Some("2026-11-30"));
        assert_eq!(
            start("every weekday except Wednesday").as_deref(),
            Some("2026-11-25")
        );
        assert_eq!(start("twice a week").as_deref(), Some("2026-11-25"));
        assert_eq!(start("from now on").as_deref(), Some("2026-11-25"));
        assert_eq!(
            start("at every weekly check-in").as_deref(),
            Some("2026-11-25")
        );
        assert_eq!(
            start("weekly, at our check-in").as_deref(),
            Some("2026-11-25")
        );
        assert_eq!(on("every evening"), None);
    }

    #[test]
    fn open_words_are_kept_as_words() {
        for words in [
            "soon",
            "when I can",
            "when I feel ready",
            "after our next therapy session",
            "at the weekly check-in",
            "at our next weekly check-in",
            "in this weekly session",
            "in 99999999999 days",
            "12",
            "",
        ] {
            assert_eq!(read_timing(words, today()), Timing::Words, "{words:?}");
        }
    }
}
