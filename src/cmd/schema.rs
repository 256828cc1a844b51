use crate::cmd::Status;
use crate::format::spec::ExerciseSpec;
use schemars::generate::SchemaSettings;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {}

/// The JSON Schema of exercise files, generated from the types mend reads
/// them into, so it cannot drift from what `mend check` accepts. Draft 7,
/// the draft editors' YAML plugins understand best.
pub fn schema() -> anyhow::Result<String> {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<ExerciseSpec>();
    schema.insert("title".into(), "mend exercise".into());
    Ok(serde_json::to_string_pretty(&schema)? + "\n")
}

pub fn execute(_args: Args) -> Status {
    std::io::Write::write_all(&mut std::io::stdout(), schema()?.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
