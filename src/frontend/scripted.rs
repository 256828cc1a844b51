//! Plain-text play over any reader and writer: piped stdin, test harnesses.
//! One answer per line; a line ending in `\` continues on the next.

use crate::engine::event::Prompt;
use crate::frontend::play::{Console, Input};
use crate::frontend::screen::Screen;
use crate::text::neutralize;
use std::io::{self, BufRead, Write};

pub struct Scripted<R, W> {
    input: R,
    output: W,
    screen: Screen,
}

impl<R: BufRead, W: Write> Scripted<R, W> {
    pub fn new(input: R, output: W) -> Self {
        Scripted {
            input,
            output,
            screen: Screen::plain(),
        }
    }

    fn block(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.output, "{text}\n")?;
        self.output.flush()
    }

    /// Reads one answer, joining lines that end in a backslash.
    fn read_answer(&mut self) -> io::Result<Option<String>> {
        let mut answer = String::new();
        loop {
            let mut line = String::new();
            if self.input.read_line(&mut line)? == 0 {
                return Ok((!answer.is_empty()).then_some(answer));
            }
            let line = line.trim_end_matches(['\n', '\r']);
            match line.strip_suffix('\\') {
                Some(continued) => {
                    answer.push_str(continued);
                    answer.push('\n');
                }
                None => {
                    answer.push_str(line);
                    return Ok(Some(answer));
                }
            }
        }
    }
}

impl<R: BufRead, W: Write> Console for Scripted<R, W> {
    fn say(&mut self, text: &str) -> io::Result<()> {
        let text = self.screen.say(text);
        self.block(&text)
    }

    fn heading(&mut self, text: &str) -> io::Result<()> {
        let text = self.screen.heading(text);
        writeln!(self.output, "{text}")
    }

    fn handoff(&mut self, to: &Prompt) -> io::Result<()> {
        let text = self.screen.handoff(to);
        self.block(&text)
    }

    fn question(&mut self, prompt: &Prompt) -> io::Result<()> {
        let text = self.screen.question(prompt);
        writeln!(self.output, "{text}")
    }

    fn hint(&mut self, text: &str) -> io::Result<()> {
        let text = self.screen.hint(text);
        writeln!(self.output, "{text}")
    }

    fn info(&mut self, text: &str) -> io::Result<()> {
        let text = self.screen.info(text);
        writeln!(self.output, "{text}")
    }

    fn read(&mut self, prompt: &Prompt, _prefill: &str) -> io::Result<Input> {
        let Some(answer) = self.read_answer()? else {
            return Ok(Input::End);
        };
        let echo = self.screen.echo(prompt, &answer);
        writeln!(self.output, "{echo}\n")?;
        Ok(Input::Line(answer))
    }

    fn ask(&mut self, question: &str, _choices: &[String]) -> io::Result<Input> {
        let text = self.screen.say(question);
        writeln!(self.output, "{text}")?;
        let Some(answer) = self.read_answer()? else {
            return Ok(Input::End);
        };
        writeln!(
            self.output,
            "{}{}\n",
            self.screen.ask_prompt(),
            neutralize(&answer)
        )?;
        Ok(Input::Line(answer))
    }
}
