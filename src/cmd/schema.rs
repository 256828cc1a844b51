use crate::cmd::Status;
use crate::format::spec::ExerciseSpec;
use crate::playtest::plan::PlanFileSpec;
use anyhow::Context;
use schemars::generate::SchemaSettings;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the schema of test plans (`ID.test.yaml`) instead
    #[arg(long, conflicts_with = "check_output")]
    pub plan: bool,
    /// Print the schema of `mend check --format json` instead
    #[arg(long)]
    pub check_output: bool,
    /// Write both schemas into DIR (exercise.schema.json, test-plan.schema.json),
    /// where the files' `$schema` modelines can find them
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
}

/// The file names the schemas are written under, beside the exercises.
pub const EXERCISE_SCHEMA: &str = "exercise.schema.json";
pub const PLAN_SCHEMA: &str = "test-plan.schema.json";

/// The JSON Schema of exercise files, generated from the types mend reads
/// them into, so it cannot drift from what `mend check` accepts. Draft 7,
/// the draft editors' YAML plugins understand best.
pub fn schema() -> anyhow::Result<String> {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<ExerciseSpec>();
    schema.insert("title".into(), "mend exercise".into());
    Ok(serde_json::to_string_pretty(&schema)? + "\n")
}

/// The JSON Schema of test plan files.
pub fn plan_schema() -> anyhow::Result<String> {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<PlanFileSpec>();
    schema.insert("title".into(), "mend test plan".into());
    Ok(serde_json::to_string_pretty(&schema)? + "\n")
}

/// Writes both schemas into `dir`. They are generated, so an older copy is
/// replaced.
pub fn write_schemas(dir: &Path) -> anyhow::Result<()> {
    for (name, text) in [(EXERCISE_SCHEMA, schema()?), (PLAN_SCHEMA, plan_schema()?)] {
        let path = dir.join(name);
        std::fs::write(&path, text)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    Ok(())
}

pub fn execute(args: Args) -> Status {
    if let Some(dir) = &args.write {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
        write_schemas(dir)?;
        println!(
            "Wrote {} and {} in {}.",
            EXERCISE_SCHEMA,
            PLAN_SCHEMA,
            dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let text = if args.plan {
        plan_schema()?
    } else if args.check_output {
        crate::diagnostic::json::CheckReport::schema()
    } else {
        schema()?
    };
    std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
