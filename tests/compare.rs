//! `trustcheck compare`: the options appraisal of Birmingham's two short-listed models, as
//! officers would put it in a cabinet paper.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "a test fails loudly")]

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trustcheck"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("the binary runs")
}

const OPTIONS: [&str; 2] = ["examples/birmingham_childrens_trust.toml", "examples/birmingham_mutual_option.toml"];

fn compare(format: &str, extra: &[&str]) -> String {
    let mut args = vec!["compare", "--as-of", "2017-06-01", "--format", format];
    args.extend(OPTIONS);
    args.extend(extra);
    let output = run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_cic_ranks_above_the_mutual_which_is_unlawful_as_drafted() {
    let json: serde_json::Value = serde_json::from_str(&compare("json", &[])).unwrap();
    let options = json["options"].as_array().unwrap();
    assert_eq!(options[0]["name"], "Birmingham Children's Trust CIC");
    assert_eq!(options[0]["rank"], 1);
    assert_eq!(options[0]["unlawful_as_drafted"], false);
    assert_eq!(options[1]["rank"], 2);
    assert_eq!(options[1]["unlawful_as_drafted"], true, "the reserved contract's term breaks reg 77(5)");
    // The score is Σ weight × credit ÷ Σ weight over the applicable outcomes.
    let criteria = options[0]["criteria"].as_array().unwrap();
    let (mut credited, mut applicable) = (0.0, 0.0);
    for criterion in criteria {
        let weight = criterion["weight"].as_f64().unwrap();
        credited += weight * criterion["credited"].as_f64().unwrap();
        applicable += weight * criterion["applicable"].as_f64().unwrap();
    }
    assert!((options[0]["score"].as_f64().unwrap() - credited * 100.0 / applicable).abs() < 1e-9);
    let rows = json["rows"].as_array().unwrap();
    let term = rows.iter().find(|row| row["rule"] == "procurement.reserved_term").unwrap();
    assert_eq!(term["decisive"], true);
    assert_eq!(term["cells"][1]["outcome"], "fail");
    assert_eq!(term["cells"][1]["severity"], "error");
    assert_eq!(term["cells"][0]["outcome"], "not_applicable");
    // Within an area, the rows where the options differ come first.
    let procurement: Vec<bool> =
        rows.iter().filter(|row| row["area"] == "procurement").map(|row| row["decisive"].as_bool().unwrap()).collect();
    assert!(procurement.windows(2).all(|pair| pair[0] >= pair[1]), "{procurement:?}");
}

#[test]
fn criteria_can_be_chosen_and_unknown_ones_are_refused() {
    let json: serde_json::Value = serde_json::from_str(&compare("json", &["--criteria", "children,assets"])).unwrap();
    let names: Vec<&str> =
        json["options"][0]["criteria"].as_array().unwrap().iter().map(|c| c["criterion"].as_str().unwrap()).collect();
    assert_eq!(names, ["children", "assets"]);
    let mut args = vec!["compare", "--criteria", "nonsense"];
    args.extend(OPTIONS);
    let output = run(&args);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no criterion named `nonsense`"));
}

#[test]
fn the_markdown_and_human_appraisals() {
    insta::assert_snapshot!("birmingham_markdown", compare("markdown", &[]));
    insta::assert_snapshot!("birmingham_human", compare("human", &[]));
    insta::assert_snapshot!("birmingham_json", compare("json", &[]));
}

#[test]
fn diff_names_the_changed_fields_and_the_findings_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let draft = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(OPTIONS[1]))
        .unwrap()
        .replace("initial_term = \"5 years\"", "initial_term = \"3 years\"")
        .replace("new_starter_terms = \"own\"", "new_starter_terms = \"council_equivalent\"")
        .replace("performance_termination = false", "performance_termination = false\nmarket_test_by = 2016-01-01");
    let second = dir.path().join("second_draft.toml");
    std::fs::write(&second, draft).unwrap();
    let output = run(&["diff", "--as-of", "2017-06-01", "--format", "json", OPTIONS[1], second.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fields: Vec<&str> =
        json["changed_fields"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(
        fields,
        [
            "contracts[\"Mutual contract\"].initial_term",
            "contracts[\"Mutual contract\"].market_test_by",
            "staff.new_starter_terms"
        ]
    );
    let resolved: Vec<&str> =
        json["resolved"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(
        resolved.contains(&"procurement.reserved_term") && resolved.contains(&"staff.two_tier_workforce"),
        "{resolved:?}"
    );
    let new: Vec<&str> = json["new"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(new.contains(&"market_testing.overdue"), "a market test date already past is a new finding: {new:?}");
    let markdown = String::from_utf8(
        run(&["diff", "--as-of", "2017-06-01", "--format", "markdown", OPTIONS[1], second.to_str().unwrap()]).stdout,
    )
    .unwrap();
    assert!(
        markdown.contains("## resolved (")
            && markdown.contains("- contracts[\"Mutual contract\"].initial_term: \"5 years\" → \"3 years\""),
        "{markdown}"
    );
    // Every format, with the temporary folder's path replaced.
    let second_path = second.to_str().unwrap();
    for format in ["human", "markdown", "json"] {
        let output = run(&["diff", "--as-of", "2017-06-01", "--format", format, OPTIONS[1], second_path]);
        let text = String::from_utf8(output.stdout).unwrap().replace(second_path, "SECOND_DRAFT.toml");
        insta::assert_snapshot!(format!("diff_birmingham_{format}"), text);
    }
}

#[test]
fn impact_lists_the_outcomes_a_new_threshold_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("policies")).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // A higher threshold for procurements begun from 2027: the defective proposal's
        // direct award (begun 2027-02-01, worth £3.6m) falls below it.
        let text =
            text.replace("    2020-01-01 => £663,540\n", "    2020-01-01 => £663,540\n    2027-01-01 => £3,700,000\n");
        std::fs::write(dir.path().join(entry.file_name()), text).unwrap();
    }
    let new = dir.path().to_str().unwrap();
    let output = run(&[
        "impact",
        "--as-of",
        "2026-11-23",
        "--old-policy",
        "std",
        "--new-policy",
        new,
        "--format",
        "json",
        "examples/",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let changed: Vec<(&str, &serde_json::Value)> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|file| !file["changes"].as_array().unwrap().is_empty())
        .map(|file| (file["path"].as_str().unwrap(), &file["changes"][0]))
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].0, "examples/defective_proposal.toml");
    assert_eq!(changed[0].1["rule"], "procurement.direct_award_threshold");
    assert_eq!((changed[0].1["old"].as_str(), changed[0].1["new"].as_str()), (Some("fail"), Some("pass")));
    let human = run(&["impact", "--as-of", "2026-11-23", "--old-policy", "std", "--new-policy", new, "examples/"]);
    let human = String::from_utf8(human.stdout).unwrap().replace(new, "REVISED");
    insta::assert_snapshot!("impact_threshold_human", human);
}

#[test]
fn explain_trace_shows_each_clause_and_the_values_it_read() {
    let output = run(&["explain", "procurement.reserved_term", "--trace", OPTIONS[1], "--as-of", "2017-06-01"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("[Mutual contract]: fail"), "{text}");
    assert!(text.contains("  require contract_end(c) <= c.start + reserved_max_term(c)\n    = false\n"), "{text}");
    assert!(text.contains("`initial_term` is 5 years (line 86)"), "{text}");
    let output =
        run(&["explain", "procurement.reserved_term", "--trace", OPTIONS[1], "--as-of", "2017-06-01", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["outcomes"][0]["outcome"], "fail");
    assert_eq!(json["trace"][0]["clauses"][1]["value"], "false");
    let format = ["explain", "procurement.reserved_term", "--trace", OPTIONS[1], "--as-of", "2017-06-01"];
    let output = run(&[&format[..], &["--format", "json"]].concat());
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap(), json, "--format json is --json");
}

fn timeline(file: &str, format: &str, as_of: &str) -> String {
    let output = run(&["timeline", file, "--as-of", as_of, "--format", format]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_timeline_puts_the_dated_events_in_order_and_flags_overdue_deadlines() {
    // Birmingham's shadow year, going live, the contract, and its market test.
    let human = timeline(OPTIONS[0], "human", "2020-06-01");
    insta::assert_snapshot!("timeline_birmingham_human", human);
    let json: serde_json::Value = serde_json::from_str(&timeline(OPTIONS[0], "json", "2020-06-01")).unwrap();
    let events = json["events"].as_array().unwrap();
    let dates: Vec<&str> = events.iter().filter_map(|event| event["date"].as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted, "in date order");
    let market = events.iter().find(|event| event["id"] == "market_testing.market_test").unwrap();
    assert_eq!(
        (market["date"].as_str(), market["past"].as_bool(), market["overdue"].as_bool()),
        (Some("2020-04-01"), Some(true), Some(true))
    );
    let live = events.iter().find(|event| event["id"] == "structure.going_live").unwrap();
    assert_eq!((live["past"].as_bool(), live["overdue"].as_bool()), (Some(true), Some(false)), "not a deadline");
    insta::assert_snapshot!("timeline_birmingham_markdown", timeline(OPTIONS[0], "markdown", "2020-06-01"));
    insta::assert_snapshot!("timeline_birmingham_json", timeline(OPTIONS[0], "json", "2020-06-01"));
    insta::assert_snapshot!("timeline_birmingham_html", timeline(OPTIONS[0], "html", "2020-06-01"));
    // The mutual's reserved contract may be reserved again three years after its award.
    let mutual = timeline(OPTIONS[1], "human", "2017-06-01");
    assert!(mutual.contains("A new reserved award becomes possible"), "{mutual}");
}

#[test]
fn text_cells_use_the_outcome_names() {
    // outcomes.md: compare cells use the outcome names (a failure with its severity).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_trustcheck"))
        .args([
            "compare",
            "--as-of",
            "2026-11-23",
            "examples/slough_children_first.toml",
            "tests/cases/waiver__active.toml",
        ])
        .current_dir(root)
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let cells = |rule: &str| -> Vec<String> {
        let line = text.lines().find(|line| line.contains(rule)).unwrap_or_else(|| panic!("no row for {rule}: {text}"));
        line.split("  ").map(str::trim).filter(|cell| !cell.is_empty()).skip(1).map(str::to_owned).collect()
    };
    assert_eq!(cells("asset_lock.unlocked_assets"), ["pass", "fail (warning)"]);
    assert_eq!(cells("control.staff_engagement"), ["fail (warning)", "waived"]);
    assert_eq!(cells("control.councillor_directors"), ["pass", "not_applicable"]);
}

#[test]
fn explain_trace_says_what_a_list_holds_and_that_an_unstated_one_is_empty() {
    let text = |file: &str| {
        let output = run(&["explain", "control.staff_engagement", "--trace", file, "--as-of", "2026-11-23"]);
        String::from_utf8(output.stdout).unwrap()
    };
    let stated = text(OPTIONS[0]);
    assert!(stated.contains("`engagement` is staff_forum, recognised_unions (line 97)"), "{stated}");
    let unstated = text("tests/cases/waiver__active.toml");
    assert!(unstated.contains("`seats` is not stated, so it is empty (line 16)"), "{unstated}");
    assert!(!unstated.contains("a list or table"), "{unstated}");
}

#[test]
fn explain_trace_says_which_waiver_turned_a_failure_into_waived() {
    let args =
        ["explain", "control.staff_engagement", "--trace", "tests/cases/waiver__active.toml", "--as-of", "2026-11-23"];
    let output = run(&args);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("outcome: waived\n  waived (line 26): A staff director will be elected after the first year; the staff forum meets monthly meanwhile. (approved by Cabinet Member for Children on 2026-09-01)\n"),
        "{text}"
    );
    let output = run(&[&args[..], &["--json"]].concat());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let waiver = &json["outcomes"][0]["waiver"];
    assert_eq!(waiver["line"], 26);
    assert_eq!(waiver["approved_by"], "Cabinet Member for Children");
    assert_eq!(waiver["approved_on"], "2026-09-01");
}

#[test]
fn a_file_that_cannot_be_read_is_named_with_its_reason_by_compare_and_trace() {
    let output = run(&["compare", "--as-of", "2017-06-01", OPTIONS[0], "examples/no_such_option.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "error: `examples/no_such_option.toml` could not be checked: cannot read `examples/no_such_option.toml`: no such file\n  help: `trustcheck check examples/no_such_option.toml` shows every error and where it is\n"
    );
    // The command it suggests can be pasted into a shell as it is.
    let output = run(&["compare", "--as-of", "2017-06-01", OPTIONS[0], "examples/leisure option's draft.toml"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.ends_with(
            "help: `trustcheck check 'examples/leisure option'\\''s draft.toml'` shows every error and where it is\n"
        ),
        "{stderr}"
    );
    let output = run(&["explain", "control.step_in", "--trace", "examples/no_such_option.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("cannot read `examples/no_such_option.toml`: no such file"),
        "the check's report, by the path given: {stdout}"
    );
    assert!(!stdout.contains(env!("CARGO_MANIFEST_DIR")), "{stdout}");
}
