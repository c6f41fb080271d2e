//! Snapshots of the plain human report and the JSON report of every bundled example, judged
//! at a fixed date so that the reports are byte-stable.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test fails loudly on a broken fixture"
)]

use std::path::Path;

use trustcheck::report::json;
use trustcheck::{CheckOptions, Input, PolicySet};

const AS_OF: &str = "2026-11-23";

fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    names.sort();
    names
}

fn report(name: &str) -> trustcheck::Report {
    let set = PolicySet::standard();
    let options = CheckOptions::as_of(AS_OF.parse().unwrap());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("examples").join(name)).unwrap();
    set.check_inputs(vec![Input::from_text(format!("examples/{name}"), text)], &options)
}

#[test]
fn every_example_is_snapshotted() {
    let expected = [
        "achieving_for_children.toml",
        "birmingham_childrens_trust.toml",
        "birmingham_mutual_option.toml",
        "defective_proposal.toml",
        "doncaster_childrens_services_trust.toml",
        "slough_children_first.toml",
        "together_for_children_sunderland.toml",
    ];
    assert_eq!(examples(), expected, "add a snapshot test for each new example");
}

macro_rules! example_snapshots {
    ($($test:ident => $file:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            let report = report($file);
            insta::assert_snapshot!(concat!(stringify!($test), "_human"), report.render_plain());
            insta::assert_snapshot!(concat!(stringify!($test), "_json"), json::render(&report));
        }
    )*};
}

example_snapshots! {
    achieving_for_children => "achieving_for_children.toml",
    birmingham_childrens_trust => "birmingham_childrens_trust.toml",
    birmingham_mutual_option => "birmingham_mutual_option.toml",
    defective_proposal => "defective_proposal.toml",
    doncaster_childrens_services_trust => "doncaster_childrens_services_trust.toml",
    slough_children_first => "slough_children_first.toml",
    together_for_children_sunderland => "together_for_children_sunderland.toml",
}

#[test]
fn the_mutual_option_shows_why_it_was_riskier() {
    let report = report("birmingham_mutual_option.toml");
    let codes: Vec<&str> = report.files[0].diagnostics.iter().map(|d| d.code.as_str()).collect();
    for code in ["procurement.reserved_exposure", "control.step_in", "procurement.reserved_term"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let trust = self::report("birmingham_childrens_trust.toml");
    assert_eq!(trust.exit_code(false), 0, "the chosen CIC passes every error rule");
    assert_eq!(report.exit_code(false), 1);
}

#[test]
fn sarif_of_every_example_is_valid_and_lists_every_rule() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).expect("schema parses");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let set = PolicySet::standard();
    let options = CheckOptions::as_of(AS_OF.parse().unwrap());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs: Vec<Input> = examples()
        .iter()
        .map(|name| {
            Input::from_text(
                format!("examples/{name}"),
                std::fs::read_to_string(root.join("examples").join(name)).unwrap(),
            )
        })
        .collect();
    let report = set.check_inputs(inputs, &options);
    let log: serde_json::Value = serde_json::from_str(&trustcheck::report::sarif::render(&report)).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|error| error.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), set.rules().len());
    let linked = set.rules().iter().filter(|rule| rule.citations.iter().any(|c| c.url.is_some())).count();
    assert_eq!(
        rules.iter().filter(|rule| rule["helpUri"].is_string()).count(),
        linked,
        "rules link to their provisions"
    );
    let results = log["runs"][0]["results"].as_array().unwrap();
    let findings: usize = report.files.iter().map(|file| file.diagnostics.len()).sum();
    assert_eq!(results.len(), findings);
}
