//! The embedded standard library compiles without diagnostics.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test fails loudly on a broken fixture"
)]

use trustcheck::PolicySet;

#[test]
fn standard_library_is_valid() {
    let set = PolicySet::standard();
    for diagnostic in set.diagnostics() {
        let span = diagnostic.span().unwrap();
        let file = set.sources().get(span.file).unwrap();
        let pos = file.position(span.start);
        eprintln!(
            "{}:{}:{}: {} [{}] {:?}",
            file.name(),
            pos.line,
            pos.column,
            diagnostic.message,
            diagnostic.code,
            diagnostic.help
        );
    }
    assert!(set.diagnostics().is_empty());
    assert_eq!(set.schema().root, "Constitution");
    assert!(set.schema().record("Member").unwrap().key.as_deref() == Some("name"));
}

#[test]
fn standard_library_has_rules() {
    let set = PolicySet::standard();
    let ids: Vec<String> = set.rules().into_iter().map(|rule| rule.id).collect();
    eprintln!("{ids:?}");
    assert!(ids.len() >= 40, "only {} rules", ids.len());
}

#[test]
fn docs_rules_md_is_generated_from_the_library() {
    let expected = trustcheck::cli::rules::markdown(&PolicySet::standard().rules());
    let actual = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
    assert!(
        actual == expected,
        "docs/rules.md is out of date: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}
