//! `mend lsp` spoken to as an editor would: JSON-RPC over the binary's
//! stdin and stdout, with Content-Length framing.

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::process::{Command, Stdio};

fn frame(message: &Value) -> String {
    let body = message.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

fn frames(mut output: &str) -> Vec<Value> {
    let mut out = Vec::new();
    while let Some(at) = output.find("Content-Length: ") {
        let rest = &output[at + "Content-Length: ".len()..];
        let (length, rest) = rest.split_once("\r\n\r\n").unwrap();
        let length: usize = length.trim().parse().unwrap();
        out.push(serde_json::from_str(&rest[..length]).unwrap());
        output = &rest[length..];
    }
    out
}

const EXERCISE: &str = "title: T\nsummary: S\nminutes: 5\nversion: 1\nroles:\n  speaker: Speaks.\n  listener: Listens.\nsteps:\n  - id: feeling\n    ask: \"{{ speakr }}, how do you feel?\"\n    by: speaker\n  - id: reflect\n    ask: \"You heard: {{ answers.feeling }}\"\n    by: listener\n    goto: feeling\n    when: words(answers.) > 1\n";

#[test]
fn an_editor_gets_diagnostics_completion_hover_and_definitions() {
    let uri = "file:///tmp/gratitude.yaml";
    let position = |line: u32, character: u32| json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
    let messages = [
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }),
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": EXERCISE } } }),
        json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/completion", "params": position(15, 24) }),
        json!({ "jsonrpc": "2.0", "id": 3, "method": "textDocument/completion", "params": position(13, 8) }),
        json!({ "jsonrpc": "2.0", "id": 4, "method": "textDocument/hover", "params": position(15, 12) }),
        json!({ "jsonrpc": "2.0", "id": 5, "method": "textDocument/definition", "params": position(14, 12) }),
        json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": { "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": EXERCISE.replace("speakr", "speaker").replace("words(answers.)", "words(answers.feeling)") }] } }),
        json!({ "jsonrpc": "2.0", "id": 6, "method": "shutdown" }),
        json!({ "jsonrpc": "2.0", "method": "exit" }),
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_mend"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for message in &messages {
        stdin.write_all(frame(message).as_bytes()).unwrap();
    }
    drop(stdin);
    let mut output = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut output)
        .unwrap();
    assert!(child.wait().unwrap().success());
    let replies = frames(&output);
    let reply = |id: u64| {
        replies
            .iter()
            .find(|r| r["id"] == json!(id))
            .unwrap_or_else(|| panic!("no reply {id} in {replies:?}"))["result"]
            .clone()
    };
    assert_eq!(reply(1)["capabilities"]["hoverProvider"], json!(true));

    let publications: Vec<&Value> = replies
        .iter()
        .filter(|r| r["method"] == json!("textDocument/publishDiagnostics"))
        .collect();
    assert_eq!(publications.len(), 2, "on open and on change: {replies:?}");
    assert_eq!(
        publications[1]["params"]["diagnostics"],
        json!([]),
        "the change fixed every problem"
    );
    let published = publications[0];
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    let first = &diagnostics[0];
    assert_eq!(
        first["range"]["start"],
        json!({ "line": 9, "character": 13 })
    );
    assert_eq!(first["severity"], json!(1));
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown name `speakr`; did you mean `speaker`?"),
        "{first}"
    );

    let labels = |result: Value| -> Vec<String> {
        result
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        labels(reply(2)),
        ["feeling", "reflect"],
        "answers. offers the questions"
    );
    assert_eq!(
        labels(reply(3)),
        ["speaker", "listener"],
        "by: offers the roles"
    );
    let hover = reply(4)["contents"]["value"].as_str().unwrap().to_owned();
    assert!(hover.starts_with("`words(s)`"), "{hover}");
    assert_eq!(
        reply(5),
        json!({ "uri": uri, "range": { "start": { "line": 8, "character": 8 }, "end": { "line": 8, "character": 15 } } })
    );
}
