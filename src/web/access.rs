//! Who may do what: the server's own token (start or resume sittings) and,
//! per sitting, the one-screen token, one token per partner and a read-only
//! token for a therapist. A token is `<id>.<secret>`: the id finds the
//! sitting, the secret is compared in constant time.

use crate::limits::SERVE_SITTINGS;
use crate::web::console::WebConsole;
use crate::web::conversation::{Action, Conversation, Refusal, Waiting};
use crate::web::guard::Guard;
use crate::web::offers::Offers;
use crate::web::sitting::{self, Places, Setting, Start};
use crate::web::token::{Secret, random_id};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::Instant;

/// The id part of the server's own token.
const SERVER_ID: &str = "mend";
const SITTINGS: usize = SERVE_SITTINGS;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// One screen: either partner may answer.
    Host,
    Partner(usize),
    /// Reads along; changes nothing.
    Therapist,
}

pub struct Sitting {
    pub id: String,
    host: Secret,
    partners: [Secret; 2],
    therapist: Secret,
    pub conversation: Arc<Conversation>,
}

impl Sitting {
    pub fn token(&self, role: Role) -> String {
        let secret = match role {
            Role::Host => &self.host,
            Role::Partner(0) => &self.partners[0],
            Role::Partner(_) => &self.partners[1],
            Role::Therapist => &self.therapist,
        };
        format!("{}.{}", self.id, secret.text())
    }

    /// Compares `secret` with every token of the sitting, all of them every
    /// time, so the time taken does not say which one came closest.
    fn role_of(&self, secret: &str) -> Option<Role> {
        let candidates = [
            (Role::Host, &self.host),
            (Role::Partner(0), &self.partners[0]),
            (Role::Partner(1), &self.partners[1]),
            (Role::Therapist, &self.therapist),
        ];
        let mut found = None;
        for (role, candidate) in candidates {
            if candidate.matches(secret) {
                found = Some(role);
            }
        }
        found
    }
}

/// Who a request comes from.
#[derive(Clone)]
pub enum Caller {
    Server,
    Sitting(Arc<Sitting>, Role),
}

/// Why a request was turned away before it was looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// No token, or a wrong one.
    Unknown,
    /// Too many wrong tokens from this address lately.
    TooMany,
}

pub struct Registry {
    server: Secret,
    sittings: RwLock<HashMap<String, Arc<Sitting>>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    guard: Guard,
    pub places: Places,
    offers: Offers,
}

impl Registry {
    pub fn new(places: Places) -> std::io::Result<Registry> {
        Ok(Registry {
            offers: Offers::start(places.exercises.clone())?,
            server: Secret::random().map_err(std::io::Error::other)?,
            sittings: RwLock::default(),
            threads: Mutex::default(),
            guard: Guard::default(),
            places,
        })
    }

    /// The token the server prints: it starts and resumes sittings.
    pub fn server_token(&self) -> String {
        format!("{SERVER_ID}.{}", self.server.text())
    }

    /// The caller a bearer token names.
    pub fn authenticate(&self, token: Option<&str>, from: IpAddr) -> Result<Caller, Denied> {
        let now = Instant::now();
        if !self.guard.allows(from, now) {
            return Err(Denied::TooMany);
        }
        let found = token.and_then(|token| {
            let (id, secret) = token.split_once('.')?;
            if id == SERVER_ID {
                return self.server.matches(secret).then_some(Caller::Server);
            }
            let sitting = self.sitting(id)?;
            let role = sitting.role_of(secret)?;
            Some(Caller::Sitting(sitting, role))
        });
        found.ok_or_else(|| {
            self.guard.failed(from, now);
            Denied::Unknown
        })
    }

    fn sitting(&self, id: &str) -> Option<Arc<Sitting>> {
        let sittings = self.sittings.read().unwrap_or_else(|e| e.into_inner());
        sittings.get(id).cloned()
    }

    /// Opens a sitting on a thread of its own; `None` when too many are open.
    pub fn open(
        &self,
        partners: [String; 2],
        start: Start,
    ) -> std::io::Result<Option<Arc<Sitting>>> {
        let mut sittings = self.sittings.write().unwrap_or_else(|e| e.into_inner());
        if sittings.len() >= SITTINGS {
            // Ended sittings make room (their notes are in the journal).
            sittings.retain(|_, s| !matches!(s.conversation.lock().waiting, Waiting::Ended));
            self.threads
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .retain(|t| !t.is_finished());
        }
        if sittings.len() >= SITTINGS {
            return Ok(None);
        }
        let secret = || Secret::random().map_err(std::io::Error::other);
        let (conversation, inbox) = Conversation::new(partners);
        let conversation = Arc::new(conversation);
        let sitting = Arc::new(Sitting {
            id: random_id().map_err(std::io::Error::other)?,
            host: secret()?,
            partners: [secret()?, secret()?],
            therapist: secret()?,
            conversation: conversation.clone(),
        });
        let setting = Setting {
            places: self.places.clone(),
            offers: self.offers.clone(),
        };
        let thread = std::thread::Builder::new()
            .name(format!("sitting-{}", sitting.id))
            .spawn(move || {
                let mut console = WebConsole::new(conversation, inbox);
                sitting::run(&mut console, &setting, start);
            })?;
        self.threads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(thread);
        sittings.insert(sitting.id.clone(), sitting.clone());
        Ok(Some(sitting))
    }

    /// Asks every sitting to save and stop, and waits for their threads.
    pub fn shut_down(&self) {
        for sitting in self
            .sittings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values()
        {
            sitting.conversation.shut_down();
        }
        let threads = std::mem::take(&mut *self.threads.lock().unwrap_or_else(|e| e.into_inner()));
        for thread in threads {
            let _ = thread.join();
        }
    }
}

/// Whether `role` may take `action` now, given what the sitting waits for.
pub fn may(role: Role, action: &Action, waiting: &Waiting) -> Result<(), Refusal> {
    let partner = match role {
        Role::Therapist => return Err(Refusal::NotAllowed("this link is read-only")),
        Role::Host => None,
        Role::Partner(p) => Some(p),
    };
    match (action, waiting) {
        // Either partner may take a break at any question.
        (Action::Line(line), Waiting::Answer { .. }) if line == ":break" => Ok(()),
        (Action::Line(_) | Action::PrivateLine(_), Waiting::Answer { partner: turn, .. }) => {
            match partner {
                Some(p) if p != *turn => Err(Refusal::NotAllowed("it is the other partner's turn")),
                _ => Ok(()),
            }
        }
        (Action::Line(_), Waiting::Ask { .. })
        | (Action::Pick(_), Waiting::Pick { .. })
        | (Action::Resume | Action::Stop, Waiting::Paused) => Ok(()),
        _ => Err(Refusal::NotNow("the sitting is not waiting for that now")),
    }
}
