//! Which answers and variables a script or template reads and writes, found
//! by scanning its code: `answers.feeling`, `answers["feeling"]`, `vars.tries`,
//! `vars.tries = 1`. Template prose and `{# comments #}` are not code, nor are
//! rhai comments. The scan errs on the side of silence: a name it cannot see
//! (`answers[name]`) is simply not reported.

use crate::script::code_tokens::{Kind, Token, tokens};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Answers,
    Vars,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub area: Area,
    pub name: String,
    /// An assignment (`vars.x = 1`); a compound one (`+=`) is also a read.
    pub write: bool,
    /// Only read under a guard (`is defined`, `| default`, `"x" in answers`),
    /// so reading it before it is set is fine.
    pub guarded: bool,
    /// Inside a template's `{% if %}` block: the author has a condition in
    /// mind that the analysis cannot follow.
    pub conditional: bool,
    /// Where the reference starts in the text (1-based, characters).
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

/// The references in a rhai script.
pub fn in_script(text: &str) -> Vec<Reference> {
    references(text, &tokens(text, 0))
}

/// The references in a minijinja template.
pub fn in_template(text: &str) -> Vec<Reference> {
    references(text, &template_tokens(text))
}

/// Where `name` is first read as a name of its own (not `x.name`, not in a
/// string or prose) in a script or template: line and column, 1-based.
pub fn find_name(text: &str, template: bool, name: &str) -> Option<(usize, usize)> {
    let tokens = if template {
        template_tokens(text)
    } else {
        tokens(text, 0)
    };
    let at = tokens.iter().enumerate().find(|(i, t)| {
        matches!(&t.kind, Kind::Name(n) if n == name)
            && !(*i > 0 && tokens[i - 1].kind == Kind::Punct('.'))
    })?;
    Some(line_column(text, at.1.start))
}

fn template_tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = 0;
    let mut depth = 0usize;
    while let Some(open) = text[rest..].find('{').map(|i| i + rest) {
        let close = match text.get(open + 1..open + 2) {
            Some("{") => "}}",
            Some("%") => "%}",
            Some("#") => "#}",
            _ => {
                rest = open + 1;
                continue;
            }
        };
        let body = open + 2;
        let end = text[body..].find(close).map_or(text.len(), |i| i + body);
        if close != "#}" {
            let mut tag = tokens(&text[body..end], body);
            tag.iter_mut().for_each(|t| t.depth = depth);
            let first = tag
                .iter()
                .find(|t| t.kind != Kind::Punct('-') && t.kind != Kind::Punct('+'));
            if close == "%}" {
                match first.map(|t| &t.kind) {
                    Some(Kind::Name(n)) if n == "if" => depth += 1,
                    Some(Kind::Name(n)) if n == "endif" => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            out.extend(tag);
        }
        rest = (end + 2).min(text.len());
    }
    out
}

fn references(text: &str, tokens: &[Token]) -> Vec<Reference> {
    let name_at = |i: usize| match tokens.get(i).map(|t| &t.kind) {
        Some(Kind::Name(n)) => Some(n.as_str()),
        _ => None,
    };
    let punct_at = |i: usize, c: char| tokens.get(i).map(|t| &t.kind) == Some(&Kind::Punct(c));
    let mut found = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let area = match &t.kind {
            Kind::Name(n) if n == "answers" => Area::Answers,
            Kind::Name(n) if n == "vars" => Area::Vars,
            _ => continue,
        };
        // `x.answers` is some other map's field.
        if i > 0 && punct_at(i - 1, '.') {
            continue;
        }
        let (name, last) = if punct_at(i + 1, '.') {
            match name_at(i + 2) {
                Some(n) => (n.to_owned(), i + 2),
                None => continue,
            }
        } else if punct_at(i + 1, '[') && punct_at(i + 3, ']') {
            match tokens.get(i + 2).map(|t| &t.kind) {
                Some(Kind::Str(s)) => (s.clone(), i + 3),
                _ => continue,
            }
        } else {
            continue;
        };
        let assigned = punct_at(last + 1, '=') && !punct_at(last + 2, '=');
        let compound = tokens
            .get(last + 1)
            .is_some_and(|t| matches!(t.kind, Kind::Punct('+' | '-' | '*' | '/')))
            && punct_at(last + 2, '=');
        let guarded = name_at(last + 1) == Some("is")
            && matches!(name_at(last + 2), Some("defined" | "undefined"))
            || punct_at(last + 1, '|') && name_at(last + 2) == Some("default")
            || punct_at(last + 1, '?') && punct_at(last + 2, '?');
        let (line, column) = line_column(text, t.start);
        let width = text[t.start..tokens[last].end].chars().count();
        let reference = Reference {
            area,
            name,
            write: assigned || compound,
            guarded,
            conditional: t.depth > 0,
            line,
            column,
            width,
        };
        if compound {
            found.push(Reference {
                write: false,
                ..reference.clone()
            });
        }
        found.push(reference);
    }
    // A guard covers every read of the same name in the text:
    // `{% if answers.x is defined %}{{ answers.x }}{% endif %}`, and
    // `"x" in answers && answers.x != ""`.
    let mut guards: Vec<(Area, String)> = found
        .iter()
        .filter(|r| r.guarded)
        .map(|r| (r.area, r.name.clone()))
        .collect();
    for (i, t) in tokens.iter().enumerate() {
        if let (Kind::Str(s), Some("in"), Some(map)) = (&t.kind, name_at(i + 1), name_at(i + 2)) {
            match map {
                "answers" => guards.push((Area::Answers, s.clone())),
                "vars" => guards.push((Area::Vars, s.clone())),
                _ => {}
            }
        }
    }
    for r in found.iter_mut() {
        r.guarded |= guards
            .iter()
            .any(|(area, name)| *area == r.area && *name == r.name);
    }
    found
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(refs: &[Reference]) -> Vec<(Area, &str, bool, bool)> {
        refs.iter()
            .map(|r| (r.area, r.name.as_str(), r.write, r.guarded))
            .collect()
    }

    #[test]
    fn finds_reads_and_writes_in_scripts() {
        let refs = in_script(
            "vars.tries += 1; // answers.comment\nlet a = answers[\"heard\"] == \"yes\";",
        );
        assert_eq!(
            names(&refs),
            [
                (Area::Vars, "tries", false, false),
                (Area::Vars, "tries", true, false),
                (Area::Answers, "heard", false, false),
            ]
        );
        assert_eq!((refs[2].line, refs[2].column, refs[2].width), (2, 9, 16));
    }

    #[test]
    fn ignores_strings_and_prose_in_templates() {
        let refs = in_template(
            "Your answers.feeling {{ answers.feeling }} {# answers.x #} {{ \"answers.y\" }}\n{% if answers.z is defined %}{% endif %}",
        );
        assert_eq!(
            names(&refs),
            [
                (Area::Answers, "feeling", false, false),
                (Area::Answers, "z", false, true),
            ]
        );
        assert_eq!((refs[0].line, refs[0].column), (1, 25));
    }

    #[test]
    fn a_guard_covers_every_read_of_the_name() {
        let refs =
            in_template("{% if answers.x is defined %}{{ answers.x }}{% endif %}{{ answers.y }}");
        assert_eq!(
            names(&refs),
            [
                (Area::Answers, "x", false, true),
                (Area::Answers, "x", false, true),
                (Area::Answers, "y", false, false),
            ]
        );
    }

    #[test]
    fn comparisons_are_not_writes() {
        let refs = in_script("vars.x == 1 && \"y\" in vars && vars.y > 0");
        assert_eq!(
            names(&refs),
            [
                (Area::Vars, "x", false, false),
                (Area::Vars, "y", false, true)
            ]
        );
    }
}
