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
}

/// (command, what it does), in the order `:help` lists them.
pub const COMMANDS: [(&str, PlayCommand, &str); 7] = [
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
            .map(|(name, _, what)| format!("  {name:<8} {what}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// What `:break` says: a real pause, long enough to calm down, with a time to
/// come back.
pub const BREAK_TEXT: &str = "Let's pause here. Everything you both said is saved.\n\
Take at least 20 minutes apart: breathe, walk, do something soothing, and try not to rehearse the argument.\n\
Agree on when you'll come back (within a day), then run `mend resume` to pick up where you left off.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_lines_are_commands() {
        assert_eq!(PlayCommand::parse(" :Back "), Some(PlayCommand::Back));
        assert_eq!(PlayCommand::parse(":)"), None);
        assert_eq!(PlayCommand::parse(":back to the start"), None);
    }
}
