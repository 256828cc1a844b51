//! minijinja, boxed in: strict undefined (a typo is an error, not an empty
//! string), fuel (a template loop cannot hang a session) and a Markdown escape
//! for notes, so a partner's words can never become headings, links or HTML.
//! Answers are passed in as values, never compiled as templates.

use crate::limits;
use crate::script::fast_scope::FastScope;
use crate::script::fast_text::FastText;
use crate::script::uses::Uses;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};
use rustc_hash::FxHashMap as HashMap;

/// Text that is either shown as written or rendered from a compiled template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    Template(String),
}

/// A template problem with its position inside the template text (1-based).
pub type TemplateError = crate::script::text_error::TextError;

/// Templates whose name ends in this are Markdown: values are escaped.
pub const MARKDOWN_SUFFIX: &str = ".md";

#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
    compiled: HashMap<String, CompiledTemplate>,
}

/// What is known of a template once it is compiled.
#[derive(Debug)]
struct CompiledTemplate {
    uses: Uses,
    /// The template in its common shape, rendered without minijinja.
    fast: Option<FastText>,
}

/// minijinja's globals that exercises never need: `debug()` prints the whole
/// render context (every answer and variable) into the text. A template that
/// reads one is refused when the file is checked.
const REMOVED_GLOBALS: [&str; 1] = ["debug"];

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

impl Templates {
    pub fn new() -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // minijinja names the undefined value ("`answers.feeling` is
        // undefined") only in debug mode, which follows the build by
        // default: an author running a release build deserves the name too.
        env.set_debug(true);
        env.set_fuel(Some(limits::TEMPLATE_FUEL));
        env.set_recursion_limit(limits::TEMPLATE_RECURSION);
        for name in REMOVED_GLOBALS {
            env.remove_global(name);
        }
        env.set_auto_escape_callback(|name| {
            if name.ends_with(MARKDOWN_SUFFIX) {
                AutoEscape::Custom("markdown".into())
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), AutoEscape::Custom(name) if name == "markdown")
                && !value.is_safe()
            {
                let text = if value.is_none() || value.is_undefined() {
                    String::new()
                } else {
                    value.to_string()
                };
                out.write_str(&crate::markdown::escape(&text))?;
                Ok(())
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        Templates {
            env,
            compiled: HashMap::default(),
        }
    }

    /// Compiles `source` under `name`. Text without template syntax is kept
    /// plain and never touches minijinja at run time.
    pub fn add(&mut self, name: impl Into<String>, source: &str) -> Result<Text, TemplateError> {
        if !is_template(source) {
            return Ok(Text::Plain(source.to_owned()));
        }
        let name = name.into();
        self.env
            .add_template_owned(name.clone(), source.to_owned())
            .map_err(|e| located(&e, source))?;
        if let Some(removed) = self.env.get_template(&name).ok().and_then(|t| {
            let names = t.undeclared_variables(false);
            REMOVED_GLOBALS.into_iter().find(|r| names.contains(*r))
        }) {
            self.env.remove_template(&name);
            let at = source.find(removed).unwrap_or(0);
            let before = &source[..at];
            return Err(TemplateError {
                message: format!("`{removed}` is not a function templates can use"),
                line: before.matches('\n').count() + 1,
                column: before[before.rfind('\n').map_or(0, |i| i + 1)..]
                    .chars()
                    .count()
                    + 1,
                width: removed.len(),
                help: None,
            });
        }
        let compiled = CompiledTemplate {
            uses: Uses::scan(source),
            // Markdown templates escape every value; only minijinja does that.
            fast: (!name.ends_with(MARKDOWN_SUFFIX))
                .then(|| FastText::parse(source))
                .flatten(),
        };
        self.compiled.insert(name.clone(), compiled);
        Ok(Text::Template(name))
    }

    /// The names `text` reads that it does not set itself (`{% set %}`, loop
    /// variables) and that are not minijinja's own globals (`range`,
    /// `dict`...), sorted: each must be a name the engine provides.
    pub fn undeclared(&self, text: &Text) -> Vec<String> {
        let Text::Template(name) = text else {
            return Vec::new();
        };
        let Ok(template) = self.env.get_template(name) else {
            return Vec::new();
        };
        let mut names: Vec<String> = template
            .undeclared_variables(false)
            .into_iter()
            .filter(|n| self.env.globals().all(|(global, _)| global != n))
            .collect();
        names.sort_unstable();
        names
    }

    /// The engine names `text` may read when it is rendered.
    pub fn uses(&self, text: &Text) -> Uses {
        match text {
            Text::Plain(_) => Uses::NONE,
            Text::Template(name) => self.compiled.get(name).map_or(Uses::ALL, |c| c.uses),
        }
    }

    /// Renders `text` without minijinja if it has the common shape and every
    /// name it reads is a plain value; `None` when minijinja must do it.
    pub(crate) fn render_fast(
        &self,
        text: &Text,
        names: &dyn FastScope,
    ) -> Option<Result<String, TemplateError>> {
        match text {
            Text::Plain(s) => Some(Ok(s.clone())),
            Text::Template(name) => {
                let fast = self.compiled.get(name)?.fast.as_ref();
                let fast = fast.filter(|_| crate::script::fast_scope::fast_paths_on())?;
                Some(within_limit(fast.render(names)?))
            }
        }
    }

    pub fn render<S: serde::Serialize>(
        &self,
        text: &Text,
        context: S,
    ) -> Result<String, TemplateError> {
        self.render_value(
            text,
            minijinja::Value::from(minijinja::value::Serde(context)),
        )
    }

    /// `render` with the context already made into a minijinja value.
    pub fn render_value(
        &self,
        text: &Text,
        context: minijinja::Value,
    ) -> Result<String, TemplateError> {
        let name = match text {
            Text::Plain(s) => return Ok(s.clone()),
            Text::Template(name) => name,
        };
        let template = self.env.get_template(name).map_err(|e| located(&e, ""))?;
        let rendered = template
            .render(context)
            .map_err(|e| located(&e, template.source()))?;
        within_limit(rendered)
    }
}

impl Templates {
    /// What to show when `text` fails to render in a live session: the
    /// expression that failed is shown as its own name in brackets
    /// (`[answers.feeling]`) and the rest rendered as usual; if that still
    /// fails, every expression is shown by name and every tag dropped. Never
    /// fails, so a broken template never ends a sitting.
    pub fn render_fallback(
        &self,
        text: &Text,
        context: minijinja::Value,
        error: &TemplateError,
    ) -> String {
        let Text::Template(name) = text else {
            return String::new();
        };
        let Ok(template) = self.env.get_template(name) else {
            return String::new();
        };
        let mut source = template.source().to_owned();
        let mut error = error.clone();
        for _ in 0..8 {
            let Some((start, end)) = expression_at(&source, error.line, error.column) else {
                break;
            };
            let shown = format!("[{}]", source[start + 2..end - 2].trim_matches(['-', ' ']));
            source.replace_range(start..end, &format!("{{{{ {shown:?} }}}}"));
            match self
                .env
                .template_from_named_str(name.as_str(), &source)
                .and_then(|t| t.render(context.clone()))
            {
                Ok(rendered) if within_limit(rendered.clone()).is_ok() => return rendered,
                Ok(_) => break,
                Err(e) => error = located(&e, &source),
            }
        }
        names_only(template.source())
    }
}

/// The `{{ ... }}` around 1-based `line` and `column` of `source`, as a byte range.
fn expression_at(source: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    let line_start: usize = source
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let offset = source[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(source.len(), |(i, _)| line_start + i);
    let start = source[..offset.min(source.len())].rfind("{{")?;
    let end = source[start..].find("}}")? + start + 2;
    (end > offset).then_some((start, end))
}

/// The template with each `{{ x }}` shown as `[x]` and tags and comments left out.
fn names_only(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while let Some(open) = rest.find('{') {
        let close = match rest.get(open + 1..open + 2) {
            Some("{") => "}}",
            Some("%") => "%}",
            Some("#") => "#}",
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
                continue;
            }
        };
        out.push_str(&rest[..open]);
        let end = rest[open..]
            .find(close)
            .map_or(rest.len(), |i| open + i + 2);
        if close == "}}" {
            let inner =
                rest[open + 2..end.saturating_sub(2).max(open + 2)].trim_matches(['-', ' ']);
            out.push_str(&format!("[{inner}]"));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn within_limit(rendered: String) -> Result<String, TemplateError> {
    // Bytes are never fewer than characters: most texts need no count.
    if rendered.len() > limits::RENDERED_CHARS && rendered.chars().count() > limits::RENDERED_CHARS
    {
        return Err(TemplateError {
            message: format!(
                "the text rendered to more than {} characters",
                limits::RENDERED_CHARS
            ),
            line: 1,
            column: 1,
            width: 1,
            help: None,
        });
    }
    Ok(rendered)
}

/// Whether `source` has template syntax; text without it is kept plain.
pub fn is_template(source: &str) -> bool {
    source.contains("{{") || source.contains("{%") || source.contains("{#")
}

fn located(error: &Error, source: &str) -> TemplateError {
    let line = error.line().unwrap_or(1);
    let (column, width) = match error.range() {
        Some(range) if range.start <= source.len() && source.is_char_boundary(range.start) => {
            let before = &source[..range.start];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = before[line_start..].chars().count() + 1;
            let width = source
                .get(range.clone())
                .map_or(1, |s| s.lines().next().unwrap_or("").chars().count());
            (column, width.max(1))
        }
        _ => (1, 1),
    };
    TemplateError {
        message: describe(error),
        line,
        column,
        width,
        help: None,
    }
}

fn describe(error: &Error) -> String {
    let kind = match error.kind() {
        ErrorKind::SyntaxError => "template syntax error",
        ErrorKind::UndefinedError => "undefined value in template",
        ErrorKind::OutOfFuel => "the template did too much work (out of fuel); is a loop too long?",
        ErrorKind::UnknownFilter => "unknown filter in template",
        ErrorKind::UnknownFunction => "unknown function in template",
        ErrorKind::UnknownTest => "unknown test in template",
        ErrorKind::InvalidOperation => "invalid operation in template",
        _ => "template error",
    };
    match error.detail() {
        Some(detail) => format!("{kind}: {detail}"),
        None => kind.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    #[test]
    fn plain_text_skips_the_engine() {
        let mut t = Templates::new();
        assert_eq!(t.add("a", "hello").unwrap(), Text::Plain("hello".into()));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let mut t = Templates::new();
        let e = t.add("a", "line one\nhello {{ name }").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.message.starts_with("template syntax error"),
            "{}",
            e.message
        );
    }

    #[test]
    fn undefined_names_are_errors() {
        let mut t = Templates::new();
        let text = t.add("a", "hi {{ nmae }}").unwrap();
        let e = t.render(&text, context! { name => "Sam" }).unwrap_err();
        assert!(e.message.contains("undefined"), "{}", e.message);
    }

    #[test]
    fn answers_are_data_not_templates() {
        let mut t = Templates::new();
        let text = t.add("a", "{{ answer }}").unwrap();
        let out = t
            .render(&text, context! { answer => "{{ 7 * 7 }}" })
            .unwrap();
        assert_eq!(out, "{{ 7 * 7 }}");
    }

    #[test]
    fn endless_template_loops_run_out_of_fuel() {
        let mut t = Templates::new();
        let text = t
            .add(
                "a",
                "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
            )
            .unwrap();
        let e = t.render(&text, context! {}).unwrap_err();
        assert!(e.message.contains("fuel"), "{}", e.message);
    }

    #[test]
    fn huge_renders_are_refused() {
        let mut t = Templates::new();
        let text = t.add("a", "{{ answer }}{{ answer }}").unwrap();
        let half = "x".repeat(limits::RENDERED_CHARS / 2 + 1);
        let e = t.render(&text, context! { answer => half }).unwrap_err();
        assert_eq!(
            e.message,
            format!(
                "the text rendered to more than {} characters",
                limits::RENDERED_CHARS
            )
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let depth = limits::TEMPLATE_RECURSION * 4;
        let source = format!("{{{{ {}1{} }}}}", "(".repeat(depth), ")".repeat(depth));
        let mut t = Templates::new();
        let e = t.add("a", &source).unwrap_err();
        assert!(e.message.contains("recursion limit"), "{}", e.message);
    }

    #[test]
    fn a_failed_render_shows_the_name_it_could_not_fill() {
        let mut t = Templates::new();
        let text = t
            .add("a", "Hi {{ name }}, you said {{ answers.x }}.")
            .unwrap();
        let context = context! { name => "Sam", answers => context! {} };
        let e = t.render_value(&text, context.clone()).unwrap_err();
        assert_eq!(
            t.render_fallback(&text, context, &e),
            "Hi Sam, you said [answers.x]."
        );
    }

    #[test]
    fn a_failed_tag_leaves_the_names_only() {
        let mut t = Templates::new();
        let text = t
            .add(
                "a",
                "{% for a in nothing %}{{ a }}{% endfor %}Hi {{ name }}",
            )
            .unwrap();
        let context = context! { name => "Sam" };
        let e = t.render_value(&text, context.clone()).unwrap_err();
        assert_eq!(t.render_fallback(&text, context, &e), "[a]Hi [name]");
    }

    #[test]
    fn markdown_templates_escape_values() {
        let mut t = Templates::new();
        let text = t.add("n.md", "> {{ answer }}").unwrap();
        let out = t
            .render(&text, context! { answer => "# boom [x](http://e) <b>" })
            .unwrap();
        assert_eq!(out, "> \\# boom \\[x\\](http://e) &lt;b&gt;");
    }
}
