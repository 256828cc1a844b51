//! The exercise format: the YAML spec, its loader, the compiler that turns it into an
//! `Exercise`, the static analysis, references between steps, and the library of files.
//!
//! May import: `engine`, `script`, `diagnostic` and the top-level leaves. Never storage or front-ends.

pub mod aliases;
pub mod analysis;
pub mod compiler;
pub mod control_chars;
pub mod library;
pub mod loader;
pub mod references;
pub mod spec;
