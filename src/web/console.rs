//! The console of a web sitting: what the play loop shows becomes entries of
//! the conversation, and what it reads comes from requests, through the
//! conversation's inbox. The sitting's thread blocks here between inputs.

use crate::engine::event::Prompt;
use crate::frontend::command::PlayCommand;
use crate::frontend::play::{Console, EDIT_HINT, Input, YesNo};
use crate::web::conversation::{Action, Choice, Conversation, Entry, Offer, Waiting};
use std::io;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

pub struct WebConsole {
    conversation: Arc<Conversation>,
    inbox: Receiver<Action>,
    /// Set once the server asked every sitting to stop: every later read
    /// ends at once, so the play loop saves and returns.
    stopping: bool,
    /// A private answer's text, read right after the `:private` the play
    /// loop is handed first.
    held: Option<String>,
}

/// What the partners decided at a break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterBreak {
    Resume,
    Stop,
}

impl WebConsole {
    pub fn new(conversation: Arc<Conversation>, inbox: Receiver<Action>) -> WebConsole {
        WebConsole {
            conversation,
            inbox,
            stopping: false,
            held: None,
        }
    }

    fn push(&self, entry: Entry) -> io::Result<()> {
        self.conversation.push(entry);
        Ok(())
    }

    /// Shows `waiting` and blocks until an input for it arrives.
    fn wait(&mut self, waiting: Waiting) -> Action {
        if self.stopping {
            return Action::Shutdown;
        }
        self.conversation.wait_for(waiting);
        match self.inbox.recv() {
            Ok(Action::Shutdown) | Err(_) => {
                self.stopping = true;
                Action::Shutdown
            }
            Ok(action) => action,
        }
    }

    /// The exercise the partners pick, or `None` when they end the sitting.
    pub fn pick(&mut self, exercises: Vec<Offer>) -> Option<String> {
        loop {
            match self.wait(Waiting::Pick {
                exercises: exercises.clone(),
            }) {
                Action::Pick(choice) => return choice,
                Action::Stop | Action::Shutdown => return None,
                Action::Line(_) | Action::PrivateLine(_) | Action::Resume => continue,
            }
        }
    }

    /// A break: waits until the partners resume or end the sitting.
    pub fn paused(&mut self) -> AfterBreak {
        loop {
            match self.wait(Waiting::Paused) {
                Action::Resume => return AfterBreak::Resume,
                Action::Stop | Action::Shutdown => return AfterBreak::Stop,
                Action::Line(_) | Action::PrivateLine(_) | Action::Pick(_) => continue,
            }
        }
    }

    /// The end of the sitting; `notes` is the session's Markdown notes.
    pub fn end(&mut self, notes: Option<String>) {
        self.conversation.change(|inner| {
            inner.notes = notes;
            inner.turn += 1;
            inner.waiting = Waiting::Ended;
        });
    }

    pub fn set_session(&self, id: &str) {
        self.conversation
            .change(|inner| inner.session = Some(id.to_owned()));
    }

    /// An answer typed at `prompt`, shown as the choice's label when it is one.
    fn answered(&self, prompt: &Prompt, line: String) -> Input {
        let shown = match prompt.options.iter().find(|(key, _)| *key == line) {
            Some((_, label)) => label.trim().to_owned(),
            None => line.clone(),
        };
        self.reply(&shown, Some(prompt));
        Input::Line(line)
    }

    fn reply(&self, line: &str, prompt: Option<&Prompt>) {
        if PlayCommand::parse(line).is_some() {
            return;
        }
        self.conversation.push(Entry::Answer {
            partner: prompt.map(|p| p.partner),
            name: prompt.map(|p| p.name.clone()),
            text: line.to_owned(),
        });
    }
}

impl Drop for WebConsole {
    /// However the sitting's thread ends (an error, even a panic), its pages
    /// stop waiting for it.
    fn drop(&mut self) {
        let ended = matches!(self.conversation.lock().waiting, Waiting::Ended);
        if !ended {
            self.end(None);
        }
    }
}

/// "question 3 of 8, round 1 of 2", or "question 3, round 1 of 2" where
/// the total depends on answers still to come.
pub fn progress(prompt: &Prompt) -> String {
    let mut text = prompt.progress.counter();
    if let Some(round) = prompt.progress.round {
        text.push_str(&format!(", round {round} of 2"));
    }
    text
}

impl Console for WebConsole {
    fn say(&mut self, text: &str) -> io::Result<()> {
        self.push(Entry::Say {
            text: text.trim_end().to_owned(),
        })
    }

    fn heading(&mut self, text: &str) -> io::Result<()> {
        self.push(Entry::Heading {
            text: text.trim().to_owned(),
        })
    }

    fn handoff(&mut self, to: &Prompt) -> io::Result<()> {
        self.push(Entry::Handoff {
            partner: to.partner,
            name: to.name.clone(),
        })
    }

    fn question(&mut self, prompt: &Prompt) -> io::Result<()> {
        self.push(Entry::Question {
            partner: prompt.partner,
            name: prompt.name.clone(),
            role: prompt.role_label.clone(),
            progress: progress(prompt),
            text: prompt.text.trim_end().to_owned(),
            example: prompt.example.as_ref().map(|e| e.trim().to_owned()),
        })
    }

    fn hint(&mut self, text: &str) -> io::Result<()> {
        self.push(Entry::Hint {
            text: text.trim().to_owned(),
        })
    }

    fn info(&mut self, text: &str) -> io::Result<()> {
        // The refused words are shown as in the terminal, without its
        // arrow-key hint: a browser's box has no history to bring back.
        let text = text.trim_end();
        let text = text.strip_suffix(EDIT_HINT).unwrap_or(text);
        self.push(Entry::Info {
            text: text.trim_end().to_owned(),
        })
    }

    fn read(&mut self, prompt: &Prompt, prefill: &str) -> io::Result<Input> {
        if let Some(line) = self.held.take() {
            return Ok(self.answered(prompt, line));
        }
        let waiting = Waiting::Answer {
            partner: prompt.partner,
            name: prompt.name.clone(),
            role: prompt.role_label.clone(),
            progress: progress(prompt),
            text: prompt.text.trim_end().to_owned(),
            example: prompt.example.as_ref().map(|e| e.trim().to_owned()),
            choices: prompt
                .options
                .iter()
                .map(|(key, label)| Choice {
                    key: key.clone(),
                    label: label.trim().to_owned(),
                })
                .collect(),
            optional: prompt.optional,
            prefill: prefill.to_owned(),
        };
        Ok(match self.wait(waiting) {
            Action::Line(line) => self.answered(prompt, line),
            // The play loop journals `:private` and takes the answer next.
            Action::PrivateLine(line) => {
                self.held = Some(line);
                Input::Line(":private".to_owned())
            }
            // A break from the page, or the server stopping: saved and
            // journaled as a break, to resume in a browser or a terminal.
            Action::Stop | Action::Shutdown => Input::Line(":break".to_owned()),
            Action::Pick(_) | Action::Resume => Input::Line(String::new()),
        })
    }

    fn ask(&mut self, question: &str, choices: &[String]) -> io::Result<Input> {
        self.say(question)?;
        let waiting = Waiting::Ask {
            question: question.to_owned(),
            choices: choices.to_vec(),
        };
        Ok(match self.wait(waiting) {
            Action::Line(line) => {
                self.reply(&line, None);
                Input::Line(line)
            }
            Action::PrivateLine(line) => {
                self.reply(&line, None);
                Input::Line(line)
            }
            Action::Stop | Action::Shutdown => Input::End,
            Action::Pick(_) | Action::Resume => Input::Line(String::new()),
        })
    }

    /// Yes and No as two buttons; anything else but `:break` and `:quit`
    /// is no.
    fn yes_no(&mut self, question: &str) -> io::Result<YesNo> {
        let choices = ["Yes".to_owned(), "No".to_owned()];
        Ok(match self.ask(question, &choices)? {
            Input::Line(line) => match PlayCommand::parse(&line) {
                Some(PlayCommand::Break) => YesNo::Break,
                Some(PlayCommand::Quit) => YesNo::Quit,
                _ if matches!(line.trim().to_lowercase().as_str(), "y" | "yes") => YesNo::Yes,
                _ => YesNo::No,
            },
            Input::End | Input::Interrupted => YesNo::No,
        })
    }

    fn end_is_break(&self) -> bool {
        true
    }
}
