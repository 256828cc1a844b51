//! What completion, hover and go-to-definition need from an exercise file,
//! read from its lines so it works on a half-written file: the step ids and
//! where they are, which steps ask something, and the roles.

/// A step id and where it is declared (0-based line and character).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepId {
    pub id: String,
    pub line: usize,
    pub character: usize,
    /// An ask or choose step: one with an answer.
    pub question: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub steps: Vec<StepId>,
    pub roles: Vec<String>,
}

impl Outline {
    pub fn of(text: &str) -> Outline {
        let lines: Vec<&str> = text.lines().collect();
        let mut outline = Outline::default();
        let mut in_roles: Option<usize> = None;
        for (n, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if indent == 0 && !trimmed.is_empty() && !trimmed.starts_with('#') {
                in_roles = None;
            }
            if line.starts_with("roles:") {
                in_roles = Some(usize::MAX);
                continue;
            }
            if let Some(role_indent) = in_roles.as_mut()
                && indent > 0
                && !trimmed.starts_with('#')
                && let Some((key, _)) = trimmed.split_once(':')
            {
                if *role_indent == usize::MAX {
                    *role_indent = indent;
                }
                if indent == *role_indent {
                    outline.roles.push(key.trim().to_owned());
                }
            }
            let item = trimmed.strip_prefix("- ").unwrap_or(trimmed);
            if let Some(id) = item.strip_prefix("id:") {
                let id = id.trim().trim_matches(['"', '\'']);
                if id.is_empty() {
                    continue;
                }
                let character = line.find(id).unwrap_or(indent);
                let key_indent = indent + (trimmed.len() - item.len());
                outline.steps.push(StepId {
                    id: id.to_owned(),
                    line: n,
                    character: line[..character].chars().count(),
                    question: is_question(&lines[n..], key_indent),
                });
            }
        }
        outline
    }

    pub fn step(&self, id: &str) -> Option<&StepId> {
        self.steps.iter().find(|s| s.id == id)
    }
}

/// Whether the step whose `id` key is the first line of `lines`, its keys
/// at `indent`, has an `ask:` or `choose:` key.
fn is_question(lines: &[&str], indent: usize) -> bool {
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let here = line.len() - trimmed.len();
        if i > 0
            && !trimmed.is_empty()
            && (here < indent || trimmed.starts_with("- ") && here <= indent)
        {
            return false;
        }
        let key = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        if (here == indent || i == 0) && (key.starts_with("ask:") || key.starts_with("choose:")) {
            return true;
        }
    }
    false
}

/// The word (letters, digits, `_`) around `character` of `line`, with the
/// character it starts at.
pub fn word_at(line: &str, character: usize) -> Option<(String, usize)> {
    let chars: Vec<char> = line.chars().collect();
    let is_word = |c: &char| c.is_alphanumeric() || *c == '_';
    let at = character.min(chars.len());
    let start = (0..at)
        .rev()
        .take_while(|&i| is_word(&chars[i]))
        .last()
        .unwrap_or(at);
    let end = (at..chars.len())
        .take_while(|&i| is_word(&chars[i]))
        .last()
        .map_or(at, |i| i + 1);
    (start < end).then(|| (chars[start..end].iter().collect(), start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_questions_and_roles() {
        let text = "roles:\n  speaker: S\n  listener:\n    description: L\nsteps:\n  - id: hello\n    say: Hi\n  - id: feeling\n    ask: How?\n    by: speaker\n";
        let outline = Outline::of(text);
        assert_eq!(outline.roles, ["speaker", "listener"]);
        let ids: Vec<(&str, bool)> = outline
            .steps
            .iter()
            .map(|s| (s.id.as_str(), s.question))
            .collect();
        assert_eq!(ids, [("hello", false), ("feeling", true)]);
        assert_eq!((outline.steps[1].line, outline.steps[1].character), (7, 8));
    }

    #[test]
    fn finds_the_word_under_the_cursor() {
        assert_eq!(
            word_at("    goto: reflect", 12),
            Some(("reflect".to_owned(), 10))
        );
        assert_eq!(word_at("a . b", 2), None);
    }
}
