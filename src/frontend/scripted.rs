//! Plain-text play over any reader and writer: piped stdin, test harnesses.
//! One answer per line; a line ending in `\` continues on the next.

use crate::engine::event::Prompt;
use crate::frontend::play::{Console, Input};
use crate::frontend::screen::Screen;
use crate::limits;
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

    /// Reads one answer, joining lines that end in a backslash. A line too
    /// long to be an answer is refused here, before it is copied whole.
    fn read_answer(&mut self, prompt: Option<&Prompt>) -> io::Result<Option<String>> {
        let mut answer = String::new();
        loop {
            let Some(line) = read_line(&mut self.input, LINE_BYTES)? else {
                return Ok((!answer.is_empty()).then_some(answer));
            };
            if line.cut {
                if let Some(prompt) = prompt {
                    let kept: String = line.text.chars().take(EXCERPT_CHARS).collect();
                    let echo = self
                        .screen
                        .echo(prompt, &format!("{kept}… ({} characters)", line.chars));
                    writeln!(self.output, "{echo}\n")?;
                    let hint = self.screen.hint(&crate::engine::run::too_long(line.chars));
                    writeln!(self.output, "{hint}")?;
                }
                answer.clear();
                continue;
            }
            let line = line.text.trim_end_matches(['\n', '\r']);
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
        let Some(answer) = self.read_answer(Some(prompt))? else {
            return Ok(Input::End);
        };
        let echo = self.screen.echo(prompt, &excerpt(&answer));
        writeln!(self.output, "{echo}\n")?;
        Ok(Input::Line(answer))
    }

    fn ask(&mut self, question: &str, _choices: &[String]) -> io::Result<Input> {
        let text = self.screen.say(question);
        writeln!(self.output, "{text}")?;
        let Some(answer) = self.read_answer(None)? else {
            return Ok(Input::End);
        };
        writeln!(
            self.output,
            "{}{}\n",
            self.screen.ask_prompt(),
            neutralize(&excerpt(&answer))
        )?;
        Ok(Input::Line(answer))
    }
}

/// The most of one line kept: room for the longest answer mend accepts in
/// 4-byte characters, plus a little. The rest of a longer line is read and
/// dropped (only counted), so a line of any length costs no more memory.
const LINE_BYTES: usize = limits::ANSWER_CHARS * 4 + 1024;

/// How much of a refused answer is echoed.
const EXCERPT_CHARS: usize = 60;

/// One line of input as read.
struct Line {
    /// Its text (with its `\n`), at most the bytes asked for.
    text: String,
    /// Its length in characters, whole.
    chars: usize,
    /// Whether `text` is only the start of it.
    cut: bool,
}

/// One line of at most `keep` bytes, `None` at the end of the input. Bytes
/// that are not UTF-8 become U+FFFD, visibly, rather than ending the
/// session.
fn read_line(input: &mut impl BufRead, keep: usize) -> io::Result<Option<Line>> {
    let mut bytes = Vec::new();
    let mut seen = false;
    let mut chars = 0;
    let mut cut = false;
    loop {
        let buffer = match input.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            break;
        }
        seen = true;
        let (chunk, done) = match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => (&buffer[..end], true),
            None => (buffer, false),
        };
        // UTF-8 continuation bytes are 10xxxxxx; every other byte starts a character.
        chars += chunk.iter().filter(|&&b| b & 0xc0 != 0x80).count();
        let room = keep.saturating_sub(bytes.len());
        cut |= chunk.len() > room;
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len() + usize::from(done);
        input.consume(used);
        if done {
            bytes.push(b'\n');
            break;
        }
    }
    if !seen {
        return Ok(None);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(Some(Line { text, chars, cut }))
}

/// An answer as echoed back: whole when mend could keep it, else its start
/// and its length, so a refused answer does not flood the screen.
fn excerpt(answer: &str) -> std::borrow::Cow<'_, str> {
    if answer.len() <= limits::ANSWER_CHARS {
        return answer.into();
    }
    let chars = answer.chars().count();
    if chars <= limits::ANSWER_CHARS {
        return answer.into();
    }
    let start: String = answer.chars().take(EXCERPT_CHARS).collect();
    format!("{start}… ({chars} characters)").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_keeps_only_what_can_be_used() {
        let mut input = io::Cursor::new(format!("{}\nnext\n", "x".repeat(100_000)));
        let line = read_line(&mut input, 10).unwrap().unwrap();
        assert_eq!(
            (line.text.as_str(), line.chars, line.cut),
            ("xxxxxxxxxx\n", 100_000, true)
        );
        let next = read_line(&mut input, 10).unwrap().unwrap();
        assert_eq!(
            (next.text.as_str(), next.chars, next.cut),
            ("next\n", 4, false)
        );
        assert!(read_line(&mut input, 10).unwrap().is_none());
    }

    #[test]
    fn bytes_that_are_not_utf8_are_replaced_visibly() {
        let mut input = io::Cursor::new(b"caf\xe9 ok\n".to_vec());
        assert_eq!(
            read_line(&mut input, 100).unwrap().unwrap().text,
            "caf\u{fffd} ok\n"
        );
    }
}
