//! Random playthroughs: plays an exercise many times in-process with
//! generated answers (good ones, empty, very long, Unicode, ones that break
//! the check rules, `:back` and `:skip`) and choices biased toward the option
//! taken least so far, then reports which steps were never reached and which
//! runs did not finish. The same seed plays the same runs.

use crate::engine::error::RunError;
use crate::engine::event::{Event, Prompt, Reply};
use crate::engine::exercise::Exercise;
use crate::engine::ledger::LedgerView;
use crate::engine::run::Run;
use crate::frontend;
use crate::frontend::play::{Console, Input, Outcome, PlayError};
use crate::partners::DEFAULT_PARTNERS;
use crate::playtest::runner::clock;
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;
use std::{fmt, io};

/// A small, fast, well-mixed generator (splitmix64); determinism is all we
/// need from it.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// What the walk found for one exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: String,
    /// What to pass to `mend test` to replay: the id, or the file's path.
    pub target: String,
    pub seed: u64,
    pub runs: u64,
    pub finished: u64,
    /// Inputs typed across all runs, and how many of them were refused.
    pub inputs: u64,
    pub refused: u64,
    pub steps: usize,
    /// Ids of the steps no run reached, in file order.
    pub never_reached: Vec<String>,
    pub failures: Vec<Unfinished>,
}

/// A run that stopped before the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    /// 1-based: `--random <run> --seed <seed>` replays up to and including it.
    pub run: u64,
    pub reason: WhyUnfinished,
}

/// Why a random run did not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhyUnfinished {
    /// The exercise failed: the first line of its located error.
    Failed(String),
    /// Every generated input was refused at one step.
    Stuck { at: String, budget: usize },
}

impl fmt::Display for WhyUnfinished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WhyUnfinished::Failed(headline) => f.write_str(headline),
            WhyUnfinished::Stuck { at, budget } => write!(
                f,
                "still at step `{at}` after {budget} inputs; no generated answer got past it"
            ),
        }
    }
}

fn failed(error: RunError) -> WhyUnfinished {
    WhyUnfinished::Failed(error.diagnostic.headline())
}

const SHOWN_FAILURES: usize = 5;

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reached = self.steps - self.never_reached.len();
        writeln!(
            f,
            "{}: {} runs, {} finished, {reached} of {} steps reached, {} inputs ({} refused)",
            self.id, self.runs, self.finished, self.steps, self.inputs, self.refused
        )?;
        if !self.never_reached.is_empty() {
            writeln!(f, "  never reached: {}", self.never_reached.join(", "))?;
        }
        for failure in self.failures.iter().take(SHOWN_FAILURES) {
            writeln!(
                f,
                "  run {} did not finish: {}\n    replay: mend test --random {} --seed {} {}",
                failure.run, failure.reason, failure.run, self.seed, self.target
            )?;
        }
        if self.failures.len() > SHOWN_FAILURES {
            writeln!(
                f,
                "  and {} more runs that did not finish",
                self.failures.len() - SHOWN_FAILURES
            )?;
        }
        Ok(())
    }
}

/// A couple and the ledger they bring to a run.
pub type Couple = ([String; 2], LedgerView);

/// Runs are played in chunks of this many, each chunk from its own seed and
/// with its own tally of options taken, so a walk is the same for a seed
/// however many threads play it, and `--random N` replays the first N runs.
const CHUNK: u64 = 1000;

/// Plays `exercise` `runs` times from `seed`. Each run starts with an empty
/// ledger or, chosen at random, one of `couples` (the ledgers of the
/// exercise's test plans), so exercises that read the ledger are covered too.
/// Chunks of runs are shared out over the machine's cores; each thread
/// compiles its own copy of the exercise (scripts are not shareable across
/// threads), which costs far less than one chunk.
pub fn walk(exercise: &Exercise, runs: u64, seed: u64, couples: &[Couple]) -> Report {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    walk_on(exercise, runs, seed, couples, cores, CHUNK)
}

/// `walk` on `threads` threads, in chunks of `chunk` runs (tests use small
/// chunks: a chunk of the shipped exercises costs seconds in a debug build).
fn walk_on(
    exercise: &Exercise,
    runs: u64,
    seed: u64,
    couples: &[Couple],
    threads: usize,
    chunk_size: u64,
) -> Report {
    let chunks = runs.div_ceil(chunk_size);
    let threads = threads.min(usize::try_from(chunks).unwrap_or(usize::MAX));
    let mut parts: Vec<(u64, Part)> = if threads <= 1 {
        (0..chunks)
            .map(|c| (c, walk_chunk(exercise, c, runs, seed, couples, chunk_size)))
            .collect()
    } else {
        let source = exercise.source.clone();
        let id = exercise.id.clone();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    let (source, id) = (source.clone(), id.clone());
                    let vars = &exercise.vars;
                    scope.spawn(move || {
                        // The shared word lists are in its variables.
                        let words = crate::format::WordLists::played(vars);
                        let Some(copy) =
                            crate::format::compiler::compile(&id, source, &words).exercise
                        else {
                            return Vec::new();
                        };
                        (t as u64..chunks)
                            .step_by(threads)
                            .map(|c| (c, walk_chunk(&copy, c, runs, seed, couples, chunk_size)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_default())
                .collect()
        })
    };
    parts.sort_by_key(|(c, _)| *c);
    let mut reached = vec![false; exercise.steps.len()];
    let mut report = Report {
        id: exercise.id.clone(),
        target: exercise.id.clone(),
        seed,
        runs: parts.iter().map(|(_, p)| p.runs).sum(),
        finished: 0,
        inputs: 0,
        refused: 0,
        steps: exercise.steps.len(),
        never_reached: Vec::new(),
        failures: Vec::new(),
    };
    for (_, part) in parts {
        report.finished += part.finished;
        report.inputs += part.inputs;
        report.refused += part.refused;
        report.failures.extend(part.failures);
        for (all, this) in reached.iter_mut().zip(&part.reached) {
            *all |= this;
        }
    }
    report.never_reached = exercise
        .steps
        .iter()
        .zip(&reached)
        .filter(|(_, reached)| !**reached)
        .map(|(s, _)| s.id.clone())
        .collect();
    report
}

/// What one chunk of runs found.
#[derive(Default)]
struct Part {
    runs: u64,
    finished: u64,
    inputs: u64,
    refused: u64,
    reached: Vec<bool>,
    failures: Vec<Unfinished>,
}

/// Plays chunk `chunk` of a walk of `runs` runs. Chunk 0 uses `seed` itself,
/// so walks of up to one chunk are what they were before chunking.
fn walk_chunk(
    exercise: &Exercise,
    chunk: u64,
    runs: u64,
    seed: u64,
    couples: &[Couple],
    size: u64,
) -> Part {
    let chunk_seed = match chunk {
        0 => seed,
        c => SplitMix::new(seed ^ c.wrapping_mul(0x9e37_79b9_7f4a_7c15)).next_u64(),
    };
    let mut walker = Walker::new(exercise, couples, chunk_seed);
    let first = chunk * size + 1;
    let last = runs.min(first + size - 1);
    let mut part = Part::default();
    for run in first..=last {
        part.runs += 1;
        match walker.play() {
            Ok(()) => part.finished += 1,
            Err(reason) => part.failures.push(Unfinished { run, reason }),
        }
    }
    part.inputs = walker.inputs;
    part.refused = walker.refused;
    part.reached = walker.reached;
    part
}

impl<'e> Walker<'e> {
    fn new(exercise: &'e Exercise, couples: &'e [Couple], seed: u64) -> Self {
        Walker {
            exercise,
            couples,
            rng: SplitMix::new(seed),
            taken: HashMap::new(),
            reached: vec![false; exercise.steps.len()],
            inputs: 0,
            refused: 0,
        }
    }
}

struct Walker<'e> {
    exercise: &'e Exercise,
    couples: &'e [Couple],
    rng: SplitMix,
    /// How often each option of each choose step was taken, across runs,
    /// by step id and option number.
    taken: HashMap<String, Vec<u64>>,
    reached: Vec<bool>,
    inputs: u64,
    refused: u64,
}

/// Answers that start from the speaker's side and name a feeling and a
/// need, so they pass the usual check rules.
const GOOD: [&str; 4] = [
    "I feel lonely when we eat with our phones out, because time together matters to me, and I need us to put them away.",
    "I felt hurt and worried last night when plans changed without a word, and I would like a message next time.",
    "I'm tired and a bit scared. Could we talk on Sunday morning?",
    "What I heard is that you felt alone when I was on my phone at dinner.",
];
/// Everything the walker tries on a question that keeps refusing.
const SENSIBLE: [&str; 10] = [
    GOOD[0],
    GOOD[1],
    GOOD[2],
    GOOD[3],
    "by Friday",
    "in 2 weeks",
    "tomorrow",
    "2026-12-01",
    "yes",
    "I will call you every evening at 7, starting tomorrow.",
];
/// Timings as people say them: open words, habits, a date that could be
/// two days, calendar forms and a day long past, so `date:` questions and
/// records meet each kind.
const TIMINGS: [&str; 8] = [
    "when I feel ready",
    "after our next therapy session",
    "every evening",
    "starting Monday",
    "in a fortnight",
    "Dec 15",
    "03/04/2027",
    "2020-01-01",
];
/// Answers the usual check rules refuse or nudge.
const BREAKING: [&str; 4] = [
    "You always ignore me.",
    "you never listen and every time you do this",
    "whatever",
    "Fine.",
];
const UNICODE: [&str; 5] = [
    "Je me sens blessée quand tu pars sans un mot 💔",
    "Я чувствую одиночество, когда мы молчим",
    "אני מרגיש בודד כשאנחנו לא מדברים",
    "e\u{301}\u{301}\u{301} zero\u{200b}width \u{1b}[2J\u{7}",
    "😀😃😄 😢 🫶🏽",
];
const WORDS: [&str; 12] = [
    "yes", "no", "maybe", "I", "feel", "need", "hurt", "when", "because", "always", "2", "partly",
];

impl<'e> Walker<'e> {
    fn play(&mut self) -> Result<(), WhyUnfinished> {
        self.play_by(Loop::Own).0
    }

    /// One run, by the walker's own loop or the front-ends' play loop;
    /// the outcome and the run as it ended.
    fn play_by(&mut self, by: Loop) -> (Result<(), WhyUnfinished>, Run<'e>) {
        // Drawing only when there are ledgers keeps every other exercise's
        // walk the same for a seed.
        let couple = match self.couples.len() {
            0 => None,
            n => self
                .rng
                .below(n + 1)
                .checked_sub(1)
                .map(|i| &self.couples[i]),
        };
        let mut run = match couple {
            Some((partners, ledger)) => {
                Run::start(self.exercise, partners.clone()).with_ledger(ledger.clone())
            }
            None => Run::start(self.exercise, DEFAULT_PARTNERS.map(str::to_owned)),
        };
        run.track_steps();
        if self.rng.below(4) == 0 {
            run.swap_roles();
        }
        let result = match by {
            Loop::Own => self.drive(&mut run),
            Loop::Shared => self.drive_through_play_loop(&mut run),
        };
        for (reached, entered) in self.reached.iter_mut().zip(run.entered().unwrap_or(&[])) {
            *reached |= entered;
        }
        (result, run)
    }

    fn budget(&self) -> usize {
        40 * self.exercise.question_count() + 100
    }

    /// `drive`, with the same inputs typed into `frontend::play::play`.
    fn drive_through_play_loop(&mut self, run: &mut Run) -> Result<(), WhyUnfinished> {
        let budget = self.budget();
        let refused = Cell::new(0);
        let mut console = Typist {
            walker: self,
            refused: &refused,
            left: budget,
        };
        let played = frontend::play::play(
            run,
            &mut console,
            &clock,
            &mut |_: &crate::engine::run::Run| {
                // Saved after an accepted answer or a step back.
                refused.set(0);
                Ok(())
            },
        );
        match played {
            Ok(Outcome::Finished) => notes_render(run),
            Ok(_) => Err(WhyUnfinished::Stuck {
                at: run.state().cursor.at.clone().unwrap_or_default(),
                budget,
            }),
            Err(PlayError::Run(e)) => Err(failed(e)),
            Err(other) => Err(WhyUnfinished::Failed(other.to_string())),
        }
    }

    fn drive(&mut self, run: &mut Run) -> Result<(), WhyUnfinished> {
        let budget = self.budget();
        let mut refused = 0;
        // A refused answer leaves the same question waiting; asking the
        // engine for it again would only render it again.
        let mut waiting: Option<Arc<Prompt>> = None;
        for _ in 0..budget {
            let prompt = match waiting.take() {
                Some(prompt) => prompt,
                None => loop {
                    let event = run.next_event().map_err(failed)?;
                    // A text that could not be rendered goes on in a session,
                    // but a playthrough reports it.
                    if let Some(problem) = run.take_problems().into_iter().next() {
                        return Err(failed(problem));
                    }
                    match event {
                        Event::Say { .. } => {}
                        Event::Prompt(prompt) => break prompt,
                        Event::Finished => return notes_render(run),
                    }
                },
            };
            let input = self.input(&prompt, refused);
            self.inputs += 1;
            let reply = match input.as_str() {
                ":back" => {
                    run.back();
                    refused = 0;
                    continue;
                }
                ":skip" => run.skip(clock()),
                text => run.answer(text, clock()),
            };
            match reply.map_err(failed)? {
                Reply::Accepted => refused = 0,
                Reply::Retry { .. } => {
                    refused += 1;
                    self.refused += 1;
                    waiting = Some(prompt);
                }
            }
        }
        let at = run.state().cursor.at.clone().unwrap_or_default();
        Err(WhyUnfinished::Stuck { at, budget })
    }

    fn input(&mut self, prompt: &Prompt, refused: usize) -> String {
        if !prompt.options.is_empty() {
            return self.choice(prompt);
        }
        // After a few refusals, go through the sensible answers in turn so
        // the run can go on past any rule a reasonable answer passes.
        if refused >= 3 {
            let n = refused - 3;
            return match (&prompt.example, n) {
                (Some(example), 0) => example.clone(),
                _ => SENSIBLE[n % SENSIBLE.len()].to_owned(),
            };
        }
        let rng = &mut self.rng;
        match rng.below(100) {
            0..=34 => rng.pick(&GOOD).to_owned(),
            35..=37 => rng.pick(&SENSIBLE[4..]).to_owned(),
            38..=39 => rng.pick(&TIMINGS).to_owned(),
            40..=49 => prompt.example.clone().unwrap_or_default(),
            50..=59 => String::new(),
            60..=64 => "I feel ".repeat(if rng.below(2) == 0 { 300 } else { 3000 }),
            65..=74 => rng.pick(&UNICODE).to_owned(),
            75..=84 => rng.pick(&BREAKING).to_owned(),
            85..=87 => ":back".to_owned(),
            88..=90 => ":skip".to_owned(),
            _ => (0..1 + rng.below(8))
                .map(|_| rng.pick(&WORDS))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// The option taken least so far (ties broken at random), or now and
    /// then something that is not an option at all.
    fn choice(&mut self, prompt: &Prompt) -> String {
        match self.rng.below(20) {
            0 => return ["", "0", "99", "maybe", ":skip"][self.rng.below(5)].to_owned(),
            1 => return ":back".to_owned(),
            _ => {}
        }
        let taken = match self.taken.get_mut(prompt.step.as_str()) {
            Some(taken) => taken,
            None => self.taken.entry(prompt.step.clone()).or_default(),
        };
        taken.resize(taken.len().max(prompt.options.len()), 0);
        let counts = &taken[..prompt.options.len()];
        let least = counts.iter().copied().min().unwrap_or(0);
        let candidates: Vec<usize> = (0..counts.len()).filter(|&n| counts[n] == least).collect();
        let n = candidates[self.rng.below(candidates.len())];
        taken[n] += 1;
        // Type the number, the key or the label, as partners do.
        match self.rng.below(3) {
            0 => (n + 1).to_string(),
            1 => prompt.options[n].0.clone(),
            _ => prompt.options[n].1.clone(),
        }
    }
}

/// Which loop plays a walker's runs. The walker keeps its own: it plays
/// thousands of runs per exercise and shows nothing, and the benchmark
/// `walker_runs` measures what the front-ends' loop would cost it
/// (docs/performance.md). `walks_agree_by_either_loop` keeps the two in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loop {
    Own,
    Shared,
}

/// Plays `runs` runs from `seed` by `by` on one thread; how many finished.
/// For the benchmark that compares the two loops.
pub fn finished_runs(exercise: &Exercise, runs: u64, seed: u64, by: Loop) -> u64 {
    let mut walker = Walker::new(exercise, &[], seed);
    (0..runs).filter(|_| walker.play_by(by).0.is_ok()).count() as u64
}

/// The walker's inputs, typed into the front-ends' play loop.
struct Typist<'w, 'e> {
    walker: &'w mut Walker<'e>,
    /// Refusals of the waiting question in a row.
    refused: &'w Cell<usize>,
    /// Inputs left before the run counts as stuck.
    left: usize,
}

impl Console for Typist<'_, '_> {
    fn say(&mut self, _text: &str) -> io::Result<()> {
        Ok(())
    }

    fn handoff(&mut self, _to: &Prompt) -> io::Result<()> {
        Ok(())
    }

    fn question(&mut self, _prompt: &Prompt) -> io::Result<()> {
        Ok(())
    }

    fn hint(&mut self, _text: &str) -> io::Result<()> {
        self.refused.set(self.refused.get() + 1);
        self.walker.refused += 1;
        Ok(())
    }

    fn info(&mut self, _text: &str) -> io::Result<()> {
        Ok(())
    }

    fn read(&mut self, prompt: &Prompt, _prefill: &str) -> io::Result<Input> {
        if self.left == 0 {
            return Ok(Input::End);
        }
        self.left -= 1;
        let input = self.walker.input(prompt, self.refused.get());
        self.walker.inputs += 1;
        if input == ":back" {
            self.refused.set(0);
        }
        Ok(Input::Line(input))
    }

    fn ask(&mut self, _question: &str, _choices: &[String]) -> io::Result<Input> {
        Ok(Input::End)
    }
}

/// A finished run's notes fragment, rendered as `mend notes` would: one
/// that fails on the path walked is the walk's failure.
fn notes_render(run: &Run) -> Result<(), WhyUnfinished> {
    run.notes().map(drop).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small chunks, so a walk of several chunks stays cheap in a debug
    /// build; chunking works the same at any size.
    const TEST_CHUNK: u64 = 20;

    fn i_statements() -> Exercise {
        let text = include_str!("../../exercises/i-statements.yaml");
        let source = crate::diagnostic::source::Source::new("i-statements.yaml", text);
        crate::format::Library::embedded()
            .compile("i-statements", source)
            .exercise
            .expect("the shipped exercise compiles")
    }

    #[test]
    fn a_walk_is_the_same_on_one_thread_or_two() {
        let exercise = i_statements();
        let one = walk_on(&exercise, TEST_CHUNK + 7, 11, &[], 1, TEST_CHUNK);
        let two = walk_on(&exercise, TEST_CHUNK + 7, 11, &[], 2, TEST_CHUNK);
        assert_eq!(one, two);
        assert_eq!(one.runs, TEST_CHUNK + 7);
    }

    #[test]
    fn the_first_runs_of_a_long_walk_are_a_short_walk() {
        let exercise = i_statements();
        let short = walk_on(&exercise, 15, 3, &[], 1, TEST_CHUNK);
        let long = walk_on(&exercise, TEST_CHUNK + 15, 3, &[], 2, TEST_CHUNK);
        assert!(long.inputs > short.inputs);
        let replayed = walk_on(&exercise, 15, 3, &[], 2, TEST_CHUNK);
        assert_eq!(short, replayed);
    }

    #[test]
    fn splitmix_is_deterministic_and_spread() {
        let mut a = SplitMix::new(7);
        let mut b = SplitMix::new(7);
        let first: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        assert_eq!(first, (0..4).map(|_| b.next_u64()).collect::<Vec<_>>());
        let mut counts = [0; 4];
        for _ in 0..4000 {
            counts[a.below(4)] += 1;
        }
        assert!(counts.iter().all(|&c| c > 800), "{counts:?}");
    }

    /// The walker's own loop and the front-ends' play loop, given the same
    /// inputs, end every run the same way, in the same state.
    #[test]
    fn walks_agree_by_either_loop() {
        let files = [
            (
                "i-statements",
                include_str!("../../exercises/i-statements.yaml"),
            ),
            (
                "apology-ritual",
                include_str!("../../exercises/apology-ritual.yaml"),
            ),
            (
                "check-in-weekly",
                include_str!("../../exercises/check-in-weekly.yaml"),
            ),
        ];
        for (id, text) in files {
            let source = crate::diagnostic::source::Source::new(format!("{id}.yaml"), text);
            let exercise = crate::format::Library::embedded()
                .compile(id, source)
                .exercise
                .expect("the shipped exercise compiles");
            for seed in 0..4 {
                let mut own = Walker::new(&exercise, &[], seed);
                let mut shared = Walker::new(&exercise, &[], seed);
                for n in 0..25 {
                    let (a, run_a) = own.play_by(Loop::Own);
                    let (b, run_b) = shared.play_by(Loop::Shared);
                    assert_eq!(a, b, "{id} seed {seed} run {n}");
                    assert_eq!(run_a.state(), run_b.state(), "{id} seed {seed} run {n}");
                }
                assert_eq!(own.inputs, shared.inputs, "{id} seed {seed}");
                assert_eq!(own.refused, shared.refused, "{id} seed {seed}");
                assert_eq!(own.reached, shared.reached, "{id} seed {seed}");
            }
        }
    }
}
