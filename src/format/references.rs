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

/// The references in a rhai script. A guard (`"x" in answers`, `?? `)
/// covers every read of its name in the script.
pub fn in_script(text: &str) -> Vec<Reference> {
    references(text, &tokens(text, 0), None)
}

/// The references in a minijinja template. A guard covers the reads of its
/// name after it in the same tag and, in an `{% if %}` or `{% elif %}`,
/// the block it opens, up to the next `elif`, `else` or `endif` of that
/// block: `{{ answers.x }}` after the `endif` is read unguarded.
pub fn in_template(text: &str) -> Vec<Reference> {
    let (tokens, tags) = template_tags(text);
    references(text, &tokens, Some(&tags))
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
    template_tags(text).0
}

/// What a template tag is, as far as guards are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    /// `{% if %}`: opens a block.
    If,
    /// `{% elif %}`, `{% else %}`: end one branch, open the next.
    Branch,
    /// `{% elif %}` also has a condition of its own.
    Elif,
    EndIf,
    /// `{{ }}` and every other `{% %}`.
    Other,
}

/// A template tag: its tokens (`tokens[first..end]`) and kind.
#[derive(Debug, Clone, Copy)]
struct Tag {
    first: usize,
    end: usize,
    kind: TagKind,
}

/// The code tokens of a template, and the tags they were found in.
fn template_tags(text: &str) -> (Vec<Token>, Vec<Tag>) {
    let mut out = Vec::new();
    let mut tags = Vec::new();
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
            let mut kind = TagKind::Other;
            if close == "%}" {
                match first.map(|t| &t.kind) {
                    Some(Kind::Name(n)) if n == "if" => {
                        depth += 1;
                        kind = TagKind::If;
                    }
                    Some(Kind::Name(n)) if n == "elif" => kind = TagKind::Elif,
                    Some(Kind::Name(n)) if n == "else" => kind = TagKind::Branch,
                    Some(Kind::Name(n)) if n == "endif" => {
                        depth = depth.saturating_sub(1);
                        kind = TagKind::EndIf;
                    }
                    _ => {}
                }
            }
            tags.push(Tag {
                first: out.len(),
                end: out.len() + tag.len(),
                kind,
            });
            out.extend(tag);
        }
        rest = (end + 2).min(text.len());
    }
    (out, tags)
}

/// The tokens a guard at token `at` covers: the rest of its tag, and when
/// the tag is an `if`/`elif` condition, the branch it opens.
fn guard_reach(tags: &[Tag], at: usize) -> std::ops::Range<usize> {
    let Some(t) = tags.iter().position(|t| (t.first..t.end).contains(&at)) else {
        return at..at + 1;
    };
    let tag = tags[t];
    if !matches!(tag.kind, TagKind::If | TagKind::Elif) {
        return at..tag.end;
    }
    let mut level = 0usize;
    for later in &tags[t + 1..] {
        match later.kind {
            TagKind::If => level += 1,
            TagKind::EndIf if level > 0 => level -= 1,
            TagKind::EndIf | TagKind::Branch | TagKind::Elif if level == 0 => {
                return at..later.first;
            }
            _ => {}
        }
    }
    at..usize::MAX
}

fn references(text: &str, tokens: &[Token], tags: Option<&[Tag]>) -> Vec<Reference> {
    let name_at = |i: usize| match tokens.get(i).map(|t| &t.kind) {
        Some(Kind::Name(n)) => Some(n.as_str()),
        _ => None,
    };
    let punct_at = |i: usize, c: char| tokens.get(i).map(|t| &t.kind) == Some(&Kind::Punct(c));
    let mut found = Vec::new();
    // The token each of `found` starts at.
    let mut at = Vec::new();
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
            at.push(i);
        }
        found.push(reference);
        at.push(i);
    }
    // A guard covers reads of the same name: in a script, every one
    // (`"x" in answers && answers.x != ""`); in a template, those it
    // reaches (`{% if answers.x is defined %}{{ answers.x }}{% endif %}`).
    let reach = |i: usize| match tags {
        Some(tags) => guard_reach(tags, i),
        None => 0..usize::MAX,
    };
    let mut guards: Vec<(Area, String, std::ops::Range<usize>)> = found
        .iter()
        .zip(&at)
        .filter(|(r, _)| r.guarded)
        .map(|(r, &i)| (r.area, r.name.clone(), reach(i)))
        .collect();
    for (i, t) in tokens.iter().enumerate() {
        if let (Kind::Str(s), Some("in"), Some(map)) = (&t.kind, name_at(i + 1), name_at(i + 2)) {
            match map {
                "answers" => guards.push((Area::Answers, s.clone(), reach(i))),
                "vars" => guards.push((Area::Vars, s.clone(), reach(i))),
                _ => {}
            }
        }
    }
    for (r, i) in found.iter_mut().zip(&at) {
        r.guarded |= guards
            .iter()
            .any(|(area, name, reach)| *area == r.area && *name == r.name && reach.contains(i));
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

    fn guarded_reads(text: &str) -> Vec<(usize, bool)> {
        in_template(text)
            .iter()
            .map(|r| (r.column, r.guarded))
            .collect()
    }

    #[test]
    fn a_template_guard_covers_its_own_branch_only() {
        // The same tag, and the block it opens.
        assert_eq!(
            guarded_reads(
                "{% if answers.x is defined and answers.x == 1 %}{{ answers.x }}{% endif %}"
            ),
            [(7, true), (32, true), (52, true)]
        );
        // Not a later block, not the else branch.
        assert_eq!(
            guarded_reads(
                "{% if answers.x is defined %}a{% endif %}{% if answers.x == 1 %}b{% endif %}"
            ),
            [(7, true), (48, false)]
        );
        assert_eq!(
            guarded_reads("{% if answers.x is defined %}a{% else %}{{ answers.x }}{% endif %}"),
            [(7, true), (44, false)]
        );
        // A nested block inside the guarded one is covered; `default` covers itself.
        assert_eq!(
            guarded_reads(
                "{% if \"x\" in answers %}{% if 1 %}{{ answers.x }}{% endif %}{{ answers.x }}{% endif %}{{ answers.x | default(\"\") }}{{ answers.x }}"
            ),
            [(37, true), (63, true), (89, true), (118, false)]
        );
    }
}
