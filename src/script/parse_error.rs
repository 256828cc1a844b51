//! A rhai parse error in an author's words. rhai reports where its parser gave
//! up, which is often not where the mistake is: a rule missing a `)` says
//! "Expecting a boolean expression, not a string" with the caret on the
//! string. Before taking rhai's word, look for the usual mistakes: an
//! unclosed or stray bracket, `and` / `or` / `not` for `&&` / `||` / `!`,
//! and a misspelt name.

use crate::diagnostic::did_you_mean::did_you_mean;
use crate::limits;
use crate::script::rhai_script::{DISABLED_SYMBOLS, ScriptError};
use rhai::{LexError, ParseError, ParseErrorType};

/// The error to show for `error`, raised compiling `text` against `names`.
pub fn explain(text: &str, names: &[&str], error: &ParseError) -> ScriptError {
    let words = scan(text);
    if let Some(found) = unbalanced(&words) {
        return found;
    }
    if let ParseErrorType::VariableUndefined(name) = error.err_type()
        && !is_word_operator(name)
    {
        let (line, column) = position(error.1);
        let mut readable: Vec<&str> = names.to_vec();
        readable.sort_unstable();
        let message = match did_you_mean(name, &readable) {
            Some(close) => format!("unknown name `{name}`; did you mean `{close}`?"),
            None => format!("unknown name `{name}`"),
        };
        return ScriptError {
            message,
            line,
            column,
            width: name.chars().count(),
            help: Some(format!("a script here can read: {}", readable.join(", "))),
        };
    }
    // rhai reports a disabled word as an improper symbol.
    if let ParseErrorType::BadInput(LexError::ImproperSymbol(word, _)) = error.err_type()
        && DISABLED_SYMBOLS.contains(&word.as_str())
    {
        let (line, column) = position(error.1);
        return ScriptError {
            message: format!("`{word}` is not available in exercise scripts"),
            line,
            column,
            width: word.chars().count(),
            help: Some(
                "call a function by its own name and read values by theirs (`starts_with_i(answer)`, `answers.feeling`), so that the check before a session can follow every call".to_owned(),
            ),
        };
    }
    if let ParseErrorType::Reserved(word) = error.err_type()
        && let Some(close) = did_you_mean(word, names)
    {
        let (line, column) = position(error.1);
        return ScriptError {
            message: format!("`{word}` is a word rhai keeps for itself; did you mean `{close}`?"),
            line,
            column,
            width: word.chars().count(),
            help: None,
        };
    }
    if let Some(word) = words.iter().find(|w| is_word_operator(&w.text)) {
        let symbol = match word.text.as_str() {
            "and" => "&&",
            "or" => "||",
            _ => "!",
        };
        return ScriptError {
            message: format!("rhai writes `{}` as `{symbol}`", word.text),
            line: word.line,
            column: word.column,
            width: word.text.chars().count(),
            help: Some("combine conditions with && (and), || (or) and ! (not): `words(answer) > 3 && !has_absolutes(answer)`".to_owned()),
        };
    }
    let (line, column) = position(error.1);
    ScriptError {
        message: rhai_words(error.err_type()),
        line,
        column,
        width: 1,
        help: None,
    }
}

fn is_word_operator(name: &str) -> bool {
    matches!(name, "and" | "or" | "not")
}

/// rhai's words, except where a limit was hit: those say which limit.
fn rhai_words(error: &ParseErrorType) -> String {
    match error {
        ParseErrorType::ExprTooDeep => format!(
            "the script is nested too deeply (more than {} levels)",
            limits::SCRIPT_EXPR_DEPTH
        ),
        ParseErrorType::TooManyFunctions => format!(
            "the script defines too many functions (at most {})",
            limits::SCRIPT_FUNCTIONS
        ),
        ParseErrorType::UnknownOperator(op) if is_word_operator(op) => {
            format!("rhai has no `{op}`; use &&, || and !")
        }
        other => other.to_string(),
    }
}

fn position(pos: rhai::Position) -> (usize, usize) {
    (pos.line().unwrap_or(1), pos.position().unwrap_or(1))
}

/// A word or bracket of the script outside strings and comments.
struct Token {
    text: String,
    line: usize,
    column: usize,
}

fn scan(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let (mut line, mut column) = (1, 0);
    let mut chars = text.chars().peekable();
    let mut word: Option<Token> = None;
    let mut quote: Option<char> = None;
    let mut comment = false;
    while let Some(c) = chars.next() {
        column += 1;
        let at = (line, column);
        if c == '\n' {
            line += 1;
            column = 0;
            comment = false;
        }
        let in_word = c.is_alphanumeric() || c == '_';
        if !in_word || quote.is_some() || comment {
            out.extend(word.take());
        }
        if comment {
            continue;
        }
        if let Some(q) = quote {
            if c == '\\' {
                chars.next();
                column += 1;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '/' if chars.peek() == Some(&'/') => comment = true,
            '(' | ')' | '[' | ']' | '{' | '}' => out.push(Token {
                text: c.to_string(),
                line: at.0,
                column: at.1,
            }),
            _ if in_word => match &mut word {
                Some(w) => w.text.push(c),
                None => {
                    word = Some(Token {
                        text: c.to_string(),
                        line: at.0,
                        column: at.1,
                    })
                }
            },
            _ => {}
        }
    }
    out.extend(word);
    out
}

/// The first bracket that is never closed, or closed by the wrong one, or
/// closes nothing.
fn unbalanced(tokens: &[Token]) -> Option<ScriptError> {
    let mut open: Vec<&Token> = Vec::new();
    for t in tokens {
        let closer = match t.text.as_str() {
            "(" | "[" | "{" => {
                open.push(t);
                continue;
            }
            ")" => "(",
            "]" => "[",
            "}" => "{",
            _ => continue,
        };
        match open.pop() {
            Some(o) if o.text == closer => {}
            Some(o) => {
                return Some(ScriptError {
                    message: format!("this `{}` is closed by a `{}`", o.text, t.text),
                    line: o.line,
                    column: o.column,
                    width: 1,
                    help: Some(format!(
                        "close it with `{}` before the `{}`",
                        closing(&o.text),
                        t.text
                    )),
                });
            }
            None => {
                return Some(ScriptError {
                    message: format!("this `{}` closes nothing", t.text),
                    line: t.line,
                    column: t.column,
                    width: 1,
                    help: Some(format!("remove it, or add the `{closer}` it closes")),
                });
            }
        }
    }
    let o = open.pop()?;
    Some(ScriptError {
        message: format!("this `{}` is never closed", o.text),
        line: o.line,
        column: o.column,
        width: 1,
        help: Some(format!("add `{}` where it ends", closing(&o.text))),
    })
}

fn closing(open: &str) -> &'static str {
    match open {
        "(" => ")",
        "[" => "]",
        _ => "}",
    }
}

#[cfg(test)]
mod tests {
    use crate::script::rhai_script::Script;

    fn error(text: &str) -> (String, usize, usize) {
        let e = Script::expression(text, &["answer", "answers"]).unwrap_err();
        (e.message, e.line, e.column)
    }

    #[test]
    fn a_missing_parenthesis_is_named_where_it_opens() {
        let (message, _, column) = error(r#"contains_any(answer, ["a", "b"] && words(answer) > 2"#);
        assert_eq!(message, "this `(` is never closed");
        assert_eq!(column, 13);
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let (message, ..) = error(r#"answer == "(" &&"#);
        assert!(!message.contains("closed"), "{message}");
    }

    #[test]
    fn word_operators_get_their_symbols() {
        assert_eq!(
            error("answer == \"a\" and answer != \"b\"").0,
            "rhai writes `and` as `&&`"
        );
        assert_eq!(error("not answers.x").0, "rhai writes `not` as `!`");
        assert_eq!(
            error("answer == \"a\" or true").0,
            "rhai writes `or` as `||`"
        );
    }

    #[test]
    fn misspelt_names_get_a_suggestion() {
        let (message, _, column) = error("anwser == \"x\"");
        assert_eq!(message, "unknown name `anwser`; did you mean `answer`?");
        assert_eq!(column, 1);
    }
}
