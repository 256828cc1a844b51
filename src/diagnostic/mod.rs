//! Diagnostics: one located error type, the exercise source it points into, and YAML paths.
//!
//! May import: the top-level leaves (`limits`, `text`).

pub mod did_you_mean;
pub mod json;
pub mod report;
pub mod source;
pub mod yaml_path;
