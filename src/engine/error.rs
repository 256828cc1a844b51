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

/// Why saved state no longer fits its exercise (the file was edited).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreError {
    /// The step the run was at is gone.
    StepGone { step: String, exercise: String },
    /// The exercise's roles changed.
    RolesChanged { exercise: String },
}

impl fmt::Display for RestoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestoreError::StepGone { step, exercise } => {
                write!(f, "step `{step}` is no longer in exercise `{exercise}`")
            }
            RestoreError::RolesChanged { exercise } => {
                write!(f, "exercise `{exercise}` now has different roles")
            }
        }
    }
}

impl std::error::Error for RestoreError {}
