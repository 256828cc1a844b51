//! Problems found in an exercise file, each pointing at a line and column.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem in one file. Lines and columns are 1-based and count characters,
/// the way editors show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// How many characters the caret line underlines (at least 1).
    pub width: usize,
    pub severity: Severity,
    /// A stable code for warnings (`M0xx`), documented in docs/diagnostics.md.
    pub code: Option<&'static str>,
    pub message: String,
    /// The text of the offending line, for the caret display.
    pub source_line: Option<Box<str>>,
    /// How to fix it, when there is more to say than the message (boxed:
    /// most diagnostics have none, and this keeps `Result<_, Diagnostic>` small).
    pub help: Option<Box<String>>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 1,
            column: 1,
            width: 1,
            severity: Severity::Error,
            code: None,
            message: message.into(),
            source_line: None,
            help: None,
        }
    }

    pub fn warning(
        file: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code: Some(code),
            ..Diagnostic::error(file, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(Box::new(help.into()));
        self
    }

    pub fn at(mut self, line: usize, column: usize, width: usize) -> Self {
        self.line = line.max(1);
        self.column = column.max(1);
        self.width = width.max(1);
        self
    }

    pub fn with_source_line(mut self, line: Option<&str>) -> Self {
        self.source_line = line.map(Into::into);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The one-line form `path:line:col: error: message`, without the caret display.
    pub fn headline(&self) -> String {
        let code = self.code.map(|c| format!("[{c}]")).unwrap_or_default();
        format!(
            "{}:{}:{}: {}{}: {}",
            self.file, self.line, self.column, self.severity, code, self.message
        )
    }
}

impl fmt::Display for Diagnostic {
    /// The headline, then the line with a caret under the spot and the help,
    /// drawn by annotate-snippets (the renderer rustc and cargo use): carets
    /// follow display width, and a long line is cut around the spot.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.headline())?;
        let help = self.help.as_deref().map(|h| crate::text::neutralize(h));
        let shown = self
            .source_line
            .as_ref()
            .map(|line| crate::text::neutralize(&line.replace('\t', " ")));
        let mut group = Group::with_level(Level::ERROR);
        if let Some(shown) = &shown {
            let span = char_span(shown, self.column - 1, self.width);
            group = group.element(
                Snippet::source(shown.as_str())
                    .line_start(self.line)
                    .annotation(AnnotationKind::Primary.span(span)),
            );
        } else if help.is_none() {
            return Ok(());
        }
        if let Some(help) = &help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let drawn = Renderer::plain().render(&[group]);
        write!(f, "\n{}", drawn.trim_end())
    }
}

/// The byte range of `width` characters from character `start` of `line`,
/// kept inside the line (a caret past its end sits just after it).
fn char_span(line: &str, start: usize, width: usize) -> std::ops::Range<usize> {
    let offset = |n: usize| line.char_indices().nth(n).map_or(line.len(), |(i, _)| i);
    let from = offset(start);
    let to = offset(start + width.max(1)).max(from);
    from..to
}

/// Everything found while loading a set of files.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        self.0.dedup();
    }

    /// `2 errors, 1 warning` — the count line `mend check` ends with.
    pub fn summary(&self) -> String {
        format!(
            "{}, {}",
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning")
        )
    }
}

/// A diagnostic is also an error a caller can pass on with `?`.
impl std::error::Error for Diagnostic {}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}\n")?;
        }
        Ok(())
    }
}

pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
