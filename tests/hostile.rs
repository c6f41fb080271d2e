//! Hostile input, as an attacker would write it: long operator chains, arithmetic that
//! overflows or divides by zero, out-of-range numbers, control characters in names and
//! paths, symbolic links. Each probe runs the built binary as a user would, and must give a
//! clear diagnostic and a defined exit code, never a crash, a forged line or a silent pass.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test fails loudly on a broken fixture"
)]

use std::path::Path;
use std::process::{Command, Output};

const AS_OF: &str = "2026-11-23";
const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/slough_children_first.toml");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trustcheck"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn no_crash(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("overflowed its stack"), "{stderr}");
    assert!(matches!(output.status.code(), Some(0..=2)), "exit {:?}: {stderr}", output.status);
}

/// A policy file with one rule whose `require` is `expr`.
fn policy_with(expr: &str) -> String {
    format!("policy local \"Local\" {{\n  rule chain error \"Chain\" {{\n    require {expr}\n  }}\n}}\n")
}

fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::copy(EXAMPLE, dir.path().join("trust.toml")).unwrap();
    dir
}

#[test]
fn a_100000_term_chain_validates_and_is_judged_in_every_command() {
    const TERMS: usize = 100_000;
    let sum = vec!["1"; TERMS].join(" + ");
    let conjunction = vec!["trust.name is set"; TERMS].join(" and ");
    let disjunction = vec!["trust.charity"; TERMS].join(" or ");
    let difference = vec!["1"; TERMS].join(" - ");
    let dir = folder_with(&[
        // The sum is 100,000, so the rule fails: it was judged, not skipped.
        ("sum.policy", &policy_with(&format!("{sum} > {TERMS}"))),
        ("and.policy", &policy_with(&conjunction).replace("chain", "conjunction")),
        ("or.policy", &policy_with(&disjunction).replace("chain", "disjunction")),
        ("minus.policy", &policy_with(&format!("{difference} < 0")).replace("chain", "difference")),
    ]);
    let policies = ["--policy", "std", "--policy", "sum.policy", "--policy", "and.policy"];
    let policies = [&policies[..], &["--policy", "or.policy", "--policy", "minus.policy"]].concat();

    let validate = run(dir.path(), &[&["validate"], &policies[..]].concat());
    no_crash(&validate);
    assert_eq!(validate.status.code(), Some(0), "{}", stdout(&validate));

    let check =
        run(dir.path(), &[&["check", "--as-of", AS_OF, "--format", "json"], &policies[..], &["trust.toml"]].concat());
    no_crash(&check);
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let codes: Vec<&str> =
        report["files"][0]["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"local.chain"), "the 100,000-term sum is judged and fails: {codes:?}");
    assert!(codes.contains(&"local.disjunction"), "the charity is false in every term: {codes:?}");
    assert!(!codes.contains(&"local.conjunction") && !codes.contains(&"local.difference"), "{codes:?}");
    assert_eq!(check.status.code(), Some(1));

    for command in ["rules", "explain local.chain"] {
        let args: Vec<&str> = command.split(' ').chain(policies.iter().copied()).collect();
        let output = run(dir.path(), &args);
        no_crash(&output);
        assert_eq!(output.status.code(), Some(0), "{command}");
    }
}

#[test]
fn comparisons_and_is_set_do_not_chain() {
    let dir = folder_with(&[
        ("compare.policy", &policy_with(&vec!["true"; 50_000].join(" == "))),
        ("is_set.policy", &policy_with(&format!("trust.name{}", " is set".repeat(50_000)))),
    ]);
    let output = run(dir.path(), &["validate", "--format", "short", "--policy", "std", "--policy", "compare.policy"]);
    no_crash(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).contains("compare.policy:3:26: error[policy.syntax]: `==` cannot follow another comparison")
    );
    let output = run(dir.path(), &["validate", "--format", "short", "--policy", "std", "--policy", "is_set.policy"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains("error[policy.syntax]: `is set` cannot follow `is set`"), "{}", stdout(&output));
}

#[test]
fn prefix_operators_nest_but_a_long_clause_of_them_does_not() {
    // `not a and not b and …`: each `not` applies to one operand, so the clause is flat.
    let flat = vec!["not trust.charity"; 1_000].join(" and ");
    // `- - - … 1`: each `-` nests inside the next.
    let nested = format!("{}1 > 0", "- ".repeat(1_000));
    let dir = folder_with(&[("flat.policy", &policy_with(&flat)), ("nested.policy", &policy_with(&nested))]);
    let output = run(dir.path(), &["validate", "--policy", "std", "--policy", "flat.policy"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let output = run(dir.path(), &["validate", "--format", "short", "--policy", "std", "--policy", "nested.policy"]);
    no_crash(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains("error[limit.depth]"), "{}", stdout(&output));
}

#[test]
fn a_literal_division_by_zero_is_a_validate_error_at_the_zero() {
    let dir = folder_with(&[("zero.policy", &policy_with("count(members) / 0 > 1"))]);
    let output = run(dir.path(), &["validate", "--format", "short", "--policy", "std", "--policy", "zero.policy"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).contains("zero.policy:3:30: error[policy.type]: division by zero: this divides by a literal 0"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn overflow_and_division_by_zero_at_run_time_are_engine_errors_not_undetermined() {
    let dir = folder_with(&[
        (
            "ratio.policy",
            &policy_with("sum(m.voting_rights for m in members) / (count(members) - count(members)) > 0%"),
        ),
        (
            "product.policy",
            &policy_with("sum(s.count for s in board.seats) * 9007199254740992 * 1000 > 0").replace("chain", "product"),
        ),
    ]);
    let output = run(
        dir.path(),
        &[
            "check",
            "--as-of",
            AS_OF,
            "--format",
            "short",
            "--policy",
            "std",
            "--policy",
            "ratio.policy",
            "--policy",
            "product.policy",
            "trust.toml",
        ],
    );
    no_crash(&output);
    let text = stdout(&output);
    assert!(
        text.contains("trust.toml:26:17: error[policy.arithmetic]: cannot judge local.chain: its calculation `100% / 0` divides by zero"),
        "placed at the member's voting rights: {text}"
    );
    assert!(
        text.contains("trust.toml:32:9: error[policy.arithmetic]: cannot judge local.product: its calculation `72057594037927936 * 1000` overflows"),
        "placed at the first seat count: {text}"
    );
    assert!(!text.contains("cannot decide local."), "never undetermined: {text}");
    assert_eq!(output.status.code(), Some(2), "a rule that could not be judged means the file was not fully checked");

    let json = run(
        dir.path(),
        &["check", "--as-of", AS_OF, "--format", "json", "--policy", "std", "--policy", "ratio.policy", "trust.toml"],
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let fault = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "policy.arithmetic")
        .expect("the fault is in the JSON report");
    assert_eq!(fault["severity"], "error");
    assert_eq!(fault["rule"]["path"], "ratio.policy", "the policy expression is named as the source");
    assert_eq!(fault["rule"]["range"]["start"]["line"], 3);
}

#[test]
fn whole_numbers_outside_2_to_the_53_and_non_finite_numbers_are_schema_errors() {
    let text = std::fs::read_to_string(EXAMPLE)
        .unwrap()
        .replacen("count = 2\n", "count = 9223372036854775807\n", 1)
        .replacen("count = 4\n", "count = nan\n", 1)
        .replacen("voting_rights = \"100%\"", "voting_rights = -inf", 1);
    let dir = folder_with(&[("big.toml", &text)]);
    let output = run(dir.path(), &["check", "--as-of", AS_OF, "--format", "short", "big.toml"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(text.contains(
        "big.toml:32:9: error[schema.range]: `count` is outside the range of whole numbers trustcheck accepts: `9223372036854775807`"
    ), "{text}");
    assert!(
        text.contains("big.toml:38:9: error[schema.type]: `count` must be a whole number, not `nan` (not a number)"),
        "{text}"
    );
    assert!(
        text.contains(
            "big.toml:26:17: error[schema.type]: `voting_rights` must be a percentage, not `-inf` (infinity)"
        ),
        "{text}"
    );

    let boundary = std::fs::read_to_string(EXAMPLE).unwrap().replacen("count = 2\n", "count = 9007199254740992\n", 1);
    let dir = folder_with(&[("edge.toml", &boundary)]);
    let output = run(dir.path(), &["check", "--as-of", AS_OF, "--format", "short", "edge.toml"]);
    assert!(!stdout(&output).contains("schema.range"), "2^53 itself is accepted: {}", stdout(&output));
}
