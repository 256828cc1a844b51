//! The terminal front-end for two partners at one keyboard: a line editor
//! (rustyline) with history kept in memory only, completion of commands and
//! choice keys, answers continued over several lines with a trailing `\`, and
//! Ctrl-C / Ctrl-D handled as the issue describes. Everything it shows is
//! formatted by `Screen`, so piped and terminal output say the same thing.

use crate::engine::event::Prompt;
use crate::frontend::command::COMMANDS;
use crate::frontend::play::{Console, Input};
use crate::frontend::screen::Screen;
use crate::text::needs_neutralizing;
use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{
    Cmd, ColorMode, CompletionType, ConditionalEventHandler, Config, Context, Editor, Event,
    EventContext, EventHandler, Helper, KeyEvent, Movement, RepeatCount,
};
use std::borrow::Cow;
use std::io::{self, Write};

/// Plenty for one sitting; the history lives in memory only.
const HISTORY_ENTRIES: usize = 200;

/// Readable lines even on a very wide terminal.
const MAX_WIDTH: usize = 100;

pub struct Repl {
    editor: Editor<LineHelper, DefaultHistory>,
    screen: Screen,
    /// Whether the last line on screen is blank (or a heading, which its text
    /// follows directly): each block starts after one blank line, never two.
    at_gap: bool,
}

/// Said when earlier words are put back on the line.
const EDITING: &str =
    "Your words are still there to edit: Enter keeps them, Ctrl-U clears the line.";

impl Repl {
    pub fn new(color: bool) -> io::Result<Repl> {
        let config = Config::builder()
            .auto_add_history(false)
            .history_ignore_space(true)
            .history_ignore_dups(true)
            .and_then(|b| b.max_history_size(HISTORY_ENTRIES))
            .map_err(readline_error)?
            .completion_type(CompletionType::List)
            // Always "highlight": our highlighter is what hides control
            // characters; it adds no colour of its own.
            .color_mode(ColorMode::Forced)
            .build();
        let mut editor = Editor::with_config(config).map_err(readline_error)?;
        editor.set_helper(Some(LineHelper::default()));
        editor.bind_sequence(
            KeyEvent::ctrl('C'),
            EventHandler::Conditional(Box::new(ClearOrInterrupt)),
        );
        // Quoted insert is the one way to type a raw escape character.
        editor.bind_sequence(KeyEvent::ctrl('V'), EventHandler::Simple(Cmd::Noop));
        editor.bind_sequence(KeyEvent::ctrl('Q'), EventHandler::Simple(Cmd::Noop));
        Ok(Repl {
            editor,
            screen: Screen { color, width: None },
            at_gap: true,
        })
    }

    /// Prints a block of text after a blank line, wrapped at the terminal's
    /// width as it is now (the window may have been resized).
    fn print(&mut self, text: impl Fn(&Screen) -> String) -> io::Result<()> {
        self.screen.width =
            terminal_size::terminal_size().map(|(w, _)| (w.0 as usize).min(MAX_WIDTH));
        let mut out = io::stdout().lock();
        if !self.at_gap {
            writeln!(out)?;
        }
        writeln!(out, "{}", text(&self.screen))?;
        self.at_gap = false;
        out.flush()
    }

    fn line(
        &mut self,
        prompt: (String, String),
        prefill: &str,
        choices: Vec<String>,
        commands: bool,
    ) -> io::Result<Input> {
        if let Some(helper) = self.editor.helper_mut() {
            helper.choices = choices;
            helper.commands = commands;
        }
        let initial = prefill.replace('\n', "\\\n");
        self.at_gap = false;
        let mut read = self.editor.readline_with_initial(&prompt, (&initial, ""));
        // Bytes that are not UTF-8 (a terminal set to another encoding)
        // end rustyline's line; say so and ask again instead of ending.
        while let Err(ReadlineError::Io(e)) = &read
            && e.kind() == io::ErrorKind::InvalidData
        {
            writeln!(
                io::stdout(),
                "\nThat line held bytes that are not UTF-8 text (is the terminal set to another encoding?), so it was not taken. Please type it again."
            )?;
            read = self.editor.readline_with_initial(&prompt, (&initial, ""));
        }
        match read {
            Ok(typed) => {
                // History holds answers only, not commands or y/N replies;
                // failing to keep a line loses nothing.
                if commands && crate::frontend::command::PlayCommand::parse(&typed).is_none() {
                    let _ = self.editor.add_history_entry(typed.as_str());
                }
                writeln!(io::stdout())?;
                self.at_gap = true;
                let typed = if commands {
                    command_after_prefill(&initial, &typed).unwrap_or(typed)
                } else {
                    typed
                };
                Ok(Input::Line(join_continued(&typed)))
            }
            Err(ReadlineError::Interrupted) => Ok(Input::Interrupted),
            Err(ReadlineError::Eof) => Ok(Input::End),
            Err(other) => Err(readline_error(other)),
        }
    }
}

/// A command typed straight after words offered for editing (`:back` puts
/// the earlier answer on the line, cursor at its end): "harder:break" is
/// the partner asking for a break, not an answer, because a time-out must
/// stay one word away whatever is on the line.
fn command_after_prefill(initial: &str, typed: &str) -> Option<String> {
    if initial.is_empty() {
        return None;
    }
    let rest = typed.strip_prefix(initial)?.trim();
    let is_command = crate::frontend::command::PlayCommand::parse(rest).is_some()
        || crate::frontend::command::private_answer(rest).is_some();
    (rest.starts_with(':') && is_command).then(|| rest.to_owned())
}

impl Console for Repl {
    fn say(&mut self, text: &str) -> io::Result<()> {
        self.print(|s| s.say(text))
    }

    fn heading(&mut self, text: &str) -> io::Result<()> {
        self.print(|s| s.heading(text))?;
        self.at_gap = true;
        Ok(())
    }

    fn handoff(&mut self, to: &Prompt) -> io::Result<()> {
        self.print(|s| s.handoff(to))
    }

    fn question(&mut self, prompt: &Prompt) -> io::Result<()> {
        self.print(|s| s.question(prompt))
    }

    fn hint(&mut self, text: &str) -> io::Result<()> {
        self.print(|s| s.hint(text))
    }

    fn info(&mut self, text: &str) -> io::Result<()> {
        self.print(|s| s.info(text))
    }

    fn read(&mut self, prompt: &Prompt, prefill: &str) -> io::Result<Input> {
        // Typing straight after refused or earlier words would add to them.
        if !prefill.is_empty() {
            self.info(EDITING)?;
        }
        let keys = prompt.options.iter().map(|(key, _)| key.clone()).collect();
        self.line(self.screen.input_prompt_styled(prompt), prefill, keys, true)
    }

    fn ask(&mut self, question: &str, choices: &[String]) -> io::Result<Input> {
        self.print(|s| s.say(question))?;
        let prompt = self.screen.ask_prompt();
        self.line((prompt.clone(), prompt), "", choices.to_vec(), false)
    }

    fn end_is_break(&self) -> bool {
        true
    }
}

/// A line ending in `\` continues on the next, as in piped input.
fn join_continued(typed: &str) -> String {
    typed.replace("\\\n", "\n")
}

fn readline_error(error: ReadlineError) -> io::Error {
    match error {
        ReadlineError::Io(error) => error,
        other => io::Error::other(other.to_string()),
    }
}

/// Ctrl-C clears what is typed; on an empty line it asks to leave.
struct ClearOrInterrupt;

impl ConditionalEventHandler for ClearOrInterrupt {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        Some(if ctx.line().is_empty() {
            Cmd::Interrupt
        } else {
            Cmd::Kill(Movement::WholeBuffer)
        })
    }
}

#[derive(Default)]
struct LineHelper {
    /// Choice keys of the question waiting, for completion.
    choices: Vec<String>,
    /// Whether `:` commands are understood here (inside an exercise).
    commands: bool,
}

impl Completer for LineHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let typed = line.get(..pos).unwrap_or(line);
        let word = typed.trim_start();
        // Free answers are sentences; only a single word is completed.
        if word.contains(char::is_whitespace) {
            return Ok((pos, Vec::new()));
        }
        let commands = || COMMANDS.iter().map(|(name, _, _)| (*name).to_owned());
        let candidates: Vec<String> = if self.commands
            && (word.starts_with(':') || (word.is_empty() && self.choices.is_empty()))
        {
            commands().collect()
        } else {
            self.choices.clone()
        };
        let lower = word.to_lowercase();
        let matches = candidates
            .into_iter()
            .filter(|c| c.to_lowercase().starts_with(&lower))
            .collect();
        Ok((typed.len() - word.len(), matches))
    }
}

impl Hinter for LineHelper {
    type Hint = String;
}

impl Highlighter for LineHelper {
    /// Control characters (from a paste) are not drawn, so nothing typed can
    /// move the cursor or retitle the terminal while it is edited; the engine
    /// stores them neutralized. The line editor measures them as zero-width,
    /// so leaving them out keeps the cursor where it belongs.
    fn highlight<'l>(&self, line: &'l str, _: usize) -> Cow<'l, str> {
        if line.chars().any(needs_neutralizing) {
            Cow::Owned(line.chars().filter(|c| !needs_neutralizing(*c)).collect())
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_char(&self, line: &str, _: usize, _: rustyline::highlight::CmdKind) -> bool {
        line.chars().any(needs_neutralizing)
    }
}

impl Validator for LineHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if ctx.input().ends_with('\\') {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for LineHelper {}

#[cfg(test)]
mod tests {
    use super::*;
    use rustyline::history::DefaultHistory;

    fn complete(helper: &LineHelper, line: &str) -> (usize, Vec<String>) {
        let history = DefaultHistory::new();
        helper
            .complete(line, line.len(), &Context::new(&history))
            .unwrap_or_default()
    }

    #[test]
    fn completes_commands_and_choice_keys() {
        let helper = LineHelper {
            choices: vec!["yes".into(), "partly".into(), "no".into()],
            commands: true,
        };
        assert_eq!(
            complete(&helper, ":b"),
            (0, vec![":back".into(), ":break".into()])
        );
        assert_eq!(complete(&helper, " pa"), (1, vec!["partly".into()]));
        assert_eq!(complete(&helper, "I feel n"), (8, vec![]));
        let free = LineHelper {
            commands: true,
            ..LineHelper::default()
        };
        assert_eq!(complete(&free, "").1.len(), COMMANDS.len());
        assert_eq!(
            complete(&LineHelper::default(), ":q").1,
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_command_typed_after_words_offered_for_editing_is_the_command() {
        let after = |typed| command_after_prefill("harder", typed);
        assert_eq!(after("harder:break"), Some(":break".to_owned()));
        assert_eq!(after("harder :BACK "), Some(":BACK".to_owned()));
        assert_eq!(
            after("harder:private it was harder"),
            Some(":private it was harder".to_owned())
        );
        // Words added to the offered ones, or a colon inside them, are the
        // answer as typed; with nothing offered there is nothing to strip.
        assert_eq!(after("harder than I thought"), None);
        assert_eq!(after("harder: more than last month"), None);
        assert_eq!(after(":break"), None);
        assert_eq!(command_after_prefill("", ":break"), None);
    }

    #[test]
    fn a_trailing_backslash_continues_the_answer() {
        assert_eq!(join_continued("one\\\ntwo"), "one\ntwo");
    }
}
