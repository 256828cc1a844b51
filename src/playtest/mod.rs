//! Play-testing: test plans, their runner and the random walker.
//!
//! May import: `frontend`, `store`, `format`, `engine`, `script`, `diagnostic` and the leaves.

pub mod plan;
pub(crate) mod runner;

pub use runner::contains as shows;
pub mod walker;

pub use runner::{Failure, plan_clock};
