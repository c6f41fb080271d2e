//! The README shows real output and a real rule: both are checked against the tool and the
//! standard library, so that the first thing a reader sees stays true.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "a test fails loudly")]

use std::process::Command;

const README: &str = include_str!("../README.md");

/// The `text` code blocks of the README, in order.
fn text_blocks() -> Vec<&'static str> {
    README.split("```text\n").skip(1).map(|rest| rest.split("```").next().unwrap()).collect()
}

#[test]
fn the_opening_example_is_what_check_prints() {
    let excerpt = text_blocks()[0];
    let output = Command::new(env!("CARGO_BIN_EXE_trustcheck"))
        .args(["check", "--color", "never", "examples/birmingham_mutual_option.toml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let printed = String::from_utf8(output.stdout).unwrap();
    assert!(printed.contains(excerpt), "README's opening example is out of date; `check` prints:\n{printed}");
}

#[test]
fn the_rule_shown_is_the_rule_in_the_standard_library() {
    let rule = text_blocks().into_iter().find(|block| block.contains("rule reserved_term")).unwrap();
    let indented: String =
        rule.lines().map(|line| if line.is_empty() { "\n".to_owned() } else { format!("  {line}\n") }).collect();
    let library = include_str!("../policies/procurement.policy");
    assert!(library.contains(&indented), "README's rule differs from policies/procurement.policy:\n{indented}");
}
