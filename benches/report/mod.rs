//! The figures of docs/performance.md in one run: each against its target,
//! with the ratio to its baseline where there is one. Whole-program figures
//! (start-up, `mend check`, peak RSS) come from the release binary cargo
//! builds for benchmarks, spawned as a user would run it.

use crate::workload::{self, GOOD_STATEMENT, Rng};
use mend::{Run, Source, compile};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in the environment of a child this bench spawns of itself, to measure
/// the peak memory of work done in a fresh process.
pub const CHILD: &str = "MEND_BENCH_CHILD";
const PLAYTHROUGHS_FOR_RSS: usize = 10_000;
const LIBRARY: usize = 1_000;

pub fn child(task: &str) {
    match task {
        "playthroughs" => {
            let exercise = workload::exercise("i-statements");
            let mut rng = Rng::new(11);
            for _ in 0..PLAYTHROUGHS_FOR_RSS {
                workload::playthrough(&exercise, &mut rng);
            }
        }
        // For instruction counts free of machine noise: valgrind
        // --tool=callgrind with MEND_BENCH_CHILD=compile, =parse and
        // =generate (the work both share, to subtract).
        "generate" => {
            std::hint::black_box(workload::variations(LIBRARY));
        }
        "compile" => {
            let words = workload::words();
            for (id, text) in workload::variations(LIBRARY) {
                std::hint::black_box(compile(&id, Source::new(id.as_str(), text), &words));
            }
        }
        "parse" => {
            for (_, text) in workload::variations(LIBRARY) {
                let value: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
                std::hint::black_box(value);
            }
        }
        // Writes the generated library into the folder named by
        // MEND_BENCH_DIR, to profile `mend check` on it.
        "library" => {
            let dir = std::env::var_os("MEND_BENCH_DIR").expect("MEND_BENCH_DIR names a folder");
            workload::write_library(std::path::Path::new(&dir), LIBRARY);
        }
        other => panic!("unknown bench child task {other}"),
    }
}

pub fn print() {
    println!("\nmend performance report");
    println!("machine: {}", machine());
    println!("{:<52} {:>14} {:>14}", "measure", "value", "target");

    let startup = startup_to_first_prompt();
    row(
        "start-up to first prompt (median of 30)",
        ms(startup),
        "< 20 ms",
    );

    let files = workload::variations(LIBRARY);
    let (check, parse, ratio) = compile_and_parse(&files);
    row("compile one exercise file (in process)", us(check), "");
    row("parse the same file into serde_yaml::Value", us(parse), "");
    row("  ratio compile / parse", format!("{ratio:.2}x"), "<= 2x");
    let dir = tempfile::tempdir().expect("temp dir");
    workload::write_library(dir.path(), LIBRARY);
    let (check_wall, check_rss) = check_binary(dir.path());
    row(
        "`mend check DIR`, 1,000 files, per file (wall)",
        us(check_wall / LIBRARY as u32),
        "",
    );

    let step = engine_step();
    row("engine step at `statement` (median)", us(step), "< 50 µs");

    let (per_second, answers) = playthroughs_per_second();
    row(
        "random playthroughs of i-statements per second",
        format!("{per_second:.0}"),
        ">= 60000",
    );
    row(
        "  answers per playthrough (mean)",
        format!("{answers:.1}"),
        "",
    );

    row(
        "`mend test --random` walker runs per second (1 thread)",
        format!("{:.0}", walker_per_second()),
        "",
    );

    row(
        "peak RSS of `mend check` on 1,000 files",
        kib(check_rss),
        "",
    );
    let mut random_test = Command::new(env!("CARGO_BIN_EXE_mend"));
    random_test
        .args(["test", "i-statements", "--random", "10000"])
        .current_dir(workload::repo());
    row(
        "peak RSS of `mend test i-statements --random 10000`",
        kib(spawn_for_rss(random_test)),
        "",
    );
    row(
        "peak RSS of 10,000 playthroughs (one process)",
        kib(playthroughs_rss()),
        "",
    );
}

fn row(what: &str, value: String, target: &str) {
    println!("{what:<52} {value:>14} {target:>14}");
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn kib(kib: Option<u64>) -> String {
    match kib {
        Some(kib) => format!("{:.1} MiB", kib as f64 / 1024.0),
        None => "n/a (needs GNU time)".to_owned(),
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores")
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Spawns `mend run i-statements` with piped input and times until the first
/// question's line arrives on its output.
fn startup_to_first_prompt() -> Duration {
    // `mend run` opens a session journal before the first question; keep
    // the sessions this makes out of the user's own data folder.
    let data = tempfile::tempdir().expect("temp dir");
    let samples = (0..30)
        .map(|_| {
            let start = Instant::now();
            let mut child = Command::new(env!("CARGO_BIN_EXE_mend"))
                .args(["run", "i-statements"])
                .current_dir(workload::repo())
                .env("MEND_DATA", data.path())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("mend starts");
            let stdout = child.stdout.take().expect("piped");
            let mut lines = BufReader::new(stdout).lines();
            let found = lines.any(|l| l.is_ok_and(|l| l.contains("· question 1")));
            let elapsed = start.elapsed();
            assert!(found, "mend printed no first question");
            // Closing its input ends the run at the first question.
            drop(child.stdin.take());
            let _ = child.wait();
            elapsed
        })
        .collect();
    median(samples)
}

/// The median over 5 passes of the time per file.
/// Compiling and bare parsing of every file, timed in alternating passes so
/// that a change in the machine's load falls on both: the median time per
/// file of each, and the median of each pair of passes' ratio.
fn compile_and_parse(files: &[(String, String)]) -> (Duration, Duration, f64) {
    const PASSES: usize = 7;
    let per_file = |work: &dyn Fn(&str, &str)| {
        let start = Instant::now();
        for (id, text) in files {
            work(id, text);
        }
        start.elapsed() / files.len() as u32
    };
    let (mut compiles, mut parses, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let words = workload::words();
    for _ in 0..PASSES {
        let compiled = per_file(&|id, text| {
            let compiled = compile(id, Source::new(id, text), &words);
            assert!(compiled.diagnostics.is_empty());
        });
        let parsed = per_file(&|_, text| {
            let value: serde_yaml::Value = serde_yaml::from_str(text).expect("valid YAML");
            std::hint::black_box(value);
        });
        ratios.push(compiled.as_secs_f64() / parsed.as_secs_f64());
        compiles.push(compiled);
        parses.push(parsed);
    }
    ratios.sort_by(f64::total_cmp);
    (median(compiles), median(parses), ratios[PASSES / 2])
}

/// Wall time (median of 3) and peak RSS in KiB of `mend check DIR`.
fn check_binary(dir: &std::path::Path) -> (Duration, Option<u64>) {
    let mut peak = None;
    let samples = (0..3)
        .map(|_| {
            let start = Instant::now();
            let mut command = Command::new(env!("CARGO_BIN_EXE_mend"));
            command.arg("check").arg(dir);
            let rss = spawn_for_rss(command);
            peak = peak.max(rss);
            start.elapsed()
        })
        .collect();
    (median(samples), peak)
}

/// Runs a command to the end under GNU time and returns its peak resident
/// set in KiB, or runs it plainly and returns `None` without GNU time.
/// (`wait4` from this process would not do: a child spawned from a big
/// process inherits that process's peak in `ru_maxrss`.)
fn spawn_for_rss(mut command: Command) -> Option<u64> {
    const TIME: &str = "/usr/bin/time";
    if !std::path::Path::new(TIME).exists() {
        let status = command.stdout(Stdio::null()).status().expect("runs");
        assert!(status.success(), "the command failed: {command:?}");
        return None;
    }
    let mut timed = Command::new(TIME);
    timed
        .args(["-f", "%M"])
        .arg(command.get_program())
        .args(command.get_args())
        .stdout(Stdio::null());
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            timed.env(key, value);
        }
    }
    let output = timed.output().expect("GNU time runs");
    assert!(output.status.success(), "the command failed: {command:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr.lines().last().and_then(|l| l.trim().parse().ok())
}

fn engine_step() -> Duration {
    let exercise = workload::exercise("i-statements");
    let state = workload::waiting_at_statement(&exercise);
    let samples = (0..20_000)
        .map(|_| {
            let mut run = Run::restore(&exercise, state.clone()).expect("restores");
            let start = Instant::now();
            run.answer(GOOD_STATEMENT, workload::epoch())
                .expect("accepted");
            std::hint::black_box(run.next_event().expect("runs"));
            start.elapsed()
        })
        .collect();
    median(samples)
}

/// Playthroughs per second over about two seconds, and answers per playthrough.
fn playthroughs_per_second() -> (f64, f64) {
    let exercise = workload::exercise("i-statements");
    let mut rng = Rng::new(3);
    let start = Instant::now();
    let (mut runs, mut answers) = (0u64, 0u64);
    while start.elapsed() < Duration::from_secs(2) {
        for _ in 0..100 {
            answers += workload::playthrough(&exercise, &mut rng) as u64;
        }
        runs += 100;
    }
    let seconds = start.elapsed().as_secs_f64();
    (runs as f64 / seconds, answers as f64 / runs as f64)
}

/// Runs per second of the random walker behind `mend test --random`, over
/// about two seconds, single-threaded.
fn walker_per_second() -> f64 {
    let exercise = workload::exercise("i-statements");
    let start = Instant::now();
    let (mut runs, mut seed) = (0u64, 1);
    while start.elapsed() < Duration::from_secs(2) {
        std::hint::black_box(mend::playtest::walker::walk(&exercise, 100, seed, &[]));
        runs += 100;
        seed += 1;
    }
    runs as f64 / start.elapsed().as_secs_f64()
}

fn playthroughs_rss() -> Option<u64> {
    let mut command = Command::new(std::env::current_exe().expect("own path"));
    command.env(CHILD, "playthroughs");
    spawn_for_rss(command)
}
