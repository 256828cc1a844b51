//! No partner names in file names; older names migrated.

use super::*;

/// Every file and folder name under `dir`, at any depth.
fn names(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
            names.push(entry.file_name().to_string_lossy().into_owned());
            if entry.file_type().unwrap().is_dir() {
                pending.push(entry.path());
            }
        }
    }
    names
}

fn promise(data: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("promise.yaml");
    std::fs::write(&file, crate::ledger::PROMISE).unwrap();
    mend(&["run", file.to_str().unwrap(), "--partners", "Alex,Sam"])
        .data(data)
        .stdin("Text you when I am running late\nA walk together twice a week\n")
        .ok();
}

#[test]
fn no_file_name_holds_a_partners_name() {
    let dir = tempfile::tempdir().unwrap();
    promise(dir.path());
    let names = names(dir.path());
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("couple-") && n.ends_with(".json")),
        "{names:?}"
    );
    for name in &names {
        let lower = name.to_lowercase();
        assert!(!lower.contains("alex") && !lower.contains("sam"), "{name}");
    }
}

#[test]
fn a_ledger_named_by_the_partners_is_renamed_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    promise(data);
    let ledgers = data.join("ledgers");
    let current = std::fs::read_dir(&ledgers)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let hash = current.file_stem().unwrap().to_str().unwrap()["couple-".len()..].to_owned();
    // As an earlier mend named it; without the journals, only this file
    // holds the commitments.
    let legacy = ledgers.join(format!("alex+sam-{}.json", &hash[..8]));
    std::fs::rename(&current, &legacy).unwrap();
    std::fs::write(legacy.with_extension("lock"), "").unwrap();
    let _ = std::fs::remove_file(current.with_extension("lock"));
    std::fs::remove_dir_all(data.join("sessions")).unwrap();
    let shown = mend(&["ledger", "--partners", "Alex,Sam"]).data(data).ok();
    assert!(
        shown
            .stdout
            .contains("  c1   Alex: Text you when I am running late (due 2099-01-05)\n"),
        "{shown:?}"
    );
    let names = names(data);
    assert!(
        !names.iter().any(|n| n.starts_with("alex+sam")),
        "{names:?}"
    );
    assert!(current.is_file(), "{names:?}");
    let again = mend(&["ledger", "--partners", "Alex,Sam"]).data(data).ok();
    assert!(
        again.stdout.contains("Text you when I am running late"),
        "{again:?}"
    );
}
