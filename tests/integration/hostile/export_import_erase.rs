//! A couple's data, theirs to take and to erase.

use super::*;
use age::secrecy::ExposeSecret;

fn promise(data: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("promise.yaml");
    std::fs::write(&file, crate::ledger::PROMISE).unwrap();
    for (partners, said) in [
        (
            "Alex,Sam",
            "Text you when I am running late\nA walk together twice a week\n",
        ),
        ("Kim,Lee", "Call on Sundays\n"),
    ] {
        mend(&["run", file.to_str().unwrap(), "--partners", partners])
            .data(data)
            .stdin(said)
            .run();
    }
}

fn journals(data: &Path) -> Vec<String> {
    let mut texts: Vec<String> = std::fs::read_dir(data.join("sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    texts.sort();
    texts
}

const LEDGER: &str = "  c1   Alex: Text you when I am running late (due 2020-01-05)  OVERDUE\n  c2   Sam: A walk together twice a week (due 2020-01-06)  OVERDUE\n";

#[test]
fn an_export_imports_on_another_machine_with_the_same_sessions_and_ledger() {
    let here = tempfile::tempdir().unwrap();
    let there = tempfile::tempdir().unwrap();
    promise(here.path());
    let archive = here.path().join("alex-sam.json");
    let output = mend(&[
        "export",
        "--partners",
        "sam,ALEX",
        "-o",
        archive.to_str().unwrap(),
    ])
    .data(here.path())
    .ok();
    assert_eq!(
        output.stdout,
        format!(
            "Wrote 1 session(s) and their ledger of Alex and Sam to {} (not encrypted: anyone who has the file can read it).\n",
            archive.display()
        )
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&archive).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&archive).unwrap();
    assert!(
        !text.contains("Call on Sundays"),
        "another couple's words were exported"
    );
    assert!(text.contains("# Session notes"), "no notes in the archive");
    let imported = mend(&["import", archive.to_str().unwrap()])
        .data(there.path())
        .ok();
    assert_eq!(
        imported.stdout,
        format!(
            "Imported 1 session(s) of Alex and Sam into {}.\n",
            there.path().display()
        )
    );
    let here_alex: Vec<String> = journals(here.path())
        .into_iter()
        .filter(|j| j.contains("\"Alex\""))
        .collect();
    assert_eq!(journals(there.path()), here_alex);
    let ledger = mend(&["ledger"]).data(there.path()).ok();
    assert!(ledger.stdout.contains(LEDGER), "{}", ledger.stdout);
    // Importing again adds nothing twice.
    let again = mend(&["import", archive.to_str().unwrap()])
        .data(there.path())
        .ok();
    assert!(
        again.stdout.ends_with("; 1 were already here.\n"),
        "{}",
        again.stdout
    );
}

#[test]
fn an_export_encrypted_to_a_passphrase_opens_only_with_it() {
    let here = tempfile::tempdir().unwrap();
    let there = tempfile::tempdir().unwrap();
    promise(here.path());
    let archive = here.path().join("sealed.age");
    let output = mend(&[
        "export",
        "--partners",
        "Alex,Sam",
        "-o",
        archive.to_str().unwrap(),
        "--encrypt",
    ])
    .data(here.path())
    .env("MEND_PASSPHRASE", "a long walk on Sunday")
    .ok();
    assert!(
        output.stdout.ends_with(", encrypted.\n"),
        "{}",
        output.stdout
    );
    let bytes = std::fs::read(&archive).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "));
    assert!(
        !bytes.windows(5).any(|w| w == b"Alex\""),
        "names in the clear"
    );
    let wrong = mend(&["import", archive.to_str().unwrap()])
        .data(there.path())
        .env("MEND_PASSPHRASE", "a short walk")
        .run();
    assert_eq!(wrong.code, 1);
    assert_eq!(
        wrong.stderr,
        "error: the passphrase or key does not open this archive\n"
    );
    let none = mend(&["import", archive.to_str().unwrap()])
        .data(there.path())
        .run();
    assert_eq!(
        none.stderr,
        "error: a passphrase is needed: type it at a terminal, or set MEND_PASSPHRASE (or use --recipient / --identity with age keys)\n"
    );
    mend(&["import", archive.to_str().unwrap()])
        .data(there.path())
        .env("MEND_PASSPHRASE", "a long walk on Sunday")
        .ok();
    let ledger = mend(&["ledger"]).data(there.path()).ok();
    assert!(ledger.stdout.contains(LEDGER), "{}", ledger.stdout);
}

#[test]
fn an_export_encrypted_to_a_key_opens_with_its_identity_file() {
    let here = tempfile::tempdir().unwrap();
    let there = tempfile::tempdir().unwrap();
    promise(here.path());
    let identity = age::x25519::Identity::generate();
    let key_file = here.path().join("key.txt");
    std::fs::write(
        &key_file,
        format!("{}\n", identity.to_string().expose_secret()),
    )
    .unwrap();
    let archive = here.path().join("sealed.age");
    mend(&[
        "export",
        "--partners",
        "Alex,Sam",
        "-o",
        archive.to_str().unwrap(),
        "--recipient",
        &identity.to_public().to_string(),
    ])
    .data(here.path())
    .ok();
    mend(&[
        "import",
        archive.to_str().unwrap(),
        "--identity",
        key_file.to_str().unwrap(),
    ])
    .data(there.path())
    .ok();
    let ledger = mend(&["ledger"]).data(there.path()).ok();
    assert!(ledger.stdout.contains(LEDGER), "{}", ledger.stdout);
    let bad = mend(&[
        "export",
        "--partners",
        "Alex,Sam",
        "-o",
        archive.to_str().unwrap(),
        "--recipient",
        "age1nope",
    ])
    .data(here.path())
    .run();
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr
            .starts_with("error: `age1nope` is not an age public key (they start with age1)"),
        "{}",
        bad.stderr
    );
}

#[test]
fn an_archive_naming_a_path_outside_the_sessions_folder_is_refused() {
    let there = tempfile::tempdir().unwrap();
    let archive = there.path().join("evil.json");
    std::fs::write(
        &archive,
        r#"{"mend_archive":1,"partners":["Alex","Sam"],"exported":"2026-01-01T00:00:00Z","sessions":[{"id":"../../escape","journal":"{\"t\":\"start\",\"v\":1,\"session\":\"x\",\"started\":\"2026-01-01T00:00:00Z\",\"partners\":[\"Alex\",\"Sam\"]}\n"}],"ledger":null}"#,
    )
    .unwrap();
    let output = mend(&["import", archive.to_str().unwrap()])
        .data(&there.path().join("data"))
        .run();
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stderr,
        "error: `../../escape` is not a session id; `mend sessions` lists them\n"
    );
    assert!(!there.path().join("escape.jsonl").exists());
}

#[test]
fn erase_names_what_goes_asks_and_leaves_nothing_of_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    promise(data);
    let kept = mend(&["erase", "--partners", "Sam,Alex"])
        .data(data)
        .stdin("no\n")
        .run();
    assert_eq!(kept.code, 1);
    let id = journals(data)
        .iter()
        .find(|j| j.contains("\"Alex\""))
        .and_then(|j| j.split("\"session\":\"").nth(1))
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .unwrap();
    assert_eq!(
        kept.stdout,
        format!(
            "This erases everything mend keeps for Alex and Sam in {}, for good:\n  1 session(s): {id}\n  their ledger of commitments and agreements\n  2 other file(s) of theirs (locks, copies left by a crash)\nNotes written elsewhere with `mend notes -o` are not in the data folder and are not touched.\n\nType erase to erase it, or anything else to keep it all.\n› no\n\nNothing was erased.\n",
            data.display()
        )
    );
    let erased = mend(&["erase", "--partners", "Sam,Alex"])
        .data(data)
        .stdin("erase\n")
        .ok();
    assert!(
        erased.stdout.ends_with(
            "Erased 4 file(s) of Alex and Sam. Nothing of theirs is left in the data folder.\n"
        ),
        "{}",
        erased.stdout
    );
    let left = journals(data);
    assert_eq!(left.len(), 1);
    assert!(left[0].contains("\"Kim\""));
    // The index of when sessions began keeps Kim's, not theirs.
    let index = std::fs::read_to_string(data.join("sessions.index")).unwrap();
    assert_eq!(index.lines().count(), 1, "{index}");
    assert!(!index.contains(&id), "{index}");
    assert!(left[0].contains(index.trim()), "{index}");
    let mut everything = Vec::new();
    for sub in ["sessions", "ledgers"] {
        for entry in std::fs::read_dir(data.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            everything.push(std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
    assert!(
        !everything
            .iter()
            .any(|t| t.contains("Alex") || t.contains("running late"))
    );
    let ledger = mend(&["ledger", "--partners", "Alex,Sam"]).data(data).ok();
    assert!(
        ledger.stdout.contains("Open commitments\n  none\n"),
        "{}",
        ledger.stdout
    );
}

/// An archive is read whole, so its size is bounded before reading, and a
/// passphrase archive whose header asks scrypt for more than 2^20 work
/// (gigabytes of memory) is refused before any work is done.
#[test]
fn an_archive_too_large_or_too_costly_to_open_is_refused_before_reading() {
    let here = tempfile::tempdir().unwrap();
    let there = tempfile::tempdir().unwrap();

    // A sparse file of 257 MiB: no disk used, and nothing is read.
    let huge = here.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(257 * 1024 * 1024)
        .unwrap();
    let output = mend(&["import", huge.to_str().unwrap()])
        .data(there.path())
        .run();
    assert_eq!(output.code, 1);
    assert!(
        output.stderr.ends_with(
            "is 257 MiB; an archive mend imports holds at most 256 MiB, so it was not read\n"
        ),
        "{}",
        output.stderr
    );

    // A real passphrase archive, its scrypt work factor raised in the header.
    promise(here.path());
    let archive = here.path().join("sealed.age");
    mend(&[
        "export",
        "--partners",
        "Alex,Sam",
        "-o",
        archive.to_str().unwrap(),
        "--encrypt",
    ])
    .data(here.path())
    .env("MEND_PASSPHRASE", "a long walk on Sunday")
    .ok();
    let bytes = std::fs::read(&archive).unwrap();
    let header_end = bytes.windows(4).position(|w| w == b"\n---").unwrap();
    let header = std::str::from_utf8(&bytes[..header_end]).unwrap();
    let stanza = header.lines().nth(1).unwrap();
    let log_n = stanza.rsplit(' ').next().unwrap();
    let costly = header.replacen(stanza, &stanza.replacen(&format!(" {log_n}"), " 30", 1), 1);
    let mut tampered = costly.into_bytes();
    tampered.extend_from_slice(&bytes[header_end..]);
    std::fs::write(&archive, tampered).unwrap();
    let output = mend(&["import", archive.to_str().unwrap()])
        .data(there.path())
        .env("MEND_PASSPHRASE", "a long walk on Sunday")
        .run();
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stderr,
        "error: the archive's passphrase asks for scrypt work 2^30, more than mend allows (2^20, about 1 GiB of memory); it was not written by mend export\n"
    );
}
