//! Finding where a value sits in a YAML file, after the fact.
//!
//! serde_yaml gives no spans for values that parsed fine, but it does stamp every
//! error raised inside a `Deserialize` with the mark of the event being read. So to
//! find `steps[3].goto` we walk the document again with a visitor that raises an
//! error exactly there, and read the mark off that error. This only runs when a
//! diagnostic needs a position, never on the happy path.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// The keys of the exercise format are borrowed, so the many paths the
    /// compiler keeps (one per step and check rule) copy no text.
    Key(Cow<'static, str>),
    Index(usize),
}

/// Every key of the exercise format (`format/spec.rs`).
const FORMAT_KEYS: [&str; 41] = [
    "title",
    "summary",
    "minutes",
    "tags",
    "version",
    "roles",
    "vars",
    "steps",
    "notes",
    "suggest",
    "id",
    "say",
    "ask",
    "choose",
    "set",
    "commit",
    "agree",
    "mark",
    "swap",
    "by",
    "example",
    "check",
    "options",
    "optional",
    "private_with",
    "when",
    "goto",
    "max_visits",
    "rule",
    "hint",
    "strict",
    "key",
    "label",
    "text",
    "due",
    "topic",
    "revisit",
    "commitment",
    "status",
    "description",
    "reason",
];

fn key_seg(key: &str) -> Seg {
    match FORMAT_KEYS.iter().find(|k| **k == key) {
        Some(known) => Seg::Key(Cow::Borrowed(known)),
        None => Seg::Key(Cow::Owned(key.to_owned())),
    }
}

/// A path into the document, such as `steps[3].check[0].rule`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct YamlPath(pub Vec<Seg>);

impl YamlPath {
    pub fn root() -> Self {
        YamlPath(Vec::new())
    }

    pub fn key(&self, key: &str) -> Self {
        self.with(key_seg(key))
    }

    pub fn index(&self, index: usize) -> Self {
        self.with(Seg::Index(index))
    }

    /// This path and `seg`, allocated once at its final size.
    fn with(&self, seg: Seg) -> Self {
        let mut segs = Vec::with_capacity(self.0.len() + 1);
        segs.extend_from_slice(&self.0);
        segs.push(seg);
        YamlPath(segs)
    }

    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Seg::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// Parses the dotted form serde_path_to_error prints (`steps[2].ask`).
    pub fn parse(text: &str) -> Self {
        let mut segs = Vec::new();
        for part in text.split('.').filter(|p| !p.is_empty() && *p != "?") {
            let (name, rest) = part.split_once('[').unwrap_or((part, ""));
            if !name.is_empty() {
                segs.push(key_seg(name));
            }
            for index in rest.split('[') {
                if let Ok(i) = index.trim_end_matches(']').parse() {
                    segs.push(Seg::Index(i));
                }
            }
        }
        YamlPath(segs)
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Whether a diagnostic points at a mapping key or at the value under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    Key,
    Value,
}

const FOUND: &str = "\u{0}mend-found";

/// The 1-based line and column of the node at `path`, or `None` when the path
/// does not exist in `source`.
pub fn locate(source: &str, path: &YamlPath, point: Point) -> Option<(usize, usize)> {
    let deserializer = serde_yaml::Deserializer::from_str(source);
    let seek = Seek {
        path: &path.0,
        point,
    };
    match seek.deserialize(deserializer) {
        Ok(()) => None,
        Err(error) if error.to_string().contains(FOUND) => {
            error.location().map(|l| (l.line(), l.column()))
        }
        Err(_) => None,
    }
}

struct Seek<'p> {
    path: &'p [Seg],
    point: Point,
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.path.is_empty() {
            deserializer.deserialize_any(Found).map(|_| ())
        } else {
            deserializer.deserialize_any(self)
        }
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Seg::Key(wanted), rest)) = self.path.split_first() else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        let stop_at_key = rest.is_empty() && self.point == Point::Key;
        while let Some(key) = map.next_key_seed(KeySeek {
            wanted: stop_at_key.then_some(wanted.as_ref()),
        })? {
            if key == *wanted {
                map.next_value_seed(Seek {
                    path: rest,
                    point: self.point,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let wanted = match self.path.first() {
            Some(Seg::Index(i)) => Some(*i),
            _ => None,
        };
        let mut index = 0;
        loop {
            let more = if Some(index) == wanted {
                seq.next_element_seed(Seek {
                    path: &self.path[1..],
                    point: self.point,
                })?
                .is_some()
            } else {
                seq.next_element::<IgnoredAny>()?.is_some()
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Reads a mapping key as text, raising `FOUND` on the wanted key.
struct KeySeek<'w> {
    wanted: Option<&'w str>,
}

impl<'de> DeserializeSeed<'de> for KeySeek<'_> {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeek<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<String, E> {
        if self.wanted == Some(key) {
            Err(E::custom(FOUND))
        } else {
            Ok(key.to_owned())
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        self.visit_str("~")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(String::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(String::new())
    }
}

/// Raises `FOUND` on whatever node it is asked to read.
struct Found;

impl<'de> Visitor<'de> for Found {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML node")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str =
        "title: Hello\nsteps:\n  - id: one\n    say: hi\n  - id: two\n    goto: nowhere\n";

    #[test]
    fn finds_values_and_keys() {
        let path = YamlPath::root().key("steps").index(1).key("goto");
        assert_eq!(locate(DOC, &path, Point::Value), Some((6, 11)));
        assert_eq!(locate(DOC, &path, Point::Key), Some((6, 5)));
        assert_eq!(
            locate(DOC, &YamlPath::root().key("title"), Point::Value),
            Some((1, 8))
        );
    }

    #[test]
    fn missing_paths_are_none() {
        let path = YamlPath::root().key("steps").index(7);
        assert_eq!(locate(DOC, &path, Point::Value), None);
    }

    #[test]
    fn parses_the_dotted_form() {
        let path = YamlPath::parse("steps[2].check[0].rule");
        assert_eq!(path.to_string(), "steps[2].check[0].rule");
    }
}
