//! The script layer: rhai rules and minijinja templates, the helpers exercises call,
//! word splitting, due dates, the fast paths, and the table of names a script can read.
//!
//! May import: `diagnostic` and the top-level leaves. Never storage, front-ends, notes or commands.

pub(crate) mod code_tokens;
pub(crate) mod due;
pub(crate) mod eval_facts;
pub(crate) mod fast_expr;
pub(crate) mod fast_scope;
pub(crate) mod fast_text;
pub(crate) mod helpers;
pub(crate) mod parse_error;
pub(crate) mod rhai_script;
pub(crate) mod scanner;
pub(crate) mod scope_names;
pub(crate) mod template;
pub(crate) mod text_error;
pub(crate) mod uses;
pub(crate) mod value_bounds;
pub(crate) mod vars_read;
pub(crate) mod word_forms;
pub(crate) mod words;

pub use fast_scope::{fast_paths_on, with_slow_paths_only};
pub use scope_names::{Entry, Kind, Members, SCOPE_NAMES, ScopeName};
