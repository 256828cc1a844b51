//! How events look as text: shared by the terminal and piped output, so both
//! say the same thing and only colour and wrapping differ.

use crate::engine::event::Prompt;
use crate::text::neutralize;

#[derive(Debug, Clone, Copy, Default)]
pub struct Screen {
    pub color: bool,
    /// Wrap long lines at this width; `None` leaves lines as they are.
    pub width: Option<usize>,
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const CYAN: &str = "\x1b[36m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

impl Screen {
    pub fn plain() -> Screen {
        Screen::default()
    }

    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    /// Exercise text, wrapped.
    pub fn say(&self, text: &str) -> String {
        self.wrap(text.trim_end(), "")
    }

    pub fn heading(&self, text: &str) -> String {
        self.paint(BOLD, &self.wrap(text.trim_end(), ""))
    }

    /// The line that marks the keyboard passing to the other partner.
    pub fn handoff(&self, prompt: &Prompt) -> String {
        self.paint(CYAN, &format!("── Over to {} ──", prompt.name))
    }

    /// Who answers, where we are, the question, an example and the options.
    pub fn question(&self, prompt: &Prompt) -> String {
        let mut where_ = prompt.progress.counter();
        if let Some(round) = prompt.progress.round {
            where_.push_str(&format!(", round {round} of 2"));
        }
        let who = neutralize(&who(prompt));
        let where_ = format!("· {where_}");
        let fits = self
            .width
            .is_none_or(|w| who.chars().count() + 1 + where_.chars().count() <= w);
        let mut out = format!(
            "{}{}{}\n{}",
            self.paint(BOLD, &who),
            if fits { " " } else { "\n" },
            self.paint(DIM, &where_),
            self.wrap(prompt.text.trim_end(), "")
        );
        if let Some(example) = &prompt.example {
            out.push('\n');
            out.push_str(&self.paint(
                DIM,
                &self.wrap(&format!("For example: {}", example.trim()), "  "),
            ));
        }
        // Labels only: a key is the exercise's name for an option, not
        // words for the couple (typing it still picks it).
        for (n, (_, label)) in prompt.options.iter().enumerate() {
            out.push_str(&format!("\n  {}. {}", n + 1, neutralize(label.trim())));
        }
        if prompt.optional {
            out.push('\n');
            out.push_str(&self.paint(DIM, "  (optional: :skip to leave it)"));
        }
        out
    }

    /// The input prompt, naming whose turn it is.
    pub fn input_prompt(&self, prompt: &Prompt) -> String {
        format!("{} › ", prompt.name)
    }

    /// The input prompt as (plain, styled); a line editor measures the plain
    /// one and shows the styled one.
    pub fn input_prompt_styled(&self, prompt: &Prompt) -> (String, String) {
        let styled = format!("{} › ", self.paint(BOLD, &prompt.name));
        (self.input_prompt(prompt), styled)
    }

    /// The prompt for questions outside an exercise (names, which exercise).
    pub fn ask_prompt(&self) -> String {
        "› ".to_owned()
    }

    pub fn hint(&self, text: &str) -> String {
        self.paint(YELLOW, &self.wrap(text.trim(), "  "))
    }

    pub fn info(&self, text: &str) -> String {
        self.paint(DIM, &self.wrap(text.trim_end(), ""))
    }

    /// An answer echoed back (piped input is not echoed by a terminal).
    pub fn echo(&self, prompt: &Prompt, answer: &str) -> String {
        format!("{}{}", self.input_prompt(prompt), neutralize(answer))
    }

    /// Exercise text too goes through here, neutralized as answers are: a
    /// title or question cannot clear the screen or write the clipboard.
    fn wrap(&self, text: &str, indent: &str) -> String {
        let text = &neutralize(text);
        let Some(width) = self.width.filter(|w| *w > indent.len() + 20) else {
            return text
                .lines()
                .map(|l| format!("{indent}{l}"))
                .collect::<Vec<_>>()
                .join("\n");
        };
        let mut out = Vec::new();
        for line in text.lines() {
            // Short lines keep their spacing (aligned command lists).
            if indent.chars().count() + line.chars().count() <= width {
                out.push(format!("{indent}{line}"));
                continue;
            }
            let (head, body) = split_row(line);
            let first = format!("{indent}{head}");
            let hang = format!("{indent}{}", " ".repeat(head.chars().count()));
            let mut start = first.chars().count();
            let mut current = first;
            for word in body.split_whitespace() {
                let used = current.chars().count();
                if used > start && used + 1 + word.chars().count() > width {
                    out.push(std::mem::replace(&mut current, hang.clone()));
                    start = hang.chars().count();
                }
                if current.chars().count() > start {
                    current.push(' ');
                }
                current.push_str(word);
            }
            out.push(current);
        }
        out.join("\n")
    }
}

/// "Alex (speaker)", or just "Alex" where the role means nothing for the
/// question (an empty `role_label`).
pub fn who(prompt: &Prompt) -> String {
    if prompt.role_label.is_empty() {
        prompt.name.clone()
    } else {
        format!("{} ({})", prompt.name, prompt.role_label)
    }
}

/// Splits a line into what stays in front of every wrapped line and the
/// words to wrap: the leading spaces, or for a row of an aligned list
/// (`  :back    go back...`) its first column, so the rest hangs under the
/// second.
fn split_row(line: &str) -> (&str, &str) {
    let rest = line.trim_start();
    let lead = line.len() - rest.len();
    let column = rest
        .find("  ")
        .filter(|gap| *gap <= 16 && !rest[..*gap].contains(char::is_whitespace))
        .map(|gap| lead + gap + (rest[gap..].len() - rest[gap..].trim_start().len()));
    line.split_at(column.unwrap_or(lead))
}

/// Markdown notes as a reader sees them on screen: no `**`, no backslash
/// escapes, no entities. Headings stay as `#` lines for the caller to show
/// as headings.
pub fn markdown_as_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_read_as_plain_text() {
        let markdown = crate::markdown::escape("I *really* <mean> it\nand 1. this");
        assert_eq!(
            markdown_as_text(&format!("**Sam**: {markdown}")),
            "Sam: I *really* <mean> it\nand 1. this"
        );
    }

    #[test]
    fn wraps_at_the_width() {
        let screen = Screen {
            color: false,
            width: Some(24),
        };
        assert_eq!(
            screen.say("one two three four five six seven"),
            "one two three four five\nsix seven"
        );
        assert_eq!(
            screen.say("  :back   go back and revise it"),
            "  :back   go back and\n          revise it"
        );
        assert_eq!(
            screen.say("  1. Yes, that is it, thank you"),
            "  1. Yes, that is it,\n  thank you"
        );
    }
}
