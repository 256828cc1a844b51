//! What scripts and templates see. The engine builds only the parts of the
//! view a script or template names (src/script/uses.rs); this exercise names every
//! part, in templates, check rules, `when` and `set`, and pins the output.

use crate::common::mend;

#[test]
fn every_name_in_the_view_reads_the_same() {
    let output = mend(&[
        "run",
        "tests/exercises/every-name.yaml",
        "--partners",
        "Alex,Sam",
    ])
    .stdin("no\nyes\nno\n")
    .ok();
    let out = &output.stdout;
    assert!(out.contains("Alex (Alex), round 1: one word?"), "{out}");
    assert!(out.contains("  Not that, Alex.\n"), "{out}");
    assert!(out.contains("Sam (Sam), round 2: one word?"), "{out}");
    assert!(
        out.contains(
            "Every name by Alex & Sam: no; yes and no.\n\
             tries 2, last no, who /Sam, roles Alex/Sam, round 0, by [].\n\
             Alex said yes to \"Alex (Alex), round 1: one word?\". \
             Sam said no to \"Sam (Sam), round 2: one word?\".\n"
        ),
        "{out}"
    );
    assert!(out.contains("Sam listened last; 2 answers."), "{out}");
}
