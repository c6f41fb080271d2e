//! A test run shown as a person reads it, as JSON, and as JUnit XML for CI dashboards.

use std::fmt::Write as _;

use super::{TestRun, TestStatus};
use crate::sanitize;

/// Plain text: each file, each test with what did not hold, an optional coverage table, and
/// a closing `N passed, N failed` line.
pub fn human(run: &TestRun, coverage: bool) -> String {
    let mut out = String::new();
    for file in &run.files {
        let _ = writeln!(out, "{}", sanitize::line(&file.path));
        if let Some(problem) = &file.problem {
            let _ = writeln!(out, "  broken: {}", sanitize::line(problem));
        }
        for test in &file.tests {
            let mark = match test.status {
                TestStatus::Passed => "ok    ",
                TestStatus::Failed => "FAIL  ",
                TestStatus::Broken => "BROKEN",
            };
            let _ = writeln!(out, "  {mark} {}", sanitize::line(&test.name));
            for problem in &test.problems {
                let _ = writeln!(out, "         {}", sanitize::line(problem));
            }
            for mismatch in &test.mismatches {
                let element = mismatch.element.as_deref().map(|name| format!(" [{name}]")).unwrap_or_default();
                let actual = mismatch.actual.unwrap_or("no such element");
                let _ = writeln!(
                    out,
                    "         {}{}: expected {}, got {actual}",
                    mismatch.rule,
                    sanitize::line(&element),
                    mismatch.expected
                );
                if let Some(finding) = &mismatch.finding {
                    let _ = writeln!(out, "           {}", sanitize::line(finding));
                }
            }
        }
    }
    if coverage {
        let _ = writeln!(out, "\ncoverage (pass / fail seen by a test):");
        for (rule, seen) in &run.coverage.rules {
            let tick = |outcome: &str| if seen.contains(outcome) { "yes" } else { "no " };
            let _ = writeln!(out, "  {rule:<48} pass {}  fail {}", tick("pass"), tick("fail"));
        }
        let untouched = run.coverage.untouched();
        if !untouched.is_empty() {
            let _ = writeln!(out, "rules no test touches: {}", untouched.join(", "));
        }
        let _ = writeln!(out, "coverage: {:.1}% of pass and fail outcomes", run.coverage.percent());
    }
    let (passed, failed, broken) = run.counts();
    if broken > 0 {
        let _ = writeln!(out, "{broken} broken");
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    out
}

/// One JSON document: `{"files": [...], "coverage": {...}, "passed", "failed", "broken"}`.
pub fn json(run: &TestRun) -> String {
    let (passed, failed, broken) = run.counts();
    let value = serde_json::json!({
        "files": run.files,
        "coverage": {"percent": run.coverage.percent(), "rules": run.coverage.rules, "untouched": run.coverage.untouched()},
        "passed": passed,
        "failed": failed,
        "broken": broken,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// JUnit XML: one `testsuite` per tests file, one `testcase` per test.
pub fn junit(run: &TestRun) -> String {
    let (passed, failed, broken) = run.counts();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"trustcheck\" tests=\"{}\" failures=\"{failed}\" errors=\"{broken}\">",
        passed + failed + broken
    );
    for file in &run.files {
        let count = |status| file.tests.iter().filter(|test| test.status == status).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            xml(&file.path),
            file.tests.len(),
            count(TestStatus::Failed),
            count(TestStatus::Broken) + usize::from(file.problem.is_some())
        );
        if let Some(problem) = &file.problem {
            let _ = writeln!(out, "    <system-err>{}</system-err>", xml(problem));
        }
        for test in &file.tests {
            let _ = write!(out, "    <testcase classname=\"{}\" name=\"{}\"", xml(&file.path), xml(&test.name));
            match test.status {
                TestStatus::Passed => out.push_str("/>\n"),
                TestStatus::Failed => {
                    let lines: Vec<String> = test
                        .mismatches
                        .iter()
                        .map(|m| {
                            format!(
                                "{}: expected {}, got {}",
                                m.rule,
                                m.expected,
                                m.actual.unwrap_or("no such element")
                            )
                        })
                        .collect();
                    let _ =
                        writeln!(out, ">\n      <failure message=\"{}\"/>\n    </testcase>", xml(&lines.join("; ")));
                }
                TestStatus::Broken => {
                    let _ = writeln!(
                        out,
                        ">\n      <error message=\"{}\"/>\n    </testcase>",
                        xml(&test.problems.join("; "))
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text made safe inside an XML attribute or element.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in sanitize::line(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
