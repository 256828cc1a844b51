use crate::cmd::Status;
use crate::diagnostic::report::{Diagnostic, Diagnostics};
use crate::diagnostic::source::Source;
use crate::diagnostic::yaml_path::Point;
use crate::engine::exercise::Exercise;
use crate::format::compiler::compile;
use crate::format::library::{
    Library, TEST_PLAN_SUFFIX, exercise_files, exercise_id, plan_at, read_source,
};
use crate::format::word_lists::{WORD_LISTS_FILE, WordLists};
use crate::playtest::walker::Couple;
use crate::playtest::{plan, runner, walker};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Exercise ids, exercise files, test plans (`ID.test.yaml`) or folders [default: every exercise in the library with a test plan]
    pub paths: Vec<PathBuf>,
    /// Instead of the plans, play each exercise N times with generated answers
    #[arg(long, value_name = "N")]
    pub random: Option<u64>,
    /// The seed for --random; the same seed plays the same runs
    #[arg(long, value_name = "S", default_value_t = 1, requires = "random")]
    pub seed: u64,
}

/// An exercise and the plan file beside it, if any.
struct Target {
    id: String,
    /// How the user named it: the id, or the file's path.
    name: String,
    source: Result<Source, Diagnostic>,
    plan: Option<Result<Source, Diagnostic>>,
    /// The shared word lists it may name.
    words: Arc<WordLists>,
}

pub fn execute(args: Args, exercises: Option<&Path>) -> Status {
    let targets = targets(&args.paths, exercises, args.random.is_none())?;
    let mut tally = Tally::default();
    let stdout = io::stdout();
    let out = &mut stdout.lock();
    for target in targets {
        let Some(exercise) = compiled(&target, &mut tally, out)? else {
            continue;
        };
        match args.random {
            Some(runs) => {
                let started = std::time::Instant::now();
                let couples = plan_couples(&exercise, target.plan);
                let mut report = walker::walk(&exercise, runs, args.seed, &couples);
                // Timing varies from run to run, so it goes to stderr and
                // stdout stays the same for a seed.
                let seconds = started.elapsed().as_secs_f64();
                let _ = writeln!(
                    io::stderr(),
                    "{}: {runs} runs in {seconds:.2} s ({:.0} runs/s)",
                    exercise.id,
                    runs as f64 / seconds.max(1e-9)
                );
                report.target = target.name.clone();
                write!(out, "{report}")?;
                tally.passed += report.finished;
                tally.failed += report.failures.len() as u64;
            }
            None => test_plans(&exercise, target.plan, &mut tally, out)?,
        }
    }
    writeln!(out, "{} passed, {} failed", tally.passed, tally.failed)?;
    Ok(if tally.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

fn compiled(
    target: &Target,
    tally: &mut Tally,
    out: &mut dyn Write,
) -> io::Result<Option<Exercise>> {
    let source = match &target.source {
        Ok(source) => source.clone(),
        Err(d) => {
            writeln!(
                out,
                "FAIL  {}: the exercise cannot be read\n{d}\n",
                target.id
            )?;
            tally.failed += 1;
            return Ok(None);
        }
    };
    let compiled = compile(&target.id, source, &target.words);
    if compiled.exercise.is_none() {
        let diagnostics = Diagnostics(compiled.diagnostics);
        writeln!(
            out,
            "FAIL  {}: the exercise has errors ({})\n{diagnostics}",
            target.id,
            diagnostics.summary()
        )?;
        tally.failed += 1;
    }
    Ok(compiled.exercise)
}

/// The couples and ledgers of the exercise's test plans, for random runs.
/// A plan file with problems adds none (`mend test` without `--random`
/// reports them).
fn plan_couples(exercise: &Exercise, plan: Option<Result<Source, Diagnostic>>) -> Vec<Couple> {
    let Some(Ok(source)) = plan else {
        return Vec::new();
    };
    plan::load(&source, exercise)
        .0
        .iter()
        .filter_map(|p| runner::ledger_of(p).map(|ledger| (p.partners.clone(), ledger)))
        .collect()
}

fn test_plans(
    exercise: &Exercise,
    plan: Option<Result<Source, Diagnostic>>,
    tally: &mut Tally,
    out: &mut dyn Write,
) -> io::Result<()> {
    let source = match plan {
        Some(Ok(source)) => source,
        Some(Err(d)) => {
            writeln!(
                out,
                "FAIL  {}: the test plan cannot be read\n{d}\n",
                exercise.id
            )?;
            tally.failed += 1;
            return Ok(());
        }
        None => {
            writeln!(
                out,
                "FAIL  {}: no test plan; write {}{TEST_PLAN_SUFFIX} beside the exercise",
                exercise.id, exercise.id
            )?;
            tally.failed += 1;
            return Ok(());
        }
    };
    let (plans, diagnostics) = plan::load(&source, exercise);
    if !diagnostics.is_empty() {
        let diagnostics = Diagnostics(diagnostics);
        writeln!(
            out,
            "FAIL  {}: the test plan has errors\n{diagnostics}",
            exercise.id
        )?;
        tally.failed += 1;
        return Ok(());
    }
    for plan in &plans {
        match runner::play(exercise, plan) {
            Ok(()) => {
                writeln!(out, "ok    {}: {}", exercise.id, plan.name)?;
                tally.passed += 1;
            }
            Err(failure) => {
                writeln!(out, "FAIL  {}: {}", exercise.id, plan.name)?;
                let (line, _) = source.position(&failure.path, Point::Key);
                writeln!(out, "  {}:{line}: {failure}\n", source.name)?;
                tally.failed += 1;
            }
        }
    }
    Ok(())
}

fn targets(
    paths: &[PathBuf],
    exercises: Option<&Path>,
    need_plans: bool,
) -> anyhow::Result<Vec<Target>> {
    if paths.is_empty() {
        let library = Library::open(exercises)?;
        let targets = library
            .ids()
            .iter()
            .map(|id| Target {
                id: id.clone(),
                name: id.clone(),
                source: library.source(id),
                plan: library.test_plan(id),
                words: library.words().clone(),
            })
            .filter(|t| t.plan.is_some() || !need_plans)
            .collect();
        return Ok(targets);
    }
    let mut files = Vec::new();
    let mut targets = Vec::new();
    for path in paths {
        let id = path.to_str().unwrap_or_default();
        if !path.exists() && exercise_id(Path::new(&format!("{id}.yaml"))).as_deref() == Some(id) {
            let library = Library::open(exercises)?;
            library.find(id)?;
            targets.push(Target {
                id: id.to_owned(),
                name: id.to_owned(),
                source: library.source(id),
                plan: library.test_plan(id),
                words: library.words().clone(),
            });
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        match name.strip_suffix(TEST_PLAN_SUFFIX) {
            Some(stem) => files.push(path.with_file_name(format!("{stem}.yaml"))),
            None => files.extend(exercise_files(std::slice::from_ref(path))?),
        }
    }
    files.dedup();
    // The shared word lists have no plan of their own: the exercises that
    // read them are tested.
    files.retain(|file| file.file_name().is_none_or(|n| n != WORD_LISTS_FILE));
    targets.extend(files.into_iter().map(|file| {
        let id = exercise_id(&file).unwrap_or_else(|| file.display().to_string());
        let plan = file.with_file_name(format!("{id}{TEST_PLAN_SUFFIX}"));
        Target {
            name: file.display().to_string(),
            source: read_source(&file),
            plan: plan_at(&plan),
            words: Arc::new(WordLists::beside(&file)),
            id,
        }
    }));
    Ok(targets)
}
