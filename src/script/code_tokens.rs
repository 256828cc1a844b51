//! The words of rhai and minijinja code as a reader needs them: names,
//! string literals and punctuation, with comments skipped. The analysis
//! finds references with it, and the sandbox finds the functions a script
//! calls.

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Name(String),
    Str(String),
    Punct(char),
}

#[derive(Debug, Clone)]
pub struct Token {
    pub kind: Kind,
    /// How many template `{% if %}` blocks it is inside (set by the
    /// template reader; 0 in scripts).
    pub depth: usize,
    /// Byte offset in the whole text.
    pub start: usize,
    pub end: usize,
}

/// A small tokenizer shared by rhai and minijinja code: names, string
/// literals and single punctuation characters; comments (`//`, `/* */`)
/// are skipped.
pub fn tokens(code: &str, offset: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphabetic() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(token(
                Kind::Name(code[i..end].to_owned()),
                offset + i,
                offset + end,
            ));
        } else if matches!(c, '"' | '\'' | '`') {
            let mut value = String::new();
            let mut end = code.len();
            while let Some((j, d)) = chars.next() {
                if d == '\\' {
                    chars.next();
                } else if d == c {
                    end = j + 1;
                    break;
                } else {
                    value.push(d);
                }
            }
            out.push(token(Kind::Str(value), offset + i, offset + end));
        } else if c == '/' && chars.peek().is_some_and(|&(_, d)| d == '/') {
            for (_, d) in chars.by_ref() {
                if d == '\n' {
                    break;
                }
            }
        } else if c == '/' && chars.peek().is_some_and(|&(_, d)| d == '*') {
            chars.next();
            let mut star = false;
            for (_, d) in chars.by_ref() {
                if star && d == '/' {
                    break;
                }
                star = d == '*';
            }
        } else if !c.is_whitespace() {
            out.push(token(Kind::Punct(c), offset + i, offset + i + c.len_utf8()));
        }
    }
    out
}

fn token(kind: Kind, start: usize, end: usize) -> Token {
    Token {
        kind,
        depth: 0,
        start,
        end,
    }
}
