//! The terminal front-end, driven through a pseudo-terminal as two partners
//! at one keyboard would use it.

use crate::common::repo;
use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};
use std::process::Command;

fn terminal(args: &[&str]) -> PtySession {
    let data = tempfile::tempdir().expect("a temporary folder");
    terminal_in(args, &data.keep())
}

/// `mend ARGS` in a pseudo-terminal, keeping its sessions in `data`.
fn terminal_in(args: &[&str], data: &std::path::Path) -> PtySession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mend"));
    command
        .args(args)
        .current_dir(repo())
        .env_remove("MEND_EXERCISES")
        .env("MEND_DATA", data)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let options = Options::new()
        .timeout_ms(Some(5_000))
        .strip_ansi_escape_codes(true);
    spawn_with_options(command, options).expect("mend starts in a pseudo-terminal")
}

/// Waits until the screen shows `text`. The pseudo-terminal reader hands
/// over bytes one char each, so the needle is spelled the same way.
fn see(p: &mut PtySession, text: &str) -> Result<String, rexpect::error::Error> {
    let bytes: String = text.bytes().map(char::from).collect();
    p.exp_string(&bytes)
}

#[test]
fn two_partners_answer_revise_and_take_a_break() -> Result<(), rexpect::error::Error> {
    let mut p = terminal(&["run", "i-statements", "--partners", "Alex,Sam"]);
    see(&mut p, "Alex (speaker) · question 1")?;
    see(&mut p, "Alex › ")?;
    p.send_line("You never listen to me")?;
    see(&mut p, "question 2")?;
    p.send_line(":back")?;
    see(&mut p, "Going back to the previous question.")?;
    // The earlier answer is back in the line editor; Enter keeps it.
    see(&mut p, "question 1")?;
    see(&mut p, "Enter keeps them, Ctrl-U clears the line.")?;
    see(&mut p, "Alex › You never listen to me")?;
    p.send_line("")?;
    see(&mut p, "question 2")?;
    p.send_line("lonely")?;
    see(&mut p, "question 3")?;
    p.send_line("You always ignore me")?;
    see(&mut p, "Try starting from your own side")?;
    // The refused words are shown above an empty prompt, never left where
    // new typing would join them.
    see(&mut p, "You wrote: You always ignore me")?;
    see(&mut p, "(↑ brings it back to edit.)")?;
    see(&mut p, "Alex › ")?;
    // ↑ holds answers only: the refused words, not a command typed since.
    p.send_line(":where")?;
    see(&mut p, "It is Alex's turn")?;
    see(&mut p, "Alex › ")?;
    // Ctrl-P is ↑ in the line editor.
    p.send_control('p')?;
    see(&mut p, "You always ignore me")?;
    p.send_control('u')?;
    p.send_line("I feel lonely when we eat with phones out, because time together matters, and I need phones away at dinner.")?;
    see(&mut p, "── Over to Sam ──")?;
    see(&mut p, "Sam (listener) · question 4")?;
    see(&mut p, "Sam › ")?;
    p.send_line(":help")?;
    see(&mut p, ":break        take a time-out")?;
    see(&mut p, "Sam › ")?;
    // Ctrl-D is a time-out, asked first (it is easy to press by accident).
    p.send_control('d')?;
    see(
        &mut p,
        "Take a break now? Everything you have answered so far is saved. [y/N]",
    )?;
    p.send_line("y")?;
    see(&mut p, "Take at least 20 minutes apart")?;
    see(&mut p, "mend resume")?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn a_break_typed_onto_words_offered_for_editing_is_a_break() -> Result<(), rexpect::error::Error> {
    let mut p = terminal(&["run", "i-statements", "--partners", "Alex,Sam"]);
    see(&mut p, "Alex › ")?;
    p.send_line("I feel uneasy")?;
    see(&mut p, "question 2")?;
    p.send_line(":back")?;
    see(&mut p, "Alex › I feel uneasy")?;
    // Typed without clearing the line first: "I feel uneasy:break".
    p.send_line(":break")?;
    see(&mut p, "Take at least 20 minutes apart")?;
    see(&mut p, "mend resume")?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn ctrl_c_on_an_empty_line_asks_before_leaving() -> Result<(), rexpect::error::Error> {
    let mut p = terminal(&["session", "--partners", "Alex,Sam"]);
    see(&mut p, "does not replace")?;
    see(&mut p, "Type its number or name")?;
    p.send_line("i-statements")?;
    see(&mut p, "Alex (speaker)")?;
    see(&mut p, "Alex › ")?;
    p.send_control('c')?;
    see(&mut p, "Leave now?")?;
    p.send_line("n")?;
    see(&mut p, "Alex › ")?;
    p.send_control('c')?;
    see(&mut p, "Leave now?")?;
    p.send_control('c')?;
    see(&mut p, "run `mend resume` to pick up where you left off")?;
    see(
        &mut p,
        "What you did today\r\n  I-statements: stopped before the end",
    )?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn a_break_and_a_resume_welcome_the_couple_back_with_care() -> Result<(), rexpect::error::Error> {
    let data = tempfile::tempdir().unwrap();
    let mut p = terminal_in(
        &["run", "i-statements", "--partners", "Alex,Sam"],
        data.path(),
    );
    see(&mut p, "Alex › ")?;
    p.send_line("We never eat together any more.")?;
    see(&mut p, "question 2")?;
    p.send_line("lonely")?;
    see(&mut p, "question 3")?;
    p.send_line(":break")?;
    see(&mut p, "Take at least 20 minutes apart")?;
    p.exp_eof()?;

    let mut p = terminal_in(&["resume"], data.path());
    see(&mut p, "Welcome back, Alex and Sam")?;
    see(&mut p, "You took a break in I-statements on ")?;
    see(&mut p, "(just now), during Alex's turn.")?;
    see(
        &mut p,
        "The question waiting: Now put it together as an I-statement:",
    )?;
    // The answers so far, as written, each under whose it was.
    see(&mut p, "So far in I-statements:")?;
    see(&mut p, "We never eat together any more.")?;
    see(&mut p, "lonely")?;
    // Without a `pace` partner, both are asked.
    see(&mut p, "Alex, is now a good time to go on? [y/N]")?;
    p.send_line("y")?;
    see(&mut p, "Sam, is now a good time to go on? [y/N]")?;
    p.send_line("y")?;
    see(&mut p, "Alex (speaker) · question 3")?;
    p.send_line(":quit")?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn after_a_break_the_hurt_partner_is_asked_first_and_may_say_not_yet()
-> Result<(), rexpect::error::Error> {
    let data = tempfile::tempdir().unwrap();
    let mut p = terminal_in(
        &["run", "apology-ritual", "--partners", "Alex,Sam"],
        data.path(),
    );
    see(&mut p, "Alex › ")?;
    p.send_line("1")?;
    // What Alex most needs acknowledged: passed.
    see(&mut p, "Alex › ")?;
    p.send_line("")?;
    see(&mut p, "Sam › ")?;
    p.send_line(":break")?;
    p.exp_eof()?;

    let mut p = terminal_in(&["resume"], data.path());
    see(&mut p, "during Sam's turn.")?;
    see(
        &mut p,
        "Alex: Alex, is now a good time for you to hear this?",
    )?;
    see(&mut p, "Yes, I'm ready to listen.")?;
    // Only the hurt partner is asked.
    see(&mut p, "Alex, is now a good time to go on? [y/N]")?;
    p.send_line("n")?;
    see(&mut p, "That's all right, Alex. Nothing is lost.")?;
    p.exp_eof()?;
    let notes = crate::common::mend(&["notes", "--last"])
        .data(data.path())
        .ok()
        .stdout;
    assert!(notes.contains("A break, during Sam's turn"), "{notes}");
    assert!(!notes.contains("asked for a break"), "{notes}");
    assert!(
        notes.contains("Alex said not yet, after a break"),
        "{notes}"
    );
    Ok(())
}

#[test]
fn ctrl_c_at_the_menu_asks_before_leaving() -> Result<(), rexpect::error::Error> {
    let mut p = terminal(&["session", "--partners", "Alex,Sam"]);
    see(&mut p, "Type its number or name")?;
    p.send_control('c')?;
    see(&mut p, "Leave now?")?;
    p.send_line("n")?;
    see(&mut p, "Type its number or name")?;
    p.send_line(":help")?;
    see(&mut p, "You are choosing the next exercise")?;
    p.send_control('c')?;
    see(&mut p, "Leave now?")?;
    p.send_line("y")?;
    see(&mut p, "Take care of each other.")?;
    p.exp_eof()?;
    Ok(())
}

/// Bytes that are not UTF-8 (a terminal set to Latin-1) refuse that line
/// with a message; the session goes on at the same question.
#[test]
fn bytes_that_are_not_utf8_are_refused_and_asked_again() -> Result<(), rexpect::error::Error> {
    use std::io::Write;
    let data = tempfile::tempdir().unwrap();
    let mut p = terminal(&[
        "run",
        "i-statements",
        "--partners",
        "Alex,Sam",
        "--data",
        data.path().to_str().unwrap(),
    ]);
    see(&mut p, "Alex › ")?;
    let mut raw = p.process().get_file_handle()?;
    raw.write_all(b"any m\xf6re\r")?;
    raw.flush()?;
    see(
        &mut p,
        "That line held bytes that are not UTF-8 text (is the terminal set to another encoding?), so it was not taken. Please type it again.",
    )?;
    see(&mut p, "Alex › ")?;
    p.send_line("We never eat together")?;
    see(&mut p, "question 2")?;
    Ok(())
}
