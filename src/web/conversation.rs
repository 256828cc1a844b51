//! What a sitting has shown so far and what it waits for: written by the
//! sitting's thread (through its console), read by every page that follows
//! the sitting. Requests hand the thread their input through it, one at a
//! time: each waiting state has a turn number, and an input must name the
//! turn it answers, so a replayed or doubled request is refused.

use serde::Serialize;
use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard};
use tokio::sync::watch;

/// One thing the conversation showed. Never sent anywhere but to the
/// sitting's own pages; never logged.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    Heading {
        text: String,
    },
    Say {
        text: String,
    },
    Info {
        text: String,
    },
    Hint {
        text: String,
    },
    /// The keyboard (or the turn) passes to `name`.
    Handoff {
        partner: usize,
        name: String,
    },
    Question {
        partner: usize,
        name: String,
        role: String,
        progress: String,
        text: String,
        example: Option<String>,
    },
    /// What a partner answered (commands are not echoed).
    Answer {
        partner: Option<usize>,
        name: Option<String>,
        text: String,
    },
}

/// A choice of a question: the key the engine reads, the label people see.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub key: String,
    pub label: String,
}

/// An exercise the partners may pick: the terminal's picker offers the same.
pub use crate::frontend::picker::Offer;

/// What the sitting needs next.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Waiting {
    /// The sitting's thread is working (starting, or taking an input).
    Busy,
    /// A question of an exercise, for one partner.
    Answer {
        partner: usize,
        name: String,
        role: String,
        progress: String,
        text: String,
        example: Option<String>,
        choices: Vec<Choice>,
        optional: bool,
        /// Words to put back in the text box (after "Change my last answer",
        /// or an answer a check sent back).
        prefill: String,
    },
    /// A question outside an exercise, for either partner; no `choices`
    /// means free text.
    Ask {
        question: String,
        choices: Vec<String>,
    },
    Pick {
        exercises: Vec<Offer>,
    },
    /// A break: everything is saved and the session's lock is released, so
    /// the sitting may go on here or in a terminal (`mend resume`).
    Paused,
    Ended,
}

impl Waiting {
    pub fn is_open(&self) -> bool {
        !matches!(self, Waiting::Busy | Waiting::Ended)
    }
}

/// An input for the sitting's thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// An answer, a reply to a question, or a `:command` line.
    Line(String),
    /// An answer its partner asked to keep out of the session notes (the
    /// terminal's `:private` before answering).
    PrivateLine(String),
    /// An exercise by id, or `None` to end the sitting.
    Pick(Option<String>),
    Resume,
    /// End the sitting (from a break).
    Stop,
    /// The server is stopping: save and leave.
    Shutdown,
}

/// Why an input was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The input answers a turn that is over (replayed, doubled, or late).
    Stale,
    /// This link may not do that now (another partner's turn, read-only).
    NotAllowed(&'static str),
    /// The sitting is not waiting for this kind of input.
    NotNow(&'static str),
    /// The sitting has ended or its thread stopped.
    Gone,
}

pub struct Inner {
    /// Goes up with every change, so followers know to look again.
    pub version: u64,
    /// Goes up with every new waiting state; an input names the turn it answers.
    pub turn: u64,
    pub entries: Vec<Entry>,
    pub waiting: Waiting,
    pub partners: [String; 2],
    pub session: Option<String>,
    /// The session notes (Markdown), once the sitting has ended.
    pub notes: Option<String>,
    inbox: mpsc::Sender<Action>,
}

pub struct Conversation {
    inner: Mutex<Inner>,
    /// Every change: what the pages' live updates follow.
    changed: watch::Sender<u64>,
    /// Only a new turn (or the end): what a request waiting for its input
    /// to be taken follows. An answer changes the conversation three or
    /// four times (the answer, a hand-off, the next question, the wait);
    /// waking the request for each was a futex wake and a context switch
    /// apiece on a busy 2-core machine.
    turned: watch::Sender<u64>,
}

impl Conversation {
    /// A conversation, and the receiving end of its inputs for the thread.
    pub fn new(partners: [String; 2]) -> (Conversation, mpsc::Receiver<Action>) {
        let (inbox, receiver) = mpsc::channel();
        let conversation = Conversation {
            inner: Mutex::new(Inner {
                version: 0,
                turn: 0,
                entries: Vec::new(),
                waiting: Waiting::Busy,
                partners,
                session: None,
                notes: None,
                inbox,
            }),
            changed: watch::Sender::new(0),
            turned: watch::Sender::new(0),
        };
        (conversation, receiver)
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        // A thread that panicked while holding the lock left whole values
        // behind (every change is one assignment or push).
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies a change and tells every follower.
    pub fn change(&self, apply: impl FnOnce(&mut Inner)) {
        let (version, turn) = {
            let mut inner = self.lock();
            let turn = inner.turn;
            apply(&mut inner);
            inner.version += 1;
            let turned = inner.turn != turn || matches!(inner.waiting, Waiting::Ended);
            (inner.version, turned.then_some(inner.turn))
        };
        self.changed.send_replace(version);
        if let Some(turn) = turn {
            self.turned.send_replace(turn);
        }
    }

    pub fn push(&self, entry: Entry) {
        self.change(|inner| inner.entries.push(entry));
    }

    /// Shows what the sitting waits for; returns its turn.
    pub fn wait_for(&self, waiting: Waiting) -> u64 {
        let mut turn = 0;
        self.change(|inner| {
            inner.turn += 1;
            turn = inner.turn;
            inner.waiting = waiting;
        });
        turn
    }

    pub fn follow(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// Hands `action` to the thread if it answers the current turn and
    /// `allowed` accepts the waiting state. Returns the turn it answered.
    pub fn submit(
        &self,
        turn: u64,
        action: Action,
        allowed: impl FnOnce(&Waiting) -> Result<(), Refusal>,
    ) -> Result<u64, Refusal> {
        let mut inner = self.lock();
        if matches!(inner.waiting, Waiting::Ended) {
            return Err(Refusal::Gone);
        }
        if turn != inner.turn || !inner.waiting.is_open() {
            return Err(Refusal::Stale);
        }
        allowed(&inner.waiting)?;
        if inner.inbox.send(action).is_err() {
            return Err(Refusal::Gone);
        }
        inner.waiting = Waiting::Busy;
        inner.version += 1;
        let version = inner.version;
        drop(inner);
        self.changed.send_replace(version);
        Ok(turn)
    }

    /// Asks the thread to stop whatever it waits for (server shutting down).
    pub fn shut_down(&self) {
        let _ = self.lock().inbox.send(Action::Shutdown);
    }

    /// Waits until the thread has taken the input of `turn` and waits again
    /// (or has ended).
    pub async fn settled(&self, turn: u64) {
        let mut changes = self.turned.subscribe();
        loop {
            {
                let inner = self.lock();
                if inner.turn > turn || matches!(inner.waiting, Waiting::Ended) {
                    return;
                }
            }
            if changes.changed().await.is_err() {
                return;
            }
        }
    }
}
