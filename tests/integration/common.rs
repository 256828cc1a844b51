//! A small builder so each test reads as the command a user would type.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Mend {
    args: Vec<String>,
    stdin: Vec<u8>,
    dir: PathBuf,
    env: Vec<(String, String)>,
    /// Sessions and ledgers go here, never into the user's own data folder.
    data: DataDir,
}

enum DataDir {
    Own(tempfile::TempDir),
    Shared(PathBuf),
}

impl DataDir {
    fn path(&self) -> &Path {
        match self {
            DataDir::Own(dir) => dir.path(),
            DataDir::Shared(path) => path,
        }
    }
}

#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What both partners type when `mend resume` asks whether now is a good time.
pub const READY: &str = "y\ny\n";

pub fn mend(args: &[&str]) -> Mend {
    Mend {
        args: args.iter().map(|s| (*s).to_owned()).collect(),
        stdin: Vec::new(),
        dir: repo(),
        env: Vec::new(),
        data: DataDir::Own(tempfile::tempdir().expect("a temporary folder")),
    }
}

impl Mend {
    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = text.as_bytes().to_vec();
        self
    }

    /// Input that need not be UTF-8 text.
    pub fn stdin_bytes(mut self, bytes: &[u8]) -> Self {
        self.stdin = bytes.to_vec();
        self
    }

    pub fn dir(mut self, dir: &Path) -> Self {
        self.dir = dir.to_owned();
        self
    }

    /// Uses `dir` as the data folder, so several commands share sessions.
    pub fn data(mut self, dir: &Path) -> Self {
        self.data = DataDir::Shared(dir.to_owned());
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// The command, ready to spawn.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mend"));
        command
            .args(&self.args)
            .current_dir(&self.dir)
            .env_remove("MEND_EXERCISES")
            .env("MEND_DATA", self.data.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }

    pub fn run(self) -> Output {
        let mut child = self.command().spawn().expect("the mend binary starts");
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let input = self.stdin.clone();
        // Write on a thread so a process that stops reading cannot deadlock us.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let output = child.wait_with_output().expect("mend runs to the end");
        let _ = writer.join();
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs and insists on exit code 0, showing everything when it is not.
    pub fn ok(self) -> Output {
        let output = self.run();
        assert_eq!(
            output.code, 0,
            "mend failed:\n{}\n{}",
            output.stdout, output.stderr
        );
        output
    }
}

/// The library's shared word lists (`exercises/words.yaml`), which shipped
/// exercises name in `words:`.
pub fn library_words() -> mend::WordLists {
    mend::WordLists::in_dir(&repo().join("exercises"))
}

/// Compiles an exercise that must have no errors, showing them if it has;
/// it may name the library's shared word lists.
pub fn compiled(id: &str, yaml: &str) -> mend::Exercise {
    let compiled = mend::compile(
        id,
        mend::Source::new(format!("{id}.yaml"), yaml.to_owned()),
        &library_words(),
    );
    let errors: Vec<String> = compiled
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    compiled
        .exercise
        .unwrap_or_else(|| panic!("{}", errors.join("\n")))
}
