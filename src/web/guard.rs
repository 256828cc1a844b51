//! Slows token guessing: an address that presents wrong tokens too often is
//! refused for a while before its token is even looked at. A 128-bit token is
//! out of reach of guessing anyway; this keeps a scan from filling the logs
//! of a reverse proxy and the machine's CPU.

use crate::limits::{SERVE_GUESS_WINDOW_SECONDS, SERVE_GUESSES};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FAILURES: u32 = SERVE_GUESSES;
const WINDOW: Duration = Duration::from_secs(SERVE_GUESS_WINDOW_SECONDS);
/// Addresses remembered at once; past this the oldest windows are forgotten.
const ADDRESSES: usize = 10_000;

#[derive(Default)]
pub struct Guard {
    failures: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Guard {
    /// Whether `from` may try a token now.
    pub fn allows(&self, from: IpAddr, now: Instant) -> bool {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match failures.get(&from) {
            Some((since, count)) => now.duration_since(*since) >= WINDOW || *count < FAILURES,
            None => true,
        }
    }

    /// Counts a wrong or missing token from `from`.
    pub fn failed(&self, from: IpAddr, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() >= ADDRESSES {
            failures.retain(|_, (since, _)| now.duration_since(*since) < WINDOW);
        }
        let entry = failures.entry(from).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_failures_close_the_door_for_a_window() {
        let guard = Guard::default();
        let from: IpAddr = "127.0.0.1".parse().unwrap();
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        let now = Instant::now();
        for _ in 0..FAILURES {
            assert!(guard.allows(from, now));
            guard.failed(from, now);
        }
        assert!(!guard.allows(from, now));
        assert!(guard.allows(other, now));
        assert!(guard.allows(from, now + WINDOW));
    }
}
