//! A bounded load test of `mend serve`, run by hand (it is ignored in
//! `cargo test`): 200 sittings on loopback answer i-statements as fast as
//! they can for 20 seconds, then 500 idle sittings measure memory.
//!
//! ```sh
//! cargo test --release --test integration serve_load -- --ignored --nocapture
//! ```
//!
//! docs/performance.md records the figures.

use crate::serve::Server;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const SITTINGS: usize = 200;

/// How many sittings play at once: 200, or `MEND_LOAD_SITTINGS` (to see
/// the round trip without the queue 200 closed-loop clients make on two
/// cores).
fn sittings() -> usize {
    std::env::var("MEND_LOAD_SITTINGS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(SITTINGS)
}
const RUN_FOR: Duration = Duration::from_secs(20);
const IDLE_SITTINGS: usize = 500;

/// One partner's answers through i-statements, both rounds, that pass
/// every check.
const ANSWERS: [&str; 10] = [
    "We never eat together any more.",
    "lonely",
    "I feel lonely when we eat dinner with our phones out, because time together matters to me, and I need us to keep phones away at dinner.",
    "What I heard is that you feel lonely at dinner when the phones are out.",
    "yes",
    "I come home and nobody says hello.",
    "invisible",
    "I feel invisible when I come home and no one looks up, because I want to matter to you, and I need a hello.",
    "What I heard is that you want a real hello when you come home.",
    "yes",
];

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Round trips: answers inside an exercise, and the requests at its edges
/// (the last answer, which writes the ledger; "another?"; the pick, which
/// reads it).
#[derive(Default)]
struct Times {
    answers: Vec<Duration>,
    edges: Vec<Duration>,
}

/// Plays i-statements again and again until `deadline`. A round trip ends
/// when the sitting waits again (the server answers at once if it takes
/// longer than its change time; then the page, like this, looks again).
fn sitting(server: &Server, deadline: Instant) -> Times {
    let token = server.open();
    let mut view = server.settled(&token);
    let mut times = Times::default();
    let mut post = |path: &str, body: Value, view: &Value, edge: bool| -> Value {
        let mut body = body;
        body["turn"] = view["turn"].clone();
        body["since"] = json!(1_000_000);
        let started = Instant::now();
        let reply = server.post(path, Some(&token), &body);
        if reply.status != 200 {
            // Say why the sitting stopped: its last lines.
            let state = server.get("/api/state", Some(&token)).json();
            let text = crate::serve::transcript(&state);
            let tail: Vec<&str> = text.lines().rev().take(4).collect();
            panic!(
                "{path}: {} {}; the page ends: {tail:?}",
                reply.status, reply.body
            );
        }
        let mut view = reply.json();
        if view["waiting"]["kind"] == "busy" {
            view = server.settled(&token);
        }
        let took = started.elapsed();
        if edge {
            times.edges.push(took);
        } else {
            times.answers.push(took);
        }
        view
    };
    while Instant::now() < deadline {
        view = post(
            "/api/pick",
            json!({"exercise": "i-statements"}),
            &view,
            true,
        );
        view = post("/api/answer", json!({"text": "No"}), &view, false);
        for (i, answer) in ANSWERS.iter().enumerate() {
            let last = i == ANSWERS.len() - 1;
            view = post("/api/answer", json!({"text": answer}), &view, last);
        }
        assert_eq!(view["waiting"]["kind"], "ask", "{view}");
        view = post("/api/answer", json!({"text": "Yes"}), &view, true);
    }
    times
}

fn report(what: &str, times: &mut [Duration], elapsed: f64) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "{what}: {} in {elapsed:.1} s, {:.0}/s, round trip p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        times.len() as f64 / elapsed,
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |t| t.as_secs_f64() * 1e3),
    );
}

#[test]
#[ignore = "a load test, run by hand: see docs/performance.md"]
fn serve_load() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_in(data.path());
    let sittings = sittings();
    let deadline = Instant::now() + RUN_FOR;
    let started = Instant::now();
    let all: Vec<Times> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..sittings)
            .map(|_| scope.spawn(|| sitting(&server, deadline)))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a sitting's worker"))
            .collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut answers: Vec<Duration> = all.iter().flat_map(|t| t.answers.clone()).collect();
    let mut edges: Vec<Duration> = all.iter().flat_map(|t| t.edges.clone()).collect();
    println!("{sittings} sittings for {} s:", RUN_FOR.as_secs());
    report("answers inside an exercise", &mut answers, elapsed);
    report(
        "exercise edges (last answer, another?, pick)",
        &mut edges,
        elapsed,
    );

    // Memory: a fresh server, then sittings that wait at the picker.
    let idle = Server::start();
    let idle_pid = idle.pid();
    std::thread::sleep(Duration::from_millis(300));
    let before = rss_kib(idle_pid);
    for _ in 0..IDLE_SITTINGS {
        let token = idle.open();
        idle.settled(&token);
    }
    std::thread::sleep(Duration::from_millis(300));
    let after = rss_kib(idle_pid);
    println!(
        "memory: {before} KiB before, {after} KiB with {IDLE_SITTINGS} idle sittings: {:.0} KiB per idle sitting",
        (after.saturating_sub(before)) as f64 / IDLE_SITTINGS as f64
    );
}
