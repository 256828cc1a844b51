//! The words partners can type instead of an answer. Shared by every
//! front-end, so piped input and the terminal understand the same commands.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlayCommand {
    Help,
    Back,
    Skip,
    Repeat,
    Where,
    Break,
    Quit,
    /// Keep the answer about to be given out of the notes.
    Private,
    /// Keep the answer just given out of the notes.
    PrivateLast,
}

/// (command, what it does), in the order `:help` lists them.
pub const COMMANDS: [(&str, PlayCommand, &str); 9] = [
    (":help", PlayCommand::Help, "show these commands"),
    (
        ":back",
        PlayCommand::Back,
        "go back and revise the previous answer",
    ),
    (
        ":skip",
        PlayCommand::Skip,
        "skip this question, where the exercise allows it",
    ),
    (":repeat", PlayCommand::Repeat, "show the question again"),
    (
        ":where",
        PlayCommand::Where,
        "show where you are in the exercise",
    ),
    (
        ":break",
        PlayCommand::Break,
        "take a time-out: save now and come back later",
    ),
    (":quit", PlayCommand::Quit, "save and leave"),
    (
        ":private",
        PlayCommand::Private,
        "keep your answer to this question out of the session notes",
    ),
    (
        ":private last",
        PlayCommand::PrivateLast,
        "keep the answer just given out of the session notes",
    ),
];

impl PlayCommand {
    /// A command when the whole line is one (case and surrounding spaces
    /// ignored); any other line is an answer, even one starting with `:`.
    pub fn parse(line: &str) -> Option<PlayCommand> {
        let word = line.trim().to_lowercase();
        COMMANDS
            .iter()
            .find(|(name, _, _)| *name == word)
            .map(|(_, command, _)| *command)
    }

    pub fn help() -> String {
        COMMANDS
            .iter()
            .map(|(name, _, what)| format!("  {name:<13} {what}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The answer in `:private I keep thinking about leaving`: `:private` and
/// the answer typed on one line (saving ":private ..." as the answer would
/// print the very words the partner meant to keep out).
pub fn private_answer(line: &str) -> Option<&str> {
    let rest = line.trim_start();
    let head = rest.get(..":private".len())?;
    if !head.eq_ignore_ascii_case(":private") {
        return None;
    }
    let answer = rest[head.len()..].trim();
    let separated = rest[head.len()..].starts_with(char::is_whitespace);
    (separated && !answer.is_empty() && !answer.eq_ignore_ascii_case("last")).then_some(answer)
}

/// What `:break` says: a real pause, long enough to calm down, with a time to
/// come back.
pub const BREAK_TEXT: &str = "Let's pause here. Everything you both said is saved.\n\
Take at least 20 minutes apart: breathe, walk, do something soothing, and try not to rehearse the argument.\n\
Agree on when you'll come back (within a day), then run `mend resume` to pick up where you left off.";

/// A pause in a calm exercise (tagged `check-in`, `daily` or `calm`) talks
/// of no argument, but still says what a time-out needs if a hard moment
/// came up (a doubt, a request turned down): time apart, soothing, not
/// rehearsing, and a time to come back.
pub const CALM_BREAK_TEXT: &str = "Let's pause here. Everything you both said is saved.\n\
If either of you feels flooded, take at least 20 minutes apart: breathe, walk, do something soothing, and try not to replay what was said.\n\
Agree on when you'll come back (within a day); `mend resume` picks up where you left off.";

/// The break text that fits `exercise`.
pub fn break_text(exercise: &crate::engine::exercise::Exercise) -> &'static str {
    let calm = exercise
        .tags
        .iter()
        .any(|t| matches!(t.as_str(), "check-in" | "daily" | "calm"));
    if calm { CALM_BREAK_TEXT } else { BREAK_TEXT }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_an_answer_on_one_line_are_both_understood() {
        assert_eq!(
            private_answer(":private I keep thinking about leaving"),
            Some("I keep thinking about leaving")
        );
        assert_eq!(private_answer("  :PRIVATE   tired "), Some("tired"));
        assert_eq!(private_answer(":private"), None);
        assert_eq!(private_answer(":private last"), None);
        assert_eq!(private_answer(":privately"), None);
        assert_eq!(private_answer("I said :private things"), None);
    }

    #[test]
    fn only_whole_lines_are_commands() {
        assert_eq!(PlayCommand::parse(" :Back "), Some(PlayCommand::Back));
        assert_eq!(PlayCommand::parse(":)"), None);
        assert_eq!(PlayCommand::parse(":back to the start"), None);
    }
}
