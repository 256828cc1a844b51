//! Problems found in an exercise file, each pointing at a line and column.

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
    pub source_line: Option<String>,
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
        }
    }

    pub fn at(mut self, line: usize, column: usize, width: usize) -> Self {
        self.line = line.max(1);
        self.column = column.max(1);
        self.width = width.max(1);
        self
    }

    pub fn with_source_line(mut self, line: Option<&str>) -> Self {
        self.source_line = line.map(str::to_owned);
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.headline())?;
        if let Some(line) = &self.source_line {
            let number = self.line.to_string();
            let gutter = " ".repeat(number.len());
            let (shown, column, width) = window(line, self.column, self.width);
            let shown = crate::text::neutralize(&shown.replace('\t', " "));
            let lead = " ".repeat(column - 1);
            write!(
                f,
                "\n{gutter} |\n{number} | {shown}\n{gutter} | {lead}{}",
                "^".repeat(width)
            )?;
        }
        Ok(())
    }
}

/// Characters of a source line shown around the column: a file may hold a
/// line of a quarter megabyte, which no one reads in a terminal.
const SHOWN_CHARS: usize = 120;

/// The part of `line` to show, and the column and caret width within it:
/// the whole line when short, else `SHOWN_CHARS` around `column` with `…`
/// where it was cut.
fn window(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let chars = line.chars().count();
    if chars <= SHOWN_CHARS {
        return (line.to_owned(), column.max(1), width);
    }
    let start = column.saturating_sub(SHOWN_CHARS / 3).max(1);
    let end = (start + SHOWN_CHARS).min(chars + 1);
    let mut shown: String = line.chars().skip(start - 1).take(end - start).collect();
    let mut column = column - start + 1;
    if start > 1 {
        shown.insert(0, '…');
        column += 1;
    }
    if end <= chars {
        shown.push('…');
    }
    let width = width.min(end.saturating_sub(column + start - 2).max(1));
    (shown, column, width)
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
