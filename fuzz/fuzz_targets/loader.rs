//! Any text given to the compiler as an exercise file: it must never panic,
//! and every diagnostic must point at a real line and column of the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mend::{Source, compile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let compiled = compile("fuzz", Source::new("fuzz.yaml", text));
    let lines: Vec<&str> = text.split('\n').collect();
    for d in &compiled.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert!(d.line <= lines.len(), "line past the end: {d:?}");
        let length = lines[d.line - 1].trim_end_matches('\r').chars().count();
        assert!(d.column <= length + 1, "column past the line: {d:?}");
    }
});
