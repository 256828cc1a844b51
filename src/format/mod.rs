//! The exercise format: the YAML spec, its loader, the compiler that turns it into an
//! `Exercise`, the static analysis, references between steps, and the library of files.
//!
//! May import: `engine`, `script`, `diagnostic` and the top-level leaves. Never storage or front-ends.

pub(crate) mod aliases;
pub(crate) mod analysis;
pub(crate) mod compiler;
pub(crate) mod control_chars;
pub(crate) mod flow_depth;
pub(crate) mod graph;
pub(crate) mod library;
pub(crate) mod line_breaks;
pub(crate) mod loader;
pub(crate) mod references;
pub(crate) mod spec;
pub(crate) mod word_lists;
pub(crate) mod yaml_error;

pub use analysis::CODES;
pub use compiler::{Compiled, compile, compile_and_analyze};
pub use library::{Library, LibraryError, exercise_id, read_plan, read_source};
pub use word_lists::WordLists;
