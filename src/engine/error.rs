use crate::diagnostic::report::Diagnostic;
use std::fmt;

/// A problem while running: a script or template failing on the data it got,
/// or a loop that went past its visit limit. Carries a diagnostic pointing
/// into the exercise file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    pub step: String,
    pub diagnostic: Box<Diagnostic>,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl std::error::Error for RunError {}

pub(crate) fn run_error(step: &str, diagnostic: Diagnostic) -> RunError {
    RunError {
        step: step.to_owned(),
        diagnostic: Box::new(diagnostic),
    }
}
