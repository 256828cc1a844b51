//! The variables a script reads or writes, when it names each one as
//! `vars.NAME`. A script then gets only those: an exercise's shared word
//! lists run to thousands of items, and converting every list for every
//! script, and counting them all against the script's collection bound,
//! made a rule fail mid-session for lists it never read.

/// Every `NAME` of `vars.NAME` in `text`, or `None` when the script may
/// reach `vars` some other way (`vars[key]`, `vars.keys()`, `for v in
/// vars`, the word in a string or comment): then it gets every variable.
pub fn vars_named(text: &str) -> Option<Vec<String>> {
    let bytes = text.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut names: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("vars") {
        let start = at + found;
        let end = start + 4;
        at = end;
        let before = start.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(is_ident) || bytes.get(end).copied().is_some_and(is_ident) {
            continue;
        }
        // `x.vars` is a property of something else, not the scope's map.
        if before == Some(b'.') {
            continue;
        }
        let skip_blanks = |mut i: usize| {
            while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
                i += 1;
            }
            i
        };
        let dot = skip_blanks(end);
        if bytes.get(dot) != Some(&b'.') {
            return None;
        }
        let name_start = skip_blanks(dot + 1);
        let name_end = (name_start..bytes.len())
            .find(|&i| !is_ident(bytes[i]))
            .unwrap_or(bytes.len());
        if name_end == name_start || bytes[name_start].is_ascii_digit() {
            return None;
        }
        // `vars.keys()`: a method of the map, which sees all of it.
        if bytes.get(skip_blanks(name_end)) == Some(&b'(') {
            return None;
        }
        let name = &text[name_start..name_end];
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
        at = name_end;
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::vars_named;

    #[test]
    fn names_read_and_written_as_properties_are_found() {
        assert_eq!(
            vars_named("vars.hit = vars.a.contains(answer) || vars . b.len() > 3;"),
            Some(vec!["hit".into(), "a".into(), "b".into()])
        );
        assert_eq!(vars_named("answer.len() > 3"), Some(vec![]));
        assert_eq!(vars_named("my_vars.x + x.vars"), Some(vec![]));
    }

    #[test]
    fn any_other_way_to_reach_vars_gives_every_variable() {
        assert_eq!(vars_named("vars[\"a\"]"), None);
        assert_eq!(vars_named("vars.keys().len()"), None);
        assert_eq!(vars_named("for v in vars { }"), None);
        assert_eq!(vars_named("let s = \"the vars\";"), None);
        assert_eq!(vars_named("vars.0"), None);
    }
}
