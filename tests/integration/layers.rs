//! The wall test: every `crate::<folder>` reference in `src/` (outside
//! `#[cfg(test)]` code) must point down the layers of docs/architecture.md,
//! and the folders must not import each other in a cycle.
//!
//! Below the command line (`src/cmd/`, `src/main.rs`) no code names
//! `anyhow`: every layer says what failed in a type of its own.
//!
//! A failure names the file, the line and the rule it breaks, e.g.
//! `src/script/uses.rs:4: script imports format (crate::format::compiler); script may import only diagnostic, limits, markdown, partners, text`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What each top-level module of `src/` may import, lowest layer first.
/// Leaves: limits, text, markdown, partners < diagnostic < script < engine <
/// format < store < notes < frontend < playtest, web < cmd.
const ALLOWED: &[(&str, &[&str])] = &[
    ("limits", &[]),
    ("text", &["limits"]),
    ("markdown", &["limits", "text"]),
    ("partners", &["limits", "text"]),
    ("diagnostic", LEAVES),
    (
        "script",
        &["limits", "text", "markdown", "partners", "diagnostic"],
    ),
    (
        "engine",
        &[
            "limits",
            "text",
            "markdown",
            "partners",
            "diagnostic",
            "script",
        ],
    ),
    (
        "format",
        &[
            "limits",
            "text",
            "markdown",
            "partners",
            "diagnostic",
            "script",
            "engine",
        ],
    ),
    (
        "store",
        &[
            "limits",
            "text",
            "markdown",
            "partners",
            "diagnostic",
            "script",
            "engine",
            "format",
        ],
    ),
    (
        "notes",
        &[
            "limits",
            "text",
            "markdown",
            "partners",
            "diagnostic",
            "script",
            "engine",
            "format",
            "store",
        ],
    ),
    (
        "frontend",
        &[
            "limits",
            "text",
            "markdown",
            "partners",
            "diagnostic",
            "script",
            "engine",
            "format",
            "store",
            "notes",
        ],
    ),
    (
        "playtest",
        &[
            "limits",
            "text",
            "markdown",
            "partners",
            "diagnostic",
            "script",
            "engine",
            "format",
            "store",
            "notes",
            "frontend",
        ],
    ),
    (
        "web",
        &[
            "limits",
            "text",
            "markdown",
            "partners",
            "diagnostic",
            "script",
            "engine",
            "format",
            "store",
            "notes",
            "frontend",
        ],
    ),
    (
        "lsp",
        &[
            "limits",
            "text",
            "markdown",
            "partners",
            "diagnostic",
            "script",
            "engine",
            "format",
        ],
    ),
    (
        "cmd",
        &[
            "lsp",
            "limits",
            "text",
            "markdown",
            "partners",
            "diagnostic",
            "script",
            "engine",
            "format",
            "store",
            "notes",
            "frontend",
            "playtest",
            "web",
        ],
    ),
];

const LEAVES: &[&str] = &["limits", "text", "markdown", "partners"];

/// The walls the architecture states outright, checked on their own so a
/// failure says which promise broke even if the allow-list above is loosened.
const FORBIDDEN: &[(&str, &[&str], &str)] = &[
    (
        "engine",
        &["store", "frontend", "notes", "playtest", "cmd"],
        "the engine is a pure state machine: no storage, front-ends, notes, test tools or commands",
    ),
    (
        "script",
        &["store", "frontend", "notes", "playtest", "cmd"],
        "scripts and templates know nothing of storage, front-ends, notes, test tools or commands",
    ),
    (
        "format",
        &["store", "frontend"],
        "the exercise format knows nothing of storage or front-ends",
    ),
];

/// One `crate::<module>` reference found in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    line: usize,
    /// The top-level module referred to (`engine` in `crate::engine::run::Run`).
    module: String,
    /// The path as written, for the message.
    path: String,
}

/// The top-level module a file under `src/` belongs to: `src/engine/run.rs`
/// is `engine`, `src/text.rs` is `text`; `lib.rs` and `main.rs` are the root.
fn module_of(relative: &str) -> Option<String> {
    let relative = relative.strip_prefix("src/").unwrap_or(relative);
    let first = relative.split('/').next()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    match name {
        "lib" | "main" => None,
        _ => Some(name.to_string()),
    }
}

/// Source text with comments, string and char literals blanked out (newlines
/// kept, so line numbers still hold).
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if (c == 'r' || c == 'b')
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
            && raw_string_start(&chars[i..]).is_some()
        {
            let (skip, hashes) = raw_string_start(&chars[i..]).unwrap_or((0, 0));
            for _ in 0..skip {
                out.push(' ');
            }
            i += skip;
            let closing: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while i < chars.len() && !chars[i..].starts_with(&closing) {
                out.push(blank(chars[i]));
                i += 1;
            }
            for _ in 0..closing.len().min(chars.len() - i) {
                out.push(' ');
            }
            i += closing.len();
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            let end = if next == Some('\\') {
                chars[i + 2..]
                    .iter()
                    .position(|&c| c == '\'')
                    .map(|p| i + 2 + p)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for _ in i..=end {
                        out.push(' ');
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// `r"`, `r#"`, `br##"`...: how many characters open the raw string, and its `#`s.
fn raw_string_start(chars: &[char]) -> Option<(usize, usize)> {
    let mut i = 0;
    if chars.first() == Some(&'b') {
        i += 1;
    }
    if chars.get(i) != Some(&'r') {
        return None;
    }
    i += 1;
    let hashes = chars[i..].iter().take_while(|&&c| c == '#').count();
    i += hashes;
    (chars.get(i) == Some(&'"')).then_some((i + 1, hashes))
}

/// Code with every `#[cfg(test)]` item blanked out (a test module may reach
/// anywhere; the walls are about what ships).
fn without_test_code(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        // The item ends at its `;` or at the brace that closes its first `{`.
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        out.extend(
            item[..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Every `crate::<module>` (and `crate::{a, b::c}`) in a file's shipped code.
/// `super::x` in a folder's `mod.rs` is `crate::x` too.
fn references(relative: &str, text: &str) -> Vec<Reference> {
    let code = without_test_code(&code_only(text));
    let is_folder_root = relative.ends_with("/mod.rs");
    let mut found = Vec::new();
    for (index, line) in code.lines().enumerate() {
        let mut prefixes = vec!["crate::"];
        if is_folder_root {
            prefixes.push("super::");
        } else if relative.matches('/').count() >= 2 {
            prefixes.push("super::super::");
        }
        for prefix in prefixes {
            let mut from = 0;
            while let Some(at) = line[from..].find(prefix) {
                let start = from + at;
                from = start + prefix.len();
                let before = line[..start].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                let after = &line[from..];
                let heads: Vec<String> = if let Some(group) = after.strip_prefix('{') {
                    let group = group.split('}').next().unwrap_or("");
                    group
                        .split(',')
                        .map(|item| identifier(item.trim()))
                        .filter(|name| !name.is_empty())
                        .collect()
                } else {
                    vec![identifier(after)]
                };
                for head in heads.into_iter().filter(|h| !h.is_empty() && h != "self") {
                    found.push(Reference {
                        line: index + 1,
                        module: head.clone(),
                        path: format!("crate::{}", path_at(after).unwrap_or(head)),
                    });
                }
            }
        }
    }
    found
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn path_at(text: &str) -> Option<String> {
    let path: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    let path = path.trim_end_matches(':').to_string();
    (!path.is_empty()).then_some(path)
}

/// Names `lib.rs` re-exports at the crate root (`pub use engine::run::Run;`),
/// mapped to the module they come from, so `crate::Run` counts as `engine`.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for statement in code_only(lib).split(';') {
        let statement = statement.trim();
        let Some(path) = statement.strip_prefix("pub use ") else {
            continue;
        };
        let path = path.trim_start_matches("crate::");
        let module = identifier(path);
        let names: Vec<&str> = match (path.find('{'), path.rfind('}')) {
            (Some(open), Some(close)) => path[open + 1..close].split(',').collect(),
            _ => vec![path.rsplit("::").next().unwrap_or("")],
        };
        for name in names {
            let name = name.split(" as ").last().unwrap_or("").trim();
            if !name.is_empty() {
                map.insert(name.to_string(), module.clone());
            }
        }
    }
    map
}

/// Check a set of files (paths relative to the repository, `src/...`) and
/// return one line per broken rule.
fn check(files: &[(String, String)]) -> Vec<String> {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let reexports = files
        .iter()
        .find(|(path, _)| path == "src/lib.rs")
        .map(|(_, text)| root_reexports(text))
        .unwrap_or_default();
    let mut problems = Vec::new();
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (path, text) in files {
        let Some(from) = module_of(path) else {
            continue;
        };
        let Some(may) = allowed.get(from.as_str()) else {
            problems.push(format!(
                "{path}:1: `{from}` is not a known layer; add it to ALLOWED in tests/integration/layers.rs and to docs/architecture.md"
            ));
            continue;
        };
        for reference in references(path, text) {
            let to = if allowed.contains_key(reference.module.as_str()) {
                reference.module.clone()
            } else if let Some(module) = reexports.get(&reference.module) {
                module.clone()
            } else {
                problems.push(format!(
                    "{path}:{}: {} does not name a layer of the crate",
                    reference.line, reference.path
                ));
                continue;
            };
            if to == from {
                continue;
            }
            let at = format!("{path}:{}", reference.line);
            graph
                .entry(from.clone())
                .or_default()
                .entry(to.clone())
                .or_insert_with(|| at.clone());
            for (layer, never, why) in FORBIDDEN {
                if *layer == from && never.contains(&to.as_str()) {
                    problems.push(format!(
                        "{at}: {from} imports {to} ({}): {why}",
                        reference.path
                    ));
                }
            }
            if !may.contains(&to.as_str()) {
                problems.push(format!(
                    "{at}: {from} imports {to} ({}); {from} may import only {}",
                    reference.path,
                    if may.is_empty() {
                        "nothing".to_string()
                    } else {
                        may.join(", ")
                    }
                ));
            }
        }
    }
    problems.extend(cycles(&graph));
    problems
}

/// Every cycle among the modules' imports, each named once with the line
/// that makes each edge.
fn cycles(graph: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<String> {
    let mut found = BTreeSet::new();
    for start in graph.keys() {
        // Depth-first from `start`, looking for a way back to it through
        // modules that sort after it (so each cycle is reported from its
        // smallest member only).
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        while let Some((node, trail)) = stack.pop() {
            for next in graph.get(&node).map(|m| m.keys()).into_iter().flatten() {
                if next == start {
                    let mut cycle = trail.clone();
                    cycle.push(start.clone());
                    let edges: Vec<String> = cycle
                        .windows(2)
                        .map(|pair| {
                            format!(
                                "{} -> {} at {}",
                                pair[0], pair[1], graph[&pair[0]][&pair[1]]
                            )
                        })
                        .collect();
                    found.insert(format!("import cycle: {}", edges.join("; ")));
                } else if next > start && !trail.contains(next) {
                    let mut trail = trail.clone();
                    trail.push(next.clone());
                    stack.push((next.clone(), trail));
                }
            }
        }
    }
    found.into_iter().collect()
}

/// Where `anyhow` may be named: the command line, which turns every typed
/// error into its message. Every layer below says what failed in a type
/// (the web front-end too: `SittingError`, `ServeError`).
const ANYHOW_ALLOWED: &[&str] = &["src/cmd/", "src/main.rs"];

/// One line per file outside `ANYHOW_ALLOWED` whose code (test code too;
/// comments and strings aside) names `anyhow`.
fn anyhow_outside_the_command_line(files: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, text) in files {
        if ANYHOW_ALLOWED
            .iter()
            .any(|allowed| path.starts_with(allowed))
        {
            continue;
        }
        let code = code_only(text);
        for (index, line) in code.lines().enumerate() {
            let named = line.match_indices("anyhow").any(|(at, _)| {
                let before = line[..at].chars().next_back();
                let after = line[at + "anyhow".len()..].chars().next();
                let part_of_word =
                    |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !part_of_word(before) && !part_of_word(after)
            });
            if named {
                problems.push(format!(
                    "{path}:{}: names `anyhow`; only {} may: return a typed error (with the path and what failed) instead",
                    index + 1,
                    ANYHOW_ALLOWED.join(" and ")
                ));
            }
        }
    }
    problems
}

fn source_files(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|entry| entry.expect("src/ entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path
                .strip_prefix(root)
                .expect("under the repository")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("source is UTF-8");
            out.push((relative, text));
        }
    }
}

#[test]
fn every_import_points_down_the_layers() {
    let root = crate::common::repo();
    let mut files = Vec::new();
    source_files(&root.join("src"), &root, &mut files);
    assert!(files.len() > 40, "found only {} source files", files.len());
    let problems = check(&files);
    let modules: BTreeSet<String> = files.iter().filter_map(|(p, _)| module_of(p)).collect();
    let cycles = problems
        .iter()
        .filter(|p| p.starts_with("import cycle"))
        .count();
    // The count the architecture notes quote (`--nocapture` shows it).
    println!(
        "{} top-level modules, {cycles} folder cycle(s), {} upward or unknown import(s)",
        modules.len(),
        problems.len() - cycles
    );
    assert!(
        problems.is_empty(),
        "{} import(s) break the layers of docs/architecture.md:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn anyhow_is_named_only_by_the_command_line() {
    let root = crate::common::repo();
    let mut files = Vec::new();
    source_files(&root.join("src"), &root, &mut files);
    let problems = anyhow_outside_the_command_line(&files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn anyhow_below_the_command_line_is_named_with_its_file_and_line() {
    let problems = anyhow_outside_the_command_line(&files(&[
        (
            "src/cmd/run.rs",
            "fn f() -> anyhow::Result<()> { Ok(()) }\n",
        ),
        ("src/main.rs", "use anyhow::Context;\n"),
        (
            "src/store/journal.rs",
            "// anyhow is gone from here\nconst S: &str = \"anyhow\";\nfn no_anyhow_here() {}\nuse anyhow::{Context, bail};\n",
        ),
        (
            "src/notes/render.rs",
            "fn f() -> Result<(), ::anyhow::Error> { todo!() }\n",
        ),
        (
            "src/web/sitting.rs",
            "fn sit() -> anyhow::Result<()> { Ok(()) }\n",
        ),
    ]));
    assert_eq!(
        problems,
        vec![
            "src/store/journal.rs:4: names `anyhow`; only src/cmd/ and src/main.rs may: return a typed error (with the path and what failed) instead",
            "src/notes/render.rs:1: names `anyhow`; only src/cmd/ and src/main.rs may: return a typed error (with the path and what failed) instead",
            "src/web/sitting.rs:1: names `anyhow`; only src/cmd/ and src/main.rs may: return a typed error (with the path and what failed) instead",
        ]
    );
}

#[test]
fn every_module_under_src_has_a_layer() {
    let root = crate::common::repo();
    let mut files = Vec::new();
    source_files(&root.join("src"), &root, &mut files);
    let known: BTreeSet<&str> = ALLOWED.iter().map(|(name, _)| *name).collect();
    let modules: BTreeSet<String> = files.iter().filter_map(|(p, _)| module_of(p)).collect();
    for module in &modules {
        assert!(
            known.contains(module.as_str()),
            "src/{module} has no layer in ALLOWED"
        );
    }
    for name in &known {
        assert!(
            modules.contains(*name),
            "ALLOWED names `{name}`, which src/ no longer has"
        );
    }
}

fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

#[test]
fn a_downward_import_passes() {
    let problems = check(&files(&[
        (
            "src/engine/run.rs",
            "use crate::script::template::Template;\nuse crate::diagnostic::report::Diagnostic;\n",
        ),
        (
            "src/cmd/run.rs",
            "use crate::{engine::run::Run, frontend::play};\n",
        ),
    ]));
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn an_upward_import_is_named_with_its_file_and_line() {
    let problems = check(&files(&[(
        "src/script/uses.rs",
        "//! Uses.\n\nuse crate::text;\nuse crate::format::compiler::SCRIPT_NAMES;\n",
    )]));
    assert_eq!(
        problems,
        vec![
            "src/script/uses.rs:4: script imports format (crate::format::compiler::SCRIPT_NAMES); script may import only limits, text, markdown, partners, diagnostic"
        ]
    );
}

#[test]
fn the_stated_walls_are_named_with_their_reason() {
    let problems = check(&files(&[(
        "src/engine/ledger.rs",
        "fn save() { crate::store::lock::Lock::take(); }\n",
    )]));
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("src/engine/ledger.rs:1: engine imports store (crate::store::lock::Lock::take): the engine is a pure state machine"),
        "{problems:#?}"
    );
}

#[test]
fn grouped_imports_and_root_reexports_are_resolved() {
    let problems = check(&files(&[
        (
            "src/lib.rs",
            "pub mod engine;\npub use engine::run::Run;\npub use cmd::{Cli, Command as Top};\n",
        ),
        (
            "src/script/names.rs",
            "use crate::{text::neutralize, Run};\n",
        ),
        ("src/format/x.rs", "fn f() -> crate::Top { todo!() }\n"),
    ]));
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("src/script/names.rs:1: script imports engine (crate::Run)"),
        "{problems:#?}"
    );
    assert!(
        problems[1].starts_with("src/format/x.rs:1: format imports cmd (crate::Top)"),
        "{problems:#?}"
    );
}

#[test]
fn test_code_comments_and_strings_are_not_imports() {
    let problems = check(&files(&[(
        "src/engine/view.rs",
        r##"//! Unlike crate::store::journal, this keeps nothing.
/* crate::frontend */
const HINT: &str = "crate::cmd::run";
const RAW: &str = r#"crate::cmd::run "quoted" "#;
const BRACE: char = '{';
fn f<'a>(x: &'a str) -> &'a str { x }

#[cfg(test)]
mod tests {
    use crate::store::journal::Journal;
    fn g() { let _ = "}"; }
}

#[cfg(test)]
use crate::frontend::play;
"##,
    )]));
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn code_after_a_test_module_is_still_checked() {
    let problems = check(&files(&[(
        "src/engine/view.rs",
        "#[cfg(test)]\nmod tests {\n    fn g() {}\n}\n\nuse crate::cmd::run;\n",
    )]));
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("src/engine/view.rs:6: engine imports cmd"),
        "{problems:#?}"
    );
}

#[test]
fn a_cycle_between_folders_is_named_edge_by_edge() {
    let graph: BTreeMap<String, BTreeMap<String, String>> = [
        ("engine", "format", "src/engine/a.rs:3"),
        ("format", "store", "src/format/b.rs:5"),
        ("store", "engine", "src/store/c.rs:7"),
        ("cmd", "engine", "src/cmd/d.rs:1"),
    ]
    .into_iter()
    .fold(BTreeMap::new(), |mut g, (a, b, at)| {
        g.entry(a.to_string())
            .or_default()
            .insert(b.to_string(), at.to_string());
        g
    });
    assert_eq!(
        cycles(&graph),
        vec![
            "import cycle: engine -> format at src/engine/a.rs:3; format -> store at src/format/b.rs:5; store -> engine at src/store/c.rs:7"
        ]
    );
}

#[test]
fn a_cycle_in_real_files_fails_the_check() {
    let problems = check(&files(&[
        ("src/text.rs", "use crate::markdown::escape;\n"),
        ("src/markdown.rs", "use crate::text::neutralize;\n"),
    ]));
    assert!(
        problems.iter().any(|p| p
            == "import cycle: markdown -> text at src/markdown.rs:1; text -> markdown at src/text.rs:1"),
        "{problems:#?}"
    );
}
