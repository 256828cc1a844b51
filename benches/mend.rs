//! `cargo bench`: divan timings of the engine and the compiler, then a report
//! of the figures docs/performance.md quotes, each against its target and,
//! where one exists, as a ratio to its baseline.
//!
//! `cargo bench -- <filter>` runs only matching divan benchmarks; set
//! `MEND_BENCH_REPORT=0` to skip the report.

mod report;
mod workload;

use divan::{Bencher, counter::ItemsCount};
use mend::{Event, Run, Source, compile};
use workload::{GOOD_STATEMENT, Rng};

/// The allocator the `mend` binary uses (src/main.rs), so the figures are
/// the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if let Ok(task) = std::env::var(report::CHILD) {
        report::child(&task);
        return;
    }
    divan::main();
    if std::env::var("MEND_BENCH_REPORT").as_deref() != Ok("0") {
        report::print();
    }
}

/// One engine step at i-statements' busiest question: the answer runs four
/// check rules, then the next prompt is rendered from its template.
#[divan::bench]
fn engine_step(bencher: Bencher) {
    let exercise = workload::exercise("i-statements");
    let state = workload::waiting_at_statement(&exercise);
    bencher
        .with_inputs(|| Run::restore(&exercise, state.clone()).expect("restores"))
        .bench_local_refs(|run| {
            run.answer(GOOD_STATEMENT, workload::epoch())
                .expect("accepted");
            let event = run.next_event().expect("runs");
            assert!(matches!(event, Event::Prompt(_)));
            event
        });
}

/// One random playthrough of i-statements, start to finish.
#[divan::bench]
fn playthrough(bencher: Bencher) {
    let exercise = workload::exercise("i-statements");
    let mut rng = Rng::new(7);
    bencher.bench_local(|| workload::playthrough(&exercise, &mut rng));
}

const LIBRARY: usize = 1_000;

/// Compiling the generated library in memory: loader, compiler, every rhai
/// script and template.
#[divan::bench(sample_count = 10)]
fn check_library(bencher: Bencher) {
    let files = workload::variations(LIBRARY);
    let words = workload::words();
    bencher.counter(ItemsCount::new(LIBRARY)).bench_local(|| {
        for (id, text) in &files {
            let compiled = compile(id, Source::new(id.as_str(), text.as_str()), &words);
            assert!(compiled.diagnostics.is_empty());
        }
    });
}

/// The baseline for `check_library`: only parsing the same files into YAML values.
#[divan::bench(sample_count = 10)]
fn parse_library_yaml(bencher: Bencher) {
    let files = workload::variations(LIBRARY);
    bencher.counter(ItemsCount::new(LIBRARY)).bench_local(|| {
        for (_, text) in &files {
            let value: serde_yaml::Value = serde_yaml::from_str(text).expect("valid YAML");
            divan::black_box(value);
        }
    });
}

/// 100 random walker runs of i-statements on one thread, by the walker's
/// own loop and by the front-ends' play loop: why the walker keeps its own.
#[divan::bench(args = ["own", "shared"], sample_count = 10)]
fn walker_runs(bencher: Bencher, by: &str) {
    use mend::playtest::walker::{Loop, finished_runs};
    let exercise = workload::exercise("i-statements");
    let by = if by == "own" { Loop::Own } else { Loop::Shared };
    let mut seed = 0;
    bencher.counter(ItemsCount::new(100usize)).bench_local(|| {
        seed += 1;
        finished_runs(&exercise, 100, seed, by)
    });
}
