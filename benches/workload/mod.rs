//! What the benchmarks run: the shipped exercises, a generated library of
//! variations, and a minimal random driver over the public `Run` API.

use chrono::{DateTime, Utc};
use mend::{Event, Exercise, Reply, Run, Source, compile};
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn shipped() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(repo().join("exercises"))
        .expect("exercises folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        // Exercises only: not their plans, nor the shared word lists.
        .filter(|p| mend::format::exercise_id(p).is_some())
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, std::fs::read_to_string(&p).expect("readable exercise"))
        })
        .collect();
    files.sort();
    files
}

/// The shared word lists the shipped exercises name.
pub fn words() -> mend::WordLists {
    mend::WordLists::in_dir(&repo().join("exercises"))
}

pub fn exercise(id: &str) -> Exercise {
    let path = repo().join("exercises").join(format!("{id}.yaml"));
    let text = std::fs::read_to_string(&path).expect("readable exercise");
    let compiled = compile(id, Source::new(path.display().to_string(), text), &words());
    compiled.exercise.expect("the shipped exercise compiles")
}

/// `count` exercise files made from the shipped ones, each a little
/// different (title, an extra templated step, a check threshold) so nothing
/// can be cached across files: (id, text).
pub fn variations(count: usize) -> Vec<(String, String)> {
    let shipped = shipped();
    (0..count)
        .map(|n| {
            let (id, text) = &shipped[n % shipped.len()];
            let mut text = text.replacen("\ntitle: ", &format!("\ntitle: Variation {n} of "), 1);
            text = text.replace("words(answer) >= 4", &format!("words(answer) >= {}", 2 + n % 5));
            if let Some(at) = text.find("\nsteps:\n") {
                let extra = format!(
                    "\nsteps:\n  - id: variation_{n}\n    say: \"{{{{ partners[0] }}}} and {{{{ partners[1] }}}}, this is variation {n}.\"\n"
                );
                text.replace_range(at..at + "\nsteps:\n".len(), &extra);
            }
            (format!("{id}-{n:04}"), text)
        })
        .collect()
}

/// Writes `variations(count)` into `dir` as a library folder.
pub fn write_library(dir: &Path, count: usize) {
    for (id, text) in variations(count) {
        std::fs::write(dir.join(format!("{id}.yaml")), text).expect("writable temp dir");
    }
}

/// Answers a couple might give, well formed or not: enough to pass every
/// check of the shipped exercises and to trip each hint at least once.
const ANSWERS: [&str; 8] = [
    "You never listen to me",
    "lonely",
    "You always ignore me",
    "I feel lonely when we eat with phones out, because time together matters, and I need phones away at dinner.",
    "What I heard is you feel lonely at dinner",
    "I am tired of doing all the dishes",
    "tired",
    "The part about phones",
];

/// A xorshift generator: the driver must cost next to nothing itself.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

pub fn partners() -> [String; 2] {
    ["Alex".to_owned(), "Sam".to_owned()]
}

pub fn epoch() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

/// Plays one run to the end with random answers and choices; returns how
/// many answers it took. Non-strict checks nudge once and then accept, so
/// every random playthrough of the shipped exercises finishes.
pub fn playthrough(exercise: &Exercise, rng: &mut Rng) -> usize {
    let mut run = Run::start(exercise, partners());
    let mut given = 0;
    loop {
        match run.next_event().expect("the shipped exercise runs") {
            Event::Say { .. } => {}
            Event::Finished => return given,
            Event::Prompt(prompt) => {
                let answer = if prompt.options.is_empty() {
                    ANSWERS[rng.below(ANSWERS.len())].to_owned()
                } else {
                    (1 + rng.below(prompt.options.len())).to_string()
                };
                given += 1;
                match run.answer(&answer, epoch()).expect("answers are accepted") {
                    Reply::Accepted | Reply::Retry { .. } => {}
                }
                assert!(given < 1_000, "a random playthrough did not finish");
            }
        }
    }
}

/// A run of i-statements waiting at `statement`, its busiest step: four check
/// rules on the answer, then a templated prompt for the next question.
pub fn waiting_at_statement(exercise: &Exercise) -> mend::engine::RunState {
    let mut run = Run::start(exercise, partners());
    for answer in ["Dinner has been hard", "lonely"] {
        while !matches!(run.next_event().expect("runs"), Event::Prompt(_)) {}
        run.answer(answer, epoch()).expect("accepted");
    }
    while !matches!(run.next_event().expect("runs"), Event::Prompt(_)) {}
    run.into_state()
}

/// An answer to `statement` that passes all four checks.
pub const GOOD_STATEMENT: &str = ANSWERS[3];
