//! rhai, boxed in. Exercise scripts get a raw engine with only the core
//! language, strings, arrays, maps and mend's helpers: no file module resolver,
//! no `eval`, no printing, no clock, and hard limits on work and memory, so an
//! exercise file can never read a file, hang the program or exhaust memory.

use crate::limits;
use crate::script::eval_facts::EvalFacts;
use crate::script::fast_expr::FastExpr;
use crate::script::fast_scope::FastScope;
use crate::script::scope_names::{ScopeName, Visits};
use crate::script::text_error::TextError;
use crate::script::uses::Uses;
use chrono::NaiveDate;
use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicIteratorPackage, BasicMapPackage, BasicMathPackage,
    BasicStringPackage, LogicPackage, MoreStringPackage, Package,
};
use rhai::{AST, Dynamic, Engine, EvalAltResult, ImmutableString, Position, Scope};
use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

/// A compiled rhai expression or statement block.
#[derive(Debug, Clone)]
pub struct Script {
    ast: AST,
    uses: Uses,
    /// The variables it names (`vars.x`), or `None` when it may reach any.
    vars: Option<Vec<String>>,
    /// The expression in its common shape, evaluated without rhai.
    fast: Option<FastExpr>,
}

/// Where and why a script failed, with the position inside the script text.
pub type ScriptError = TextError;

/// A function a script calls by name (`words(answer)`) or as a method
/// (`answer.to_lower()`), where it is called (1-based, in the script text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub name: String,
    pub method: bool,
    pub line: usize,
    pub column: usize,
}

thread_local! {
    /// One sandbox per thread; its default tag is set to each evaluation's
    /// `EvalFacts` just before that evaluation.
    static ENGINE: RefCell<Engine> = RefCell::new(sandbox());
    /// The scopes scripts were last compiled against, by their names: an
    /// exercise compiles all its scripts against two or three name lists.
    static COMPILE_SCOPES: RefCell<Vec<(Vec<String>, Scope<'static>)>> =
        const { RefCell::new(Vec::new()) };
    /// When the evaluation running now must stop.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// What rhai's progress callback returns when the deadline has passed.
const OUT_OF_TIME: &str = "out of time";

/// rhai words a script may not use: evaluating text, printing, modules, and
/// function pointers (`Fn`, `call`, `curry`) and `is_def_var` / `is_def_fn`,
/// which reach a function or value by a name built at run time, where the
/// check before a session cannot follow.
pub(crate) const DISABLED_SYMBOLS: [&str; 10] = [
    "eval",
    "print",
    "debug",
    "import",
    "export",
    "Fn",
    "call",
    "curry",
    "is_def_var",
    "is_def_fn",
];

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
    for symbol in DISABLED_SYMBOLS {
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
            ENGINE.with_borrow(|engine| {
                if expression {
                    engine.compile_expression_with_scope(scope, text)
                } else {
                    engine.compile_with_scope(scope, text)
                }
            })
        });
        ast.map(|ast| Script {
            ast,
            uses: Uses::scan_among(text, names),
            vars: crate::script::vars_read::vars_named(text),
            fast: expression.then(|| FastExpr::parse(text)).flatten(),
        })
        .map_err(|e| crate::script::parse_error::explain(text, names, &e))
    }

    /// The calls to functions that neither the sandbox nor the script itself
    /// defines: rhai only finds those when the call runs, mid-session.
    pub fn unknown_calls(&self) -> Vec<Call> {
        let defined: Vec<String> = self
            .ast
            .iter_functions()
            .map(|f| f.name.to_owned())
            .collect();
        let mut unknown = Vec::new();
        self.ast.walk(&mut |path: &[rhai::ASTNode]| {
            let (call, method, pos) = match path.last() {
                Some(rhai::ASTNode::Expr(rhai::Expr::FnCall(call, pos))) => (call, false, *pos),
                // A call on its own as a statement (`sleep(100);`).
                Some(rhai::ASTNode::Stmt(rhai::Stmt::FnCall(call, pos))) => (call, false, *pos),
                Some(rhai::ASTNode::Expr(rhai::Expr::MethodCall(call, pos))) => (call, true, *pos),
                _ => return true,
            };
            let name = call.name.as_str();
            let is_name = name.starts_with(|c: char| c.is_alphabetic() || c == '_');
            if call.is_operator_call() || !is_name || defined.iter().any(|d| d == name) {
                return true;
            }
            if !is_known_function(name) {
                let (line, column) = position(pos);
                unknown.push(Call {
                    name: name.to_owned(),
                    method,
                    line,
                    column,
                });
            }
            true
        });
        unknown
    }

    /// The engine names this script may read; its scope needs no others.
    pub fn uses(&self) -> Uses {
        self.uses
    }

    /// The variables this script reads or sets, when it names each one
    /// (`vars.x`); `None` when it may reach any of them.
    pub fn vars_read(&self) -> Option<&[String]> {
        self.vars.as_deref()
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

    /// Evaluates with the given scope; `visits` feeds the `visits(step)`
    /// helper and `today` (the day of the answer) `due_within`.
    pub fn eval(
        &self,
        scope: &mut Scope,
        visits: &Visits,
        today: Option<NaiveDate>,
    ) -> Result<Dynamic, ScriptError> {
        let facts = EvalFacts {
            visits: if self.uses.has(ScopeName::Visits) {
                visits.clone()
            } else {
                Visits::new()
            },
            today,
        };
        DEADLINE.set(Some(
            Instant::now() + Duration::from_millis(limits::SCRIPT_MILLISECONDS),
        ));
        let result = ENGINE.with(|engine| {
            engine.borrow_mut().set_default_tag(Dynamic::from(facts));
            engine
                .borrow()
                .eval_ast_with_scope::<Dynamic>(scope, &self.ast)
                .map_err(|e| runtime_error(&e))
        });
        DEADLINE.set(None);
        result
    }

    /// Evaluates a condition, insisting on a true/false result.
    pub fn test(
        &self,
        scope: &mut Scope,
        visits: &Visits,
        today: Option<NaiveDate>,
    ) -> Result<bool, ScriptError> {
        let value = self.eval(scope, visits, today)?;
        value.as_bool().map_err(|type_name| ScriptError {
            message: format!("expected true or false, but the expression gave {type_name}"),
            line: 1,
            column: 1,
            width: 1,
            help: None,
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

/// Functions rhai handles itself, before looking for registered ones.
const KEYWORD_FUNCTIONS: [&str; 7] = [
    "Fn",
    "call",
    "curry",
    "is_shared",
    "is_def_fn",
    "is_def_var",
    "type_of",
];

thread_local! {
    /// The names of every function the sandbox registers, sorted.
    static FUNCTIONS: Vec<String> = ENGINE.with_borrow(|engine| {
        let mut names: Vec<String> = engine
            .gen_fn_signatures(true)
            .iter()
            .filter_map(|signature| signature.split('(').next())
            .map(|name| name.rsplit(' ').next().unwrap_or(name).to_owned())
            .chain(KEYWORD_FUNCTIONS.iter().map(|k| (*k).to_owned()))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    });
}

/// Whether a script may call `name`: a helper, a rhai function or method
/// of the sandbox, or one rhai handles itself.
pub fn is_known_function(name: &str) -> bool {
    FUNCTIONS.with(|names| names.binary_search_by(|n| n.as_str().cmp(name)).is_ok())
}

/// Every function a script may call, for suggestions and completion.
pub fn known_functions() -> Vec<String> {
    FUNCTIONS.with(|names| {
        names
            .iter()
            .filter(|n| n.starts_with(|c: char| c.is_alphabetic()))
            .cloned()
            .collect()
    })
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
        help: None,
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
        script.eval(&mut Scope::new(), &Visits::new(), None)
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

    /// The names of the calls `unknown_calls` finds, with where each is.
    fn unknown(script: &Script) -> Vec<(String, bool, usize, usize)> {
        script
            .unknown_calls()
            .into_iter()
            .map(|c| (c.name, c.method, c.line, c.column))
            .collect()
    }

    #[test]
    fn sleep_and_exit_are_not_available() {
        for (text, name) in [
            ("sleep(100)", "sleep"),
            ("exit()", "exit"),
            ("parse_json(\"[]\")", "parse_json"),
        ] {
            // Found when the exercise is compiled...
            let script = Script::statements(text, &[]).unwrap();
            assert_eq!(unknown(&script), [(name.to_owned(), false, 1, 1)], "{text}");
            // ...and even were that check fooled, the engine has no such function.
            let error = script
                .eval(&mut Scope::new(), &Visits::new(), None)
                .unwrap_err();
            assert!(
                error.message.starts_with("Function not found"),
                "{text}: {}",
                error.message
            );
        }
    }

    #[test]
    fn function_pointers_and_lookups_by_name_are_refused_when_compiled() {
        for text in [
            "call(Fn(\"sle\" + \"ep\"), 1)",
            "Fn(\"exit\").call()",
            "let f = Fn(\"words\"); f.curry(\"a\")",
            "is_def_var(\"ans\" + \"wer\")",
            "is_def_fn(\"sleep\", 1)",
        ] {
            assert!(Script::statements(text, &[]).is_err(), "{text}");
        }
    }

    #[test]
    fn a_call_to_a_function_the_sandbox_lacks_fails_when_compiled() {
        let script =
            Script::expression("words(answer) > 2 && sleep(86400) == ()", &["answer"]).unwrap();
        assert_eq!(unknown(&script), [("sleep".to_owned(), false, 1, 22)]);
        let script = Script::statements("let x = 1;\n// sleep(1)\nx.exit()", &[]).unwrap();
        assert_eq!(unknown(&script), [("exit".to_owned(), true, 3, 3)]);
        // Strings, comments, keywords and the script's own functions are not calls.
        let script = Script::statements(
            "fn twice(n) { n * 2 } if (twice(2) > 3) { let s = \"sleep(1)\"; } /* exit() */",
            &[],
        )
        .unwrap();
        assert_eq!(unknown(&script), []);
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
