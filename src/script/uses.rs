//! Which of the engine's names a script or template mentions, found once when
//! it is compiled, so a run builds only the parts of its view that are read
//! (docs/performance.md: building the whole view for every render and every
//! check rule was most of the engine's time).
//!
//! The scan looks at words, so it over-approximates (a name inside a string
//! or a comment counts) but never misses a name that is read. Text with a word
//! that can reach values without naming them gets everything. The names are
//! those of `scope_names::SCOPE_NAMES`, one bit each in table order.

use crate::script::scope_names::{SCOPE_NAMES, ScopeName};

/// Ways to read a value by a name built at run time (rhai function pointers
/// and `is_def_var`), or to see the whole context (minijinja's `debug()`, and
/// other templates pulled in by `include`, `import` or `extends`).
const INDIRECT: [&str; 9] = [
    "Fn",
    "call",
    "curry",
    "is_def_var",
    "is_def_fn",
    "debug",
    "include",
    "import",
    "extends",
];

/// The bit for role names (`speaker`), which are variables of their own.
const ROLE_NAMES: u32 = 1 << SCOPE_NAMES.len();

/// The bytes a name is made of.
const IDENTIFIER: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

/// For each first byte, the lengths (as bits) of the tracked and indirect
/// words that start with it.
const TRACKED: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < SCOPE_NAMES.len() {
        mark(&mut table, SCOPE_NAMES[i].word);
        i += 1;
    }
    let mut i = 0;
    while i < INDIRECT.len() {
        mark(&mut table, INDIRECT[i]);
        i += 1;
    }
    table
};

const fn mark(table: &mut [u16; 256], word: &str) {
    let bytes = word.as_bytes();
    // A longer word would not fit the table: refuse to build.
    assert!(!bytes.is_empty() && bytes.len() < 16);
    table[bytes[0] as usize] |= 1 << bytes.len();
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uses(u32);

impl Uses {
    pub const ALL: Uses = Uses(u32::MAX);
    pub const NONE: Uses = Uses(0);

    /// The names `text` may read; role names are assumed read.
    pub fn scan(text: &str) -> Uses {
        Uses(Self::scan_among(text, &[]).0 | ROLE_NAMES)
    }

    /// The names `text` may read, where `declared` lists every name its
    /// scope will have (so role names count only when one is mentioned).
    pub fn scan_among(text: &str, declared: &[&str]) -> Uses {
        let mut bits = 0;
        // Byte by byte: a name is ASCII letters, digits and `_`, and every
        // byte of a multi-byte character is >= 0x80, so splitting bytes
        // gives the same words as splitting characters, without decoding.
        for word in text.as_bytes().split(|b| !IDENTIFIER[usize::from(*b)]) {
            let Some(&first) = word.first() else {
                continue;
            };
            // Most words of a template are prose: one look-up rules them out.
            if word.len() < 16 && TRACKED[usize::from(first)] & (1 << word.len()) != 0 {
                if INDIRECT.iter().any(|w| w.as_bytes() == word) {
                    return Uses::ALL;
                }
                if let Some(bit) = bit_of(word) {
                    bits |= bit;
                    continue;
                }
            }
            if !declared.is_empty() && declared.iter().any(|d| d.as_bytes() == word) {
                bits |= ROLE_NAMES;
            }
        }
        Uses(bits)
    }

    /// These uses and `name` as well.
    pub fn and(self, name: ScopeName) -> Uses {
        Uses(self.0 | bit(name))
    }

    /// Whether the text may read a role by its name.
    pub fn has_role_names(self) -> bool {
        self.0 & ROLE_NAMES != 0
    }

    /// Whether the text may read `name`.
    pub fn has(self, name: ScopeName) -> bool {
        self.0 & bit(name) != 0
    }
}

const fn bit(name: ScopeName) -> u32 {
    1 << name as u32
}

fn bit_of(word: &[u8]) -> Option<u32> {
    ScopeName::of_bytes(word).map(bit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_as_whole_words() {
        let uses = Uses::scan("answers.heard != \"yes\" && round == 2");
        assert!(uses.has(ScopeName::Answers));
        assert!(uses.has(ScopeName::Round));
        assert!(!uses.has(ScopeName::AnswersBy));
        assert!(!uses.has(ScopeName::Transcript));
        assert!(uses.has_role_names(), "role names always count");
    }

    #[test]
    fn every_tracked_word_is_scanned() {
        for word in SCOPE_NAMES.iter().map(|e| &e.word).chain(&INDIRECT) {
            assert_ne!(Uses::scan_among(word, &[]), Uses::NONE, "{word}");
        }
    }

    /// The scan as first written: split into words, look each one up.
    fn scan_by_words(text: &str, declared: &[&str]) -> Uses {
        let mut bits = 0;
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if INDIRECT.contains(&word) {
                return Uses::ALL;
            }
            if let Some(bit) = bit_of(word.as_bytes()) {
                bits |= bit;
                continue;
            }
            if !word.is_empty() && word != "answer" && declared.contains(&word) {
                bits |= ROLE_NAMES;
            }
        }
        Uses(bits)
    }

    #[test]
    fn finds_the_same_names_as_splitting_into_words() {
        let pieces = [
            "answers",
            "answers_by",
            "answer",
            "by",
            "round",
            "ledger",
            "visits",
            "roles",
            "speaker",
            "listener",
            "call",
            "Fn",
            "debug",
            "x",
            "_",
            "1",
            ".",
            " ",
            "{{",
            "}}",
            "é",
            "—",
            "\n",
            "(",
            "\"",
        ];
        let declared = ["answers", "answer", "by", "roles", "speaker", "listener"];
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..next() % 7 {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            for names in [&declared[..], &[]] {
                assert_eq!(
                    Uses::scan_among(&text, names),
                    scan_by_words(&text, names),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn characters_beyond_ascii_separate_words() {
        let uses = Uses::scan("Liebe·answers—wörds ledgerü «round» visitsé");
        assert!(uses.has(ScopeName::Answers));
        assert!(uses.has(ScopeName::Ledger));
        assert!(uses.has(ScopeName::Round));
        assert!(uses.has(ScopeName::Visits));
        assert!(!uses.has(ScopeName::Transcript));
        let declared = ["speaker"];
        assert!(Uses::scan_among("“speaker”", &declared).has_role_names());
        assert!(!Uses::scan_among("speakerin", &declared).has_role_names());
    }

    #[test]
    fn role_names_count_when_declared_and_mentioned() {
        assert!(Uses::scan("words(answer) > 3").has_role_names());
        let declared = ["answers", "answer", "speaker"];
        assert!(!Uses::scan_among("words(answer) > 3", &declared).has_role_names());
        assert!(Uses::scan_among("speaker == \"Alex\"", &declared).has_role_names());
        let long = ["the_offending_partner"];
        assert!(Uses::scan_among("the_offending_partner != \"\"", &long).has_role_names());
    }

    #[test]
    fn indirect_access_gets_everything() {
        for text in [
            "call(Fn(\"vis\" + \"its\"), \"x\") > 1",
            "{{ debug() }}",
            "{% include \"other\" %}",
            "is_def_var(\"trans\" + \"cript\")",
        ] {
            assert_eq!(Uses::scan(text), Uses::ALL, "{text}");
        }
    }
}
