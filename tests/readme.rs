//! The README shows real output and a real rule: both are checked against the tool and the
//! standard library, so that the first thing a reader sees stays true.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "a test fails loudly")]

use std::process::Command;

const README: &str = include_str!("../README.md");

/// The `text` code blocks of the README, in order.
fn text_blocks() -> Vec<&'static str> {
    README.split("```text\n").skip(1).map(|rest| rest.split("```").next().unwrap()).collect()
}

/// What `trustcheck check --color never PATH` prints, run from the project's folder.
fn check_prints(path: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_trustcheck"))
        .args(["check", "--color", "never", path])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_opening_example_is_what_check_prints() {
    let excerpt = text_blocks()[0];
    let printed = check_prints("examples/birmingham_mutual_option.toml");
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

#[test]
fn the_quick_start_report_is_a_readable_length() {
    // `check examples/` in words: over several constitutions every finding is in brief, at
    // most 8 lines a finding on average and none over 12, and an error names the values
    // that decided it.
    let printed = check_prints("examples/");
    let starts = |line: &str| ["error[", "warning[", "note["].iter().any(|kind| line.starts_with(kind));
    let mut lengths: Vec<usize> = Vec::new();
    for line in printed.lines() {
        if starts(line) {
            lengths.push(0);
        }
        if line.trim().is_empty() || line.contains(": 0 errors") || line.contains(" errors, ") {
            continue;
        }
        if let Some(last) = lengths.last_mut() {
            *last += 1;
        }
    }
    assert!(lengths.len() >= 20, "{printed}");
    let average = lengths.iter().sum::<usize>() as f64 / lengths.len() as f64;
    assert!(average <= 8.0, "{average:.1} lines a finding on average");
    assert!(lengths.iter().all(|&n| n <= 12), "a finding over 12 lines: {lengths:?}");
    assert!(!printed.contains("╭─["), "a finding shown with the constitution's text: {printed}");
    assert!(
        printed.contains("error[procurement.reserved_term] at examples/birmingham_mutual_option.toml:86:16")
            && printed.contains("decided by: `initial_term` is 5 years (line 86)"),
        "an error in brief says where it is and which values decided it: {printed}"
    );
    assert!(printed.contains("constitutions:") && printed.contains("start with"), "a closing summary: {printed}");
}
