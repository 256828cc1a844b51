//! The script layer: rhai rules and minijinja templates, the helpers exercises call,
//! word splitting, due dates, the fast paths, and the table of names a script can read.
//!
//! May import: `diagnostic` and the top-level leaves. Never storage, front-ends, notes or commands.

pub mod code_tokens;
pub mod due;
pub mod fast_expr;
pub mod fast_scope;
pub mod fast_text;
pub mod helpers;
pub mod rhai_script;
pub mod scanner;
pub mod scope_names;
pub mod template;
pub mod text_error;
pub mod uses;
pub mod value_bounds;
pub mod words;
