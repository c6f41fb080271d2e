//! The standard library compiled ahead of time (`src/policy/standard.postcard`) must be what
//! compiling its text gives, and checking with it must give the same reports as checking with
//! the library compiled from its text.
//!
//! After changing `policies/*.policy`, regenerate it:
//! `TRUSTCHECK_WRITE_STANDARD=1 cargo test --test std_artifact`.

#![allow(clippy::unwrap_used, reason = "a test fails loudly")]

use trustcheck::policy::PolicySource;
use trustcheck::policy::artifact::ARTIFACT;
use trustcheck::{CheckOptions, Input, PolicySet};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/policy/standard.postcard");

#[test]
fn the_compiled_standard_library_is_fresh() {
    let fresh = PolicySet::standard_artifact();
    assert!(!fresh.is_empty());
    if std::env::var_os("TRUSTCHECK_WRITE_STANDARD").is_some() && fresh != ARTIFACT {
        std::fs::write(PATH, &fresh).unwrap();
        return;
    }
    assert!(
        fresh == ARTIFACT,
        "src/policy/standard.postcard is out of date: run `TRUSTCHECK_WRITE_STANDARD=1 cargo test --test std_artifact`"
    );
    assert!(trustcheck::policy::artifact::load().is_some(), "the embedded artifact is read back");
}

#[test]
fn the_artifact_and_the_text_judge_alike() {
    let from_artifact = PolicySet::standard();
    // Adding an empty local file forces the library to be compiled from its text.
    let from_text =
        PolicySet::from_sources(vec![PolicySource::Standard, PolicySource::File(Input::from_text("empty.policy", ""))]);
    assert!(from_artifact.is_valid() && from_text.is_valid());
    let examples: Vec<std::path::PathBuf> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    assert!(examples.len() >= 5);
    let options = CheckOptions::as_of("2026-11-23".parse().unwrap());
    let inputs = || examples.iter().map(|path| Input::read(path)).collect::<Vec<_>>();
    let a = trustcheck::report::json::render(&from_artifact.check_inputs(inputs(), &options));
    let b = trustcheck::report::json::render(&from_text.check_inputs(inputs(), &options));
    assert_eq!(a, b);
}
