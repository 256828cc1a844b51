//! The safety note, and the words that bring it back. mend is not a crisis
//! service: when an answer names violence, fear for someone's safety or
//! self-harm, the screen shows the safety note again and the journal keeps
//! a flag, so the clinician reading the notes sees it. Not a diagnosis; the
//! list is in docs/sessions.md ("Safety words") and errs towards flagging.

/// Shown before anything else, in `mend session`, `mend run` and `mend serve`, and again
/// after an answer that names a safety concern.
pub const SAFETY_NOTE: &str = "mend supports, and does not replace, guidance from a professional. \
If there is violence, coercion or fear for anyone's safety in your relationship, \
couples exercises are not the right tool: please reach out to a local domestic-abuse service, \
a doctor or an individual therapist first. \
If anyone is in danger right now, call your local emergency number.";

/// Words and phrases by what they name, matched as whole words ignoring
/// case; a trailing `*` matches any ending ("threat*" matches "threatened").
pub const SAFETY_WORDS: [(&str, &[&str]); 3] = [
    ("violence", VIOLENCE),
    ("fear", FEAR),
    ("self-harm", SELF_HARM),
];

const VIOLENCE: &[&str] = &[
    "hit me",
    "hits me",
    "hit him",
    "hit her",
    "hit you",
    "hitting me",
    // Not a bare "hurt me": in a couple rebuilding trust "it hurt me when
    // you left" is the pain the exercises are for, and bringing back the
    // domestic-abuse note for it reads as an accusation. Physical hurt is.
    "physically hurt*",
    "hurt me physically",
    "hurts me physically",
    "slap*",
    "punched",
    "punches",
    "punching",
    "kicked me",
    "kicks me",
    "chok*",
    "strangl*",
    "shove*",
    "shoving",
    "push me",
    "pushed me",
    "beat me",
    "beats me",
    "beaten",
    "violen*",
    "abus*",
    "weapon*",
    "gun",
    "knife",
    "threat*",
    "rape*",
    "forced me",
    "force me",
];

const FEAR: &[&str] = &[
    "afraid of him",
    "afraid of her",
    "afraid of you",
    "scared of him",
    "scared of her",
    "scared of you",
    "fear for my life",
    "fear for my safety",
    "frighten*",
    "terrified",
    "not safe",
    "unsafe",
];

const SELF_HARM: &[&str] = &[
    "kill myself",
    "killing myself",
    "suicid*",
    "self-harm*",
    "self harm*",
    "harm myself",
    "hurt myself",
    "hurting myself",
    "end my life",
    "end it all",
    "want to die",
    "better off dead",
    "cut myself",
    "cutting myself",
    "overdose*",
];

/// What an answer names ("violence", "fear", "self-harm"; empty when none).
pub fn safety_words(answer: &str) -> Vec<&'static str> {
    safety_matches(answer)
        .into_iter()
        .map(|(what, _)| what)
        .collect()
}

/// Each kind of safety words in `answer`, with the words of the answer
/// that matched first ("violence", "threatened"), so a clinician reading
/// the flag can tell which words raised it.
pub fn safety_matches(answer: &str) -> Vec<(&'static str, String)> {
    let words: Vec<String> = answer
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let found = |entry: &str| -> Option<String> {
        let parts: Vec<&str> = entry.split(' ').collect();
        words
            .windows(parts.len())
            .find(|window| {
                window
                    .iter()
                    .zip(&parts)
                    .all(|(word, part)| match part.strip_suffix('*') {
                        Some(stem) => word.starts_with(stem),
                        None => word == part,
                    })
            })
            .map(|window| window.join(" "))
    };
    SAFETY_WORDS
        .iter()
        .filter_map(|(what, list)| {
            list.iter()
                .find_map(|e| found(e))
                .map(|words| (*what, words))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pain_of_the_hurt_is_not_taken_for_violence() {
        assert!(safety_words("I feel hurt. It hurt me when you left.").is_empty());
        assert!(safety_words("What you did hurts me every day").is_empty());
        assert_eq!(safety_words("He physically hurt me"), ["violence"]);
        assert_eq!(safety_words("You hurt me physically"), ["violence"]);
    }

    #[test]
    fn whole_words_and_stems_match_ignoring_case() {
        assert_eq!(safety_words("He THREATENED me last night"), ["violence"]);
        assert_eq!(safety_words("Sometimes I want to die."), ["self-harm"]);
        assert_eq!(safety_words("I'm scared of him"), ["fear"]);
        assert_eq!(
            safety_words("When you hit me, I was terrified"),
            ["violence", "fear"]
        );
        assert!(safety_words("We hit a rough patch").is_empty());
        assert!(safety_words("I feel lonely at dinner").is_empty());
        assert!(safety_words("the whitening kit").is_empty());
        assert!(safety_words("a nice chat").is_empty());
    }
}
