//! Diagnostics: one located error type, the exercise source it points into, and YAML paths.
//!
//! May import: the top-level leaves (`limits`, `text`).

pub(crate) mod did_you_mean;
pub(crate) mod json;
pub(crate) mod report;
pub(crate) mod source;
pub(crate) mod yaml_path;

pub use json::CheckReport;
pub use report::{Diagnostic, Diagnostics, Severity};
pub use source::Source;
