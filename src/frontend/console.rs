//! Picks the front-end for this process: the line editor when both partners
//! are at a terminal, plain text over stdin and stdout when answers are piped.

use crate::frontend::play::Console;
use crate::frontend::repl::Repl;
use crate::frontend::scripted::Scripted;
use std::io::{self, IsTerminal};

/// Whether both partners are at a terminal (else answers are piped).
pub fn input_is_terminal() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

pub fn open_console() -> io::Result<Box<dyn Console>> {
    if input_is_terminal() {
        quiet_panics();
        return Ok(Box::new(Repl::new(wants_color())?));
    }
    Ok(Box::new(Scripted::new(
        io::stdin().lock(),
        io::stdout().lock(),
    )))
}

/// Colour unless `NO_COLOR` is set (https://no-color.org) or the terminal
/// says it cannot show it.
fn wants_color() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    !no_color && !dumb && io::stdout().is_terminal()
}

/// A couple at the keyboard sees one calm line, never a trace, if mend
/// itself fails.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("error: mend stopped unexpectedly: {what}");
    }));
}
