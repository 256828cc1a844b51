//! Integration tests: each drives the real `mend` binary and asserts what a
//! user sees: output, exit codes, error text with line numbers.

mod agreements;
mod authoring;
mod both_partners;
mod broken;
#[cfg(unix)]
mod browser;
mod check;
mod check_format;
mod common;
mod counter;
mod engine;
mod fast_paths;
mod graph;
mod hostile;
mod journal_size;
mod layers;
mod ledger;
mod library;
mod limits;
mod list;
mod lsp;
mod notes;
mod plans;
mod properties;
mod render_failures;
mod run;
mod saved_texts;
mod serve;
mod serve_load;
mod session;
mod sessions;
#[cfg(unix)]
mod terminal;
mod turns;
mod view;
mod warnings;
mod watch;
mod webdriver;
mod word_lists;
