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
    assert!(
        stdout(&output).contains("error[policy.syntax]: `is set` and `is blank` cannot follow another `is`"),
        "{}",
        stdout(&output)
    );
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
        text.contains("trust.toml:33:9: error[policy.arithmetic]: cannot judge local.product: its calculation `72057594037927936 * 1000` overflows"),
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
        "big.toml:33:9: error[schema.range]: `count` is outside the range of whole numbers trustcheck accepts: `9223372036854775807`"
    ), "{text}");
    assert!(
        text.contains("big.toml:39:9: error[schema.type]: `count` must be a whole number, not `nan` (not a number)"),
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

/// Text with every kind of character a terminal or CI log would act on.
const INJECTION: &str = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}Trust\rBACK\n::error file=forged.toml::pwned";

/// Fails if `output` holds a character a terminal would act on, or a forged line.
fn assert_inert(format: &str, output: &str) {
    for (index, c) in output.char_indices() {
        let bare_cr = c == '\r' && output.as_bytes().get(index + 1) != Some(&b'\n');
        assert!(
            !bare_cr && (c == '\r' || !trustcheck::sanitize::is_unsafe(c)),
            "{format}: raw U+{:04X} at byte {index}: {output}",
            u32::from(c)
        );
    }
    for line in output.lines() {
        assert!(!line.starts_with("::error file=forged"), "{format}: a forged workflow command: {line}");
    }
}

#[test]
fn names_and_paths_cannot_inject_terminal_escapes_or_forge_lines() {
    let escaped = INJECTION.replace('\u{1b}', "\\u001b").replace('\u{7}', "\\u0007").replace('\u{9b}', "\\u009b");
    let escaped = escaped.replace('\r', "\\r").replace('\n', "\\n");
    let text = std::fs::read_to_string(EXAMPLE).unwrap().replacen(
        "name = \"Service delivery contract\"",
        &format!("name = \"{escaped}\""),
        1,
    );
    assert_ne!(text, std::fs::read_to_string(EXAMPLE).unwrap(), "the fixture changed");
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("council");
    std::fs::create_dir(&folder).unwrap();
    // A file name holding a newline and an escape, as a hostile pull request could add.
    let hostile_name = "x\u{1b}[31m\n::error file=forged.toml::pwned.toml";
    std::fs::write(folder.join(hostile_name), &text).unwrap();
    // A raw escape inside the TOML itself: a syntax error whose snippet quotes the line.
    std::fs::write(folder.join("raw.toml"), "[trust]\nname = \"a\u{1b}]0;pwned\u{7}\u{202e}b\"\n").unwrap();
    for format in ["human", "short", "github"] {
        let output = run(dir.path(), &["check", "--as-of", AS_OF, "--color", "never", "--format", format, "council"]);
        no_crash(&output);
        let shown = stdout(&output);
        assert_inert(format, &shown);
        assert!(shown.contains("\\u{1b}"), "{format}: the escape is shown, not dropped: {shown}");
        let path = if format == "github" {
            "x\\u{1b}[31m\\u{a}%3A%3Aerror file=forged.toml%3A%3Apwned.toml"
        } else {
            "x\\u{1b}[31m\\u{a}::error file=forged.toml::pwned.toml"
        };
        assert!(shown.contains(path), "{format}: the path is shown escaped: {shown}");
        assert_inert(format, &String::from_utf8_lossy(&output.stderr));
    }
    let json = run(dir.path(), &["check", "--as-of", AS_OF, "--format", "json", "council"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let paths: Vec<&str> = report["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&format!("council/{hostile_name}").as_str()), "JSON keeps the exact path: {paths:?}");
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_with_loop_protection_and_broken_ones_reported() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("real")).unwrap();
    std::fs::create_dir_all(root.join("checked")).unwrap();
    std::fs::copy(EXAMPLE, root.join("real/trust.toml")).unwrap();
    symlink("../real/trust.toml", root.join("checked/linked.toml")).unwrap();
    symlink("../real", root.join("checked/folder")).unwrap();
    symlink("..", root.join("checked/loop")).unwrap();
    let output = run(root, &["check", "--as-of", AS_OF, "--format", "json", "checked/folder", "checked/linked.toml"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<&str> = report["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["checked/folder/trust.toml", "checked/linked.toml"]);
    assert_eq!(output.status.code(), Some(0), "the example has warnings only");

    // A folder of links: each followed once, the loop reported, a dangling link reported.
    symlink("/nonexistent/gone.toml", root.join("checked/dangling.toml")).unwrap();
    let output = run(root, &["check", "--as-of", AS_OF, "--format", "short", "checked"]);
    no_crash(&output);
    let shown = stdout(&output);
    assert!(shown.contains("checked/dangling.toml: error[io.read]: cannot read `checked/dangling.toml`: the symbolic link cannot be followed"), "{shown}");
    assert!(shown.contains("checked/loop/checked: error[io.read]: cannot read `checked/loop/checked`: the symbolic link leads back into a folder being searched"), "{shown}");
    assert!(shown.contains("checked/linked.toml:") && shown.contains("checked/folder/trust.toml:"), "{shown}");
    assert_eq!(output.status.code(), Some(2));

    // Nothing to check is never a clean pass.
    std::fs::create_dir_all(root.join("empty")).unwrap();
    symlink("/nonexistent", root.join("empty/gone")).unwrap();
    let output = run(root, &["check", "empty"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error: no constitution (`.toml` file) found to check"));
}

/// A constitution with `members` extra members, each named by a board seat when `seats`.
fn many_members(members: usize, seats: usize) -> String {
    let mut text = std::fs::read_to_string(EXAMPLE).unwrap();
    for i in 0..members {
        text.push_str(&format!(
            "\n[[members]]\nname = \"Member {i}\"\nkind = \"individual\"\nvoting_rights = \"0%\"\n"
        ));
    }
    for i in 0..seats {
        text.push_str(&format!(
            "\n[[board.seats]]\ncount = 1\nrole = \"council_non_executive\"\nappointed_by = \"member\"\nmember = \"Member {i}\"\n"
        ));
    }
    text
}

#[test]
fn tens_of_thousands_of_members_do_not_hang_the_check() {
    // Not a speed measurement (benches/ measure speed): a guard that work per document stays
    // linear. Quadratic passes took minutes here; the linear ones take seconds.
    let dir = folder_with(&[("members.toml", &many_members(35_000, 10_000))]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustcheck"))
        .args(["check", "--as-of", AS_OF, "--format", "json", "members.toml"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert_eq!(
                status.code(),
                Some(0),
                "the members hold votes but no capital: a question for review (a warning), not an error"
            );
            return;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("checking 35,000 members and 10,000 seats did not finish in a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_missing_bracket_is_one_error_at_the_opener_and_at_most_two_consequences() {
    let text = std::fs::read_to_string(EXAMPLE).unwrap().replacen("\"early_help\"]", "\"early_help\"", 1);
    let dir = folder_with(&[("unclosed.toml", &text)]);
    let output = run(dir.path(), &["check", "--as-of", AS_OF, "--format", "short", "unclosed.toml"]);
    let shown = stdout(&output);
    assert_eq!(output.status.code(), Some(2));
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines.len() <= 3, "{shown}");
    assert_eq!(lines[0], "unclosed.toml:70:12: error[toml.syntax]: this `[` is never closed");
    // Brackets inside strings, comments and table headers do not count.
    let fine = "# a [ comment\n[trust]\nname = \"a [ name\"\nobjects = [\n  \"one]\",\n  'two[',\n]\n";
    let dir = folder_with(&[("fine.toml", fine)]);
    let shown = stdout(&run(dir.path(), &["check", "--as-of", AS_OF, "--format", "short", "fine.toml"]));
    assert!(!shown.contains("never closed"), "{shown}");
}

/// Checks the example with 1,000 more members against the standard library and a rule that
/// compares every pair of members by `comparison`; returns the output and its text.
fn check_every_pair(comparison: &str) -> (Output, String) {
    let policy = policy_with(&format!("all a in members: all b in members: {comparison}"));
    let dir = folder_with(&[("pairs.policy", &policy), ("members.toml", &many_members(1_000, 0))]);
    let args = ["check", "--as-of", AS_OF, "--policy", "std", "--policy", "pairs.policy", "members.toml"];
    let output = run(dir.path(), &args);
    no_crash(&output);
    let text = stdout(&output);
    (output, text)
}

#[test]
fn a_constitution_over_the_work_limit_is_reported_and_not_judged() {
    // Every pair compared twice: about 7 million steps, over the 5 million allowed.
    let (output, out) = check_every_pair("a.name == b.name and a.kind == b.kind");
    assert!(out.contains("error[limit.work]"), "{out}");
    assert!(!out.contains("local.chain"), "a constitution over the limit has no outcomes: {out}");
    assert_eq!(output.status.code(), Some(2), "a file that could not be checked: {out}");
}

#[test]
fn a_failing_rule_is_explained_without_its_work_counted_twice() {
    // About 3 million steps: within the limit once, over it if the second, explaining pass
    // over the failing rule counted again.
    let (_, out) = check_every_pair("a.name == b.name");
    assert!(!out.contains("limit.work"), "{out}");
    assert!(out.contains("error[local.chain]"), "{out}");
    assert!(
        out.contains("`name` is \"Slough Borough Council\"") && out.contains("1000 other values also decided this"),
        "the failure names the values that decided it: {out}"
    );
}

/// Runs `trustcheck` in `dir` with a defect stood in for at `place` (debug builds only).
#[cfg(debug_assertions)]
fn run_with_defect(dir: &Path, place: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trustcheck"))
        .args(args)
        .current_dir(dir)
        .env("TRUSTCHECK_TEST_DEFECT", place)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the binary runs")
}

#[test]
#[cfg(debug_assertions)]
fn a_defect_while_checking_one_file_leaves_it_unchecked_and_the_others_checked() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.toml", "b.toml", "c.toml"] {
        std::fs::copy(EXAMPLE, dir.path().join(name)).unwrap();
    }
    let args = ["check", "--as-of", AS_OF, "--format", "json", "a.toml", "b.toml", "c.toml"];
    let output = run_with_defect(dir.path(), "b.toml", &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "a file that could not be checked: {stderr}");
    assert!(stderr.contains("TRUSTCHECK_TEST_DEFECT"), "the defect's own message stays on stderr: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the report is whole JSON");
    let files = report["files"].as_array().unwrap();
    let summary: Vec<(&str, &str, usize)> = files
        .iter()
        .map(|file| {
            let outcomes = file["outcomes"].as_array().map_or(0, Vec::len);
            (file["path"].as_str().unwrap(), file["status"].as_str().unwrap(), outcomes)
        })
        .collect();
    assert_eq!(summary.len(), 3, "{summary:?}");
    assert_eq!((summary[1].0, summary[1].1, summary[1].2), ("b.toml", "error", 0), "{summary:?}");
    for checked in [&summary[0], &summary[2]] {
        assert_ne!(checked.1, "error", "{summary:?}");
        assert!(checked.2 > 0, "the other files are judged: {summary:?}");
    }
    let diagnostic = &files[1]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "limit.internal", "{diagnostic}");
    let message = diagnostic["message"].as_str().unwrap();
    assert!(message.contains("defect") && message.contains("not checked"), "{message}");

    let human = run_with_defect(dir.path(), "b.toml", &["check", "--as-of", AS_OF, "--color", "never", "b.toml"]);
    let shown = stdout(&human);
    assert!(shown.contains("limit.internal") && shown.contains("please report it"), "{shown}");
    assert_eq!(human.status.code(), Some(2), "{shown}");
}

#[test]
#[cfg(debug_assertions)]
fn a_defect_outside_any_one_file_ends_the_run_with_exit_code_2_and_says_so() {
    let dir = folder_with(&[]);
    let output = run_with_defect(dir.path(), "command", &["check", "--as-of", AS_OF, "trust.toml"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "not 101, the code of a bare panic: {stderr}");
    assert!(stderr.contains("stopped on a defect of its own") && stderr.contains("please report it"), "{stderr}");
}
