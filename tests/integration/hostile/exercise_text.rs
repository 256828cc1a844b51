//! Control characters in what an exercise says.

use super::*;

#[test]
fn control_characters_in_exercise_text_are_shown_not_sent() {
    let output = mend(&[
        "run",
        &hostile("control-characters.yaml"),
        "--partners",
        "Alex,Sam",
    ])
    .stdin("fine\n")
    .ok();
    assert!(!output.stdout.contains('\x1b'), "{:?}", output.stdout);
    assert!(!output.stdout.contains('\x07'), "{:?}", output.stdout);
    for shown in [
        "Clipboard^[]52;c;ZWNobyBoaQ==^G · about 5 minutes\n",
        "Alex (speaker): Speaks <U+202E>eulb\n",
        "Set the window title^[]0;pwned^G?\n",
        "  For example: ^[[31mred\n",
        "Bye^G\n",
    ] {
        assert!(output.stdout.contains(shown), "{shown}\n{}", output.stdout);
    }
}

#[test]
fn check_warns_on_each_text_with_a_control_character() {
    let output = mend(&["check", &hostile("control-characters.yaml")]).ok();
    let warnings: Vec<&str> = output
        .stdout
        .lines()
        .filter(|l| l.contains("warning[M008]"))
        .collect();
    let file = hostile("control-characters.yaml");
    let at = |place: &str, shown: &str| {
        format!(
            "{file}:{place}: warning[M008]: this text holds a terminal control character, which mend shows as `{shown}` (it never sends one to the screen); remove it"
        )
    };
    assert_eq!(
        warnings,
        [
            at("1:8", "^["),
            at("2:10", "^["),
            at("6:12", "<U+202E>"),
            at("9:10", "^["),
            at("11:14", "^["),
            at("13:10", "^G"),
        ]
    );
    assert!(
        output
            .stdout
            .ends_with("1 file checked: 0 errors, 6 warnings\n")
    );
}
