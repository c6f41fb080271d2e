//! No input makes trustcheck panic, hang or overflow its stack: hostile constitutions and
//! policy files each give a clear diagnostic and a defined exit code.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test fails loudly on a broken fixture"
)]

use std::process::Command;

use trustcheck::policy::PolicySource;
use trustcheck::report::FileStatus;
use trustcheck::{CheckOptions, Input, PolicySet};

fn check_bytes(bytes: Vec<u8>) -> trustcheck::Report {
    let set = PolicySet::standard();
    let options = CheckOptions::as_of("2026-11-23".parse().unwrap());
    set.check_inputs(vec![Input { name: "hostile.toml".into(), bytes: Ok(bytes) }], &options)
}

fn codes(report: &trustcheck::Report) -> Vec<&str> {
    report.files.iter().flat_map(|file| &file.diagnostics).map(|d| d.code.as_str()).collect()
}

#[test]
fn invalid_utf8_is_an_encoding_error() {
    let report = check_bytes(b"[trust]\nname = \"\xff\xfe\"\n".to_vec());
    assert_eq!(codes(&report), ["io.encoding"]);
    assert_eq!(
        report.files[0].diagnostics[0].message,
        "`hostile.toml` is not UTF-8 text: the byte at offset 16 is not valid UTF-8"
    );
    assert_eq!(report.exit_code(false), 2);
}

#[test]
fn an_empty_file_lacks_the_required_tables() {
    let report = check_bytes(Vec::new());
    assert_eq!(report.files[0].status, FileStatus::Error);
    assert!(codes(&report).iter().all(|code| *code == "schema.missing_field"), "{:?}", codes(&report));
    assert_eq!(codes(&report).len(), 3, "trust, members and board");
}

#[test]
fn binary_junk_is_a_toml_syntax_error() {
    let junk: Vec<u8> = (0u8..=255).cycle().take(4096).filter(|b| b.is_ascii()).collect();
    let report = check_bytes(junk);
    assert_eq!(report.exit_code(false), 2);
    assert!(codes(&report).contains(&"toml.syntax"), "{:?}", codes(&report));
}

#[test]
fn deeply_nested_toml_is_refused_without_overflow() {
    let report = check_bytes(format!("x = {}", "[".repeat(200_000)).into_bytes());
    assert_eq!(report.exit_code(false), 2);
    let found = codes(&report);
    assert!(found.contains(&"limit.depth") || found.contains(&"toml.syntax"), "{found:?}");
    let report = check_bytes(format!("x = {}", "{ a = ".repeat(50_000)).into_bytes());
    assert_eq!(report.exit_code(false), 2);
}

#[test]
fn oversized_bytes_already_in_memory_are_refused() {
    let report = check_bytes(vec![b'#'; trustcheck::limits::MAX_FILE_BYTES + 1]);
    assert_eq!(codes(&report), ["limit.size"]);
}

#[test]
fn a_file_whose_size_is_over_the_limit_is_refused_by_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let limit = trustcheck::limits::MAX_FILE_BYTES as u64;
    let (at_limit, over) = (dir.path().join("at_limit.toml"), dir.path().join("over.toml"));
    std::fs::File::create(&at_limit).unwrap().set_len(limit).unwrap();
    std::fs::File::create(&over).unwrap().set_len(limit + 1).unwrap();
    assert_eq!(Input::read(&at_limit).bytes.map(|bytes| bytes.len() as u64), Ok(limit));
    // The size the system gives is what is reported: the file was not read to find it.
    assert_eq!(Input::read(&over).bytes, Err(trustcheck::run::ReadError::TooLarge(Some(limit + 1))));
    assert_eq!(Input::read(dir.path()).bytes, Err(trustcheck::run::ReadError::Folder));
    assert_eq!(Input::read(&dir.path().join("missing.toml")).bytes, Err(trustcheck::run::ReadError::NotFound));
}

/// A device that never ends is read only to one byte past the limit, then refused: it does
/// not fill memory or hang.
#[cfg(unix)]
#[test]
fn a_device_that_never_ends_is_refused_once_past_the_limit() {
    assert_eq!(Input::read(std::path::Path::new("/dev/zero")).bytes, Err(trustcheck::run::ReadError::TooLarge(None)));
    let output = Command::new(env!("CARGO_BIN_EXE_trustcheck"))
        .args(["check", "--format", "short", "/dev/zero"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).lines().next(),
        Some(
            "/dev/zero: error[limit.size]: `/dev/zero` is too large to check: the file is larger than \
             the limit of 4 MiB (more than 4194304 bytes)"
        )
    );
}

#[test]
fn hostile_policy_files_give_diagnostics() {
    let hostile: [&[u8]; 5] = [
        b"\xff\xff",
        b"",
        b"policy p \"P\" { rule r error \"T\" { require ((((((((((",
        b"let x = \"unterminated",
        b"record R { a: R = {} }\nroot R\n",
    ];
    for bytes in hostile {
        let set = PolicySet::from_sources(vec![PolicySource::File(Input {
            name: "hostile.policy".into(),
            bytes: Ok(bytes.to_vec()),
        })]);
        let report = set.validation_report(&CheckOptions::as_of("2026-11-23".parse().unwrap()));
        if bytes.is_empty() {
            assert!(set.is_valid(), "an empty policy file is an empty policy set");
            continue;
        }
        assert_eq!(report.exit_code(false), 2, "{:?}", String::from_utf8_lossy(bytes));
        let diagnostics: Vec<_> = report.files.iter().flat_map(|file| &file.diagnostics).collect();
        assert!(!diagnostics.is_empty());
        assert!(diagnostics.iter().all(|d| d.span().is_some() || d.code == "io.encoding"), "{diagnostics:#?}");
    }
    let deep = format!("let x = {}1\n", "(".repeat(200_000));
    let set = PolicySet::from_sources(vec![PolicySource::File(Input::from_text("deep.policy", deep))]);
    assert!(!set.is_valid());
    assert_eq!(set.diagnostics()[0].code, "limit.depth");
}

#[test]
fn the_binary_exits_2_on_hostile_files_and_never_panics() {
    let dir = std::env::temp_dir().join(format!("trustcheck-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("nested.toml"), format!("x = {}", "[".repeat(200_000))).unwrap();
    std::fs::write(dir.join("latin1.toml"), b"[trust]\nname = \"Ynys M\xf4n\"\n").unwrap();
    std::fs::write(dir.join("deep.policy"), format!("let x = {}1\n", "not ".repeat(200_000))).unwrap();
    let run =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_trustcheck")).args(args).current_dir(&dir).output().unwrap();
    for format in ["human", "json", "short", "sarif", "github"] {
        let output =
            run(&["check", "--format", format, "--as-of", "2026-11-23", "nested.toml", "latin1.toml", "missing.toml"]);
        assert_eq!(output.status.code(), Some(2), "{format}");
        assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"), "{format}");
    }
    let output = run(&["validate", "--policy", "deep.policy"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stdout).contains("limit.depth"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_thousand_constitutions_in_one_run() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/birmingham_mutual_option.toml"))
        .unwrap();
    let inputs: Vec<Input> = (0..1000).map(|i| Input::from_text(format!("c{i:04}.toml"), text.clone())).collect();
    let set = PolicySet::standard();
    let report = set.check_inputs(inputs, &CheckOptions::as_of("2026-11-23".parse().unwrap()));
    assert_eq!(report.files.len(), 1000);
    assert!(
        report.files.iter().all(|file| file.summary.failed == 7),
        "the five findings, the reserved award without competition and the influenced-company note"
    );
    assert_eq!(report.files[999].path, "c0999.toml", "files keep the order given");
}

#[test]
fn rules_nested_to_the_limit_evaluate_on_a_small_stack() {
    let depth = 60;
    let policy = format!(
        "policy deep \"Deep\" {{ rule r error \"R\" {{ require {}trust.charity{} }} }}\n",
        "not (".repeat(depth),
        ")".repeat(depth)
    );
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let set = PolicySet::from_sources(vec![
                PolicySource::Standard,
                PolicySource::File(Input::from_text("deep.policy", policy)),
            ]);
            assert!(set.is_valid(), "{:#?}", set.diagnostics());
            let text = std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/examples/birmingham_childrens_trust.toml"
            ))
            .unwrap();
            let report = set.check_inputs(
                vec![Input::from_text("t.toml", text)],
                &CheckOptions::as_of("2026-11-23".parse().unwrap()),
            );
            report.files[0].summary.passed
        })
        .unwrap();
    assert!(handle.join().unwrap() > 0);
}
