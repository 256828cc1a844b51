//! What the exercise picker offers, from one copy of the compiled library on
//! a thread of its own: a compiled exercise holds script values that cannot
//! move between threads, so rather than each sitting compiling the whole
//! library to show its picker (and keeping what that left behind), sittings
//! ask this thread with their couple's ledger. The exercise picked is
//! compiled again by the sitting that plays it.

use crate::engine::exercise::Exercise;
use crate::engine::ledger::LedgerView;
use crate::format::library::Library;
use crate::frontend::picker::{Offer, offers};
use std::path::PathBuf;
use std::sync::mpsc;

/// The offers for a ledger, and problems met (a `suggest` rule that failed).
pub type Offered = Result<(Vec<Offer>, Vec<String>), String>;

struct Request {
    ledger: LedgerView,
    reply: mpsc::Sender<Offered>,
}

/// A handle on the library thread; cheap to clone, one per sitting.
#[derive(Clone)]
pub struct Offers {
    requests: mpsc::Sender<Request>,
}

impl Offers {
    /// Starts the library thread; it compiles the library once, on start.
    pub fn start(exercises: Option<PathBuf>) -> std::io::Result<Offers> {
        let (requests, inbox) = mpsc::channel::<Request>();
        std::thread::Builder::new()
            .name("library".to_owned())
            .spawn(move || {
                let compiled = compile(exercises);
                for request in inbox {
                    let answer = match &compiled {
                        Ok(choices) => Ok(offers(choices, &request.ledger)),
                        Err(why) => Err(why.clone()),
                    };
                    let _ = request.reply.send(answer);
                }
            })?;
        Ok(Offers { requests })
    }

    /// What to offer a couple with this ledger, suggested exercises first.
    pub fn for_ledger(&self, ledger: LedgerView) -> Offered {
        let gone = || "the exercise library is not available".to_owned();
        let (reply, answer) = mpsc::channel();
        self.requests
            .send(Request { ledger, reply })
            .map_err(|_| gone())?;
        answer.recv().map_err(|_| gone())?
    }
}

/// Every exercise of the library that compiles (`mend check` explains the others).
fn compile(exercises: Option<PathBuf>) -> Result<Vec<Exercise>, String> {
    let library = Library::open(exercises.as_deref()).map_err(|e| e.to_string())?;
    library.playable().map_err(|e| e.to_string())
}
