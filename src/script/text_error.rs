//! What went wrong in a script or a template, and where inside its text: the
//! one error both give, and the one way it becomes a `Diagnostic` at its
//! place in the exercise file.

use crate::diagnostic::report::Diagnostic;
use crate::diagnostic::source::{Inner, Source};
use crate::diagnostic::yaml_path::YamlPath;

/// A problem with its position inside the script or template text (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    pub message: String,
    pub line: usize,
    pub column: usize,
    /// Characters to underline (1 where only a point is known).
    pub width: usize,
    /// How to fix it, when there is more to say than the message.
    pub help: Option<String>,
}

impl TextError {
    /// The error at its place in `source`: `path` is the script's or
    /// template's value there, and `say` words the message for the reader.
    pub fn locate(
        &self,
        source: &Source,
        path: &YamlPath,
        say: impl FnOnce(&str) -> String,
    ) -> Diagnostic {
        let inner = Inner {
            line: self.line,
            column: self.column,
            width: self.width,
        };
        let located = source.error_inside(path, inner, say(&self.message));
        match &self.help {
            Some(help) => located.with_help(help.as_str()),
            None => located,
        }
    }
}
