//! The command line: flags, exit codes, file discovery and `trustcheck.toml`, through the
//! built binary and through the library's `cli` module.

#![allow(clippy::expect_used, reason = "test helpers may panic")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use trustcheck::cli::{Context, run_args};
use trustcheck::project::discover::{constitution_inputs, glob_inputs, join_display};
use trustcheck::project::glob;

fn trustcheck(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trustcheck"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(root: &Path, relative: &str, contents: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, contents).expect("write");
}

/// Runs the CLI in-process in `cwd`: (exit code, stdout, stderr).
fn run_in(cwd: &Path, args: &[&str]) -> (u8, String, String) {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut context = Context::new(cwd, &mut stdout, &mut stderr);
    let code = run_args(std::iter::once("trustcheck").chain(args.iter().copied()), &mut context);
    (code, text(&stdout), text(&stderr))
}

#[test]
fn help_and_version_exit_0() {
    let dir = std::env::temp_dir();
    for args in [&["--help"][..], &["check", "--help"], &["--version"], &["help", "explain"]] {
        let output = trustcheck(&dir, args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert!(!output.stdout.is_empty(), "{args:?}");
    }
    assert!(text(&trustcheck(&dir, &["--help"]).stdout).contains("check"));
}

#[test]
fn usage_errors_exit_2() {
    let dir = std::env::temp_dir();
    for args in [
        &[][..],
        &["frobnicate"],
        &["check", "--format", "xml"],
        &["check", "--as-of", "2026-1-1"],
        &["check", "--as-of", "2026-02-30"],
        &["check", "--color", "sometimes"],
        &["validate", "--no-such-flag"],
        &["rules", "--format", "sarif"],
        &["explain"],
    ] {
        let output = trustcheck(&dir, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[cfg(unix)]
#[test]
fn invalid_utf8_arguments_do_not_panic() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"\xff\xfe");
    for args in [vec![bad], vec![std::ffi::OsStr::new("check"), std::ffi::OsStr::new("--format"), bad]] {
        let output = Command::new(env!("CARGO_BIN_EXE_trustcheck")).args(&args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2));
        assert!(!text(&output.stderr).contains("panicked"));
    }
}

#[test]
fn in_process_usage_errors() {
    let dir = std::env::temp_dir();
    let (code, stdout, stderr) = run_in(&dir, &["check", "--format", "xml"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("invalid value 'xml'"), "{stderr}");
    let (code, stdout, _) = run_in(&dir, &["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Usage"));
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[cfg(not(unix))]
fn symlink(_: &Path, _: &Path) {}

/// A folder with constitutions to find and files and folders to skip.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    for (path, body) in [
        ("consts/b.toml", ""),
        ("consts/a/z.toml", ""),
        ("consts/a-c.toml", ""),
        ("consts/Ynys Môn.toml", ""),
        ("consts/sub/.dotfile.toml", ""),
        ("consts/Cargo.toml", ""),
        ("consts/trustcheck.toml", "policies = [\"std\"]\n"),
        ("consts/.hidden/x.toml", ""),
        ("consts/target/x.toml", ""),
        ("consts/deep/target/y.toml", ""),
        ("consts/notes.txt", ""),
        ("consts/policy.policy", ""),
        ("elsewhere/linked.toml", ""),
    ] {
        write(root, path, body);
    }
    symlink(&root.join("elsewhere"), &root.join("consts/link"));
    symlink(&root.join("elsewhere/linked.toml"), &root.join("consts/link.toml"));
    dir
}

/// The constitutions a folder search of `tree()`'s `consts` finds: symbolic links to a file
/// and to a folder are followed.
fn found_in_tree() -> Vec<&'static str> {
    let mut found = vec!["consts/Ynys Môn.toml", "consts/a-c.toml", "consts/a/z.toml", "consts/b.toml"];
    if cfg!(unix) {
        found.extend(["consts/link.toml", "consts/link/linked.toml"]);
    }
    found.push("consts/sub/.dotfile.toml");
    found
}

fn names(inputs: &[trustcheck::Input]) -> Vec<&str> {
    inputs.iter().map(|input| input.name.as_str()).collect()
}

#[test]
fn folder_discovery_order_and_skipping() {
    let dir = tree();
    let cwd = dir.path();
    let inputs = constitution_inputs(cwd, &[PathBuf::from("consts")]);
    assert_eq!(names(&inputs), found_in_tree());
    assert!(inputs.iter().all(|input| input.bytes.is_ok()));

    // A trailing slash is not doubled; `.` adds no prefix; files come as given, in order.
    let inputs = constitution_inputs(cwd, &[PathBuf::from("consts/a/"), PathBuf::from("consts/b.toml")]);
    assert_eq!(names(&inputs), ["consts/a/z.toml", "consts/b.toml"]);
    let inputs = constitution_inputs(&cwd.join("consts"), &[PathBuf::from(".")]);
    assert_eq!(inputs.first().map(|input| input.name.as_str()), Some("Ynys Môn.toml"));

    // A missing path is an input that cannot be read (reported as io.read).
    let inputs = constitution_inputs(cwd, &[PathBuf::from("consts/missing.toml")]);
    assert_eq!(names(&inputs), ["consts/missing.toml"]);
    assert!(inputs.first().is_some_and(|input| input.bytes.is_err()));
}

#[test]
fn project_globs() {
    let dir = tree();
    let patterns: Vec<glob::Pattern> = ["consts/**/*.toml", "consts/notes.txt", "nothing/*.toml"]
        .iter()
        .map(|text| text.parse().expect("a valid pattern"))
        .collect();
    let (inputs, unmatched) = glob_inputs(".", dir.path(), &patterns);
    let mut expected = found_in_tree();
    expected.insert(expected.len() - 1, "consts/notes.txt");
    assert_eq!(names(&inputs), expected);
    assert_eq!(unmatched, ["nothing/*.toml"]);
}

#[test]
fn glob_patterns() {
    assert!(glob::matches("constitutions/**/*.toml", "constitutions/a.toml"));
    assert!(glob::matches("constitutions/**/*.toml", "constitutions/x/y/a.toml"));
    assert!(!glob::matches("constitutions/**/*.toml", "other/a.toml"));
    assert!(glob::matches("./*.toml", "a.toml"));
    assert!(!glob::matches("*.toml", "x/a.toml"));
    assert!(glob::matches("**", "x/a.toml"));
    assert!(glob::matches("c?/[a-c]*.toml", "c1/b_trust.toml"));
    assert!(!glob::matches("c?/[!a-c]*.toml", "c1/b_trust.toml"));
    assert!(glob::matches("Ynys Môn/*.toml", "Ynys Môn/a.toml"));
    assert!(glob::matches("consts/{a,b}.toml", "consts/b.toml"));
    assert!("a[/b".parse::<glob::Pattern>().is_err(), "an unclosed `[` is not a pattern");
}

#[test]
fn an_invalid_constitutions_pattern_is_a_project_error_at_the_pattern() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "trustcheck.toml", "constitutions = [\"ok/*.toml\", \"bad/[a-.toml\"]\n");
    let (code, stdout, stderr) = run_in(dir.path(), &["check", "--color", "never"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("config.invalid"), "{all}");
    assert!(all.contains("`bad/[a-.toml` is not a valid pattern"), "{all}");
    assert!(all.contains("trustcheck.toml:1:"), "{all}");
}

#[test]
fn display_joining() {
    assert_eq!(join_display(".", "a/b.toml"), "a/b.toml");
    assert_eq!(join_display("x/", "b.toml"), "x/b.toml");
    assert_eq!(join_display("../..", "b.toml"), "../../b.toml");
}

#[test]
fn malformed_project_file_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "trustcheck.toml", "policies = [\"std\"]\npolicy = \"local\"\n");
    write(dir.path(), "sub/a.toml", "");
    for (cwd, shown) in [(dir.path().to_path_buf(), "trustcheck.toml"), (dir.path().join("sub"), "../trustcheck.toml")]
    {
        let output = trustcheck(&cwd, &["check", "--format", "short", "--as-of", "2026-04-01"]);
        assert_eq!(output.status.code(), Some(2));
        let stdout = text(&output.stdout);
        assert!(stdout.starts_with(&format!("{shown}:2:1: error[config.invalid]: ")), "{stdout}");
        assert!(stdout.contains("unknown key `policy`"), "{stdout}");
        assert_eq!(text(&output.stderr), "as_of: 2026-04-01\n");
    }
    let output = trustcheck(dir.path(), &["validate", "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value["files"][0]["status"], "error");
}

/// Every command that judges stops at a project file it cannot use, with the report of its
/// mistakes and exit code 2: the one found from the working folder, and one nearer a
/// constitution or tests file named on the command line.
#[test]
fn every_judging_command_reports_an_unusable_project_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = "policies = [\"std\"]\npolicy = \"local\"\n";
    let trust = "[trust]\nname = \"A\"\n";
    write(dir.path(), "here/trustcheck.toml", broken);
    write(dir.path(), "here/a.toml", trust);
    write(dir.path(), "here/b.toml", trust);
    write(dir.path(), "here/a.tests.toml", "");
    write(dir.path(), "nested/inner/trustcheck.toml", broken);
    write(dir.path(), "nested/inner/a.toml", trust);
    write(dir.path(), "nested/inner/a.tests.toml", "");
    let here = dir.path().join("here");
    let nested = dir.path().join("nested");
    let runs: [(&Path, &[&str]); 7] = [
        (&here, &["check", "a.toml"]),
        (&here, &["validate"]),
        (&here, &["compare", "a.toml", "b.toml"]),
        (&here, &["diff", "a.toml", "b.toml"]),
        (&here, &["test"]),
        (&nested, &["check", "inner/a.toml"]),
        (&nested, &["test", "inner"]),
    ];
    for (cwd, args) in runs {
        let mut args = args.to_vec();
        args.extend(["--as-of", "2026-04-01"]);
        let (code, stdout, stderr) = run_in(cwd, &args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(stdout.contains("config.invalid") && stdout.contains("unknown key `policy`"), "{args:?}: {stdout}");
        assert!(stdout.contains("trustcheck.toml:2:1"), "{args:?}: {stdout}");
    }
}

#[test]
fn one_line_formats_print_as_of_on_stderr() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.toml", "");
    for format in ["short", "github"] {
        let output = trustcheck(dir.path(), &["check", "--format", format, "--as-of", "2026-04-01", "--policy", "std"]);
        assert_eq!(text(&output.stderr).lines().last(), Some("as_of: 2026-04-01"), "{format}");
    }
    let output = trustcheck(dir.path(), &["check", "--format", "json", "--as-of", "2026-04-01", "--policy", "std"]);
    assert!(!text(&output.stderr).contains("as_of"));
}

// ---------------------------------------------------------------- needing the engine

#[test]
fn nonexistent_file_exits_2_with_io_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = trustcheck(dir.path(), &["check", "--format", "json", "--as-of", "2026-04-01", "missing.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value["as_of"], "2026-04-01");
    assert_eq!(value["files"][0]["path"], "missing.toml");
    assert_eq!(value["files"][0]["status"], "error");
    assert_eq!(value["files"][0]["diagnostics"][0]["code"], "io.read");
    let output = trustcheck(dir.path(), &["check", "--format", "short", "missing.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stdout).starts_with("missing.toml: error[io.read]: "));
}

#[test]
fn check_lists_files_in_discovery_order() {
    let dir = tree();
    let output = trustcheck(dir.path(), &["check", "--format", "json", "--as-of", "2026-04-01", "consts"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let paths: Vec<&str> =
        value["files"].as_array().expect("files").iter().filter_map(|file| file["path"].as_str()).collect();
    assert_eq!(paths, found_in_tree());
}

#[test]
fn rules_and_explain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = trustcheck(dir.path(), &["rules", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let rules = value.as_array().expect("array");
    assert!(!rules.is_empty());
    let first = rules.first().expect("a rule");
    let id = first["id"].as_str().expect("id");
    assert!(first["path"].as_str().is_some_and(|path| path.starts_with("std/") && path.ends_with(".policy")));
    assert!(first["severity"].is_string() && first["title"].is_string());

    let output = trustcheck(dir.path(), &["explain", id]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with(&format!("{id}: ")), "{stdout}");
    assert!(stdout.contains("defined in std/"), "{stdout}");

    let typo = format!("{id}x");
    let output = trustcheck(dir.path(), &["explain", &typo]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains(&format!("did you mean `{id}`")), "{}", text(&output.stderr));
}

#[test]
fn explain_shows_when_each_citation_was_verified() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = trustcheck(dir.path(), &["explain", "procurement.reserved_term"]);
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("Procurement Act 2023, s.33(1)(b) <https://www.legislation.gov.uk/ukpga/2023/54/section/33> (text verified 2026-12-02)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "reg. 77(4) <https://www.legislation.gov.uk/uksi/2015/102/regulation/77> (text verified 2026-12-02)"
        ),
        "{stdout}"
    );
    let output = trustcheck(dir.path(), &["explain", "procurement.direct_award_threshold"]);
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(
            "reg. 5(1)(b) and (d) <https://www.legislation.gov.uk/uksi/2015/102/regulation/5> (text not verified)"
        ),
        "{stdout}"
    );
}

#[test]
fn explain_says_what_a_built_in_code_means() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = trustcheck(dir.path(), &["explain", "schema.missing_field"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        text(&output.stdout),
        "schema.missing_field: one of trustcheck's own checks (error)\n\n\
         A constitution leaves out a field the schema requires.\n"
    );
    let output = trustcheck(dir.path(), &["explain", "policy.unused_let"]);
    assert!(text(&output.stdout).starts_with("policy.unused_let: one of trustcheck's own checks (warning)"));
}

#[test]
fn validate_standard_library() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = trustcheck(dir.path(), &["validate", "--color", "never", "--as-of", "2026-04-01"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(text(&output.stdout), "policy set of 10 files: valid; 0 errors, 0 warnings, 0 notes\n");
}

#[test]
fn policy_folder_and_project_policies() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "trustcheck.toml", "policies = [\"policies/\"]\n");
    write(dir.path(), "policies/b.policy", "this is not a policy\n");
    write(dir.path(), "policies/a/a.policy", "neither is this\n");
    write(dir.path(), "sub/x.toml", "");
    let output = trustcheck(&dir.path().join("sub"), &["validate", "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let paths: Vec<&str> =
        value["files"].as_array().expect("files").iter().filter_map(|file| file["path"].as_str()).collect();
    assert_eq!(paths, ["../policies/a/a.policy", "../policies/b.policy"]);
    // `--policy` overrides the project file.
    let output = trustcheck(&dir.path().join("sub"), &["validate", "--policy", "std"]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn each_constitution_is_checked_under_the_nearest_project_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/slough_children_first.toml"))
        .expect("example");
    write(dir.path(), "all/a.toml", &example);
    write(dir.path(), "all/council/b.toml", &example);
    write(dir.path(), "all/council/trustcheck.toml", "policies = [\"std\", \"policies/\"]\n");
    write(
        dir.path(),
        "all/council/policies/local.policy",
        "policy local \"Local\" {\n  rule named warning local_policy \"Not named Nowhere\" { require trust.name starts with \"Nowhere\" }\n}\n",
    );
    write(dir.path(), "all/z.toml", &example);
    let output = trustcheck(dir.path(), &["check", "--format", "json", "--as-of", "2026-04-01", "all"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let files = value["files"].as_array().expect("files");
    let paths: Vec<&str> = files.iter().filter_map(|file| file["path"].as_str()).collect();
    assert_eq!(paths, ["all/a.toml", "all/council/b.toml", "all/z.toml"], "the order of discovery is kept");
    let local = |file: &serde_json::Value| {
        file["outcomes"].as_array().expect("outcomes").iter().any(|o| o["rule"] == "local.named")
    };
    assert_eq!(files.iter().map(local).collect::<Vec<_>>(), [false, true, false]);
    let finding = files[1]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "local.named")
        .expect("found");
    assert_eq!(finding["range"]["start"]["line"], 18, "spans point into the right file after joining");
    assert_eq!(finding["rule"]["path"], "all/council/policies/local.policy");
    // SARIF lists the rules of every project once, sorted, and each result names its rule by
    // its place in that list.
    let output = trustcheck(dir.path(), &["check", "--format", "sarif", "--as-of", "2026-04-01", "all"]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("sarif");
    let rules: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(rules.iter().filter(|id| **id == "local.named").count(), 1, "{rules:?}");
    assert!(rules.is_sorted() && rules.len() > 40, "{rules:?}");
    let results = log["runs"][0]["results"].as_array().expect("results");
    for result in results {
        let index = result["ruleIndex"].as_u64().and_then(|index| usize::try_from(index).ok()).expect("an index");
        assert_eq!(rules.get(index).copied(), result["ruleId"].as_str(), "{result}");
    }
    let local_results: Vec<&str> = results
        .iter()
        .filter(|result| result["ruleId"] == "local.named")
        .filter_map(|result| result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert_eq!(local_results, ["all/council/b.toml"]);
    // `--policy` names one policy set for every file.
    let output = trustcheck(dir.path(), &["check", "--format", "json", "--policy", "std", "all"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert!(!value["files"].as_array().expect("files").iter().any(local));
}

/// The lines of `before` that `after` changes, each with what it became.
fn changed_lines<'t>(before: &'t str, after: &'t str) -> Vec<(&'t str, &'t str)> {
    before.lines().zip(after.lines()).filter(|(a, b)| a != b).collect()
}

#[test]
fn check_fix_sets_the_values_rules_ask_for_and_checks_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/defective_proposal.toml"))
            .expect("example");
    write(dir.path(), "proposal.toml", &original);
    let (code, stdout, stderr) =
        run_in(dir.path(), &["check", "--fix", "--as-of", "2026-04-01", "--color", "never", "proposal.toml"]);
    assert_eq!(code, 1, "other errors remain: {stdout}");
    assert_eq!(
        stderr,
        "fixed proposal.toml: set `profit_distribution = \"none\"` (children.not_for_profit)\n\
         fixed proposal.toml: set `residual_assets_to = \"specified_asset_locked_body\"` (asset_lock.residual_assets)\n\
         fixed proposal.toml: set `dividends = \"none\"` (asset_lock.guarantee_no_dividends)\n\
         fixed proposal.toml: set `pension_protection = \"lgps_admission\"` (staff.pension_protection)\n\
         fixed proposal.toml: set `tupe = true` (staff.tupe)\n\
         fixed proposal.toml: set `registered_adoption_society = true` (children.adoption_society)\n"
    );
    let fixed = std::fs::read_to_string(dir.path().join("proposal.toml")).expect("fixed");
    assert_eq!(
        changed_lines(&original, &fixed),
        [
            ("profit_distribution = \"unrestricted\"", "profit_distribution = \"none\""),
            ("residual_assets_to = \"council\"", "residual_assets_to = \"specified_asset_locked_body\""),
            ("dividends = \"uncapped\"", "dividends = \"none\""),
            ("pension_protection = \"none\"", "pension_protection = \"lgps_admission\""),
            ("tupe = false", "tupe = true"),
            ("registered_adoption_society = false", "registered_adoption_society = true"),
        ],
        "only the fixed values change; comments and layout stay"
    );
    assert_eq!(original.lines().count(), fixed.lines().count());
    // The report is of the fixed file: the fixed rules no longer fail.
    assert!(!stdout.contains("[staff.tupe]") && !stdout.contains("[children.not_for_profit]"), "{stdout}");
    // A second run has nothing left to fix.
    let (_, _, stderr) = run_in(dir.path(), &["check", "--fix", "--as-of", "2026-04-01", "proposal.toml"]);
    assert_eq!(stderr, "");
}

#[test]
fn check_fix_rewrites_values_written_in_the_wrong_notation_when_the_meaning_is_certain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let example =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/achieving_for_children.toml"))
            .expect("example");
    let replacements = [
        ("name = \"Achieving for Children CIC\"", "name = 2024"),
        ("community_interest_company = true", "community_interest_company = \"true\""),
        ("operational_from = 2014-04-01", "operational_from = \"2014-04-01\""),
        ("voting_rights = \"33.34%\"", "voting_rights = 33.34"),
        ("capital = \"33.34%\"", "capital = 0.5"),
        ("count = 1", "count = \"1\""),
        ("start = 2020-04-01", "start = 2020-04-01T09:30:00"),
    ];
    let mut original = example.clone();
    for (from, to) in replacements {
        assert!(original.contains(from), "{from}");
        original = original.replacen(from, to, 1);
    }
    write(dir.path(), "trust.toml", &original);
    let (_, report, _) = run_in(dir.path(), &["check", "--as-of", "2026-04-01", "--color", "never", "trust.toml"]);
    assert!(
        report.ends_with("`--fix` can make 6 corrections to the problems above\nrules judged as of 2026-04-01\n"),
        "{report}"
    );
    let (code, stdout, stderr) = run_in(dir.path(), &["check", "--fix", "--as-of", "2026-04-01", "trust.toml"]);
    assert_eq!(
        stderr,
        "fixed trust.toml: write `\"2024\"` (schema.type)\n\
         fixed trust.toml: write `true` (schema.type)\n\
         fixed trust.toml: write `2014-04-01` (schema.type)\n\
         fixed trust.toml: write `\"33.34%\"` (schema.type)\n\
         fixed trust.toml: write `1` (schema.type)\n\
         fixed trust.toml: write `2020-04-01` (schema.type)\n"
    );
    let fixed = std::fs::read_to_string(dir.path().join("trust.toml")).expect("fixed");
    assert_eq!(
        changed_lines(&original, &fixed),
        [
            ("name = 2024", "name = \"2024\""),
            ("community_interest_company = \"true\"", "community_interest_company = true"),
            ("operational_from = \"2014-04-01\"", "operational_from = 2014-04-01"),
            ("voting_rights = 33.34", "voting_rights = \"33.34%\""),
            ("count = \"1\"", "count = 1"),
            (
                "start = 2020-04-01T09:30:00                                   # assumed",
                "start = 2020-04-01                                   # assumed"
            ),
        ],
        "only the values change; comments and layout stay"
    );
    // `0.5` may be 0.5% or 50%: no fix, and the checked file still says so.
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("`capital` must be a percentage") && stdout.contains("\"50%\" if 0.5 is a fraction"),
        "{stdout}"
    );
    assert!(!stdout.contains("`operational_from` must be a date"), "{stdout}");
    assert!(!stdout.contains("`--fix` can make"), "{stdout}");
}

#[test]
fn the_pre_commit_hooks_run_real_commands() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).expect("hooks file");
    let ids: Vec<&str> = hooks.lines().filter_map(|line| line.strip_prefix("- id: ")).collect();
    assert_eq!(ids, ["trustcheck-fmt", "trustcheck-check", "trustcheck-test"]);
    let entries: Vec<&str> = hooks.lines().filter_map(|line| line.trim().strip_prefix("entry: ")).collect();
    assert_eq!(entries.len(), ids.len(), "every hook has an entry");
    for entry in entries {
        let mut words = entry.split_whitespace();
        assert_eq!(words.next(), Some("trustcheck"), "{entry}");
        let args: Vec<&str> = words.chain(["--help"]).collect();
        let dir = tempfile::tempdir().expect("tempdir");
        let output = trustcheck(dir.path(), &args);
        assert_eq!(output.status.code(), Some(0), "`{entry}` is not a command: {}", text(&output.stderr));
    }
}

/// `check` writes its report as the files are checked, a chunk at a time, each file rendered
/// where it was checked (`json`, `sarif`, `short` and `github` write each chunk as it is done;
/// `human` holds the text until the run's verdicts, which open it, are known): the bytes and
/// the exit code must be those of the whole report rendered at once, across chunk boundaries
/// and with files that cannot be checked.
#[test]
fn the_streamed_reports_are_the_whole_report_rendered_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let examples: Vec<PathBuf> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
        .expect("examples")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    let count = 2 * trustcheck::check::STREAM_CHUNK + 7;
    for index in 0..count {
        let name = format!("c{index:04}.toml");
        let example = examples.get(index % examples.len()).expect("examples exist");
        if index % 50 == 13 {
            write(dir.path(), &name, "[trust\nname = ");
        } else {
            std::fs::copy(example, dir.path().join(&name)).expect("copy");
        }
    }
    let policies = trustcheck::PolicySet::standard();
    let options = trustcheck::CheckOptions::as_of("2026-11-23".parse().expect("date"));
    let report = policies.check_inputs(constitution_inputs(dir.path(), &[PathBuf::from(".")]), &options);
    assert_eq!(report.files.len(), count);
    assert!(report.files.iter().any(|file| file.status == trustcheck::report::FileStatus::Error));
    type Render = fn(&trustcheck::report::Report) -> String;
    let renderers: [(&str, Render); 3] = [
        ("json", trustcheck::report::json::render),
        ("short", trustcheck::report::short::render),
        ("github", trustcheck::report::github::render),
    ];
    for (format, render) in renderers {
        let (code, streamed, stderr) = run_in(dir.path(), &["check", "--as-of", "2026-11-23", "--format", format, "."]);
        assert_eq!(streamed, render(&report), "{format}");
        assert_eq!(code, report.exit_code(false), "{format}");
        assert_eq!(code, 2, "a file that cannot be parsed makes the run exit 2");
        assert_eq!(stderr.contains("as_of: 2026-11-23"), format != "json", "{format}");
    }
    // The human report holds each file's section as text, written once every file is in.
    for verbose in [false, true] {
        let options =
            trustcheck::report::human::HumanOptions { verbose, ..trustcheck::report::human::HumanOptions::plain() };
        let mut args = vec!["check", "--as-of", "2026-11-23", "--color", "never", "."];
        if verbose {
            args.push("--verbose");
        }
        let (code, streamed, _) = run_in(dir.path(), &args);
        assert_eq!(streamed, trustcheck::report::human::render(&report, &options), "human, verbose {verbose}");
        assert_eq!(code, 2, "human");
    }
    let one = policies.check_inputs(constitution_inputs(dir.path(), &[PathBuf::from("c0001.toml")]), &options);
    let (code, streamed, _) = run_in(dir.path(), &["check", "--as-of", "2026-11-23", "--color", "never", "c0001.toml"]);
    assert_eq!(streamed, one.render_plain(), "one file's errors are shown in full");
    assert_eq!(code, one.exit_code(false));
    let (code, streamed, _) = run_in(dir.path(), &["check", "--as-of", "2026-11-23", "--format", "sarif", "."]);
    let cwd = std::fs::canonicalize(dir.path()).expect("the folder exists");
    let srcroot = trustcheck::report::sarif::folder_uri(&cwd);
    assert_eq!(streamed, trustcheck::report::sarif::render_with_srcroot(&report, Some(&srcroot)), "sarif");
    assert_eq!(code, 2, "sarif");
}

/// The executable is linked at a fixed address on Linux (see `build.rs`): its ELF type is
/// `ET_EXEC` (2), not the `ET_DYN` (3) of a position-independent executable.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_executable_is_linked_at_a_fixed_address_unless_asked_to_keep_pie() {
    let image = std::fs::read(env!("CARGO_BIN_EXE_trustcheck")).expect("the executable can be read");
    let elf_type = image.get(16..18).map(|bytes| u16::from_le_bytes([bytes[0], bytes[1]]));
    let expected = if option_env!("TRUSTCHECK_PIE") == Some("1") { 3 } else { 2 };
    assert_eq!(elf_type, Some(expected), "ELF type of the executable");
}

/// The run's closing line counts each constitution once, as its verdict line above says:
/// a constitution that could not be read is "not checked", neither a pass nor a fail.
#[test]
fn the_closing_line_counts_pass_fail_and_not_checked_as_the_verdict_lines_do() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let closing = |args: &[&str]| {
        let output = trustcheck(&examples, args);
        let stdout = text(&output.stdout);
        let verdicts: Vec<String> = stdout
            .lines()
            .skip(1)
            .take_while(|line| line.starts_with("  "))
            .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
            .collect();
        // The run's line opens the report and closes it, the same both times.
        let first = stdout.lines().next().map(str::to_owned).expect("an opening line");
        let last = stdout.lines().rev().find(|line| line.contains(" constitutions: ")).map(str::to_owned);
        assert_eq!(last.as_ref(), Some(&first));
        (verdicts, first)
    };
    let args = ["check", "--color", "never", "--as-of", "2026-04-01"];
    let (verdicts, line) = closing(&[&args[..], &["slough_children_first.toml", "defective_proposal.toml"]].concat());
    assert_eq!(verdicts, ["pass", "fail"]);
    assert!(line.starts_with("2 constitutions: 1 pass, 1 fail; "), "{line}");
    let (verdicts, line) = closing(&[&args[..], &["defective_proposal.toml", "missing.toml"]].concat());
    assert_eq!(verdicts, ["fail", "not"]);
    assert!(line.starts_with("2 constitutions: 0 pass, 1 fail, 1 not checked; "), "{line}");
}

#[test]
fn a_waived_outcome_in_json_names_the_waiver_that_applied() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output =
        trustcheck(root, &["check", "--as-of", "2026-11-23", "--format", "json", "tests/cases/waiver__active.toml"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    let file = &report["files"][0];
    let outcomes = file["outcomes"].as_array().expect("outcomes");
    let waived: Vec<&serde_json::Value> = outcomes.iter().filter(|o| o["outcome"] == "waived").collect();
    assert_eq!(waived.len(), 2, "{outcomes:#?}");
    for outcome in waived {
        let waiver = &outcome["waiver"];
        let finding = &file["diagnostics"][outcome["diagnostic"].as_u64().expect("an index") as usize];
        assert_eq!(waiver, &finding["waiver"], "the outcome and its finding name the same waiver");
        assert!(waiver["reason"].as_str().is_some_and(|reason| !reason.is_empty()), "{waiver}");
        assert!(waiver["approved_by"].is_string() && waiver["range"]["start"]["line"].is_u64(), "{waiver}");
    }
    let staff = outcomes.iter().find(|o| o["rule"] == "control.staff_engagement").expect("the rule is judged");
    assert_eq!(staff["waiver"]["approved_by"], "Cabinet Member for Children");
    assert!(
        outcomes.iter().filter(|o| o["outcome"] != "waived").all(|o| o.get("waiver").is_none()),
        "only a waived outcome names a waiver"
    );
}

#[test]
fn a_waiver_of_an_undetermined_rule_waives_it_and_its_note_still_names_the_missing_fact() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let case = "tests/cases/waiver__undetermined_waived.toml";
    let output = trustcheck(root, &["check", "--as-of", "2026-11-23", "--format", "json", case]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    let file = &report["files"][0];
    let outcome = file["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .find(|o| o["rule"] == "procurement.in_house_activities")
        .expect("the rule is judged");
    assert_eq!(outcome["outcome"], "waived", "{outcome}");
    assert_eq!(outcome["severity"], "note", "{outcome}");
    assert_eq!(outcome["waiver"]["approved_by"], "Section 151 Officer", "{outcome}");
    let finding = &file["diagnostics"][outcome["diagnostic"].as_u64().expect("an index") as usize];
    assert_eq!(finding["severity"], "note");
    assert_eq!(
        finding["message"],
        "waived: cannot decide procurement.in_house_activities: the constitution does not state `for_controlling_authorities`"
    );
    assert!(
        finding["help"].as_str().is_some_and(|help| help.starts_with("state `for_controlling_authorities`")),
        "the note still says how to decide the rule: {finding:#}"
    );
    let text = std::fs::read_to_string(root.join(case)).expect("the case");
    let waiver_line = text.lines().position(|line| line == "[[waivers]]").expect("the waiver") + 1;
    let labels = finding["labels"].as_array().expect("labels");
    assert!(
        labels.iter().any(|label| label["range"]["start"]["line"] == waiver_line
            && label["message"] == "waived by Section 151 Officer"),
        "a label at the waiver, line {waiver_line}: {finding:#}"
    );
    assert_eq!(file["summary"]["waived"], 1, "{:#}", file["summary"]);
    assert_eq!(file["summary"]["undetermined"], 0, "{:#}", file["summary"]);

    // Without the waiver, the same rule is undetermined: a warning.
    let without = text.split("[[waivers]]").next().expect("the text before the waiver");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("no_waiver.toml");
    std::fs::write(&path, without).expect("written");
    let output =
        trustcheck(root, &["check", "--as-of", "2026-11-23", "--format", "json", path.to_str().expect("UTF-8")]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    let finding = report["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "procurement.in_house_activities")
        .expect("the undetermined finding");
    assert_eq!(finding["severity"], "warning", "{finding:#}");
    assert!(finding["message"].as_str().expect("a message").starts_with("cannot decide"), "{finding:#}");
}

#[test]
fn the_one_line_formats_name_the_waiver_that_applied_with_its_reason() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let case = "tests/cases/waiver__active.toml";
    let short = text(&trustcheck(root, &["check", "--as-of", "2026-11-23", "--format", "short", case]).stdout);
    let line = short.lines().find(|line| line.contains("note[control.staff_engagement]")).expect("the waived finding");
    assert!(
        line.ends_with(
            "(waiver: A staff director will be elected after the first year; the staff forum meets monthly \
             meanwhile. (approved by Cabinet Member for Children on 2026-09-01))"
        ),
        "{line}"
    );
    let failed = short.lines().find(|line| line.contains("[asset_lock.unlocked_assets]")).expect("a failure");
    assert!(!failed.contains("(waiver:"), "only a waived finding names a waiver: {failed}");

    let github = text(&trustcheck(root, &["check", "--as-of", "2026-11-23", "--format", "github", case]).stdout);
    let command = github.lines().find(|line| line.contains("title=control.step_in::")).expect("the waived finding");
    assert!(command.starts_with("::notice "), "{command}");
    assert!(
        command.contains(
            "%0Awaived: Step-in rights are in the draft service contract, to be signed before go-live. \
             (approved by Director of Legal Services on 2026-09-01)%0A"
        ),
        "{command}"
    );
}

#[cfg(unix)]
#[test]
fn a_dash_says_how_to_check_standard_input_and_that_way_works() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let output = trustcheck(&examples, &["check", "--format", "json", "-"]);
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "io.read");
    assert_eq!(diagnostic["help"], "to read what is piped in, name standard input by its path, `/dev/stdin`");

    let text = std::fs::read(examples.join("defective_proposal.toml")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustcheck"))
        .args(["check", "--format", "short", "--as-of", "2026-11-23", "/dev/stdin"])
        .current_dir(&examples)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &text).unwrap();
    let output = child.wait_with_output().unwrap();
    let short = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{short}");
    assert!(short.starts_with("/dev/stdin:"), "{short}");
    assert!(short.contains("error[waiver.unknown_rule]"), "{short}");
}
