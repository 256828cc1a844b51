//! The terminal front-end, driven through a pseudo-terminal as two partners
//! at one keyboard would use it.

use crate::common::repo;
use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};
use std::process::Command;

fn terminal(args: &[&str]) -> PtySession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mend"));
    command
        .args(args)
        .current_dir(repo())
        .env_remove("MEND_EXERCISES")
        .env_remove("MEND_DATA")
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
    see(&mut p, "Alex (speaker) · question 1 of 14")?;
    see(&mut p, "Alex › ")?;
    p.send_line("You never listen to me")?;
    see(&mut p, "question 2 of 14")?;
    p.send_line(":back")?;
    see(&mut p, "Going back to the previous question.")?;
    // The earlier answer is back in the line editor; Enter keeps it.
    see(&mut p, "question 1 of 14")?;
    see(&mut p, "Enter keeps them, Ctrl-U clears the line.")?;
    see(&mut p, "Alex › You never listen to me")?;
    p.send_line("")?;
    see(&mut p, "question 2 of 14")?;
    p.send_line("lonely")?;
    see(&mut p, "question 3 of 14")?;
    p.send_line("You always ignore me")?;
    see(&mut p, "Try starting from your own side")?;
    // The refused answer waits to be edited; Ctrl-C clears it.
    see(&mut p, "Ctrl-U clears the line.")?;
    see(&mut p, "Alex › You always ignore me")?;
    p.send_control('c')?;
    p.send_line("I feel lonely when we eat with phones out, because time together matters, and I need phones away at dinner.")?;
    see(&mut p, "── Over to Sam ──")?;
    see(&mut p, "Sam (listener) · question 4 of 14")?;
    see(&mut p, "Sam › ")?;
    p.send_line(":help")?;
    see(&mut p, ":break   take a time-out")?;
    see(&mut p, "Sam › ")?;
    // Ctrl-D is a time-out.
    p.send_control('d')?;
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
    see(&mut p, "Would you like to swap, so Sam is the speaker")?;
    p.send_line("y")?;
    see(&mut p, "Sam (speaker)")?;
    see(&mut p, "Sam › ")?;
    p.send_control('c')?;
    see(&mut p, "Leave now?")?;
    p.send_line("n")?;
    see(&mut p, "Sam › ")?;
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
    see(&mut p, "question 2 of 14")?;
    Ok(())
}
