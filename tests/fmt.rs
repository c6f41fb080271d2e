//! `trustcheck fmt`: the standard library is kept formatted; the layout does not depend on the
//! spaces within lines (a property over the library with spaces scattered through it); the
//! command writes atomically, keeps permissions, reports a diff with `--check` and never
//! touches a file that does not parse.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing, reason = "tests may panic")]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use trustcheck::embedded::STANDARD_LIBRARY;
use trustcheck::formatter::format;
use trustcheck::source::FileId;
use trustcheck::syntax::lexer::{TokenKind, lex};

fn trustcheck(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_trustcheck")).args(args).current_dir(dir).output().expect("run");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.code().unwrap_or(-1), text(&output.stdout), text(&output.stderr))
}

#[test]
fn the_standard_library_is_formatted() {
    for (name, text) in STANDARD_LIBRARY {
        let formatted = format(text, FileId(0)).unwrap_or_else(|error| panic!("{name}: {error:?}"));
        assert!(formatted == *text, "{name} is not formatted: run `trustcheck fmt policies/`");
    }
}

/// A standard library file with extra spaces at some token boundaries of its lines.
fn spaced_out() -> impl Strategy<Value = (usize, String)> {
    (0..STANDARD_LIBRARY.len(), proptest::collection::vec(any::<bool>(), 64)).prop_map(|(index, coin)| {
        let (_, text) = STANDARD_LIBRARY[index];
        let mut out = String::with_capacity(text.len() * 2);
        for (at, token) in lex(text).iter().enumerate() {
            let piece = token.text(text);
            match token.kind {
                TokenKind::Whitespace if coin[at % coin.len()] => out.push_str("   "),
                TokenKind::Newline if coin[(at * 7) % coin.len()] => out.push_str(" \t\n"),
                _ => out.push_str(piece),
            }
            if matches!(token.kind, TokenKind::Punct | TokenKind::Open | TokenKind::Close)
                && coin[(at * 3) % coin.len()]
            {
                out.push(' ');
            }
        }
        (index, out)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Spaces and tabs within and at the ends of lines never change the layout: the output is the
    /// library's own text, and formatting it again changes nothing.
    #[test]
    fn the_layout_does_not_depend_on_spaces((index, text) in spaced_out()) {
        prop_assume!(trustcheck::syntax::parse(&text, FileId(0)).is_ok());
        let formatted = format(&text, FileId(0)).expect("formatted");
        prop_assert_eq!(&formatted, STANDARD_LIBRARY[index].1);
        prop_assert_eq!(format(&formatted, FileId(0)).expect("again"), formatted);
    }
}

#[test]
fn check_reports_a_diff_and_writes_nothing_then_fmt_writes_keeping_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("local.policy");
    let messy = "policy  local \"Local\"{\nrule r note \"T\"{ require  true }\n}\n";
    std::fs::write(&path, messy).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();

    let (code, stdout, stderr) = trustcheck(dir.path(), &["fmt", "--check"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stdout,
        "--- local.policy\n+++ local.policy\n@@ -1,3 +1,3 @@\n-policy  local \"Local\"{\n-rule r note \"T\"{ require  true }\n\
         +policy local \"Local\" {\n+  rule r note \"T\" { require true }\n }\n"
    );
    assert_eq!(stderr, "1 of 1 policy files would be reformatted\n");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), messy, "--check writes nothing");

    let (code, _, stderr) = trustcheck(dir.path(), &["fmt", "local.policy"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "policy local \"Local\" {\n  rule r note \"T\" { require true }\n}\n"
    );
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|entry| entry.file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind: {leftovers:?}");

    let (code, stdout, stderr) = trustcheck(dir.path(), &["fmt", "--check", "."]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", "0 of 1 policy files would be reformatted\n"));
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "policy  broken \"Broken\" {\n  rule r note \"T\" { require (true }\n}\n";
    std::fs::write(dir.path().join("broken.policy"), broken).unwrap();
    std::fs::write(dir.path().join("fine.policy"), "let  x = 1\n").unwrap();
    let (code, _, stderr) = trustcheck(dir.path(), &["fmt"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("policy.syntax") && stderr.contains("broken.policy:2:"), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.path().join("broken.policy")).unwrap(), broken);
    assert_eq!(std::fs::read_to_string(dir.path().join("fine.policy")).unwrap(), "let x = 1\n");
}

#[test]
fn a_folder_that_cannot_be_searched_is_an_error_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fine.policy"), "let x = 1\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing"), dir.path().join("gone.policy")).unwrap();
    let (code, _, stderr) = trustcheck(dir.path(), &["fmt", "--check"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("error: cannot search `gone.policy`"), "{stderr}");
}
