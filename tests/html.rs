//! The HTML reports as a reader meets them: rendered by headless Chromium (Debian's
//! `chromium`), which takes a screenshot and dumps the DOM the tests check. `.ci/run` installs
//! Chromium and sets `TRUSTCHECK_REQUIRE_BROWSER`, so there a missing browser fails the run;
//! elsewhere the browser tests say they were skipped. The HTML itself is snapshot-tested
//! everywhere.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly")]

use std::path::{Path, PathBuf};
use std::process::Command;

fn trustcheck(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_trustcheck"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn appraisal() -> String {
    trustcheck(&[
        "compare",
        "--as-of",
        "2017-06-01",
        "--format",
        "html",
        "examples/birmingham_childrens_trust.toml",
        "examples/birmingham_mutual_option.toml",
    ])
}

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let found = Command::new(name).arg("--version").output().is_ok_and(|output| output.status.success());
        if found {
            return Some(PathBuf::from(name));
        }
    }
    assert!(std::env::var_os("TRUSTCHECK_REQUIRE_BROWSER").is_none(), "Chromium is required here but not installed");
    eprintln!("skipped: Chromium is not installed; `.ci/run` installs it");
    None
}

fn headless(browser: &Path, profile: &Path, args: &[&str], page: &Path) -> Vec<u8> {
    let output = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run Chromium");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output.stdout
}

#[test]
fn the_appraisal_is_one_self_contained_file() {
    let html = appraisal();
    for external in ["<script", "<link", " src=", "@import", "url("] {
        assert!(!html.contains(external), "the page loads something from outside: `{external}`");
    }
    // The policy set's fingerprint changes with every edit of the library; it is checked here
    // and kept out of the snapshot.
    let (before, after) = html.split_once("policy set <code>").expect("the fingerprint is shown");
    let (fingerprint, rest) = after.split_once("</code>").unwrap();
    assert!(fingerprint.len() == 16 && fingerprint.chars().all(|c| c.is_ascii_hexdigit()), "{fingerprint}");
    insta::assert_snapshot!("compare_birmingham_html", format!("{before}policy set <code>FINGERPRINT</code>{rest}"));
}

#[test]
fn chromium_renders_the_appraisal_with_its_matrix_and_chart() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("appraisal.html");
    std::fs::write(&page, appraisal()).unwrap();
    let profile = dir.path().join("profile");

    let dom = String::from_utf8(headless(&browser, &profile, &["--dump-dom"], &page)).unwrap();
    let matrix = dom.split("id=\"matrix\"").nth(1).expect("the matrix table").split("</table>").next().unwrap();
    assert!(matrix.contains("procurement.reserved_term"), "the decisive rule is a row");
    assert!(matrix.matches("<tr").count() > 20, "one row per rule that applies");
    assert!(dom.contains("UNLAWFUL AS DRAFTED") || dom.contains("Unlawful as drafted"), "the mutual is marked");
    assert!(dom.contains("<svg id=\"chart\""), "the score chart is drawn");

    let shot = dir.path().join("appraisal.png");
    let arg = format!("--screenshot={}", shot.display());
    headless(&browser, &profile, &[&arg, "--window-size=1100,1400"], &page);
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 20_000, "a real picture: {} bytes", png.len());
}

#[test]
fn chromium_renders_the_timeline() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("timeline.html");
    let html = trustcheck(&[
        "timeline",
        "examples/birmingham_childrens_trust.toml",
        "--as-of",
        "2020-06-01",
        "--format",
        "html",
    ]);
    std::fs::write(&page, html).unwrap();
    let dom = String::from_utf8(headless(&browser, &dir.path().join("profile"), &["--dump-dom"], &page)).unwrap();
    assert!(dom.contains("<svg id=\"timeline\""), "the time line is drawn");
    assert!(dom.contains("OVERDUE"), "the overdue market test is flagged");
}

#[test]
fn the_scores_are_ranked_and_each_option_has_its_own_findings_whatever_the_order_given() {
    let html = trustcheck(&[
        "compare",
        "--as-of",
        "2017-06-01",
        "--format",
        "html",
        "examples/birmingham_mutual_option.toml",
        "examples/birmingham_childrens_trust.toml",
    ]);
    let scores = html.split("id=\"scores\"").nth(1).unwrap().split("</table>").next().unwrap();
    let cic = scores.find("Birmingham Children's Trust CIC").unwrap();
    let mutual = scores.find("Birmingham Children's Services Mutual (option)").unwrap();
    assert!(cic < mutual, "rank 1 first");
    let mutual_findings = html.split("Findings: Birmingham Children's Services Mutual (option)").nth(1).unwrap();
    let mutual_findings = mutual_findings.split("<h2>").next().unwrap();
    assert!(mutual_findings.contains("procurement.reserved_term"), "the mutual's own finding");
    let cic_findings = html.split("Findings: Birmingham Children's Trust CIC").nth(1).unwrap();
    assert!(!cic_findings.contains("procurement.reserved_term"), "not the mutual's");
}
