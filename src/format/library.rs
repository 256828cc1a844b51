//! Where exercises come from: a folder of YAML files, or the library compiled
//! into the binary.

use crate::diagnostic::report::Diagnostic;
use crate::diagnostic::source::Source;
use crate::engine::Exercise;
use crate::format::compiler::{Compiled, compile};
use crate::format::word_lists::{WORD_LISTS_FILE, WordLists};
use crate::limits;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The suffix of test-plan files that sit beside exercises.
pub const TEST_PLAN_SUFFIX: &str = ".test.yaml";

#[derive(Debug, Clone)]
pub enum Origin {
    Dir(PathBuf),
    Embedded,
}

/// Why the library, or an exercise in it, cannot be read.
#[derive(Debug)]
pub enum LibraryError {
    NoFolder(PathBuf),
    Unreadable {
        dir: PathBuf,
        source: std::io::Error,
    },
    /// No exercise by that id: the sentence, with a suggestion.
    NoExercise(String),
    /// The exercise's file cannot be read.
    Source(Box<Diagnostic>),
    /// Not one exercise compiles: the sentence.
    NothingPlayable(String),
}

impl std::fmt::Display for LibraryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LibraryError::NoFolder(dir) => {
                write!(f, "exercise folder `{}` does not exist", dir.display())
            }
            LibraryError::Unreadable { dir, .. } => {
                write!(f, "cannot read exercise folder `{}`", dir.display())
            }
            LibraryError::NoExercise(sentence) | LibraryError::NothingPlayable(sentence) => {
                f.write_str(sentence)
            }
            LibraryError::Source(diagnostic) => diagnostic.fmt(f),
        }
    }
}

impl std::error::Error for LibraryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LibraryError::Unreadable { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Library {
    pub origin: Origin,
    /// Exercise ids, sorted.
    ids: Vec<String>,
    /// The shared word lists (`words.yaml`) the exercises may name.
    words: Arc<WordLists>,
}

impl Library {
    /// `--exercises DIR` or `MEND_EXERCISES`, else `./exercises` when it
    /// exists, else the library built into the binary.
    pub fn open(dir: Option<&Path>) -> Result<Library, LibraryError> {
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(LibraryError::NoFolder(dir.to_owned()));
            }
            return Library::from_dir(dir);
        }
        let local = Path::new("exercises");
        if local.is_dir() {
            return Library::from_dir(local);
        }
        Ok(Library::embedded())
    }

    pub fn embedded() -> Library {
        let ids = embedded::EXERCISES
            .iter()
            .filter_map(|(name, _)| exercise_id(Path::new(name)))
            .collect();
        Library {
            origin: Origin::Embedded,
            ids,
            words: Arc::new(WordLists::built_in()),
        }
    }

    pub fn from_dir(dir: &Path) -> Result<Library, LibraryError> {
        let entries = std::fs::read_dir(dir).map_err(|source| LibraryError::Unreadable {
            dir: dir.to_owned(),
            source,
        })?;
        let mut ids: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            // Not only regular files: a FIFO, device or broken link named like
            // an exercise is reported when read, never skipped in silence.
            .filter(|p| !p.is_dir())
            .filter_map(|p| exercise_id(&p))
            .collect();
        ids.sort();
        Ok(Library {
            origin: Origin::Dir(dir.to_owned()),
            ids,
            words: Arc::new(WordLists::in_dir(dir)),
        })
    }

    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The shared word lists its exercises may name.
    pub fn words(&self) -> &Arc<WordLists> {
        &self.words
    }

    /// Whether the library has a `words.yaml` of its own (a folder without
    /// one reads the built-in lists), which `mend check` then reads too.
    pub fn has_own_words(&self) -> bool {
        match &self.origin {
            Origin::Dir(dir) => std::fs::symlink_metadata(dir.join(WORD_LISTS_FILE)).is_ok(),
            Origin::Embedded => built_in_file(WORD_LISTS_FILE).is_some(),
        }
    }

    /// Compiles exercise `id` from `source` with the library's word lists.
    pub fn compile(&self, id: &str, source: Source) -> Compiled {
        compile(id, source, &self.words)
    }

    /// Where diagnostics say the library is.
    pub fn describe(&self) -> String {
        match &self.origin {
            Origin::Dir(dir) => dir.display().to_string(),
            Origin::Embedded => "the built-in library".to_owned(),
        }
    }

    /// The source of exercise `id`.
    pub fn source(&self, id: &str) -> Result<Source, Diagnostic> {
        match &self.origin {
            Origin::Dir(dir) => read_source(&file_in(dir, id)),
            Origin::Embedded => embedded::EXERCISES
                .iter()
                .find(|(name, _)| exercise_id(Path::new(name)).as_deref() == Some(id))
                .map(|(name, text)| Source::new(format!("<built-in>/{name}"), *text))
                .ok_or_else(|| Diagnostic::error(id, "no such exercise in the built-in library")),
        }
    }

    /// The test plan beside exercise `id`, if there is one. Anything under
    /// the plan's name that cannot be read as one (a FIFO, a folder, a file
    /// too large or not UTF-8) is an error to report, never "no plan".
    pub fn test_plan(&self, id: &str) -> Option<Result<Source, Diagnostic>> {
        let file = format!("{id}{TEST_PLAN_SUFFIX}");
        match &self.origin {
            Origin::Dir(dir) => {
                let path = dir.join(&file);
                plan_at(&path)
            }
            Origin::Embedded => embedded::EXERCISES
                .iter()
                .find(|(name, _)| *name == file)
                .map(|(name, text)| Ok(Source::new(format!("<built-in>/{name}"), *text))),
        }
    }

    /// Finds an exercise by id, suggesting close ids when there is none.
    pub fn find(&self, id: &str) -> Result<Source, LibraryError> {
        if self.ids.iter().any(|i| i == id) {
            return self
                .source(id)
                .map_err(|d| LibraryError::Source(Box::new(d)));
        }
        let known: Vec<&str> = self.ids.iter().map(String::as_str).collect();
        let hint = match crate::format::loader::did_you_mean(id, &known) {
            Some(close) => format!("; did you mean `{close}`?"),
            None => format!("; `mend list` shows the {} exercises there", known.len()),
        };
        Err(LibraryError::NoExercise(format!(
            "no exercise `{id}` in {}{hint}",
            self.describe()
        )))
    }

    /// Every exercise that compiles, for a picker (`mend check` explains the
    /// others); an error when none does.
    pub fn playable(&self) -> Result<Vec<Exercise>, LibraryError> {
        let choices: Vec<Exercise> = self
            .compile_all()
            .into_iter()
            .filter_map(|(_, compiled)| compiled.exercise)
            .collect();
        if choices.is_empty() {
            return Err(LibraryError::NothingPlayable(format!(
                "there is no exercise ready to play in {}; `mend check` shows why",
                self.describe()
            )));
        }
        Ok(choices)
    }

    /// Compiles every exercise in the library.
    pub fn compile_all(&self) -> Vec<(String, Compiled)> {
        self.compile_all_with(compile)
    }

    /// `compile_all` with another compile step (`mend check` adds analysis).
    pub fn compile_all_with(
        &self,
        compile: fn(&str, Source, &WordLists) -> Compiled,
    ) -> Vec<(String, Compiled)> {
        self.ids
            .iter()
            .map(|id| {
                let compiled = match self.source(id) {
                    Ok(source) => compile(id, source, &self.words),
                    Err(d) => Compiled {
                        exercise: None,
                        diagnostics: vec![d],
                    },
                };
                (id.clone(), compiled)
            })
            .collect()
    }
}

/// The file of exercise `id` in folder `dir`: `id.yaml`, else `id.yml`.
/// Files as given; folders become the exercise files inside them (what
/// `mend check` and `mend test` read when given paths).
pub fn exercise_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LibraryError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let library = Library::from_dir(path)?;
            files.extend(library.ids().iter().map(|id| file_in(path, id)));
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

pub fn file_in(dir: &Path, id: &str) -> PathBuf {
    let yaml = dir.join(format!("{id}.yaml"));
    if yaml.is_file() {
        return yaml;
    }
    let yml = dir.join(format!("{id}.yml"));
    if yml.is_file() { yml } else { yaml }
}

/// The id of an exercise file: its stem, for `.yaml`/`.yml` files that are not
/// test plans.
pub fn exercise_id(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(TEST_PLAN_SUFFIX) || name.starts_with('.') || name == WORD_LISTS_FILE {
        return None;
    }
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))?;
    Some(stem.to_owned())
}

/// Reads a file for compiling, refusing oversized files before reading them
/// whole and reporting unreadable ones as diagnostics.
/// The test plan at `path`: `None` only if nothing at all is there.
pub fn plan_at(path: &Path) -> Option<Result<Source, Diagnostic>> {
    std::fs::symlink_metadata(path)
        .is_ok()
        .then(|| read_plan(path))
}

/// A test plan at `path`, held to the plan bound (larger than an
/// exercise's: a case for every input a rule must catch or let through).
pub fn read_plan(path: &Path) -> Result<Source, Diagnostic> {
    read_source_within(path, limits::PLAN_FILE_BYTES, "test plans")
}

/// An exercise file (or a notes template) at `path`.
pub fn read_source(path: &Path) -> Result<Source, Diagnostic> {
    read_source_within(path, limits::EXERCISE_FILE_BYTES, "exercise files")
}

/// The library's shared word lists at `path`, held to their own bound: the
/// lists every exercise shares outgrow one exercise's file.
pub fn read_word_lists(path: &Path) -> Result<Source, Diagnostic> {
    read_source_within(path, limits::WORD_LISTS_FILE_BYTES, "word list files")
}

/// The text at `path`, refused past `limit` bytes (`what` names the kind of
/// file in the message) before it is read whole.
fn read_source_within(path: &Path, limit: usize, what: &str) -> Result<Source, Diagnostic> {
    let name = path.display().to_string();
    let mut file = open_regular(path, &name)?;
    let mut bytes = Vec::new();
    file.by_ref()
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error(&name, format!("cannot read the file: {e}")))?;
    if bytes.len() > limit {
        let size = file
            .metadata()
            .map(|m| m.len())
            .unwrap_or(bytes.len() as u64);
        return Err(Diagnostic::error(
            &name,
            format!(
                "the file is {} KiB; {what} are limited to {} KiB",
                size.div_ceil(1024),
                limit / 1024
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Diagnostic::error(
            &name,
            format!("the file is not UTF-8 text (invalid byte at offset {at})"),
        )
    })?;
    // Editors on some systems begin UTF-8 files with a byte order mark.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    Ok(Source::new(name, text))
}

/// Opens a file to read only if it is a regular file: opening a FIFO would
/// wait for a writer forever, and a device such as /dev/zero never ends.
/// The open itself does not wait (`O_NONBLOCK`); the type is checked on
/// what was opened, so nothing can be swapped in between.
fn open_regular(path: &Path, name: &str) -> Result<File, Diagnostic> {
    let unreadable =
        |e: std::io::Error| Diagnostic::error(name, format!("cannot read the file: {e}"));
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(unreadable)?;
    let kind = file.metadata().map_err(unreadable)?.file_type();
    if kind.is_file() {
        return Ok(file);
    }
    let what = if kind.is_dir() {
        "a folder"
    } else {
        non_regular_kind(&kind)
    };
    Err(Diagnostic::error(
        name,
        format!("this is {what}, not a file; mend reads only regular files"),
    ))
}

#[cfg(unix)]
fn non_regular_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn non_regular_kind(_kind: &std::fs::FileType) -> &'static str {
    "not a regular file"
}

/// A file of the library built into the binary: (file name, text).
pub fn built_in_file(name: &str) -> Option<(&'static str, &'static str)> {
    embedded::EXERCISES
        .iter()
        .find(|(n, _)| *n == name)
        .copied()
}

/// The notes templates built into the binary: (file name, text).
pub fn builtin_templates() -> &'static [(&'static str, &'static str)] {
    embedded::TEMPLATES
}
