//! `cargo bench --bench history`: what a long history costs. The same
//! couple with 10 past sessions and with 10,000, timed for finishing an
//! exercise, `mend ledger`, `mend sessions`, `mend notes --last` and the
//! start of `mend session`, with the ratio between the two (the goal: at
//! most 2x). docs/performance.md quotes the figures.
//!
//! Each operation runs in process, as its command does it from opening the
//! data folder on (the listing and the notes call the commands' own
//! functions), so the figures are mend's work and not process start-up;
//! the three commands that read only are also timed as whole processes.
//! The two folders are measured in turns (rounds alternate which goes
//! first), because the shared machine's load moves from second to second:
//! each figure is the median of every timing, each ratio the median of the
//! rounds' ratios. `MEND_BENCH_HISTORY=N` sets the larger history (default
//! 10,000), `MEND_BENCH_ROUNDS=N` the rounds (default 9).

use chrono::{DateTime, TimeZone, Utc};
use mend::Event;
use mend::cmd::{notes, sessions};
use mend::compile;
use mend::notes::render::render;
use mend::store::DataDir;
use mend::store::Session;
use mend::store::ledger_log;
use mend::{Exercise, Source};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PARTNERS: [&str; 2] = ["Alex", "Sam"];

const PROMISE: &str = r#"
title: Promise
summary: One promise each.
minutes: 2
version: 1
roles:
  first: Promises first.
  second: Promises second.
steps:
  - id: p1
    ask: What will you do?
    by: first
  - id: c1
    commit:
      text: "{{ answers.p1 }}"
      due: "2099-01-05"
    by: first
  - id: talk
    agree:
      text: No phones at dinner
      topic: communication
      revisit: "2099-02-01"
"#;

// A full run, to its closing: the history's sessions are finished ones.
const I_STATEMENTS: [&str; 12] = [
    "We never eat together any more.",
    "lonely",
    "I feel lonely when we eat dinner with our phones out, because time together matters to me, and I need us to keep phones away at dinner.",
    "What I heard is that you feel lonely at dinner when the phones are out.",
    "yes",
    "I come home and nobody says hello.",
    "invisible",
    "I feel invisible when I come home and no one looks up, because I want to matter to you, and I need a hello.",
    "What I heard is that you want a real hello when you come home.",
    "1",
    "settled",
    "settled",
];

fn partners() -> [String; 2] {
    PARTNERS.map(str::to_owned)
}

fn exercise(id: &str, text: &str) -> Exercise {
    compile(
        id,
        Source::new(id.to_owned(), text.to_owned()),
        &mend::WordLists::none(),
    )
    .exercise
    .expect("the exercise compiles")
}

fn library(id: &str) -> Exercise {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("exercises/{id}.yaml"));
    exercise(id, &std::fs::read_to_string(path).expect("the library"))
}

fn at(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 1, 9, 0, 0).unwrap() + chrono::TimeDelta::minutes(n)
}

/// Plays `answers` through a session, saving after each like `play` does.
fn play(session: &mut Session, exercise: &Exercise, answers: &[&str]) {
    let mut run = session.start(exercise, None).expect("starts");
    let mut answers = answers.iter();
    loop {
        match run.next_event().expect("runs") {
            Event::Say { .. } => {}
            Event::Finished => {
                session.save(&run).expect("saved");
                return;
            }
            Event::Prompt(_) => {
                // Runs out of answers only if the exercise grew: the
                // history must hold finished sessions, not paused ones.
                let Some(answer) = answers.next() else {
                    panic!("`{}` asks more than the bench answers", exercise.id)
                };
                run.answer(answer, at(1)).expect("answered");
                session.save(&run).expect("saved");
            }
        }
    }
}

/// A data folder with `count` past sessions of the couple: one that made
/// a commitment and an agreement, the rest full i-statements runs (each a
/// copy of a real journal under its own id, oldest first).
fn history(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let data = DataDir::open(Some(dir.path())).expect("a data folder");
    let mut first = Session::create(&data, partners(), Box::new(|| at(0))).expect("created");
    play(
        &mut first,
        &exercise("promise", PROMISE),
        &["Text when late"],
    );
    drop(first);
    let mut model = Session::create(&data, partners(), Box::new(|| at(1))).expect("created");
    play(&mut model, &library("i-statements"), &I_STATEMENTS);
    let model_id = model.id().to_owned();
    drop(model);
    let sessions = data.sessions();
    let text = std::fs::read_to_string(sessions.join(format!("{model_id}.jsonl"))).expect("read");
    std::fs::remove_file(sessions.join(format!("{model_id}.jsonl"))).expect("removed");
    let _ = std::fs::remove_file(sessions.join(format!("{model_id}.lock")));
    // Each session as `Session::create` leaves it: its id in the index,
    // then its journal.
    let mut index = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.path().join("sessions.index"))
        .expect("the index");
    for n in 1..count {
        let start = at(60 * n as i64);
        let id = format!("{}-{:04x}", start.format("%Y%m%d-%H%M%S"), n & 0xffff);
        let copy = text.replace(&model_id, &id).replace(
            "2020-01-01T09:01:00Z",
            &start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        );
        std::fs::write(sessions.join(format!("{id}.jsonl")), copy).expect("written");
        writeln!(index, "{id}").expect("indexed");
    }
    dir
}

/// What is timed: its name and, for each folder, one timing.
type Timed<'a> = (&'static str, Box<dyn FnMut(&Path) -> Duration + 'a>);

/// Times each operation in both folders in turns: `rounds` rounds of
/// `runs` timings in each folder (after one warm-up), the folder that goes
/// first alternating. Returns each operation's median in each folder and
/// the median of the rounds' ratios.
fn interleaved(
    small: &Path,
    large: &Path,
    rounds: usize,
    runs: usize,
    operations: Vec<Timed>,
) -> Vec<(&'static str, Duration, Duration, f64)> {
    let mut out = Vec::new();
    for (name, mut operation) in operations {
        let mut samples = [Vec::new(), Vec::new()];
        let mut ratios = Vec::new();
        for round in 0..rounds {
            let mut medians = [Duration::ZERO; 2];
            for turn in 0..2 {
                let which = (turn + round) % 2;
                let dir = [small, large][which];
                operation(dir);
                let mut times: Vec<Duration> = (0..runs).map(|_| operation(dir)).collect();
                times.sort();
                medians[which] = times[runs / 2];
                samples[which].extend(times);
            }
            ratios.push(medians[1].as_secs_f64() / medians[0].as_secs_f64());
        }
        for s in &mut samples {
            s.sort();
        }
        ratios.sort_by(f64::total_cmp);
        let [a, b] = &samples;
        out.push((name, a[a.len() / 2], b[b.len() / 2], ratios[rounds / 2]));
        eprintln!(
            "{name}: ratios of the rounds {}",
            ratios
                .iter()
                .map(|r| format!("{r:.2}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    out
}

fn elapsed(work: impl FnOnce()) -> Duration {
    let start = Instant::now();
    work();
    start.elapsed()
}

/// The five operations, in process, as their commands do them.
fn in_process<'a>(promise: &'a Exercise, clock: &'a std::cell::Cell<i64>) -> Vec<Timed<'a>> {
    let open = |dir: &Path| DataDir::open(Some(dir)).expect("a data folder");
    vec![
        (
            "`mend ledger`",
            Box::new(move |dir: &Path| {
                elapsed(|| {
                    let data = open(dir);
                    let couples = ledger_log::couples(&data);
                    ledger_log::ensure_histories(&data).expect("histories");
                    let log = ledger_log::read(&data, &couples[0]).expect("read");
                    std::hint::black_box(log.ledger().view(at(0).date_naive()));
                })
            }),
        ),
        (
            "`mend sessions`",
            Box::new(move |dir: &Path| {
                elapsed(|| {
                    let data = open(dir);
                    std::hint::black_box(sessions::listing(&data, sessions::Which::Page(1), None));
                })
            }),
        ),
        (
            "`mend notes --last`",
            Box::new(move |dir: &Path| {
                elapsed(|| {
                    let data = open(dir);
                    let log = notes::latest(&data).expect("a session");
                    std::hint::black_box(
                        render(&data, &log, None, at(0).date_naive()).expect("notes"),
                    );
                })
            }),
        ),
        (
            "start of `mend session`",
            Box::new(move |dir: &Path| {
                let mut taken = Duration::ZERO;
                let session = {
                    let start = Instant::now();
                    let data = open(dir);
                    let session =
                        Session::create(&data, partners(), Box::new(|| at(0))).expect("created");
                    std::hint::black_box(session.ledger_view().expect("ledger"));
                    taken += start.elapsed();
                    session
                };
                // As the command does when no exercise is begun; not timed.
                session.close().expect("closed");
                taken
            }),
        ),
        (
            "finishing an exercise",
            Box::new(move |dir: &Path| {
                clock.set(clock.get() + 1);
                let now = at(clock.get());
                let data = open(dir);
                let mut session =
                    Session::create(&data, partners(), Box::new(move || now)).expect("created");
                let mut run = session.start(promise, None).expect("starts");
                let Ok(Event::Prompt(_)) = run.next_event() else {
                    panic!("a question")
                };
                run.answer("A walk on Sundays", now).expect("answered");
                session.save(&run).expect("saved");
                // Finishing: the last save journals the end and adds the
                // records to the couple's ledger.
                elapsed(|| {
                    assert!(matches!(run.next_event(), Ok(Event::Finished)));
                    session.save(&run).expect("saved");
                })
            }),
        ),
    ]
}

/// The commands that only read, as whole processes of the release binary.
fn processes<'a>() -> Vec<Timed<'a>> {
    let command = |args: &'static [&'static str]| expecting(args, Some(true));
    vec![
        ("process: `mend ledger`", command(&["ledger"])),
        ("process: `mend sessions`", command(&["sessions"])),
        (
            "process: `mend notes --last`",
            command(&["notes", "--last"]),
        ),
        // The search for what waits (with no answers on stdin, a session
        // found takes a break at once; none found is an error).
        ("process: `mend resume`", expecting(&["resume"], None)),
    ]
}

/// Runs the release binary with `args` and checks it succeeds (or fails,
/// or either).
fn expecting<'a>(
    args: &'static [&'static str],
    succeeds: Option<bool>,
) -> Box<dyn FnMut(&Path) -> Duration + 'a> {
    Box::new(move |dir: &Path| {
        elapsed(|| {
            let status = Command::new(env!("CARGO_BIN_EXE_mend"))
                .args(args)
                .arg("--data")
                .arg(dir)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("mend runs");
            if let Some(succeeds) = succeeds {
                assert_eq!(status.success(), succeeds, "mend {args:?}");
            }
        })
    })
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(default)
    };
    let large = number("MEND_BENCH_HISTORY", 10_000);
    let rounds = number("MEND_BENCH_ROUNDS", 9);
    let started = Instant::now();
    let small_dir = history(10);
    let large_dir = history(large);
    eprintln!("generated {large} sessions in {:.1?}", started.elapsed());
    // Writing 10,000 journals leaves the disk busy writing them back for a
    // while; timing reads during that would measure the disk, not mend.
    let _ = Command::new("sync").status();
    let (small, big) = (small_dir.path(), large_dir.path());
    // A history written before the waiting marks (as the generator
    // writes it) gets them once, at its first `mend resume`: not timed.
    for dir in [small, big] {
        expecting(&["resume"], None)(dir);
    }
    let promise = exercise("promise", PROMISE);
    let clock = std::cell::Cell::new(10_000_000i64);
    // Reading first: the writing operations add sessions of their own.
    let mut figures = interleaved(small, big, rounds, 11, processes());
    figures.extend(interleaved(
        small,
        big,
        rounds,
        11,
        in_process(&promise, &clock),
    ));
    println!("\n| with past sessions | 10 | {large} | ratio |");
    println!("|---|---|---|---|");
    for (name, a, b, ratio) in figures {
        println!(
            "| {name} | {:.2} ms | {:.2} ms | {ratio:.2}x |",
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
        );
    }
}
