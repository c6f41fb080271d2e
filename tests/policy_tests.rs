//! `trustcheck test`: policy tests in `*.tests.toml` files, through the built binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "a test fails loudly")]

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trustcheck")).args(args).current_dir(dir).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const MUTUAL: &str = include_str!("../examples/birmingham_mutual_option.toml");

#[test]
fn the_standard_library_tests_pass_with_full_pass_and_fail_coverage() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = run(root, &["test", "tests/std", "--coverage-min", "100"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("coverage: 100.0% of pass and fail outcomes"), "{text}");
    assert!(text.trim_end().ends_with(" passed, 0 failed"), "{text}");
}

/// A council project: a local policy beside the standard library and its tests.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "trustcheck.toml", "policies = [\"std\", \"policies/\"]\n");
    write(
        root,
        "policies/local.policy",
        "policy local \"Local\" {\n  rule board_size warning \"At least six seats\" {\n    require sum(s.count for s in board.seats) >= 6\n    message \"the board has {sum(s.count for s in board.seats)} seats\"\n  }\n}\n",
    );
    write(root, "constitutions/mutual.toml", MUTUAL);
    write(
        root,
        "policies/local.tests.toml",
        r#"[[test]]
name = "the mutual's term"
constitution = "../constitutions/mutual.toml"
as_of = 2026-04-01
expect = { "procurement.reserved_term" = { "Mutual contract" = "fail" }, "structure.voting_rights_total" = "pass" }

[[test]]
name = "a wrong expectation"
constitution = "../constitutions/mutual.toml"
as_of = 2026-04-01
expect = { "procurement.reserved_term" = { "Mutual contract" = "pass" } }

[[test]]
name = "inline board"
as_of = 2026-04-01
expect = { "local.board_size" = "fail" }

[test.document.trust]
name = "Inline Trust"
legal_form = "company_limited_by_guarantee"
operational_from = 2024-04-01

[[test.document.members]]
name = "Council"
kind = "local_authority"
voting_rights = "100%"

[test.document.board]
chair_appointed_by = "member"

[[test.document.board.seats]]
count = 2
role = "council_non_executive"
appointed_by = "member"
member = "Council"
"#,
    );
    dir
}

#[test]
fn passing_failing_and_inline_tests_of_a_project() {
    let dir = project();
    // No PATH: the project's tests are found from trustcheck.toml.
    let output = run(dir.path(), &["test"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("  ok     the mutual's term"), "{text}");
    assert!(text.contains("  FAIL   a wrong expectation"), "{text}");
    assert!(
        text.contains("procurement.reserved_term [Mutual contract]: expected pass, got fail"),
        "names the rule, expected and actual: {text}"
    );
    assert!(text.contains("a reserved contract may last at most 3 years"), "quotes the finding: {text}");
    assert!(text.contains("  ok     inline board"), "{text}");
    assert!(text.ends_with("2 passed, 1 failed\n"), "{text}");

    let json: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), &["test", "--format", "json"]).stdout).unwrap();
    assert_eq!((json["passed"].as_u64(), json["failed"].as_u64()), (Some(2), Some(1)));
    assert_eq!(json["files"][0]["tests"][1]["mismatches"][0]["actual"], "fail");

    let junit = stdout(&run(dir.path(), &["test", "--format", "junit"]));
    assert!(junit.contains("<testsuites name=\"trustcheck\" tests=\"3\" failures=\"1\" errors=\"0\">"), "{junit}");
    assert!(
        junit.contains("<testcase classname=\"policies/local.tests.toml\" name=\"the mutual&apos;s term\"/>"),
        "{junit}"
    );

    // `check` skips tests files.
    let check = run(dir.path(), &["check", "--format", "json", "--as-of", "2026-04-01", "."]);
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let paths: Vec<&str> = report["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["constitutions/mutual.toml"]);
}

#[test]
fn broken_tests_exit_2_and_say_why() {
    let dir = project();
    write(
        dir.path(),
        "broken.tests.toml",
        "[[test]]\nname = \"typo\"\nconstitution = \"constitutions/mutual.toml\"\nexpect = { \"control.step_inn\" = \"fail\", \"control.step_in\" = \"failed\" }\n\n[[test]]\nname = \"nothing to judge\"\n",
    );
    let output = run(dir.path(), &["test", "broken.tests.toml"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("the policy set has no rule `control.step_inn`; did you mean `control.step_in`"), "{text}");
    assert!(text.contains("`failed` is not an outcome"), "{text}");
    assert!(text.contains("name a `constitution` file or write one under `[test.document]`"), "{text}");
    write(dir.path(), "syntax.tests.toml", "[[test]\nname = 1\n");
    let output = run(dir.path(), &["test", "syntax.tests.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains("broken: 1:"), "{}", stdout(&output));
}

#[test]
fn coverage_lists_untouched_rules_and_enforces_a_minimum() {
    let dir = project();
    let output = run(dir.path(), &["test", "--coverage-min", "50"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "one failing test, and coverage far under 50%: {text}");
    assert!(text.contains("rules no test touches: asset_lock.cic_statutory_lock"), "{text}");
    assert!(text.contains("local.board_size                                 pass no   fail yes"), "{text}");
}

#[test]
fn waivers_a_rule_limits_are_refused_and_the_outcome_stands() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "limits.policy",
        "policy limits \"Limits\" {\n  rule short error local_policy \"Short waiver only\" {\n    waivable for at most 6 months\n    require false\n  }\n  rule never error law \"Never waived\" {\n    not waivable\n    cite \"A statute\"\n    require false\n  }\n  rule guided error guidance \"Too strong\" {\n    require true\n  }\n}\n",
    );
    let output = run(dir.path(), &["validate", "--format", "short", "--policy", "std", "--policy", "limits.policy"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains("rule `limits.guided` is guidance, so it can be at most a warning, not an error"));
    let fixed =
        std::fs::read_to_string(dir.path().join("limits.policy")).unwrap().replace("guided error", "guided warning");
    write(dir.path(), "limits.policy", &fixed);
    let waivers = "\n[[waivers]]\nrule = \"limits.short\"\nreason = \"appointing\"\napproved_by = \"Cabinet\"\napproved_on = 2026-01-01\nexpires = 2026-12-31\n\n[[waivers]]\nrule = \"limits.never\"\nreason = \"no\"\napproved_by = \"Cabinet\"\napproved_on = 2026-01-01\n";
    write(dir.path(), "trust.toml", &format!("{MUTUAL}{waivers}"));
    let output = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-04-01",
            "--policy",
            "std",
            "--policy",
            "limits.policy",
            "trust.toml",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let file = &report["files"][0];
    let codes: Vec<&str> =
        file["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"waiver.too_long") && codes.contains(&"waiver.not_waivable"), "{codes:?}");
    let outcome = |rule: &str| file["outcomes"].as_array().unwrap().iter().find(|o| o["rule"] == rule).unwrap().clone();
    assert_eq!(outcome("limits.short")["outcome"], "fail", "the too-long waiver is refused");
    assert_eq!(outcome("limits.never")["outcome"], "fail");
    assert_eq!(outcome("limits.never")["status"], "law");
    let too_long = file["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "waiver.too_long").unwrap();
    assert_eq!(
        too_long["message"],
        "`limits.short` may be waived for at most 6 months, but this one runs until 2026-12-31, so the waiver does not apply"
    );
    assert_eq!(too_long["help"], "set `expires` no later than 2026-07-01, 6 months after its approval");
}

#[test]
fn the_example_council_framework_passes_its_own_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Run from the repository root: the tests file's nearest trustcheck.toml decides the policy set.
    let output = run(root, &["test", "examples/northbridge"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.ends_with("5 passed, 0 failed\n"), "{text}");
    let output = run(root, &["check", "--as-of", "2026-11-23", "--format", "short", "examples/northbridge"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    for finding in [
        "northbridge_leisure_draft.toml:69:20: error[latc.cabinet_decision]",
        "northbridge_leisure_draft.toml:15:12: error[latc.dividends_from_reserves]",
        "northbridge_leisure_draft.toml:14:29: warning[latc.business_plan]",
    ] {
        assert!(text.contains(finding), "{finding}: {text}");
    }
    assert!(!text.lines().any(|line| line.contains("northbridge_homes.toml:") && line.contains(": error[")), "{text}");
}

#[test]
fn init_scaffolds_a_project_whose_tests_pass_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["init", "council"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let project = dir.path().join("council");
    for file in
        ["trustcheck.toml", "policies/local.policy", "policies/local.tests.toml", ".github/workflows/trustcheck.yml"]
    {
        assert!(project.join(file).is_file(), "{file}");
    }
    let workflow = std::fs::read_to_string(project.join(".github/workflows/trustcheck.yml")).unwrap();
    let example =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/trustcheck.yml")).unwrap();
    assert_eq!(workflow, example, "examples/ci/trustcheck.yml is the workflow init writes");
    assert!(workflow.contains("security-events: write") && workflow.contains("--as-of"));
    let tests = run(&project, &["test"]);
    assert_eq!(tests.status.code(), Some(0), "{}", stdout(&tests));
    assert_eq!(run(&project, &["check", "--as-of", "2027-04-01"]).status.code(), Some(0));
    let again = run(dir.path(), &["init", "council"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("`trustcheck.toml` already exists"));
}

#[test]
fn completion_scripts_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = run(Path::new("."), &["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        assert!(script.contains("trustcheck") && script.contains("validate"), "{shell}");
    }
    assert_eq!(run(Path::new("."), &["completions", "tcsh"]).status.code(), Some(2));
}
