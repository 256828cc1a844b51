//! Integration tests: each drives the real `mend` binary and asserts what a
//! user sees: output, exit codes, error text with line numbers.

mod broken;
mod check;
mod common;
mod engine;
mod library;
mod list;
mod run;
mod session;
#[cfg(unix)]
mod terminal;
