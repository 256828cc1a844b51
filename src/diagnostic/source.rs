//! An exercise file's text, kept after compiling so that any later problem
//! (a static-analysis warning, a script error mid-session) can still point at
//! the line it came from.

use crate::diagnostic::report::{Diagnostic, Severity};
use crate::diagnostic::yaml_path::{Point, YamlPath, locate};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown in diagnostics: the path as the user gave it, or
    /// `<library>/id.yaml` for exercises compiled into the binary.
    pub name: String,
    pub text: Arc<str>,
}

/// A position inside a scalar's *parsed* text (1-based), as reported by rhai or
/// minijinja, to be mapped back into the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inner {
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }

    pub fn line(&self, number: usize) -> Option<&str> {
        self.text.lines().nth(number.checked_sub(1)?)
    }

    /// A diagnostic at the start of the file, for problems with the file as a whole.
    pub fn whole_file(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.name, message).with_source_line(None)
    }

    /// A diagnostic at 1-based `line`/`column`.
    pub fn at(
        &self,
        line: usize,
        column: usize,
        width: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(&self.name, message)
            .at(line, column, width)
            .with_source_line(self.line(line))
    }

    /// A diagnostic pointing at the node at `path`, underlining it when it is a
    /// one-line scalar.
    pub fn error_at(
        &self,
        path: &YamlPath,
        point: Point,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(path, point);
        let width = self.token_width(line, column);
        self.at(line, column, width, message)
    }

    pub fn warning_at(
        &self,
        path: &YamlPath,
        point: Point,
        code: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut d = self.error_at(path, point, message);
        d.severity = Severity::Warning;
        d.code = Some(code);
        d
    }

    /// Where the node at `path` starts; falls back to its nearest existing
    /// parent, then to the top of the file.
    pub fn position(&self, path: &YamlPath, point: Point) -> (usize, usize) {
        let mut path = path.clone();
        let mut point = point;
        loop {
            if let Some(found) = locate(&self.text, &path, point) {
                return found;
            }
            if path.0.pop().is_none() {
                return (1, 1);
            }
            point = Point::Value;
        }
    }

    /// Maps a position inside the scalar at `path` (a script or a template) to
    /// the file. Block scalars (`|`, `>`) map exactly; quoted and plain scalars
    /// map exactly on their first line.
    pub fn error_inside(
        &self,
        path: &YamlPath,
        inner: Inner,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(path, Point::Value);
        let (line, column) = self.inner_position(line, column, inner);
        self.at(line, column, inner.width, message)
    }

    fn inner_position(&self, line: usize, column: usize, inner: Inner) -> (usize, usize) {
        let Some(start) = self.line(line) else {
            return (line, column);
        };
        let indicator = start.chars().nth(column - 1);
        match indicator {
            Some('|') | Some('>') => {
                // An indentation indicator (`|2`) fixes the content's
                // indentation relative to the key's; more spaces than that
                // on a line are part of the text.
                let header: String = start.chars().skip(column).take(2).collect();
                let explicit = header.chars().find_map(|c| c.to_digit(10));
                let key_indent = start.len() - start.trim_start_matches([' ', '-']).len();
                let indent = match explicit {
                    Some(n) => key_indent + n as usize,
                    None => self
                        .text
                        .lines()
                        .skip(line)
                        .find(|l| !l.trim().is_empty())
                        .map(|l| l.len() - l.trim_start().len())
                        .unwrap_or(0),
                };
                (line + inner.line, indent + inner.column)
            }
            _ => {
                let quote = usize::from(matches!(indicator, Some('"') | Some('\'')));
                if inner.line <= 1 {
                    self.folded(line, column + quote, inner.column.saturating_sub(1))
                } else {
                    let target = line + inner.line - 1;
                    let indent = self
                        .line(target)
                        .map(|l| l.chars().take_while(|c| c.is_whitespace()).count())
                        .unwrap_or(0);
                    (target, indent + inner.column)
                }
            }
        }
    }

    /// Walks `offset` characters into a quoted or plain scalar that starts at
    /// (`line`, `column`). Such a scalar may run over several lines, each
    /// line break read as one space, so a position past the end of a line
    /// continues on the next. Never points past the end of a line.
    fn folded(&self, mut line: usize, mut column: usize, mut offset: usize) -> (usize, usize) {
        loop {
            let Some(text) = self.line(line) else {
                return (line, column);
            };
            let rest = text.chars().count().saturating_sub(column - 1);
            let Some(next) = self.line(line + 1).filter(|_| offset > rest) else {
                return (line, column + offset.min(rest));
            };
            offset -= rest + 1;
            line += 1;
            column = next.chars().take_while(|c| c.is_whitespace()).count() + 1;
        }
    }

    /// The width of the token at a position: a plain word or quoted string on
    /// that line, at least 1.
    fn token_width(&self, line: usize, column: usize) -> usize {
        let Some(text) = self.line(line) else {
            return 1;
        };
        let rest: String = text.chars().skip(column - 1).collect();
        let rest = match rest.find(" #") {
            Some(comment) => &rest[..comment],
            None => rest.as_str(),
        };
        let before: String = text.chars().take(column - 1).collect();
        let in_flow = before.trim_end().ends_with(['[', ',', '{']);
        let token = if in_flow {
            // An entry of `[a, b]`: just this entry, quoted or plain.
            match rest.chars().next() {
                Some(quote @ ('"' | '\'')) => match rest[1..].find(quote) {
                    Some(end) => &rest[..end + 2],
                    None => rest,
                },
                _ => rest.split([',', ']', '}']).next().unwrap_or(rest),
            }
        } else if rest.starts_with(['|', '>']) {
            &rest[..1]
        } else if rest.contains(": ") || rest.ends_with(':') {
            // A key: underline the key only.
            rest.split(':').next().unwrap_or(rest)
        } else {
            rest
        };
        token.trim_end().chars().count().max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_block_scalar_lines() {
        let source = Source::new(
            "x.yaml",
            "steps:\n  - id: a\n    set: |\n      let x = 1;\n      x +;\n",
        );
        let path = YamlPath::root().key("steps").index(0).key("set");
        let d = source.error_inside(
            &path,
            Inner {
                line: 2,
                column: 3,
                width: 1,
            },
            "boom",
        );
        assert_eq!((d.line, d.column), (5, 9));
    }

    #[test]
    fn maps_quoted_scalars_on_their_line() {
        let source = Source::new("x.yaml", "when: \"a ==\"\n");
        let path = YamlPath::root().key("when");
        let d = source.error_inside(
            &path,
            Inner {
                line: 1,
                column: 3,
                width: 1,
            },
            "boom",
        );
        assert_eq!((d.line, d.column), (1, 10));
    }

    #[test]
    fn follows_quoted_scalars_folded_over_lines() {
        let source = Source::new("x.yaml", "say: \"abc\n  def {{ x( }}\"\n");
        let path = YamlPath::root().key("say");
        let inside = |column| {
            let inner = Inner {
                line: 1,
                column,
                width: 1,
            };
            let d = source.error_inside(&path, inner, "boom");
            (d.line, d.column)
        };
        // "abc def {{ x( }}": `d` is the 5th character, `(` the 13th.
        assert_eq!(inside(5), (2, 3));
        assert_eq!(inside(13), (2, 11));
        assert_eq!(inside(99), (2, 16), "never past the end of the line");
    }
}
