//! Templates in their common shape, rendered without minijinja: text with
//! `{{ name }}` holes (`"{{ speaker }}, what has been hard lately?"`), which
//! is what most prompts and hints are. minijinja still compiles every
//! template (so a mistake is found before anyone is in the room) and renders
//! whatever falls outside the shape: blocks, comments, filters, whitespace
//! control, and any hole whose value is missing or not a string or number,
//! where minijinja's own output or error is wanted.

use crate::script::fast_scope::{FastScope, NamePath, Plain};
use crate::script::scanner::Scanner;
use std::fmt::Write;

#[derive(Debug, Clone)]
pub struct FastText {
    pieces: Vec<Piece>,
    /// The length of the text around the holes.
    text_len: usize,
}

#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Hole(NamePath),
}

/// FastScope minijinja reads as literals, not as values of the context.
const LITERALS: [&str; 6] = ["true", "false", "none", "True", "False", "None"];

impl FastText {
    /// The template, if all of it has the common shape.
    pub fn parse(source: &str) -> Option<FastText> {
        // minijinja drops one line break at the end of a template: a `\n`,
        // then a `\r` (its lexer, `keep_trailing_newline` off).
        let source = source.strip_suffix('\n').unwrap_or(source);
        let source = source.strip_suffix('\r').unwrap_or(source);
        let mut pieces = Vec::new();
        // One pass from brace to brace: a block or comment anywhere ends
        // the fast path, a `{{` opens a hole.
        let (mut text_from, mut from) = (0, 0);
        while let Some(found) = source[from..].find('{') {
            let open = from + found;
            match source.as_bytes().get(open + 1) {
                Some(b'%' | b'#') => return None,
                Some(b'{') => {
                    if open > text_from {
                        pieces.push(Piece::Text(source[text_from..open].to_owned()));
                    }
                    let inside = &source[open + 2..];
                    let close = inside.find("}}")?;
                    pieces.push(Piece::Hole(hole(&inside[..close])?));
                    text_from = open + 2 + close + 2;
                    from = text_from;
                }
                _ => from = open + 1,
            }
        }
        if text_from < source.len() {
            pieces.push(Piece::Text(source[text_from..].to_owned()));
        }
        let text_len = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.len(),
                Piece::Hole(_) => 0,
            })
            .sum();
        Some(FastText { pieces, text_len })
    }

    /// The rendered text; `None` leaves it to minijinja.
    pub fn render(&self, names: &dyn FastScope) -> Option<String> {
        // Room for a name or a short answer in each hole.
        let mut out = String::with_capacity(self.text_len + 32 * self.pieces.len());
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Hole(path) => match names.plain(path)? {
                    Plain::Str(s) => out.push_str(s),
                    Plain::Int(n) => write!(out, "{n}").ok()?,
                    Plain::Bool(_) => return None,
                },
            }
        }
        Some(out)
    }
}

/// The name inside `{{ ... }}`, if that is all there is.
fn hole(inside: &str) -> Option<NamePath> {
    // `{{-`, `-}}` and `+` change the whitespace around the hole.
    let trimmed = inside.trim_matches([' ', '\t', '\n', '\r']);
    if inside.starts_with(['-', '+']) || inside.ends_with(['-', '+']) || trimmed.is_empty() {
        return None;
    }
    let mut scanner = Scanner::new(inside);
    let root = scanner.ident()?;
    if LITERALS.contains(&root) {
        return None;
    }
    let path = scanner.name_path(root)?;
    scanner.at_end().then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_name_holes_is_taken() {
        for source in [
            "{{ speaker }}, what has been hard lately?",
            "I feel [{{ answers.feeling }}] when ... {{ partners[1] }} {{ answers[\"x\"] }}\n",
            "no holes at all, { and } alone",
        ] {
            assert!(FastText::parse(source).is_some(), "{source}");
        }
    }

    #[test]
    fn everything_else_is_left_to_minijinja() {
        for source in [
            "{% if x %}y{% endif %}",
            "{# note #}{{ x }}",
            "{{- speaker }}",
            "{{ speaker -}}",
            "{{ speaker | upper }}",
            "{{ none }}",
            "{{ speaker ~ listener }}",
            "{{ answers.x.y() }}",
            "{{ }}",
            "{{ unclosed",
            "text {{ x }} then {% if y %}",
            "{{{ x }}",
        ] {
            assert!(FastText::parse(source).is_none(), "{source}");
        }
    }
}
