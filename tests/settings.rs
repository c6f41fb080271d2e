//! Council settings in `trustcheck.toml`: a rule's severity changed for the whole project,
//! with the reason shown on every surface; law never turned off; unknown rules refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "a test fails loudly")]

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trustcheck")).args(args).current_dir(dir).output().expect("the binary runs")
}

fn project(settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("trustcheck.toml"), settings).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/slough_children_first.toml"),
        dir.path().join("a.toml"),
    )
    .unwrap();
    dir
}

const RAISE_AND_OFF: &str = r#"
[rules."market_testing.overdue"]
severity = "error"
reason = "Cabinet decision 2026/14: market testing is binding here"
approved_by = "Cabinet"
approved_on = 2026-03-01

[rules."control.staff_engagement"]
severity = "off"
reason = "staff engagement is handled by the staff council"
"#;

#[test]
fn a_setting_raises_a_rule_and_another_turns_one_off_and_both_say_why() {
    let dir = project(RAISE_AND_OFF);
    let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "short", "a.toml"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "the raised rule is now an error: {text}");
    assert!(text.contains("error[market_testing.overdue]"), "{text}");
    assert!(text.contains("(council setting: error — Cabinet decision 2026/14: market testing is binding here (approved by Cabinet on 2026-03-01))"), "{text}");
    assert!(!text.contains("control.staff_engagement"), "the rule turned off is not listed: {text}");

    let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "json", "a.toml"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let outcomes = report["files"][0]["outcomes"].as_array().unwrap();
    let off = outcomes.iter().find(|o| o["rule"] == "control.staff_engagement").unwrap();
    assert_eq!(off["outcome"], "fail", "the outcome stands; only its finding is hidden");
    assert!(off.get("diagnostic").is_none());
    assert!(off["setting"].as_str().unwrap().starts_with("council setting: off — staff engagement"));
    let raised = outcomes.iter().find(|o| o["rule"] == "market_testing.overdue").unwrap();
    assert_eq!(raised["severity"], "error");

    let github = String::from_utf8_lossy(
        &run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "github", "a.toml"]).stdout,
    )
    .into_owned();
    assert!(github.contains("%0Acouncil setting: error — Cabinet decision"), "{github}");
    assert!(
        github.contains(
            "%0Asee: local policy (informed by the Local Government Act 1999, s.3 general duty of best value)"
        ),
        "annotations carry the provision: {github}"
    );
    assert!(github.contains("%0Ahelp: carry out the market test now"), "and the fix: {github}");

    // SARIF keeps the finding of the rule turned off, suppressed by the setting, and the raised
    // one at its new level.
    let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "sarif", "a.toml"]);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let off = results.iter().find(|r| r["ruleId"] == "control.staff_engagement").expect("the result turned off");
    assert_eq!(off["suppressions"][0]["kind"], "external");
    assert_eq!(off["suppressions"][0]["justification"], "staff engagement is handled by the staff council");
    assert!(
        off["suppressions"][0]["properties"]["setting"]
            .as_str()
            .unwrap()
            .starts_with("council setting: off — staff engagement")
    );
    let raised = results.iter().find(|r| r["ruleId"] == "market_testing.overdue").expect("the raised result");
    assert_eq!(raised["level"], "error");
    assert!(raised["properties"]["setting"].as_str().unwrap().starts_with("council setting: error — Cabinet decision"));
    assert!(raised.get("suppressions").is_none_or(|s| s.as_array().is_some_and(Vec::is_empty)), "{raised}");
}

#[test]
fn law_cannot_be_turned_off_and_unknown_rules_are_errors_in_the_project_file() {
    let dir = project(
        "[rules.\"procurement.reserved_term\"]\nseverity = \"off\"\nreason = \"x\"\n\n[rules.\"control.stepin\"]\nseverity = \"note\"\nreason = \"y\"\n",
    );
    for command in ["check", "validate"] {
        let output = run(dir.path(), &[command, "--format", "short"]);
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(2), "{command}: {text}");
        assert!(text.contains("trustcheck.toml:1:1: error[setting.forbidden]: `procurement.reserved_term` is law, so it cannot be turned off"), "{text}");
        assert!(text.contains("trustcheck.toml:5:1: error[setting.unknown_rule]"), "{text}");
        assert!(text.contains("did you mean `control.step_in`"), "{text}");
    }
    let dir = project("[rules.\"procurement.reserved_term\"]\nseverity = \"note\"\n");
    let output = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("trustcheck.toml:1:1: error[config.invalid]: `trustcheck.toml`: the setting `[rules.\"procurement.reserved_term\"]` has no `reason`"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// A project whose constitutions are checked in two runs (a folder with its own project file
/// comes between them) reports its expired setting once, before the first run.
#[test]
fn an_expired_setting_is_reported_once_however_the_project_is_split() {
    let dir =
        project(&RAISE_AND_OFF.replace("approved_on = 2026-03-01", "approved_on = 2026-03-01\nexpires = 2026-06-30"));
    std::fs::copy(dir.path().join("a.toml"), dir.path().join("z.toml")).unwrap();
    std::fs::create_dir(dir.path().join("m")).unwrap();
    std::fs::write(dir.path().join("m/trustcheck.toml"), "policies = [\"std\"]\n").unwrap();
    std::fs::copy(dir.path().join("a.toml"), dir.path().join("m/b.toml")).unwrap();
    let output =
        run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "short", "a.toml", "m/b.toml", "z.toml"]);
    let text = String::from_utf8_lossy(&output.stdout);
    // The files the findings are in, in the order they come, each run of one file once.
    let mut order: Vec<&str> = text.lines().map(|line| line.split(':').next().unwrap_or("")).collect();
    order.dedup();
    assert_eq!(order, ["trustcheck.toml", "a.toml", "m/b.toml", "z.toml"], "{text}");
    assert_eq!(text.matches("setting.expired").count(), 1, "{text}");
}

#[test]
fn an_expired_setting_no_longer_applies_and_is_reported() {
    let dir =
        project(&RAISE_AND_OFF.replace("approved_on = 2026-03-01", "approved_on = 2026-03-01\nexpires = 2026-06-30"));
    let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "short", "a.toml"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("note[market_testing.overdue]"), "back to its own severity: {text}");
    // The expiry is a finding of the project file, on stdout in every format, before the
    // constitutions it no longer applies to; the setting that has not expired still applies.
    let expired = "trustcheck.toml:2:1: warning[setting.expired]: the setting for `market_testing.overdue` (error) \
                   expired on 2026-06-30, so the rule has its own severity again";
    assert_eq!(text.lines().next(), Some(expired), "{text}");
    assert!(!text.contains("control.staff_engagement"), "the rule turned off stays off: {text}");
    assert_eq!(output.status.code(), Some(0), "an expired setting is a warning: {text}");

    let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "json", "a.toml"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let project = &report["files"][0];
    assert_eq!(project["path"], "trustcheck.toml");
    assert_eq!(project["status"], "checked");
    assert_eq!(project["summary"]["warnings"], 1);
    assert_eq!(project["diagnostics"][0]["code"], "setting.expired");
    assert_eq!(project["diagnostics"][0]["range"]["start"]["line"], 2);
    assert_eq!(report["files"][1]["path"], "a.toml");

    let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "sarif", "a.toml"]);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let result = results.iter().find(|r| r["ruleId"] == "setting.expired").expect("the expiry is a result");
    assert_eq!(result["level"], "warning");
    assert_eq!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "trustcheck.toml");

    // The human report, rendered as the files are checked, puts it first too.
    let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--color", "never", "a.toml"]);
    let text = String::from_utf8_lossy(&output.stdout);
    let expiry = text.find("warning[setting.expired]").expect("the expiry is shown");
    let project_line = text.find("trustcheck.toml: 0 errors, 1 warning, 0 notes").expect("the project file's line");
    let constitution_line = text.find("a.toml: 0 errors").expect("the constitution's line");
    assert!(expiry < project_line && project_line < constitution_line, "{text}");
    assert_eq!(output.status.code(), Some(0), "{text}");

    let output = run(dir.path(), &["check", "--as-of", "2026-06-30", "--format", "short", "a.toml"]);
    assert!(!String::from_utf8_lossy(&output.stdout).contains("setting.expired"), "it applies on its last day");
}

#[test]
fn an_expired_setting_is_the_warning_that_fails_a_run_under_deny_warnings() {
    // The constitution's own warnings are lowered to notes or turned off, so that the only
    // warning left is the expiry of a setting for a rule that passes.
    let settings = r#"
[rules."market_testing.overdue"]
severity = "note"
reason = "tracked in the contracts register"

[rules."control.staff_engagement"]
severity = "off"
reason = "staff engagement is handled by the staff council"
"#;
    let expired = "\n[rules.\"control.step_in\"]\nseverity = \"note\"\nreason = \"interim\"\nexpires = 2026-06-30\n";
    let args = ["check", "--as-of", "2026-11-23", "--deny-warnings", "--format", "short", "a.toml"];
    let dir = project(settings);
    let output = run(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    let dir = project(&format!("{settings}{expired}"));
    let output = run(dir.path(), &args);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_eq!(text.lines().filter(|line| line.contains(": warning[")).count(), 1, "{text}");
    assert!(text.contains("warning[setting.expired]: the setting for `control.step_in` (note) expired"), "{text}");
}

#[test]
fn validate_prints_one_line_of_totals_and_a_missing_std_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["validate", "--color", "never"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "policy set of 10 files: valid; 0 errors, 0 warnings, 0 notes\n"
    );
    std::fs::create_dir(dir.path().join("local")).unwrap();
    std::fs::write(dir.path().join("local/l.policy"), "extend record Contract {\n  cabinet_ref: text?\n}\n").unwrap();
    let output = run(dir.path(), &["validate", "--format", "json", "--policy", "local"]);
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["message"], "no record named `Contract` to extend");
    assert!(diagnostic["help"].as_str().unwrap().contains("add `--policy std`"), "{diagnostic}");
    let output = run(dir.path(), &["validate", "--policy", "std", "--policy", "local"]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_date_with_a_time_in_a_setting_is_refused_at_the_value_with_the_fix() {
    let dir = project(
        "[rules.\"control.staff_engagement\"]\nseverity = \"note\"\nreason = \"agreed\"\nexpires = 2027-01-01T09:00:00Z\n",
    );
    let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "json", "a.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let file = &report["files"][0];
    assert_eq!(file["path"], "trustcheck.toml");
    let diagnostic = &file["diagnostics"][0];
    assert_eq!(diagnostic["code"], "config.invalid");
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("`expires` of `[rules.\"control.staff_engagement\"]` must be a date")
    );
    // The value itself, not the table's header on line 1.
    assert_eq!(diagnostic["range"]["start"]["line"], 4);
    assert_eq!(diagnostic["range"]["start"]["column"], 11);
    assert_eq!(diagnostic["range"]["end"]["column"], 31);
    assert_eq!(diagnostic["help"], "write the date alone, without a time: `expires = 2027-01-01`");

    // A time alone has no date to quote.
    std::fs::write(
        dir.path().join("trustcheck.toml"),
        "[rules.\"control.staff_engagement\"]\nseverity = \"note\"\nreason = \"agreed\"\nexpires = 09:00:00\n",
    )
    .unwrap();
    let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "json", "a.toml"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["files"][0]["diagnostics"][0]["help"], "write a date, for example `expires = 2026-04-01`");

    // The human report's totals name the project file, not a policy set.
    let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--color", "never", "a.toml"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.ends_with("\nproject file: does not validate; 1 error, 0 warnings, 0 notes\n"), "{text}");
    assert!(!text.contains("policy set"), "{text}");
}

#[test]
fn a_setting_date_in_quotes_is_refused_at_the_value_with_the_date_it_means() {
    let helps = |written: &str| {
        let dir = project(&format!(
            "[rules.\"control.staff_engagement\"]\nseverity = \"note\"\nreason = \"agreed\"\napproved_on = {written}\n"
        ));
        let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "json", "a.toml"]);
        assert_eq!(output.status.code(), Some(2));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let diagnostic = report["files"][0]["diagnostics"][0].clone();
        assert_eq!(diagnostic["code"], "config.invalid");
        assert!(
            diagnostic["message"]
                .as_str()
                .unwrap()
                .contains("`approved_on` of `[rules.\"control.staff_engagement\"]` must be a date"),
            "{diagnostic}"
        );
        // The value itself, not the file's first line.
        assert_eq!(diagnostic["range"]["start"]["line"], 4, "{diagnostic}");
        assert_eq!(diagnostic["range"]["start"]["column"], 15, "{diagnostic}");
        diagnostic["help"].as_str().unwrap().to_owned()
    };
    assert_eq!(helps("\"2026-04-01\""), "write the date without quotes: `approved_on = 2026-04-01`");
    assert_eq!(
        helps("\"1 April 2026\""),
        "write the date as year-month-day without quotes: `approved_on = 2026-04-01`"
    );
    assert_eq!(
        helps("\"01/04/2026\""),
        "write the date as year-month-day without quotes: `approved_on = 2026-04-01`, if `01/04/2026` is day/month/year"
    );
    assert_eq!(helps("\"soon\""), "write a date, for example `approved_on = 2026-04-01`");
    assert_eq!(helps("20260401"), "write a date, for example `approved_on = 2026-04-01`");
}

#[test]
fn compare_and_a_trace_judge_with_the_council_settings_as_check_does() {
    let dir = project(RAISE_AND_OFF);
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/birmingham_childrens_trust.toml"),
        dir.path().join("b.toml"),
    )
    .unwrap();
    let output = run(dir.path(), &["compare", "--as-of", "2026-11-23", "--format", "json", "a.toml", "b.toml"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let comparison: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = comparison["rows"].as_array().unwrap();
    let overdue = rows.iter().find(|row| row["rule"] == "market_testing.overdue").expect("the raised rule");
    assert_eq!(overdue["cells"][0]["outcome"], "fail");
    assert_eq!(overdue["cells"][0]["severity"], "error", "the raised severity, as check gives it: {overdue}");

    let human = run(dir.path(), &["compare", "--as-of", "2026-11-23", "a.toml", "b.toml"]);
    let human = String::from_utf8_lossy(&human.stdout);
    let row = human.lines().find(|line| line.contains("market_testing.overdue")).expect("its row");
    assert!(row.contains("fail (error)"), "{row}");

    let output = run(dir.path(), &["explain", "market_testing.overdue", "--as-of", "2026-11-23", "--trace", "a.toml"]);
    let trace = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{trace}");
    assert!(
        trace.contains(
            "[Service delivery contract]: fail\n  council setting: error — Cabinet decision 2026/14: market testing is binding here (approved by Cabinet on 2026-03-01)\n"
        ),
        "{trace}"
    );
    let output =
        run(dir.path(), &["explain", "market_testing.overdue", "--as-of", "2026-11-23", "--trace", "a.toml", "--json"]);
    let trace: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(trace["outcomes"][0]["setting"].as_str().unwrap().starts_with("council setting: error — Cabinet decision"));
}

#[test]
fn a_setting_that_cannot_be_used_stops_compare_with_its_report() {
    let dir = project("[rules.\"no.such_rule\"]\nseverity = \"error\"\nreason = \"x\"\n");
    let output = run(dir.path(), &["compare", "--as-of", "2026-11-23", "a.toml", "a.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("no.such_rule") && text.contains("trustcheck.toml"), "{text}");
}

/// The diagnostics `check --format json` reports on a project file holding `settings`, which
/// refuses the run (exit code 2), in order.
fn project_file_diagnostics(settings: &str) -> Vec<serde_json::Value> {
    let dir = project(settings);
    let output = run(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "json", "a.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let file = &report["files"][0];
    assert_eq!(file["path"], "trustcheck.toml");
    assert_eq!(file["status"], "error");
    let diagnostics = file["diagnostics"].as_array().unwrap();
    assert_eq!(file["summary"]["errors"], diagnostics.len());
    diagnostics.clone()
}

/// Asserts the mistakes (`config.invalid`) reported in a project file holding `settings`, as
/// `(line, message, help)`, in order.
fn assert_project_problems(settings: &str, expected: &[(u64, &str, &str)]) {
    let diagnostics = project_file_diagnostics(settings);
    let problems: Vec<(u64, &str, &str)> = diagnostics
        .iter()
        .map(|diagnostic| {
            assert_eq!(diagnostic["code"], "config.invalid");
            (
                diagnostic["range"]["start"]["line"].as_u64().unwrap(),
                diagnostic["message"].as_str().unwrap(),
                diagnostic["help"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(problems, expected);
}

#[test]
fn every_mistake_in_the_project_file_is_reported_at_once_with_what_was_probably_meant() {
    let settings = r#"policies = ["std"]
polices = ["x"]

[rules."control.staff_engagement"]
severity = "Warn"
reason = "agreed"
aproved_by = "Cabinet"

[rules."control.step_in"]
severity = "note"
"#;
    let expected = [
        (2, "`trustcheck.toml`: unknown key `polices`", "did you mean `policies`?"),
        (
            5,
            "`trustcheck.toml`: `severity` of `[rules.\"control.staff_engagement\"]` must be \"error\", \"warning\", \"note\" or \"off\"",
            "did you mean `severity = \"warning\"`?",
        ),
        (
            7,
            "`trustcheck.toml`: unknown key `aproved_by` in `[rules.\"control.staff_engagement\"]`",
            "did you mean `approved_by` (or `approved_on`)?",
        ),
        (
            9,
            "`trustcheck.toml`: the setting `[rules.\"control.step_in\"]` has no `reason`",
            "record why the council made this setting: `reason = \"…\"`",
        ),
    ];
    assert_project_problems(settings, &expected);
}

/// The problems reported in a project file holding `settings`, as `(line, code, message)`.
fn project_problem_codes(settings: &str) -> Vec<(u64, String, String)> {
    let line_code_message = |d: &serde_json::Value| {
        let line = d["range"]["start"]["line"].as_u64().unwrap();
        (line, d["code"].as_str().unwrap().to_owned(), d["message"].as_str().unwrap().to_owned())
    };
    project_file_diagnostics(settings).iter().map(line_code_message).collect()
}

#[test]
fn a_setting_for_a_rule_the_policy_set_lacks_is_reported_in_the_same_run_as_the_file_s_mistakes() {
    let settings = r#"constitutions = "bodies/*.toml"

[rules."control.stepin"]
severity = "note"
reason = "agreed"

[rules."control.step_in"]
severity = "warn"
reason = "agreed"
"#;
    let problems = project_problem_codes(settings);
    let found: Vec<(u64, &str)> = problems.iter().map(|(line, code, _)| (*line, code.as_str())).collect();
    assert_eq!(found, [(1, "config.invalid"), (3, "setting.unknown_rule"), (8, "config.invalid")], "{problems:#?}");
    assert!(problems[1].2.contains("control.stepin"), "{problems:#?}");

    // When `policies` itself is mistaken, or a key that may be a misspelt `policies` stands
    // beside it, the set meant is not known: no rule is called unknown against another set.
    for policies in ["policies = \"std\"", "polices = [\"std\", \"local/\"]"] {
        let problems = project_problem_codes(&settings.replace("constitutions = \"bodies/*.toml\"", policies));
        let codes: Vec<&str> = problems.iter().map(|(_, code, _)| code.as_str()).collect();
        assert_eq!(codes, ["config.invalid", "config.invalid"], "{problems:#?}");
    }
}

#[test]
fn a_project_file_value_of_the_wrong_kind_is_refused_at_the_value_with_how_to_write_it() {
    let settings = r#"policies = "std"
constitutions = ["c/*.toml", 3]

[rules]
"control.step_in" = "off"

[rules."control.staff_engagement"]
reason = 2026
"#;
    let expected = [
        (
            1,
            "`trustcheck.toml`: `policies` must be a list, such as `policies = [\"std\", \"policies/local/\"]`",
            "put it in a list: `policies = [\"std\"]`",
        ),
        (
            2,
            "`trustcheck.toml`: each entry of `constitutions` must be text in quotes",
            "write `constitutions = [\"constitutions/**/*.toml\"]`",
        ),
        (
            5,
            "`trustcheck.toml`: the setting for `control.step_in` must be a table with `severity` and `reason`",
            "write `[rules.\"control.step_in\"]` on a line of its own, with `severity = \"…\"` and `reason = \"…\"` beneath it",
        ),
        (
            7,
            "`trustcheck.toml`: the setting `[rules.\"control.staff_engagement\"]` has no `severity`",
            "give the severity the rule has for this council: `severity = \"warning\"` (or `error`, `note`, `off`)",
        ),
        (
            8,
            "`trustcheck.toml`: `reason` of `[rules.\"control.staff_engagement\"]` must be text in quotes",
            "write for example `reason = \"agreed by cabinet on 1 April 2026\"`",
        ),
    ];
    assert_project_problems(settings, &expected);
}
