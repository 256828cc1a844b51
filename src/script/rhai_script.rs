//! rhai, boxed in. Exercise scripts get a raw engine with only the core
//! language, strings, arrays, maps and mend's helpers: no file module resolver,
//! no `eval`, no printing, no clock, and hard limits on work and memory, so an
//! exercise file can never read a file, hang the program or exhaust memory.

use crate::limits;
use crate::script::code_tokens::{Kind, tokens};
use crate::script::fast_expr::FastExpr;
use crate::script::fast_scope::FastScope;
use crate::script::scope_names::{ScopeName, Visits};
use crate::script::text_error::TextError;
use crate::script::uses::Uses;
use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicIteratorPackage, BasicMapPackage, BasicMathPackage,
    BasicStringPackage, LogicPackage, MoreStringPackage, Package,
};
use rhai::{AST, Dynamic, Engine, EvalAltResult, ImmutableString, ParseErrorType, Position, Scope};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

/// A compiled rhai expression or statement block.
#[derive(Debug, Clone)]
pub struct Script {
    ast: AST,
    uses: Uses,
    /// The expression in its common shape, evaluated without rhai.
    fast: Option<FastExpr>,
}

/// Where and why a script failed, with the position inside the script text.
pub type ScriptError = TextError;

thread_local! {
    static ENGINE: Engine = sandbox();
    /// The scopes scripts were last compiled against, by their names: an
    /// exercise compiles all its scripts against two or three name lists.
    static COMPILE_SCOPES: RefCell<Vec<(Vec<String>, Scope<'static>)>> =
        const { RefCell::new(Vec::new()) };
    /// Visit counts of the run being evaluated, read by `visits(step)`.
    static VISITS: RefCell<Visits> = const { RefCell::new(BTreeMap::new()) };
    /// The names of every function the sandbox offers, so a call to any
    /// other (`sleep`) is an error when the file is checked, not mid-session.
    static FUNCTIONS: HashSet<String> = ENGINE.with(|engine| {
        let mut names: HashSet<String> = engine
            .gen_fn_signatures(true)
            .iter()
            .filter_map(|signature| signature.split('(').next())
            .map(|name| name.trim_start_matches("fn ").to_owned())
            .collect();
        // Built into rhai's evaluator rather than registered.
        names.extend(["type_of", "Fn", "call", "curry", "is_def_var", "is_def_fn", "is_shared"].map(str::to_owned));
        names
    });
    /// When the evaluation running now must stop.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// What rhai's progress callback returns when the deadline has passed.
const OUT_OF_TIME: &str = "out of time";

fn sandbox() -> Engine {
    let mut engine = Engine::new_raw();
    // rhai's core package without its language-core part (`sleep`, `exit`,
    // `parse_json`, function metadata) or function pointers and debugging:
    // no exercise needs them, and `sleep` alone could hang a session.
    engine.register_global_module(ArithmeticPackage::new().as_shared_module());
    engine.register_global_module(BasicStringPackage::new().as_shared_module());
    engine.register_global_module(BasicIteratorPackage::new().as_shared_module());
    engine.register_global_module(LogicPackage::new().as_shared_module());
    engine.register_global_module(BasicMathPackage::new().as_shared_module());
    engine.register_global_module(BasicArrayPackage::new().as_shared_module());
    engine.register_global_module(BasicMapPackage::new().as_shared_module());
    engine.register_global_module(MoreStringPackage::new().as_shared_module());
    for symbol in ["eval", "print", "debug", "import", "export"] {
        engine.disable_symbol(symbol);
    }
    engine.set_max_operations(limits::SCRIPT_OPERATIONS);
    engine.set_max_string_size(limits::SCRIPT_STRING_BYTES);
    engine.set_max_array_size(limits::SCRIPT_COLLECTION_ITEMS);
    engine.set_max_map_size(limits::SCRIPT_COLLECTION_ITEMS);
    engine.set_max_call_levels(limits::SCRIPT_CALL_DEPTH);
    engine.set_max_expr_depths(limits::SCRIPT_EXPR_DEPTH, limits::SCRIPT_EXPR_DEPTH / 2);
    engine.set_max_variables(limits::SCRIPT_VARIABLES);
    engine.set_max_functions(limits::SCRIPT_FUNCTIONS);
    engine.set_strict_variables(true);
    engine.on_progress(|operations| {
        // Reading the clock every operation would cost more than the work.
        if operations % 256 != 0 {
            return None;
        }
        let late = DEADLINE
            .get()
            .is_some_and(|deadline| Instant::now() > deadline);
        late.then(|| OUT_OF_TIME.into())
    });
    crate::script::helpers::register(&mut engine);
    engine
}

impl Script {
    /// Compiles a condition or check rule: one expression, no statements.
    pub fn expression(text: &str, names: &[&str]) -> Result<Script, ScriptError> {
        Self::compile(text, names, true)
    }

    /// Compiles a `set` block: statements that update `vars`.
    pub fn statements(text: &str, names: &[&str]) -> Result<Script, ScriptError> {
        Self::compile(text, names, false)
    }

    fn compile(text: &str, names: &[&str], expression: bool) -> Result<Script, ScriptError> {
        let ast = with_compile_scope(names, |scope| {
            ENGINE.with(|engine| {
                if expression {
                    engine.compile_expression_with_scope(scope, text)
                } else {
                    engine.compile_with_scope(scope, text)
                }
            })
        });
        let ast = ast.map_err(|e| {
            let (line, column) = position(e.position());
            ScriptError {
                message: compile_message(e.err_type()),
                line,
                column,
                width: 1,
            }
        })?;
        unknown_call(text, &ast)?;
        Ok(Script {
            ast,
            uses: Uses::scan_among(text, names),
            fast: expression.then(|| FastExpr::parse(text)).flatten(),
        })
    }

    /// The engine names this script may read; its scope needs no others.
    pub fn uses(&self) -> Uses {
        self.uses
    }

    /// Evaluates a condition or check rule without rhai, if it has the
    /// common shape and reads only plain values; `None` when rhai must.
    pub(crate) fn test_fast(&self, names: &dyn FastScope) -> Option<bool> {
        let fast = self
            .fast
            .as_ref()
            .filter(|_| crate::script::fast_scope::fast_paths_on())?;
        fast.test(names)
    }

    /// Evaluates with the given scope; `visits` feeds the `visits(step)` helper.
    pub fn eval(&self, scope: &mut Scope, visits: &Visits) -> Result<Dynamic, ScriptError> {
        if self.uses.has(ScopeName::Visits) {
            VISITS.with(|v| v.borrow_mut().clone_from(visits));
        }
        DEADLINE.set(Some(
            Instant::now() + Duration::from_millis(limits::SCRIPT_MILLISECONDS),
        ));
        let result = ENGINE.with(|engine| {
            engine
                .eval_ast_with_scope::<Dynamic>(scope, &self.ast)
                .map_err(|e| runtime_error(&e))
        });
        DEADLINE.set(None);
        result
    }

    /// Evaluates a condition, insisting on a true/false result.
    pub fn test(&self, scope: &mut Scope, visits: &Visits) -> Result<bool, ScriptError> {
        let value = self.eval(scope, visits)?;
        value.as_bool().map_err(|type_name| ScriptError {
            message: format!("expected true or false, but the expression gave {type_name}"),
            line: 1,
            column: 1,
            width: 1,
        })
    }
}

/// Runs `f` with a scope that declares `names`. Strict variables make a
/// typo in a name a compile error, so the scope must declare every name a
/// script may read; compiling only reads it, so one scope per list of names
/// serves every script of an exercise instead of one built per script.
fn with_compile_scope<T>(names: &[&str], f: impl FnOnce(&Scope) -> T) -> T {
    const KEPT: usize = 4;
    COMPILE_SCOPES.with(|scopes| {
        let mut scopes = scopes.borrow_mut();
        let found = scopes.iter().position(|(declared, _)| {
            declared
                .iter()
                .map(String::as_str)
                .eq(names.iter().copied())
        });
        let at = match found {
            Some(at) => at,
            None => {
                if scopes.len() == KEPT {
                    scopes.remove(0);
                }
                let mut scope = Scope::new();
                for name in names {
                    scope.push_dynamic(*name, Dynamic::UNIT);
                }
                let declared = names.iter().map(|n| (*n).to_owned()).collect();
                scopes.push((declared, scope));
                scopes.len() - 1
            }
        };
        f(&scopes[at].1)
    })
}

pub(crate) fn visits_of(step: &str) -> u32 {
    VISITS.with(|v| v.borrow().get(step).copied().unwrap_or(0))
}

/// The first call in `text` to a function neither the sandbox nor the
/// script itself defines, as an error at the call. rhai only finds these
/// when the call runs, which may be mid-session.
fn unknown_call(text: &str, ast: &AST) -> Result<(), ScriptError> {
    let defined: Vec<&str> = ast.iter_functions().map(|f| f.name).collect();
    for (at, name) in calls(text) {
        let known = FUNCTIONS.with(|known| known.contains(name)) || defined.contains(&name);
        if !known {
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let column = before[before.rfind('\n').map_or(0, |n| n + 1)..]
                .chars()
                .count()
                + 1;
            return Err(ScriptError {
                message: format!("`{name}` is not a function exercise scripts can call"),
                line,
                column,
                width: name.chars().count(),
            });
        }
    }
    Ok(())
}

/// Where `text` calls a function by name (`name(` or `.name(`), outside
/// strings and comments, with the byte offset of each name.
fn calls(text: &str) -> Vec<(usize, &str)> {
    const KEYWORDS: [&str; 12] = [
        "if", "while", "for", "loop", "switch", "return", "fn", "in", "do", "until", "throw",
        "catch",
    ];
    let tokens = tokens(text, 0);
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Kind::Name(name) = &token.kind else {
            continue;
        };
        let called = tokens
            .get(i + 1)
            .is_some_and(|t| t.kind == Kind::Punct('('));
        let defined_here = i > 0 && tokens[i - 1].kind == Kind::Name("fn".to_owned());
        // `1e5` reads as the digit `1` and the name `e5`.
        let in_number = text[..token.start].ends_with(|c: char| c.is_ascii_digit());
        if called && !defined_here && !in_number && !KEYWORDS.contains(&name.as_str()) {
            out.push((token.start, &text[token.start..token.end]));
        }
    }
    out
}

/// rhai's words, except where a limit was hit: those say which limit.
fn compile_message(error: &ParseErrorType) -> String {
    match error {
        ParseErrorType::ExprTooDeep => format!(
            "the script is nested too deeply (more than {} levels)",
            limits::SCRIPT_EXPR_DEPTH
        ),
        ParseErrorType::TooManyFunctions => format!(
            "the script defines too many functions (at most {})",
            limits::SCRIPT_FUNCTIONS
        ),
        other => other.to_string(),
    }
}

fn position(pos: Position) -> (usize, usize) {
    (pos.line().unwrap_or(1), pos.position().unwrap_or(1))
}

fn runtime_error(error: &EvalAltResult) -> ScriptError {
    let (line, column) = position(error.position());
    let message = match error {
        EvalAltResult::ErrorTooManyOperations(_) => format!(
            "the script did not finish within {} operations; is there a loop that never ends?",
            limits::SCRIPT_OPERATIONS
        ),
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            format!("the script built a value that is too large ({what})")
        }
        EvalAltResult::ErrorStackOverflow(_) => "the script nests calls too deeply".to_owned(),
        EvalAltResult::ErrorTerminated(..) => format!(
            "the script ran for more than {} ms; is it doing the same costly work over and over?",
            limits::SCRIPT_MILLISECONDS
        ),
        other => {
            let text = other.to_string();
            // rhai appends its own position; ours is in the diagnostic.
            match text.rfind(" (line ") {
                Some(at) => text[..at].to_owned(),
                None => text,
            }
        }
    };
    ScriptError {
        message,
        line,
        column,
        width: 1,
    }
}

pub fn string(s: &str) -> Dynamic {
    Dynamic::from(ImmutableString::from(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str) -> Result<Dynamic, ScriptError> {
        let script = Script::statements(text, &[])?;
        script.eval(&mut Scope::new(), &BTreeMap::new())
    }

    #[test]
    fn endless_loops_stop_with_a_clear_error() {
        let error = eval("loop {}").unwrap_err();
        assert!(
            error.message.contains("did not finish"),
            "{}",
            error.message
        );
    }

    #[test]
    fn eval_and_printing_are_not_available() {
        assert!(eval("eval(\"1\")").is_err());
        assert!(eval("print(1)").is_err());
        assert!(eval("import \"x\" as y;").is_err());
    }

    #[test]
    fn huge_strings_are_refused() {
        let error = eval("let s = \"xxxxxxxxxx\"; loop { s += s; }").unwrap_err();
        assert!(error.message.contains("too large"), "{}", error.message);
    }

    #[test]
    fn huge_arrays_are_refused() {
        let error = eval("let a = [1]; loop { a += a; }").unwrap_err();
        assert!(error.message.contains("too large"), "{}", error.message);
    }

    #[test]
    fn sleep_and_exit_are_not_available() {
        for text in ["sleep(100)", "exit()", "parse_json(\"[]\")"] {
            let error = eval(text).unwrap_err();
            assert!(
                error
                    .message
                    .ends_with("is not a function exercise scripts can call"),
                "{text}: {}",
                error.message
            );
            // Even were the check above fooled, the engine has no such function.
            let ast = ENGINE.with(|engine| engine.compile(text)).unwrap();
            let ran = ENGINE.with(|engine| engine.eval_ast::<Dynamic>(&ast));
            assert!(
                ran.unwrap_err()
                    .to_string()
                    .starts_with("Function not found"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_call_to_a_function_the_sandbox_lacks_fails_when_compiled() {
        let error =
            Script::expression("words(answer) > 2 && sleep(86400) == ()", &["answer"]).unwrap_err();
        assert_eq!(
            (
                error.message.as_str(),
                error.line,
                error.column,
                error.width
            ),
            (
                "`sleep` is not a function exercise scripts can call",
                1,
                22,
                5
            )
        );
        let error = Script::statements("let x = 1;\n// sleep(1)\nx.exit()", &[]).unwrap_err();
        assert_eq!(
            (error.message.as_str(), error.line, error.column),
            ("`exit` is not a function exercise scripts can call", 3, 3)
        );
        // Strings, comments, keywords and the script's own functions are not calls.
        assert!(
            Script::statements(
                "fn twice(n) { n * 2 } if (twice(2) > 3) { let s = \"sleep(1)\"; } /* exit() */",
                &[]
            )
            .is_ok()
        );
    }

    #[test]
    fn costly_work_within_the_operations_limit_stops_on_time() {
        let text = "let s = \"x\"; while s.len() < 200000 { s += s; } \
                    let n = 0; loop { n += s.index_of(\"y\"); }";
        let started = Instant::now();
        let error = eval(text).unwrap_err();
        assert_eq!(
            error.message,
            "the script ran for more than 2000 ms; is it doing the same costly work over and over?"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn values_nested_while_a_script_runs_stop_at_the_item_limit() {
        for text in [
            "let a = []; loop { a = [a]; }",
            "let m = #{}; loop { m = #{x: m}; }",
        ] {
            let error = eval(text).unwrap_err();
            // A busy machine may meet the deadline first; both bound it.
            assert!(
                error.message.contains("too large") || error.message.contains("ran for more than"),
                "{text}: {}",
                error.message
            );
        }
    }

    #[test]
    fn deep_recursion_stops() {
        let error = eval("fn down(n) { down(n + 1) } down(0)").unwrap_err();
        assert_eq!(error.message, "the script nests calls too deeply");
    }

    #[test]
    fn deeply_nested_expressions_are_refused_when_compiled() {
        let depth = limits::SCRIPT_EXPR_DEPTH + 1;
        let text = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
        let error = Script::expression(&text, &[]).unwrap_err();
        assert!(
            error.message.starts_with("the script is nested too deeply"),
            "{}",
            error.message
        );
    }

    #[test]
    fn too_many_variables_are_refused() {
        let text: String = (0..=limits::SCRIPT_VARIABLES)
            .map(|i| format!("let v{i} = {i};\n"))
            .collect();
        let error = eval(&text).unwrap_err();
        assert!(
            error.message.contains("Too many variables"),
            "{}",
            error.message
        );
    }

    #[test]
    fn too_many_functions_are_refused_when_compiled() {
        let text: String = (0..=limits::SCRIPT_FUNCTIONS)
            .map(|i| format!("fn f{i}() {{ {i} }}\n"))
            .collect();
        let error = Script::statements(&text, &[]).unwrap_err();
        assert!(
            error
                .message
                .starts_with("the script defines too many functions"),
            "{}",
            error.message
        );
    }

    #[test]
    fn unknown_names_fail_at_compile_time() {
        let error = Script::expression("anwser == 1", &["answer"]).unwrap_err();
        assert!(error.message.contains("anwser"), "{}", error.message);
    }
}
