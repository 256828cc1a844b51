//! Diagnostics as JSON, for tools: `mend check --format json`. The shape is
//! `CheckReport`; docs/check-output.schema.json is its JSON Schema,
//! generated from these types (a test keeps the two the same).

use crate::diagnostic::report::{Diagnostic, Diagnostics};
use schemars::JsonSchema;
use serde::Serialize;

/// What `mend check --format json` prints: one object.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CheckReport {
    /// How many files were checked.
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    /// One object per problem, in the order the text output lists them.
    pub diagnostics: Vec<JsonDiagnostic>,
}

/// One problem. Lines and columns are 1-based and count characters.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonDiagnostic {
    /// The file as it was given to `mend check`.
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Where the underlined span ends (exclusive), on the same line.
    pub end: Position,
    /// `error` or `warning`.
    pub severity: String,
    /// A stable code (`M001`...) explained in docs/diagnostics.md, or null.
    pub code: Option<String>,
    pub message: String,
    /// How to fix it, when there is more to say than the message.
    pub help: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl From<&Diagnostic> for JsonDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        JsonDiagnostic {
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            end: Position {
                line: d.line,
                column: d.column + d.width,
            },
            severity: d.severity.to_string(),
            code: d.code.map(str::to_owned),
            message: d.message.clone(),
            help: d.help.as_deref().cloned(),
        }
    }
}

impl CheckReport {
    pub fn new(files: usize, diagnostics: &Diagnostics) -> Self {
        CheckReport {
            files,
            errors: diagnostics.errors(),
            warnings: diagnostics.warnings(),
            diagnostics: diagnostics.0.iter().map(JsonDiagnostic::from).collect(),
        }
    }

    /// The JSON Schema of the report (draft 7).
    pub fn schema() -> String {
        let generator = schemars::generate::SchemaSettings::draft07().into_generator();
        let mut schema = generator.into_root_schema_for::<CheckReport>();
        schema.insert("title".into(), "mend check --format json".into());
        serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
    }
}
