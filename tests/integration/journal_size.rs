//! The journal's size limits (docs/limits.md, "Journal size"): a journal past
//! `JOURNAL_COMPACT_BYTES` is compacted and still resumes and renders every
//! answer; a change past `JOURNAL_STATE_BYTES` is refused at the keyboard
//! and loses nothing said before it.

use crate::common::{READY, mend};
use mend::limits::{ANSWER_CHARS, JOURNAL_COMPACT_BYTES, JOURNAL_STATE_BYTES};
use std::path::{Path, PathBuf};

/// An answer of exactly `ANSWER_CHARS` characters that starts with `start`
/// (plain words, so Markdown escaping leaves it as typed).
fn longest(start: &str) -> String {
    let mut text = start.to_owned();
    while text.len() < ANSWER_CHARS {
        text.push_str(" and it keeps coming back to me");
    }
    text.truncate(ANSWER_CHARS);
    text.trim_end().to_owned()
}

/// The session folder's only journal, after checking nothing else (such as
/// a compaction's temp file) was left beside it or in the journals' temp
/// folder.
fn only_journal(data: &Path) -> PathBuf {
    let mut journals = Vec::new();
    for entry in std::fs::read_dir(data.join("sessions")).unwrap() {
        let path = entry.unwrap().path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl") => journals.push(path),
            Some("lock") => {}
            _ if path.file_name().is_some_and(|n| n == ".tmp") => {
                let left: Vec<_> = std::fs::read_dir(&path).unwrap().collect();
                assert!(left.is_empty(), "left in the temp folder: {left:?}");
            }
            // The marks of sessions that may wait to be resumed.
            _ if path.file_name().is_some_and(|n| n == ".waiting") => {}
            _ => panic!("unexpected file in the sessions folder: {}", path.display()),
        }
    }
    assert_eq!(journals.len(), 1, "{journals:?}");
    journals.remove(0)
}

/// Writes `name` into `dir`: an exercise with one speaker and these steps.
fn exercise(dir: &Path, name: &str, steps: &str) {
    let header = "title: Pasting\nsummary: Asks until a limit.\nminutes: 5\nversion: 1\nroles:\n  speaker: Speaks.\nsteps:\n";
    std::fs::write(dir.join(name), format!("{header}{steps}")).unwrap();
}

/// `count` answers of `ANSWER_CHARS` four-byte characters: 64,000 bytes
/// each to save.
fn pasted(count: usize) -> Vec<String> {
    (0..count)
        .map(|n| format!("paste {n:02} {}", "\u{1D11E}".repeat(ANSWER_CHARS - 9)))
        .collect()
}

fn session_id(data: &Path) -> String {
    only_journal(data)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn state_lines(journal: &Path) -> usize {
    std::fs::read_to_string(journal)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with(r#"{"t":"state""#))
        .count()
}

#[cfg(unix)]
fn assert_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", path.display());
}

#[cfg(not(unix))]
fn assert_private(_: &Path) {}

#[test]
fn a_journal_past_the_threshold_is_compacted_and_resumes_with_every_answer() {
    let data = tempfile::tempdir().unwrap();
    // Both rounds of i-statements taking the longest path ("no", then the
    // missed part, a second reflection and "partly", kept open), every
    // written answer as long as mend takes.
    let round = |speaker: &str, listener: &str| {
        vec![
            longest(&format!("{speaker} complaint")),
            longest(&format!("{speaker} lonely")),
            longest(&format!("I feel lonely, and I need {speaker} statement")),
            longest(&format!("What I heard is {listener} reflection")),
            "no".to_owned(),
            longest(&format!("{speaker} missed part")),
            longest(&format!("{listener} second reflection")),
            "partly".to_owned(),
        ]
    };
    // The written answers, as opposed to the choices ("no", "partly").
    let is_written = |answer: &String| answer.len() > 40;
    let mut answers = round("Alex", "Sam");
    // Alex, heard only partly, may still swap; Sam takes a turn as speaker.
    answers.push("swap".to_owned());
    answers.push("yes".to_owned());
    answers.extend(round("Sam", "Alex"));
    // Input ends at Alex's second reflection; the rest comes on resume,
    // with how each partner is leaving.
    let (given, rest) = answers.split_at(answers.len() - 2);
    let rest = [rest, &["settled".to_owned(), "settled".to_owned()]].concat();

    let output = mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin(&(given.join("\n") + "\n"))
        .run();
    assert!(
        output
            .stderr
            .contains("input ended while step `reflect_again` was waiting for Alex's answer"),
        "{}",
        output.stderr
    );
    let journal = only_journal(data.path());
    let id = session_id(data.path());
    // Every change wrote the whole state, all the answers so far: without
    // compaction the journal would hold at least this much.
    let long_so_far = given.iter().scan(0, |long, answer| {
        *long += usize::from(is_written(answer));
        Some(*long)
    });
    let written: usize = long_so_far.sum::<usize>() * ANSWER_CHARS;
    assert!(written > JOURNAL_COMPACT_BYTES);
    let size = std::fs::metadata(&journal).unwrap().len() as usize;
    assert!(
        size < JOURNAL_COMPACT_BYTES,
        "the journal is {size} bytes; {written} were written"
    );
    assert!(
        state_lines(&journal) < given.len(),
        "earlier states were dropped"
    );
    assert_private(&journal);

    let resumed = mend(&["resume", &id])
        .data(data.path())
        .stdin(&format!("{READY}{}\n", rest.join("\n")))
        .ok();
    assert!(
        resumed
            .stdout
            .contains("Alex, try once more: what did you hear this time?"),
        "{}",
        resumed.stdout
    );
    assert!(
        resumed.stdout.contains("Sam, did that get it?"),
        "{}",
        resumed.stdout
    );
    assert!(resumed.stdout.contains("That's the end of I-statements."));
    assert_private(&only_journal(data.path()));

    let notes = mend(&["notes", &id]).data(data.path()).ok().stdout;
    for answer in answers.iter().filter(|a| is_written(a)) {
        assert!(
            notes.contains(&format!("): {answer}\n")),
            "missing from the notes: {}...",
            &answer[..40]
        );
    }
}

#[test]
fn an_answer_past_the_state_limit_is_refused_and_nothing_earlier_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    exercise(
        dir.path(),
        "paste.yaml",
        "  - id: again\n    ask: Say it again.\n    by: speaker\n    goto: again\n    max_visits: 100\n",
    );
    let pasted = pasted(20);
    let fit = JOURNAL_STATE_BYTES / (4 * ANSWER_CHARS);
    let output = mend(&["run", "paste.yaml", "--partners", "Alex,Sam"])
        .dir(dir.path())
        .data(data.path())
        .stdin(&(pasted.join("\n") + "\n:quit\n"))
        .ok();
    let refusal = "That answer would make this exercise's record larger than mend can keep (1 MiB for one exercise), so it was not taken; everything you said before it is saved. A shorter answer may fit, or type :quit and go on in a new exercise.";
    let refused = output.stdout.matches(refusal).count();
    let kept = pasted.len() - refused;
    assert!(
        refused > 0 && kept + 1 >= fit && kept <= fit,
        "{refused} refused; about {fit} fit"
    );
    // Refused like an over-long answer: the same question, asked again.
    assert!(output.stdout.contains(&format!(
        "{refusal}\nAlex (speaker) · question {}\nSay it again.",
        kept + 1
    )));
    assert!(
        output.stdout.contains("Saved as session "),
        "{}",
        output.stdout
    );

    assert_private(&only_journal(data.path()));
    let id = session_id(data.path());
    let notes = mend(&["notes", &id]).data(data.path()).ok().stdout;
    for (n, answer) in pasted.iter().enumerate() {
        assert_eq!(
            notes.contains(&format!("): {answer}\n")),
            n < kept,
            "answer {n} of {kept} kept"
        );
    }
    // The session goes on from the same question.
    let resumed = mend(&["resume", &id])
        .dir(dir.path())
        .data(data.path())
        .stdin(&format!("{READY}a short one\n:quit\n"))
        .ok();
    assert!(
        resumed
            .stdout
            .contains(&format!("question {}\nSay it again.", kept + 1)),
        "{}",
        resumed.stdout
    );
    assert!(!resumed.stdout.contains(refusal), "{}", resumed.stdout);
}

#[test]
fn a_change_past_the_state_limit_that_is_no_answer_stops_with_everything_said_saved() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    // After the answers, a `set` step keeps 128 KiB more than still fits.
    exercise(
        dir.path(),
        "grow.yaml",
        "  - id: again
    ask: Say it again, or type enough.
    by: speaker
    max_visits: 100
  - id: more
    when: answers.again != \"enough\"
    goto: again
    max_visits: 100
  - id: grow
    set: |
      let s = \"x\";
      while s.len < 100000 { s += s; }
      vars.big = s;
",
    );
    let pasted = pasted(JOURNAL_STATE_BYTES / (4 * ANSWER_CHARS) - 1);
    let output = mend(&["run", "grow.yaml", "--partners", "Alex,Sam"])
        .dir(dir.path())
        .data(data.path())
        .stdin(&(pasted.join("\n") + "\nenough\n"))
        .run();
    assert_eq!(output.code, 1);
    assert!(
        output.stderr.contains(
            "more than the 1 MiB mend keeps for one exercise, so the last change was not saved; everything before it is"
        ),
        "{}",
        output.stderr
    );
    let id = session_id(data.path());
    let notes = mend(&["notes", &id]).data(data.path()).ok().stdout;
    for answer in pasted.iter().chain([&"enough".to_owned()]) {
        assert!(
            notes.contains(&format!("): {answer}\n")),
            "{}",
            &answer[..6]
        );
    }
}

#[test]
fn a_journal_holds_what_changed_so_it_grows_with_the_answers() {
    // A full i-statements run, both partners heard the first time, and how
    // each is leaving.
    let data = tempfile::tempdir().unwrap();
    let answers = [
        "We never eat together any more.",
        "lonely",
        "I feel lonely when we eat dinner with our phones out, because time together matters to me, and I need us to keep phones away at dinner.",
        "What I heard is that you feel lonely at dinner when the phones are out.",
        "yes",
        "yes",
        "I come home and nobody says hello.",
        "invisible",
        "I feel invisible when I come home and no one looks up, because I want to matter to you, and I need a hello.",
        "What I heard is that you want a real hello when you come home.",
        "1",
        "settled",
        "settled",
    ];
    mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin(&(answers.join("\n") + "\n"))
        .ok();
    let size = std::fs::metadata(only_journal(data.path())).unwrap().len();
    // The exercise's text and the shared word lists it reads are kept once
    // in the data folder, not copied into the journal (nor into the run's
    // state): what the journal holds grows with the answers (the test
    // above).
    assert!(size < 10_000, "a full i-statements journal is {size} bytes");
    let texts: Vec<_> = std::fs::read_dir(data.path().join("texts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    // The exercise's text and its word lists.
    assert_eq!(texts.len(), 2, "{texts:?}");

    // The same answer again and again: each costs the same few bytes, not
    // more as the exercise goes on.
    let dir = tempfile::tempdir().unwrap();
    exercise(
        dir.path(),
        "again.yaml",
        "  - id: again\n    ask: Say it again.\n    by: speaker\n    goto: again\n    max_visits: 100\n",
    );
    let size_after = |count: usize| {
        let data = tempfile::tempdir().unwrap();
        let said = vec!["the same words each time"; count].join("\n");
        mend(&["run", "again.yaml", "--partners", "Alex,Sam"])
            .dir(dir.path())
            .data(data.path())
            .stdin(&format!("{said}\n:quit\n"))
            .ok();
        std::fs::metadata(only_journal(data.path())).unwrap().len() as f64
    };
    let (s20, s60, s100) = (size_after(10), size_after(50), size_after(90));
    let early = (s60 - s20) / 40.0; // answers 10 to 50
    let late = (s100 - s60) / 40.0; // answers 50 to 90
    assert!(
        late < early * 1.1,
        "{early:.0} bytes per answer early on, {late:.0} later"
    );
}
