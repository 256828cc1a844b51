//! The server loop over lsp-server's stdio connection: keeps the open files'
//! text, answers requests from it, and publishes `mend check`'s diagnostics
//! for a file whenever it is opened or changed.

use crate::diagnostic::report::{Diagnostic, Severity};
use crate::diagnostic::source::Source;
use crate::format::compiler::compile_and_analyze;
use crate::format::word_lists::{WORD_LISTS_FILE, WordLists};
use crate::lsp::lsp_error::LspError;
use crate::lsp::{completion, definition, hover};
use lsp_server::{Connection, Message, Notification, Request, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;

/// What the server can do, as sent in the `initialize` reply.
fn capabilities() -> Value {
    json!({
        "textDocumentSync": 1,
        "completionProvider": { "triggerCharacters": [".", ":", " "] },
        "hoverProvider": true,
        "definitionProvider": true,
    })
}

/// Serves one editor over stdin and stdout until it says `exit`.
pub fn serve_stdio() -> Result<(), LspError> {
    let (connection, threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    threads.join()?;
    Ok(())
}

pub fn serve(connection: &Connection) -> Result<(), LspError> {
    connection.initialize(capabilities())?;
    let mut open: HashMap<String, String> = HashMap::new();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = answer(&open, &request);
                connection
                    .sender
                    .send(Message::Response(response))
                    .map_err(|_| LspError::Closed)?;
            }
            Message::Notification(note) => {
                if let Some((uri, text)) = changed_text(&note) {
                    let diagnostics = diagnostics(&uri, &text);
                    open.insert(uri.clone(), text);
                    let publish = Notification::new(
                        "textDocument/publishDiagnostics".to_owned(),
                        json!({ "uri": uri, "diagnostics": diagnostics }),
                    );
                    connection
                        .sender
                        .send(Message::Notification(publish))
                        .map_err(|_| LspError::Closed)?;
                } else if note.method == "textDocument/didClose"
                    && let Some(uri) = note
                        .params
                        .pointer("/textDocument/uri")
                        .and_then(Value::as_str)
                {
                    open.remove(uri);
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// The uri and full text of a file opened or changed (full sync).
fn changed_text(note: &Notification) -> Option<(String, String)> {
    let uri = note
        .params
        .pointer("/textDocument/uri")?
        .as_str()?
        .to_owned();
    let text = match note.method.as_str() {
        "textDocument/didOpen" => note.params.pointer("/textDocument/text")?,
        "textDocument/didChange" => note
            .params
            .pointer("/contentChanges")?
            .as_array()?
            .last()?
            .get("text")?,
        _ => return None,
    };
    Some((uri, text.as_str()?.to_owned()))
}

fn answer(open: &HashMap<String, String>, request: &Request) -> Response {
    let id = request.id.clone();
    let params = &request.params;
    let uri = params
        .pointer("/textDocument/uri")
        .and_then(Value::as_str)
        .unwrap_or("");
    let position = |key: &str| {
        params
            .pointer(&format!("/position/{key}"))
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0)
    };
    let line = position("line");
    let Some(text) = open.get(uri) else {
        return Response::new_ok(id, Value::Null);
    };
    // Editors count UTF-16 units along a line; mend counts characters.
    let line_text = text.lines().nth(line).unwrap_or("");
    let character = characters(line_text, position("character"));
    match request.method.as_str() {
        "textDocument/completion" => {
            Response::new_ok(id, completion::complete(text, line, character))
        }
        "textDocument/hover" => match hover::hover(text, line, character) {
            Some(markdown) => Response::new_ok(
                id,
                json!({ "contents": { "kind": "markdown", "value": markdown } }),
            ),
            None => Response::new_ok(id, Value::Null),
        },
        "textDocument/definition" => match definition::definition(text, line, character) {
            Some(step) => {
                let declared = text.lines().nth(step.line).unwrap_or("");
                let start = utf16(declared, step.character);
                let at = json!({ "line": step.line, "character": start });
                let end = json!({ "line": step.line, "character": start + step.id.encode_utf16().count() });
                Response::new_ok(
                    id,
                    json!({ "uri": uri, "range": { "start": at, "end": end } }),
                )
            }
            None => Response::new_ok(id, Value::Null),
        },
        _ => Response::new_err(
            id,
            lsp_server::ErrorCode::MethodNotFound as i32,
            format!("mend lsp does not answer `{}`", request.method),
        ),
    }
}

/// `mend check`'s diagnostics for the text, as LSP diagnostics (0-based).
fn diagnostics(uri: &str, text: &str) -> Vec<Value> {
    let name = uri.rsplit('/').next().unwrap_or(uri);
    let id = name.strip_suffix(".yaml").unwrap_or(name);
    let source = Source::new(name, text);
    // The shared lists beside the file, as `mend check` reads them; the
    // editor's text, when the file is the lists themselves.
    if name == WORD_LISTS_FILE {
        let lists = WordLists::read(&source);
        return lists.diagnostics.iter().map(lsp_diagnostic).collect();
    }
    let words = uri
        .strip_prefix("file://")
        .map_or_else(WordLists::none, |path| WordLists::beside(Path::new(path)));
    let compiled = compile_and_analyze(id, source, &words);
    compiled.diagnostics.iter().map(lsp_diagnostic).collect()
}

/// The UTF-16 offset of character `chars` of `line`.
fn utf16(line: &str, chars: usize) -> usize {
    line.chars().take(chars).map(char::len_utf16).sum()
}

/// The character at UTF-16 offset `units` of `line`.
fn characters(line: &str, units: usize) -> usize {
    let mut seen = 0;
    line.chars()
        .take_while(|c| {
            seen += c.len_utf16();
            seen <= units
        })
        .count()
}

fn lsp_diagnostic(d: &Diagnostic) -> Value {
    let line = d.line - 1;
    let shown = d.source_line.as_deref().unwrap_or("");
    let start = utf16(shown, d.column - 1);
    let end = utf16(shown, d.column - 1 + d.width);
    let end = if end <= start { start + d.width } else { end };
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    json!({
        "range": {
            "start": { "line": line, "character": start },
            "end": { "line": line, "character": end },
        },
        "severity": if d.severity == Severity::Error { 1 } else { 2 },
        "code": d.code,
        "source": "mend",
        "message": message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_for_editors() {
        let line = "say: 😀 {{ speakr }}";
        assert_eq!(utf16(line, 8), 9, "the emoji is two units");
        assert_eq!(characters(line, 9), 8);
        assert_eq!(characters("abc", 99), 3);
    }
}
