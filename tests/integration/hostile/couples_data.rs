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
            .any(|n| n.starts_with("couple-") && n.ends_with(".jsonl")),
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
    let history = std::fs::read_dir(&ledgers)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .unwrap();
    let hash = history.file_stem().unwrap().to_str().unwrap()["couple-".len()..].to_owned();
    let current = history.with_extension("json");
    // As an earlier mend kept it: a JSON ledger named after the partners,
    // and no history yet. The history is written from the journals (the
    // record), and the file is kept under the couple's hash.
    let partners = ["Alex".to_owned(), "Sam".to_owned()];
    let dir = mend::store::DataDir::open(Some(data)).unwrap();
    let ledger = mend::store::ledger_log::read(&dir, &partners)
        .unwrap()
        .ledger();
    let legacy = ledgers.join(format!("alex+sam-{}.json", &hash[..8]));
    std::fs::write(&legacy, serde_json::to_vec(&ledger).unwrap()).unwrap();
    std::fs::write(legacy.with_extension("lock"), "").unwrap();
    std::fs::remove_file(&history).unwrap();
    std::fs::remove_file(ledgers.join("histories")).unwrap();
    let shown = mend(&["ledger", "--partners", "Alex,Sam"]).data(data).ok();
    assert!(
        shown
            .stdout
            .contains("  c1   Alex: Text you when I am running late (due 2020-01-05)  OVERDUE\n"),
        "{shown:?}"
    );
    let names = names(data);
    assert!(
        !names.iter().any(|n| n.starts_with("alex+sam")),
        "{names:?}"
    );
    assert!(current.is_file(), "{names:?}");
    assert!(history.is_file(), "{names:?}");
}
