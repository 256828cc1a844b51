//! The exercise texts sessions were played with, kept once in the data
//! folder (`texts/<sha256>.yaml`) and named by journals: a resumed session
//! replays on the saved text, a missing or changed one is an error that
//! says so, older journals that hold their text still read, and export,
//! import and erase carry or remove them.

use crate::common::{READY, mend, repo};
use std::path::{Path, PathBuf};

const FIRST_TWO: &str = "You never listen to me\nlonely\n";
const REST: &str = "\
I feel lonely when we eat with phones out, because time together matters, and I need phones away at dinner.
What I heard is you feel lonely at dinner
yes
yes
I am tired of doing all the dishes
tired
I feel tired when I do the dishes alone after work, and I need us to share them.
What I heard is you are tired
1
settled
settled
";

/// i-statements copied to `dir/talk.yaml`, changed by `edit`.
fn talk(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let path = dir.join("talk.yaml");
    let text = std::fs::read_to_string(repo().join("exercises/i-statements.yaml")).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    path
}

/// Plays the first two answers of `exercise` for `partners`, then stops.
fn paused(data: &Path, exercise: &str, partners: &str) {
    let output = mend(&["run", exercise, "--partners", partners])
        .data(data)
        .stdin(FIRST_TWO)
        .run();
    assert_eq!(output.code, 1, "{output:?}");
}

fn journals(data: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(data.join("sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    found.sort();
    found
}

/// The kept exercise texts, by file name.
fn texts(data: &Path) -> Vec<PathBuf> {
    kept(data)
        .into_iter()
        .filter(|p| !is_word_lists(p))
        .collect()
}

/// The kept shared word lists (a JSON map of list names to phrases), kept
/// beside the texts for the exercises that read them.
fn word_lists(data: &Path) -> Vec<PathBuf> {
    kept(data)
        .into_iter()
        .filter(|p| is_word_lists(p))
        .collect()
}

fn is_word_lists(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.starts_with('{'))
}

fn kept(data: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data.join("texts")) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    found.sort();
    found
}

fn only_text(data: &Path) -> PathBuf {
    let found = texts(data);
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

#[test]
fn a_journal_names_the_text_kept_once_and_private_for_every_session_of_it() {
    let data = tempfile::tempdir().unwrap();
    paused(data.path(), "i-statements", "Alex,Sam");
    paused(data.path(), "i-statements", "Kim,Lee");
    let text = only_text(data.path());
    let kept = std::fs::read_to_string(&text).unwrap();
    assert_eq!(
        kept,
        std::fs::read_to_string(repo().join("exercises/i-statements.yaml")).unwrap()
    );
    let key = text.file_stem().unwrap().to_str().unwrap().to_owned();
    assert_eq!(key.len(), 64);
    // The shared word lists it reads, kept once too, and not in the
    // journal: its first state holds no variable the run did not set.
    let lists = word_lists(data.path());
    assert_eq!(lists.len(), 1, "{lists:?}");
    let lists_key = lists[0].file_stem().unwrap().to_str().unwrap().to_owned();
    let kept_lists = std::fs::read_to_string(&lists[0]).unwrap();
    assert!(kept_lists.contains("\"contempt_words\": ["), "{kept_lists}");
    for journal in journals(data.path()) {
        let journal = std::fs::read_to_string(journal).unwrap();
        assert!(
            journal.contains(&format!("\"text_sha256\":\"{key}\"")),
            "{journal}"
        );
        assert!(
            journal.contains(&format!("\"words_sha256\":\"{lists_key}\"")),
            "{journal}"
        );
        assert!(!journal.contains("you're paranoid"), "a list was copied");
        assert!(!journal.contains("steps:"), "the text was copied again");
        assert!(
            journal.starts_with("{\"t\":\"start\",\"v\":3,"),
            "{journal}"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data.path().join("texts")), 0o700);
        assert_eq!(mode(&text), 0o600);
        for lists in word_lists(data.path()) {
            assert_eq!(mode(&lists), 0o600);
        }
    }
}

#[test]
fn an_edited_file_resumes_from_the_saved_text() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let file = talk(work.path(), |t| t);
    paused(&data, file.to_str().unwrap(), "Alex,Sam");
    // The step waiting is gone from the file: only the saved text says
    // where the answers were given.
    talk(work.path(), |t| {
        let start = t.find("      - id: statement").unwrap();
        let end = t.find("      - id: reflect").unwrap();
        // What is kept open quotes the statement; without it, the complaint.
        format!("{}{}", &t[..start], &t[end..])
            .replace("version: 2", "version: 3")
            .replace("answers.statement", "answers.complaint")
            .replace(
                "private_with: [complaint, statement]",
                "private_with: [complaint]",
            )
    });
    let rest = REST.split_once('\n').unwrap().1.replace(
        "I feel tired when I do the dishes alone after work, and I need us to share them.\n",
        "",
    );
    let resumed = mend(&["resume"])
        .data(&data)
        .stdin(&format!("{READY}{rest}"))
        .ok();
    assert!(
        resumed
            .stdout
            .contains("step `statement` is no longer in it; continuing at `reflect`"),
        "{}",
        resumed.stdout
    );
    // Both texts are kept: the journal names each.
    assert_eq!(texts(&data).len(), 2);
}

#[test]
fn a_missing_saved_text_is_a_clear_error_when_it_is_needed() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let file = talk(work.path(), |t| t);
    paused(&data, file.to_str().unwrap(), "Alex,Sam");
    let text = only_text(&data);
    std::fs::remove_file(&text).unwrap();

    // The file as it was: the saved copy is not needed to go on.
    let listed = mend(&["sessions"]).data(&data).ok();
    assert!(
        listed.stdout.contains(&format!(
            "(the copy of exercise `talk` saved when the session began (`{}`) is missing; mend will not guess at what the exercise said.",
            text.display()
        )),
        "{}",
        listed.stdout
    );
    // Edited: the saved answers cannot be fitted without it.
    talk(work.path(), |t| t.replace("Welcome, {{", "Hello, {{"));
    let resumed = mend(&["resume"])
        .data(&data)
        .stdin(&format!("{READY}{REST}"))
        .run();
    assert_eq!(resumed.code, 1, "{resumed:?}");
    let id = journals(&data)[0]
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert_eq!(
        resumed.stderr,
        format!(
            "error: session {id} cannot be resumed: the copy of exercise `talk` saved when the session began (`{}`) is missing; mend will not guess at what the exercise said. Put back the file from a backup, or start the exercise again\n",
            text.display()
        )
    );
    assert!(!resumed.stderr.contains("panicked"));
    // The notes still show every answer, and say what is missing.
    let notes = mend(&["notes"]).data(&data).ok();
    assert!(notes.stdout.contains("You never listen to me"), "{notes:?}");
    assert!(
        notes
            .stderr
            .starts_with("note: the copy of exercise `talk` saved when the session began"),
        "{notes:?}"
    );
}

#[test]
fn a_missing_saved_text_is_put_back_from_an_unchanged_file_on_resume() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let file = talk(work.path(), |t| t);
    paused(&data, file.to_str().unwrap(), "Alex,Sam");
    let text = only_text(&data);
    let kept = std::fs::read(&text).unwrap();
    std::fs::remove_file(&text).unwrap();
    let resumed = mend(&["resume"])
        .data(&data)
        .stdin(&format!("{READY}{REST}"))
        .ok();
    assert!(resumed.stdout.contains("Thank you both."), "{resumed:?}");
    assert_eq!(std::fs::read(&text).unwrap(), kept);
    let notes = mend(&["notes"]).data(&data).ok();
    assert_eq!(notes.stderr, "");
}

#[test]
fn a_changed_saved_text_is_refused_not_replayed() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let file = talk(work.path(), |t| t);
    paused(&data, file.to_str().unwrap(), "Alex,Sam");
    let text = only_text(&data);
    let kept = std::fs::read_to_string(&text).unwrap();
    std::fs::write(&text, kept.replace("hard lately", "easy lately")).unwrap();
    // The file is gone: only the saved copy could be played, and it is not
    // what was saved.
    std::fs::remove_file(&file).unwrap();
    let resumed = mend(&["resume"])
        .data(&data)
        .stdin(&format!("{READY}{REST}"))
        .run();
    assert_eq!(resumed.code, 1, "{resumed:?}");
    assert!(
        resumed.stderr.contains(&format!(
            "the copy of exercise `talk` saved when the session began (`{}`) was changed since it was saved (its SHA-256 no longer matches its name)",
            text.display()
        )),
        "{resumed:?}"
    );
    assert!(!resumed.stdout.contains("easy lately"), "{resumed:?}");
}

#[test]
fn a_journal_naming_a_text_outside_the_texts_folder_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let file = talk(work.path(), |t| t);
    paused(&data, file.to_str().unwrap(), "Alex,Sam");
    std::fs::remove_file(&file).unwrap();
    let journal = &journals(&data)[0];
    let text = std::fs::read_to_string(journal).unwrap();
    let key = only_text(&data)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    std::fs::write(journal, text.replace(&key, "../../../etc/passwd")).unwrap();
    let resumed = mend(&["resume"]).data(&data).stdin(READY).run();
    assert_eq!(resumed.code, 1, "{resumed:?}");
    assert!(
        resumed.stderr.contains(
            "the journal names the saved copy of exercise `talk` as `../../../etc/passwd`, which is not a SHA-256; the journal was changed by hand"
        ),
        "{resumed:?}"
    );
}

#[test]
fn a_journal_that_holds_its_text_as_before_still_resumes_and_renders() {
    let data = tempfile::tempdir().unwrap();
    paused(data.path(), "i-statements", "Alex,Sam");
    let text = only_text(data.path());
    let kept = std::fs::read_to_string(&text).unwrap();
    let key = text.file_stem().unwrap().to_string_lossy().into_owned();
    // Written back as mend wrote it before version 3: the text inline.
    let journal = &journals(data.path())[0];
    let old = std::fs::read_to_string(journal)
        .unwrap()
        .replace("\"v\":3,", "\"v\":2,")
        .replace(
            &format!("\"text_sha256\":\"{key}\""),
            &format!("\"text\":{}", serde_json::to_string(&kept).unwrap()),
        );
    std::fs::write(journal, old).unwrap();
    std::fs::remove_dir_all(data.path().join("texts")).unwrap();

    let notes = mend(&["notes"]).data(data.path()).ok();
    assert!(notes.stdout.contains("You never listen to me"), "{notes:?}");
    assert_eq!(notes.stderr, "");
    let resumed = mend(&["resume"])
        .data(data.path())
        .stdin(&format!("{READY}{REST}"))
        .ok();
    assert!(resumed.stdout.contains("Thank you both."), "{resumed:?}");
}

#[test]
fn a_journal_from_a_newer_mend_is_refused_clearly() {
    let data = tempfile::tempdir().unwrap();
    paused(data.path(), "i-statements", "Alex,Sam");
    let journal = &journals(data.path())[0];
    let id = journal.file_stem().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(journal).unwrap();
    std::fs::write(journal, text.replace("\"v\":3,", "\"v\":99,")).unwrap();
    let resumed = mend(&["resume", &id]).data(data.path()).run();
    assert_eq!(resumed.code, 1);
    assert_eq!(
        resumed.stderr,
        format!(
            "error: session {id} was written by a newer mend (journal version 99); update mend to read it\n"
        )
    );
}

#[test]
fn export_and_import_carry_the_texts_and_a_changed_one_stops_the_import() {
    let work = tempfile::tempdir().unwrap();
    let here = work.path().join("here");
    let file = talk(work.path(), |t| t);
    paused(&here, file.to_str().unwrap(), "Alex,Sam");
    std::fs::remove_file(&file).unwrap();
    let archive = work.path().join("alex-sam.json");
    mend(&[
        "export",
        "--partners",
        "Alex,Sam",
        "-o",
        archive.to_str().unwrap(),
    ])
    .data(&here)
    .ok();
    let written = std::fs::read_to_string(&archive).unwrap();
    assert!(written.contains("\"mend_archive\": 2"), "{written}");

    // Another machine: the file is not there, only the archive's copy.
    let there = work.path().join("there");
    mend(&["import", archive.to_str().unwrap()])
        .data(&there)
        .ok();
    assert_eq!(
        std::fs::read(only_text(&there)).unwrap(),
        std::fs::read(only_text(&here)).unwrap()
    );
    let resumed = mend(&["resume"])
        .data(&there)
        .stdin(&format!("{READY}{REST}"))
        .ok();
    assert!(resumed.stdout.contains("Thank you both."), "{resumed:?}");

    // A text changed in the archive is refused before anything is written.
    let elsewhere = work.path().join("elsewhere");
    let changed = written.replace("hard lately", "easy lately");
    assert_ne!(changed, written);
    std::fs::write(&archive, changed).unwrap();
    let refused = mend(&["import", archive.to_str().unwrap()])
        .data(&elsewhere)
        .run();
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused
            .stderr
            .contains("an exercise text in the archive does not match its SHA-256"),
        "{refused:?}"
    );
    assert!(!elsewhere.join("sessions").exists() || journals(&elsewhere).is_empty());
}

#[test]
fn erase_removes_a_couples_texts_unless_another_couples_journal_names_them() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    // Both couples play i-statements; only Alex and Sam play their own copy.
    paused(&data, "i-statements", "Alex,Sam");
    paused(&data, "i-statements", "Kim,Lee");
    let file = talk(work.path(), |t| t.replace("Welcome, {{", "Hello, {{"));
    paused(&data, file.to_str().unwrap(), "Alex,Sam");
    let before = texts(&data);
    assert_eq!(before.len(), 2);
    let library = data
        .join("texts")
        .join(format!("{}.yaml", journal_key(&data, "Kim")));
    assert!(before.contains(&library));

    mend(&["erase", "--partners", "Alex,Sam", "--yes"])
        .data(&data)
        .ok();
    // Theirs alone is gone; the one Kim and Lee's journal names stays.
    assert_eq!(texts(&data), vec![library.clone()]);
    let resumed = mend(&["resume"])
        .data(&data)
        .stdin(&format!("{READY}{REST}"))
        .ok();
    assert!(resumed.stdout.contains("Thank you both."), "{resumed:?}");

    assert_eq!(word_lists(&data).len(), 1);
    mend(&["erase", "--partners", "Kim,Lee", "--yes"])
        .data(&data)
        .ok();
    assert_eq!(texts(&data), Vec::<PathBuf>::new());
    assert_eq!(word_lists(&data), Vec::<PathBuf>::new());
}

/// The text key of the journal of the couple with `partner` in it.
fn journal_key(data: &Path, partner: &str) -> String {
    let journal = journals(data)
        .into_iter()
        .map(|j| std::fs::read_to_string(j).unwrap())
        .find(|j| j.contains(&format!("\"{partner}\"")))
        .unwrap();
    let at = journal.find("\"text_sha256\":\"").unwrap() + 15;
    journal[at..at + 64].to_owned()
}

#[test]
fn temp_files_left_in_the_journals_temp_folder_are_removed_at_the_next_start() {
    let data = tempfile::tempdir().unwrap();
    paused(data.path(), "i-statements", "Alex,Sam");
    // The first start after a session made the temp folder.
    mend(&["sessions"]).data(data.path()).ok();
    let temps = data.path().join("sessions/.tmp");
    assert!(temps.is_dir());
    let journal = &journals(data.path())[0];
    let name = journal.file_name().unwrap().to_str().unwrap();
    let left = temps.join(format!(".{name}.Xq3vL9aB.mend-tmp"));
    std::fs::write(&left, "a copy of answers").unwrap();
    // And a text half-written when a crash came.
    let text = only_text(data.path());
    let text_name = text.file_name().unwrap().to_str().unwrap();
    let half = text.with_file_name(format!(".{text_name}.Zr8wQ2cD.mend-tmp"));
    std::fs::write(&half, "title: I-st").unwrap();
    mend(&["sessions"]).data(data.path()).ok();
    assert!(!left.exists());
    assert!(!half.exists());
    assert!(text.exists());
}

/// An exercise folder holding i-statements and the library's word lists
/// with `edit` applied to them.
fn library_with_words(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let exercises = dir.join("exercises");
    std::fs::create_dir_all(&exercises).unwrap();
    for name in ["i-statements.yaml", "words.yaml"] {
        let text = std::fs::read_to_string(repo().join("exercises").join(name)).unwrap();
        let text = if name == "words.yaml" {
            edit(text)
        } else {
            text
        };
        std::fs::write(exercises.join(name), text).unwrap();
    }
    exercises
}

#[test]
fn a_resumed_run_reads_the_word_lists_it_began_with_even_when_they_changed_or_went_missing() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let exercises = library_with_words(work.path(), |t| t);
    let folder = exercises.to_str().unwrap();
    let output = mend(&[
        "run",
        "i-statements",
        "--partners",
        "Alex,Sam",
        "--exercises",
        folder,
    ])
    .data(&data)
    .stdin(FIRST_TWO)
    .run();
    assert_eq!(output.code, 1, "{output:?}");
    // Since then, the shared lists lost the phrase the reflection uses.
    library_with_words(work.path(), |t| t.replace("\"you're paranoid\", ", ""));
    let rest = REST.replacen(
        "What I heard is you feel lonely at dinner",
        "What I heard is you're paranoid about dinner",
        1,
    );
    let resumed = mend(&["resume", "--exercises", folder])
        .data(&data)
        .stdin(&format!("{READY}{rest}"))
        .run();
    // Still nudged: the run goes on with the lists it began with.
    assert!(
        resumed
            .stdout
            .contains("You wrote: What I heard is you're paranoid about dinner"),
        "{resumed:?}"
    );

    // Without the kept copy of the lists (removed by hand), a session
    // still resumes, on the exercise as it is now, and its notes render:
    // the lists only steer nudges.
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    paused(&data, "i-statements", "Alex,Sam");
    for lists in word_lists(&data) {
        std::fs::remove_file(lists).unwrap();
    }
    let resumed = mend(&["resume"])
        .data(&data)
        .stdin(&format!("{READY}{REST}"))
        .ok();
    assert!(resumed.stdout.contains("Thank you both."), "{resumed:?}");
    let notes = mend(&["notes"]).data(&data).ok();
    assert!(notes.stdout.contains("You never listen to me"), "{notes:?}");
    assert!(
        notes.stdout.contains("What I heard is you are tired"),
        "{notes:?}"
    );
}
