//! Sessions on disk: journaled, killed, resumed, edited, damaged, locked.

use crate::common::{Output, READY, mend};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

const FIRST_TWO: &str = "You never listen to me\nlonely\n";
/// The rest of an i-statements run after the first two answers.
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

fn journal(data: &Path) -> PathBuf {
    let dir = data.join("sessions");
    let mut journals: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    assert_eq!(journals.len(), 1, "{journals:?}");
    journals.remove(0)
}

fn session_id(data: &Path) -> String {
    journal(data)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Plays the first two answers and stops with input ended, leaving a
/// session paused at `statement`.
fn paused(data: &Path, exercise: &str) -> Output {
    let output = mend(&["run", exercise, "--partners", "Alex,Sam"])
        .data(data)
        .stdin(FIRST_TWO)
        .run();
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output.stdout.contains("To go on: mend resume "),
        "{output:?}"
    );
    output
}

/// Lines of a running mend's output, as they come.
fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

fn wait_for(lines: &mpsc::Receiver<String>, text: &str) {
    loop {
        // A generous safety net, not a timing assertion: mend answers in milliseconds.
        match lines.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line.contains(text) => return,
            Ok(_) => {}
            Err(e) => panic!("mend never showed {text:?}: {e}"),
        }
    }
}

#[cfg(unix)]
#[test]
fn a_killed_session_resumes_at_the_waiting_question_with_every_answer_kept() {
    let data = tempfile::tempdir().unwrap();
    let builder = mend(&["run", "i-statements", "--partners", "Alex,Sam"]).data(data.path());
    let mut child = builder.command().spawn().unwrap();
    let lines = lines_of(&mut child);
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(FIRST_TWO.as_bytes()).unwrap();
    stdin.flush().unwrap();
    // The third question appears only after the second answer is on disk.
    wait_for(&lines, "question 3");
    let id = session_id(data.path());

    let second = mend(&["resume", &id]).data(data.path()).run();
    assert_eq!(second.code, 1, "{second:?}");
    assert!(
        second.stderr.contains(&format!(
            "error: session {id} is open elsewhere (by mend process {})",
            child.id()
        )),
        "{second:?}"
    );

    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    drop(stdin);

    let resumed = mend(&["resume"])
        .data(data.path())
        .stdin(&format!("{READY}{REST}"))
        .ok();
    assert!(
        resumed
            .stderr
            .contains(&format!("ended without closing session {id}")),
        "{resumed:?}"
    );
    let out = &resumed.stdout;
    // Without a terminal it says where answers come from, then welcomes
    // the couple back with the answers so far, as written.
    assert!(
        out.starts_with("Reading answers from stdin (not a terminal): one answer per line.\nWelcome back, Alex and Sam\nI-statements stopped on "),
        "{out}"
    );
    assert!(
        out.contains("So far in I-statements:\n  Alex: Alex, what has been hard lately?"),
        "{out}"
    );
    assert!(out.contains("\n    You never listen to me\n"), "{out}");
    assert!(
        out.contains("Alex, is now a good time to go on? [y/N]"),
        "{out}"
    );
    // The waiting question, with the answer given before the kill in it.
    let first_question = out.find("·").map(|i| &out[i..]).unwrap();
    assert!(
        first_question.starts_with("· question 3, round 1 of 2\nNow put it together"),
        "{out}"
    );
    assert!(
        out.contains("\"I feel [lonely] when [a specific moment]"),
        "{out}"
    );
    assert!(out.contains(". Thank you both.\n"), "{out}");

    let listed = mend(&["sessions"]).data(data.path()).ok();
    assert!(listed.stdout.starts_with(&format!("{id} · ")), "{listed:?}");
    assert!(
        listed
            .stdout
            .contains(" · Alex and Sam\n  I-statements: finished\n"),
        "{listed:?}"
    );
}

#[test]
fn a_torn_last_line_is_skipped_with_a_warning_and_the_run_goes_on() {
    let data = tempfile::tempdir().unwrap();
    paused(data.path(), "i-statements");
    let path = journal(data.path());
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    file.write_all(br#"{"t":"state","exercise":{"id":"i-sta"#)
        .unwrap();
    drop(file);

    let resumed = mend(&["resume"])
        .data(data.path())
        .stdin(&format!("{READY}{REST}"))
        .ok();
    assert!(
        resumed
            .stderr
            .contains("was cut off, probably by a crash while it was written; it was skipped"),
        "{resumed:?}"
    );
    assert!(resumed.stdout.contains("· question 3"), "{resumed:?}");
    // The torn bytes were cut off before new lines were added: the journal reads cleanly.
    let listed = mend(&["sessions"]).data(data.path()).ok();
    assert!(
        listed.stdout.contains("\n  I-statements: finished\n"),
        "{listed:?}"
    );
}

#[test]
fn a_damaged_journal_is_an_error_naming_file_and_line() {
    let data = tempfile::tempdir().unwrap();
    paused(data.path(), "i-statements");
    let path = journal(data.path());
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1] = "{\"t\":\"exercise\", garbage";
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let id = session_id(data.path());

    let resumed = mend(&["resume", &id]).data(data.path()).run();
    assert_eq!(resumed.code, 1);
    assert!(
        resumed.stderr.starts_with(&format!(
            "error: session journal `{}` is damaged at line 2: ",
            path.display()
        )),
        "{resumed:?}"
    );
    let listed = mend(&["sessions"]).data(data.path()).ok();
    assert!(
        listed.stdout.contains("cannot be read: session journal"),
        "{listed:?}"
    );
}

#[cfg(unix)]
#[test]
fn session_data_is_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir().unwrap();
    let root = data.path().join("mend-data");
    paused(&root, "i-statements");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&root), 0o700);
    // Every folder 0700 and every file 0600, however deep.
    let mut folders = vec![root.clone()];
    let mut files = 0;
    while let Some(folder) = folders.pop() {
        assert_eq!(mode(&folder), 0o700, "{}", folder.display());
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files += 1;
                assert_eq!(mode(&path), 0o600, "{}", path.display());
            }
        }
    }
    assert!(files >= 3, "a journal, its text and its waiting mark");
}

fn edited_copy(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let path = dir.join("talk.yaml");
    let text =
        std::fs::read_to_string(crate::common::repo().join("exercises/i-statements.yaml")).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    path
}

#[test]
fn an_edited_exercise_resumes_at_the_same_step_and_says_so() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let file = edited_copy(work.path(), |t| t);
    paused(&data, file.to_str().unwrap());
    edited_copy(work.path(), |t| t.replace("Welcome, {{", "Hello, {{"));

    let resumed = mend(&["resume"])
        .data(&data)
        .stdin(&format!("{READY}{REST}"))
        .ok();
    let out = &resumed.stdout;
    assert!(
        out.contains("The exercise `talk` changed since you started; continuing at `statement`."),
        "{out}"
    );
    assert!(out.contains("· question 3"), "{out}");
    assert!(out.contains("\"I feel [lonely] when"), "{out}");
}

#[test]
fn when_the_waiting_step_is_gone_the_run_goes_on_at_the_next_step_that_exists() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let file = edited_copy(work.path(), |t| t);
    paused(&data, file.to_str().unwrap());
    edited_copy(work.path(), |t| {
        let start = t.find("      - id: statement").unwrap();
        let end = t.find("      - id: reflect").unwrap();
        // What is kept open quotes the statement; without it, the complaint.
        format!("{}{}", &t[..start], &t[end..])
            .replace("version: 6", "version: 7")
            .replace("answers.statement", "answers.complaint")
            .replace(
                "private_with: [complaint, statement]",
                "private_with: [complaint]",
            )
    });

    // Without the statement step, the rest starts at `reflect`.
    let rest = REST.split_once('\n').unwrap().1.replace(
        "I feel tired when I do the dishes alone after work, and I need us to share them.\n",
        "",
    );
    let resumed = mend(&["resume"])
        .data(&data)
        .stdin(&format!("{READY}{rest}"))
        .ok();
    let out = &resumed.stdout;
    assert!(
        out.contains("The exercise `talk` (version 6, now 7) changed since you started, and step `statement` is no longer in it; continuing at `reflect`, the next step that still is."),
        "{out}"
    );
    assert!(out.contains("Sam, say back what you heard"), "{out}");
    assert!(out.contains(". Thank you both.\n"), "{out}");
}

#[test]
fn resume_without_sessions_says_there_is_nothing_to_resume() {
    let output = mend(&["resume"]).run();
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stderr,
        "error: there is no unfinished session to resume; `mend sessions` lists them all\n"
    );
}

#[test]
fn back_still_works_after_a_resume() {
    let data = tempfile::tempdir().unwrap();
    paused(data.path(), "i-statements");
    let resumed = mend(&["resume"])
        .data(data.path())
        .stdin(&format!("{READY}:back\nsad\n"))
        .run();
    assert_eq!(resumed.code, 1, "{resumed:?}");
    let out = &resumed.stdout;
    assert!(
        out.contains("Going back to the previous question. The earlier answer is ready to edit."),
        "{out}"
    );
    assert!(out.contains("· question 2"), "{out}");
    assert!(
        out.contains("\"I feel [sad] when [a specific moment]"),
        "{out}"
    );
}

#[test]
fn every_prefix_of_a_real_journal_loads() {
    let data = tempfile::tempdir().unwrap();
    mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin(&format!("{FIRST_TWO}{REST}"))
        .ok();
    let bytes = std::fs::read(journal(data.path())).unwrap();
    let whole = mend::store::journal::parse("j", &bytes).unwrap();
    assert!(whole.lines.len() > 10 && whole.warning.is_none());
    // Every 97th cut, and each cut around every line end.
    let ends = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i);
    let cuts = (0..bytes.len())
        .step_by(97)
        .chain(ends.flat_map(|i| [i, i + 1]));
    for cut in cuts {
        let read = mend::store::journal::parse("j", &bytes[..cut])
            .unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
        assert_eq!(read.lines[..], whole.lines[..read.lines.len()]);
    }
}

#[test]
fn sessions_lists_each_with_its_state_and_a_finished_one_cannot_be_resumed() {
    let data = tempfile::tempdir().unwrap();
    mend(&["run", "i-statements", "--partners", "Alex,Sam"])
        .data(data.path())
        .stdin(&format!("{FIRST_TWO}{REST}"))
        .ok();
    let finished = session_id(data.path());
    paused(data.path(), "i-statements");
    let listed = mend(&["sessions"]).data(data.path()).ok().stdout;
    let blocks: Vec<&str> = listed.trim_end().split("\n\n").collect();
    assert_eq!(blocks.len(), 2, "{listed}");
    assert!(
        blocks[0].starts_with(&format!("{finished} · "))
            && blocks[0].ends_with(" · Alex and Sam\n  I-statements: finished"),
        "{listed}"
    );
    // Where it stopped, in words: the question, never a step id.
    assert!(
        blocks[1].ends_with(" · Alex and Sam\n  I-statements: not finished, waiting at: Now put it together as an I-statement:"),
        "{listed}"
    );
    assert!(!listed.contains('`'), "{listed}");

    let again = mend(&["resume", &finished]).data(data.path()).run();
    assert_eq!(again.code, 1);
    assert_eq!(
        again.stderr,
        format!("error: session {finished} is finished; there is nothing to resume\n")
    );
}

#[test]
fn mend_session_is_journaled_and_its_notes_can_be_written() {
    let data = tempfile::tempdir().unwrap();
    let input = format!("Alex\nSam\ni-statements\n{FIRST_TWO}:break\n");
    let played = mend(&["session"]).data(data.path()).stdin(&input).ok();
    let id = session_id(data.path());
    assert!(
        played.stdout.contains(&format!(
            "Everything is saved as session {id}. To pick up where you left off: mend resume {id}. For session notes in Markdown: mend notes {id}"
        )),
        "{played:?}"
    );
    let resumed = mend(&["resume"])
        .data(data.path())
        .stdin(&format!("{READY}{REST}"))
        .ok();
    assert!(
        resumed.stdout.contains("Alex (speaker) · question 3"),
        "{resumed:?}"
    );
    let notes = mend(&["notes", &id]).data(data.path()).ok().stdout;
    assert!(
        notes.contains("**Alex, what has been hard lately? Say it however it comes out; we'll shape it together. (If today isn't the day, \"not today\" is a full answer.)**  \nAlex (speaker): You never listen to me\n"),
        "{notes}"
    );
    assert!(notes.contains("A break, during Alex's turn"), "{notes}");
}

#[test]
fn sessions_shows_the_newest_ten_from_the_index_and_all_with_all() {
    let data = tempfile::tempdir().unwrap();
    for _ in 0..11 {
        mend(&["run", "i-statements", "--partners", "Alex,Sam"])
            .data(data.path())
            .stdin(":quit\n")
            .ok();
    }
    let listed = mend(&["sessions"]).data(data.path()).ok().stdout;
    assert_eq!(listed.matches(" · Alex and Sam\n").count(), 10, "{listed}");
    assert!(
        listed.ends_with("Older sessions: `mend sessions --page 2` shows the next 10, `mend sessions --all` every one.\n"),
        "{listed}"
    );
    let all = mend(&["sessions", "--all"]).data(data.path()).ok().stdout;
    assert_eq!(all.matches(" · Alex and Sam\n").count(), 11, "{all}");
    // Page 2: the oldest one, which page 1 left out, and nothing after it.
    let second = mend(&["sessions", "--page", "2"])
        .data(data.path())
        .ok()
        .stdout;
    assert_eq!(second.matches(" · Alex and Sam\n").count(), 1, "{second}");
    let oldest = all.split("\n\n").next().unwrap();
    assert!(second.starts_with(oldest), "{second}\n---\n{all}");
    assert!(!listed.contains(oldest.lines().next().unwrap()), "{listed}");
    assert!(!second.contains("--page 3"), "{second}");
    let third = mend(&["sessions", "--page", "3"])
        .data(data.path())
        .ok()
        .stdout;
    assert_eq!(
        third,
        format!(
            "No sessions on page 3: there are fewer than 21 in {}.\n",
            data.path().display()
        )
    );
    let zero = mend(&["sessions", "--page", "0"]).data(data.path()).run();
    assert_eq!(zero.code, 2, "{zero:?}");
    // A data folder from before the index is listed from its folder.
    std::fs::remove_file(data.path().join("sessions.index")).unwrap();
    let again = mend(&["sessions"]).data(data.path()).ok().stdout;
    assert_eq!(again, listed);
}

/// `mend resume` finds nothing to resume in `data`.
fn assert_nothing_waits(data: &Path) {
    let nothing = mend(&["resume"]).data(data).run();
    assert_eq!(nothing.code, 1, "{nothing:?}");
    assert_eq!(
        nothing.stderr,
        "error: there is no unfinished session to resume; `mend sessions` lists them all\n"
    );
}

/// The ids marked as possibly waiting, sorted.
fn marked(data: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(data.join("sessions/.waiting")) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    ids.sort();
    ids
}

#[test]
fn resume_reads_only_the_sessions_that_wait() {
    let data = tempfile::tempdir().unwrap();
    let data = data.path();
    let all_journals = |data: &Path| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(data.join("sessions"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        found.sort();
        found
    };
    // One paused (input ends at the third question), then one finished.
    paused(data, "i-statements");
    let waiting_id = session_id(data);
    let finished = mend(&["run", "i-statements", "--partners", "Kim,Lee"])
        .data(data)
        .stdin(&format!("{FIRST_TWO}{REST}"))
        .ok();
    assert!(finished.stdout.contains("Thank you both."), "{finished:?}");
    assert_eq!(marked(data), vec![waiting_id.clone()]);
    let finished_journal = all_journals(data)
        .into_iter()
        .find(|p| !p.to_string_lossy().contains(&waiting_id))
        .unwrap();

    // A finished journal is not even read: damaged, it goes unmentioned.
    std::fs::write(&finished_journal, "not a journal\n").unwrap();
    let resumed = mend(&["resume"])
        .data(data)
        .stdin(&format!("{READY}{REST}"))
        .ok();
    assert!(
        resumed.stdout.contains("Welcome back, Alex and Sam"),
        "{resumed:?}"
    );
    assert!(!resumed.stderr.contains("not a journal"), "{resumed:?}");
    assert!(
        !resumed
            .stderr
            .contains(&finished_journal.display().to_string()),
        "{resumed:?}"
    );
    // Finishing it removes its mark: nothing waits now.
    assert_eq!(marked(data), Vec::<String>::new());
    assert_nothing_waits(data);
}

#[test]
fn a_data_folder_from_before_the_marks_still_resumes_and_stale_marks_are_passed_over() {
    let data = tempfile::tempdir().unwrap();
    let data = data.path();
    paused(data, "i-statements");
    let id = session_id(data);
    // As an older mend left it: no marks at all.
    std::fs::remove_dir_all(data.join("sessions/.waiting")).unwrap();
    let waiting = data.join("sessions/.waiting");
    let resumed = mend(&["resume"])
        .data(data)
        .stdin(&format!("{READY}{REST}"))
        .ok();
    assert!(
        resumed.stdout.contains("Welcome back, Alex and Sam"),
        "{resumed:?}"
    );
    assert!(waiting.join(".complete").is_file());
    // A mark with no journal, and one for the session that just finished
    // (a crash between the journal and the mark): both passed over.
    std::fs::write(waiting.join("20200101-000000-dead"), "").unwrap();
    std::fs::write(waiting.join(&id), "").unwrap();
    assert_nothing_waits(data);
}

#[test]
fn erase_removes_the_mark_of_a_waiting_session() {
    let data = tempfile::tempdir().unwrap();
    let data = data.path();
    paused(data, "i-statements");
    assert_eq!(marked(data).len(), 1);
    mend(&["erase", "--partners", "Alex,Sam", "--yes"])
        .data(data)
        .ok();
    assert_eq!(marked(data), Vec::<String>::new());
}
