//! `mend check --format json|short`: what editors and tools read.

use crate::common::{mend, repo};
use serde_json::Value;

#[test]
fn json_output_follows_its_schema() {
    let schema_file = repo().join("docs/check-output.schema.json");
    let written = std::fs::read_to_string(&schema_file).unwrap_or_default();
    assert_eq!(
        written,
        mend::diagnostic::CheckReport::schema(),
        "docs/check-output.schema.json is out of date"
    );
    let schema: Value = serde_json::from_str(&written).unwrap();
    let output = mend(&[
        "check",
        "--format",
        "json",
        "broken/many-problems.yaml",
        "broken/script-word-operators.yaml",
    ])
    .dir(&repo().join("tests"))
    .run();
    assert_eq!(output.code, 1);
    let report: Value = serde_json::from_str(&output.stdout).unwrap();
    conforms(&report, &schema, &schema);
    assert_eq!(report["files"], 2);
    assert_eq!(report["errors"], 7);
    let first = &report["diagnostics"][0];
    assert_eq!(first["file"], "broken/many-problems.yaml");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(9), Some(31))
    );
    assert_eq!(first["end"]["column"], 32);
    assert_eq!(first["severity"], "error");
    let help = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"] == "script error: rhai writes `and` as `&&`")
        .expect("the and diagnostic");
    assert!(
        help["help"]
            .as_str()
            .unwrap()
            .starts_with("combine conditions with &&")
    );
}

/// A small JSON Schema check: required properties present, types as declared,
/// references followed.
fn conforms(value: &Value, schema: &Value, root: &Value) {
    if let Some(reference) = schema["$ref"].as_str() {
        let path = reference.trim_start_matches('#');
        return conforms(value, root.pointer(path).unwrap(), root);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    assert!(
        types.is_empty()
            || types.contains(&kind)
            || (kind == "integer" && types.contains(&"number")),
        "{value} is not {types:?}"
    );
    if let (Value::Object(map), Some(required)) = (value, schema["required"].as_array()) {
        for key in required {
            assert!(
                map.contains_key(key.as_str().unwrap()),
                "{key} missing in {value}"
            );
        }
        for (key, property) in schema["properties"].as_object().unwrap() {
            if let Some(v) = map.get(key) {
                conforms(v, property, root);
            }
        }
        let extra: Vec<&String> = map
            .keys()
            .filter(|k| !schema["properties"].as_object().unwrap().contains_key(*k))
            .collect();
        assert!(extra.is_empty(), "{extra:?} not in the schema");
    }
    if let (Value::Array(items), Some(item)) = (value, schema.get("items")) {
        items.iter().for_each(|v| conforms(v, item, root));
    }
}

#[test]
fn short_output_is_one_line_each() {
    let output = mend(&["check", "--format", "short", "broken/many-problems.yaml"])
        .dir(&repo().join("tests"))
        .run();
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stdout,
        "broken/many-problems.yaml:9:31: error: template syntax error: unexpected `}`, expected end of variable block\n\
         broken/many-problems.yaml:12:9: error: role `lisener` is not declared in `roles`; declared roles: speaker\n\
         broken/many-problems.yaml:14:11: error: goto names an unknown step `nowhere`\n\
         broken/many-problems.yaml:15:9: error: duplicate step id `hello`; it is first used on line 8\n"
    );
}
