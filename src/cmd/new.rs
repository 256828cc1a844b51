use crate::cmd::Status;
use crate::cmd::schema::{EXERCISE_SCHEMA, PLAN_SCHEMA, write_schemas};
use crate::format::library::{Library, TEST_PLAN_SUFFIX};
use anyhow::{Context, bail};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new exercise's id: lowercase words joined by hyphens, e.g. `morning-check-in`
    pub id: String,
    /// Start from `basic` (one turn each way), `turns` (a block played twice,
    /// roles swapped) or a copy of an exercise in the library
    #[arg(long, value_name = "TEMPLATE", default_value = "basic")]
    pub from: String,
}

/// Built-in starting points: (name, exercise, test plan). Each passes
/// `mend check --deny-warnings` and `mend test` as written.
const SKELETONS: [(&str, &str, &str); 2] = [
    (
        "basic",
        include_str!("../skeletons/basic.yaml"),
        include_str!("../skeletons/basic.test.yaml"),
    ),
    (
        "turns",
        include_str!("../skeletons/turns.yaml"),
        include_str!("../skeletons/turns.test.yaml"),
    ),
];

pub fn execute(args: Args, exercises: Option<&Path>) -> Status {
    check_id(&args.id)?;
    let dir = exercises.unwrap_or(Path::new("exercises"));
    let (exercise, plan) = starting_point(&args, exercises)?;
    let exercise_path = dir.join(format!("{}.yaml", args.id));
    let plan_path = dir.join(format!("{}{TEST_PLAN_SUFFIX}", args.id));
    for path in [
        &exercise_path,
        &plan_path,
        &dir.join(format!("{}.yml", args.id)),
    ] {
        if path.exists() {
            bail!(
                "`{}` already exists; mend new never overwrites a file (choose another id or move it away)",
                path.display()
            );
        }
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    write_new(&exercise_path, &with_modeline(&exercise, EXERCISE_SCHEMA))?;
    write_new(&plan_path, &with_modeline(&plan, PLAN_SCHEMA))?;
    // Beside the files, so the modelines resolve in any folder.
    write_schemas(dir)?;
    writeln!(
        std::io::stdout(),
        "Wrote {} and {}.\nNext: edit them, then `mend check --deny-warnings {}` and `mend test {}`.",
        exercise_path.display(),
        plan_path.display(),
        exercise_path.display(),
        exercise_path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// An id becomes a file name and is typed on the command line, so it is
/// plain: lowercase letters and digits in words joined by single hyphens.
fn check_id(id: &str) -> anyhow::Result<()> {
    let plain = id.len() <= 60
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !plain {
        bail!(
            "`{id}` is not a usable exercise id: use lowercase letters, digits and single hyphens, starting with a letter (at most 60 characters), e.g. `morning-check-in`"
        );
    }
    Ok(())
}

/// The exercise text and its test plan.
fn starting_point(args: &Args, exercises: Option<&Path>) -> anyhow::Result<(String, String)> {
    if let Some((_, exercise, plan)) = SKELETONS.iter().find(|(name, _, _)| *name == args.from) {
        let title = title_of(&args.id);
        return Ok((exercise.replace("TITLE", &title), (*plan).to_owned()));
    }
    // The folder being written to may not hold the exercise to copy yet;
    // the built-in library always does.
    let library = [Library::open(exercises)?, Library::embedded()]
        .into_iter()
        .find(|l| l.ids().iter().any(|id| id == &args.from));
    let Some(library) = library else {
        let names: Vec<&str> = SKELETONS.iter().map(|(name, _, _)| *name).collect();
        bail!(
            "no template `{}`: use {} or the id of an exercise in the library",
            args.from,
            names.join(", "),
        );
    };
    let source = library.find(&args.from)?;
    let plan = match library.test_plan(&args.from) {
        Some(Err(d)) => bail!(
            "cannot copy the test plan of `{}`: {}",
            args.from,
            d.message
        ),
        plan => plan.and_then(Result::ok),
    }
    .map(|p| p.text.to_string())
    .with_context(|| {
        format!(
            "exercise `{}` has no test plan to copy; start from `basic` or `turns` instead",
            args.from
        )
    })?;
    Ok((source.text.to_string(), plan))
}

/// `morning-check-in` → `Morning check-in`.
const MODELINE: &str = "# yaml-language-server: $schema=";

/// `text` with a first line pointing editors at `schema` in the same folder,
/// replacing a modeline it had (a copy's points into the library it came from).
fn with_modeline(text: &str, schema: &str) -> String {
    let body = match text.strip_prefix(MODELINE) {
        Some(rest) => rest.split_once('\n').map_or("", |(_, body)| body),
        None => text,
    };
    format!("{MODELINE}{schema}\n{body}")
}

fn title_of(id: &str) -> String {
    let text = id.replace('-', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))
}
