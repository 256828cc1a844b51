//! The fast paths (check rules, conditions and templates in their common
//! shape, evaluated without rhai or minijinja) must never change what a
//! couple sees: every exercise is played twice, once with them and once with
//! `with_slow_paths_only`, and every event, reply, error, the notes and the
//! final state must be the same. Here on the shipped exercises and one
//! written to sit on the edges; `properties.rs` does it on generated
//! expressions, templates and answers.

use chrono::{DateTime, Utc};
use mend::engine::RunState;
use mend::script::with_slow_paths_only;
use mend::{Event, Exercise, Reply, Run, Source, compile};

/// What one playthrough showed: events and replies as text, the notes, the
/// final state.
pub type Played = (Vec<String>, Result<Option<String>, String>, RunState);

/// Plays `exercise` with answers drawn in turn from `answers` (an option
/// number where options are asked for), starting at `seed`.
fn play(exercise: &Exercise, answers: &[&str], seed: usize) -> Played {
    let mut run = Run::start(exercise, ["Alex".into(), "Sam".into()]);
    let mut seen = Vec::new();
    for n in seed..seed + 400 {
        let event = match run.next_event() {
            Ok(event) => event,
            Err(e) => {
                seen.push(format!("error {e}"));
                break;
            }
        };
        seen.push(format!("{event:?}"));
        let Event::Prompt(prompt) = event else {
            if matches!(event, Event::Finished) {
                break;
            }
            continue;
        };
        let answer = if prompt.options.is_empty() {
            answers[n * 7 % answers.len()].to_owned()
        } else {
            (1 + n * 5 % prompt.options.len()).to_string()
        };
        let reply = run.answer(&answer, DateTime::<Utc>::UNIX_EPOCH);
        seen.push(match reply {
            Ok(Reply::Accepted) => "accepted".to_owned(),
            Ok(Reply::Retry { hint, check }) => format!("retry {check:?} {hint}"),
            Err(e) => format!("error {e}"),
        });
    }
    (
        seen,
        run.notes().map_err(|e| e.to_string()),
        run.into_state(),
    )
}

/// The exercise played with the fast paths, and without.
pub fn both_ways(exercise: &Exercise, answers: &[&str], seed: usize) -> (Played, Played) {
    let fast = play(exercise, answers, seed);
    let slow = with_slow_paths_only(|| play(exercise, answers, seed));
    (fast, slow)
}

fn both_ways_agree(file: &str, text: &str, answers: &[&str], seed: usize) {
    let exercise = compile(
        file,
        Source::new(file, text),
        &crate::common::library_words(),
    )
    .exercise
    .unwrap_or_else(|| panic!("{file} compiles"));
    let (fast, slow) = both_ways(&exercise, answers, seed);
    assert_eq!(fast.0, slow.0, "{file} (seed {seed}): events differ");
    assert_eq!(fast.1, slow.1, "{file} (seed {seed}): notes differ");
    assert_eq!(fast.2, slow.2, "{file} (seed {seed}): states differ");
}

const ANSWERS: [&str; 9] = [
    "You never listen to me",
    "lonely",
    "I feel lonely when we eat with phones out, because time together matters, and I need phones away at dinner.",
    "What I heard is you feel lonely at dinner",
    "I will put my phone away by Friday",
    "in 2 weeks",
    "no",
    "I’M HURT, but I'd like us to talk for ten minutes",
    "",
];

#[test]
fn fast_paths_agree_with_rhai_and_minijinja_on_every_shipped_exercise() {
    let dir = crate::common::repo().join("exercises");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| mend::format::exercise_id(p).is_some())
        .collect();
    files.sort();
    assert!(files.len() >= 14);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for seed in 0..6 {
            both_ways_agree(&path.to_string_lossy(), &text, &ANSWERS, seed);
        }
    }
}

#[test]
fn fast_paths_agree_at_their_edges() {
    let text = include_str!("../exercises/fast-path-edges.yaml");
    for seed in 0..12 {
        both_ways_agree("fast-path-edges.yaml", text, &ANSWERS, seed);
    }
}

/// The switch is what the comparison rests on: with it, a fast path's
/// result is never used, so a difference would show.
#[test]
fn the_switch_turns_the_fast_paths_off_on_this_thread_only() {
    use mend::script::fast_paths_on;
    assert!(fast_paths_on());
    with_slow_paths_only(|| {
        assert!(!fast_paths_on());
        let other = std::thread::spawn(fast_paths_on).join().unwrap();
        assert!(other, "another thread keeps its fast paths");
    });
    assert!(fast_paths_on());
}
