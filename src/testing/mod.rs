//! Policy tests (`trustcheck test`): `*.tests.toml` files of constitutions with the outcomes
//! named rules must have, run against a policy set, with coverage of the outcomes the tests
//! exercised. Outcomes come from the one outcome model ([`crate::report::RuleResult`]), so a
//! test sees exactly what `check` reports.

pub mod render;
pub mod spec;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::civil::Date;
use serde::Serialize;

use crate::diagnostic::Outcome;
use crate::policy::PolicySet;
use crate::project::discover::join_display;
use crate::report::{FileReport, FileStatus};
use crate::run::{CheckOptions, Input};
use crate::schema::did_you_mean;

pub use crate::project::discover::is_tests_file_name;
use crate::value::toml_date;
use spec::{Expected, OutcomeName, TestSpec, TestsFile, outcome_name};

/// What became of one test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TestStatus {
    /// Every expectation held.
    Passed,
    /// At least one expectation did not hold.
    Failed,
    /// The test could not be run (no constitution, an unknown rule, a bad outcome name, a
    /// constitution that cannot be checked).
    Broken,
}

/// An expectation that did not hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// The rule.
    pub rule: String,
    /// The element named, for a per-element rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// The outcome expected.
    pub expected: &'static str,
    /// The outcome found (`None`: the rule has no such element on this constitution).
    pub actual: Option<&'static str>,
    /// The finding the rule reported, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
}

/// The result of one test.
#[derive(Clone, Debug, Serialize)]
pub struct TestResult {
    /// Its name.
    pub name: String,
    /// Passed, failed or broken.
    pub status: TestStatus,
    /// The expectations that did not hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<Mismatch>,
    /// Why it is broken.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// The results of one tests file.
#[derive(Clone, Debug, Serialize)]
pub struct TestsFileResult {
    /// The file, as given.
    pub path: String,
    /// Why the file itself cannot be read, if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Its tests, in order.
    pub tests: Vec<TestResult>,
}

/// Which outcomes the tests asserted and saw, rule by rule.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Coverage {
    /// For every rule of the policy set (sorted), the outcomes tests asserted and saw.
    pub rules: BTreeMap<String, BTreeSet<&'static str>>,
}

impl Coverage {
    /// The share of the goal "every rule seen both to pass and to fail" that the tests
    /// reach, in percent (100 for an empty policy set).
    pub fn percent(&self) -> f64 {
        if self.rules.is_empty() {
            return 100.0;
        }
        let covered: usize = self
            .rules
            .values()
            .map(|seen| usize::from(seen.contains("pass")) + usize::from(seen.contains("fail")))
            .sum();
        (covered as f64) * 100.0 / ((self.rules.len() * 2) as f64)
    }

    /// The rules no test asserts anything of.
    pub fn untouched(&self) -> Vec<&str> {
        self.rules.iter().filter(|(_, seen)| seen.is_empty()).map(|(rule, _)| rule.as_str()).collect()
    }
}

/// A whole run of tests files.
#[derive(Clone, Debug, Serialize)]
pub struct TestRun {
    /// Each tests file's results, in the order given.
    pub files: Vec<TestsFileResult>,
    /// Coverage over every file.
    pub coverage: Coverage,
}

impl TestRun {
    /// Runs the tests files against `policies`; tests without `as_of` are judged at `as_of`.
    pub fn run(policies: &PolicySet, files: &[(String, std::path::PathBuf)], as_of: Date) -> TestRun {
        let mut coverage =
            Coverage { rules: policies.rules().into_iter().map(|rule| (rule.id, BTreeSet::new())).collect() };
        let files =
            files.iter().map(|(display, path)| run_file(policies, display, path, as_of, &mut coverage)).collect();
        TestRun { files, coverage }
    }

    /// How many tests had each status: (passed, failed, broken).
    pub fn counts(&self) -> (usize, usize, usize) {
        let tests = self.files.iter().flat_map(|file| &file.tests);
        let count = |status| tests.clone().filter(|test| test.status == status).count();
        (count(TestStatus::Passed), count(TestStatus::Failed), count(TestStatus::Broken))
    }

    /// 2 when a file or test is broken, else 1 when a test failed or coverage is under
    /// `coverage_min` percent, else 0.
    pub fn exit_code(&self, coverage_min: Option<f64>) -> u8 {
        let (_, failed, broken) = self.counts();
        if broken > 0 || self.files.iter().any(|file| file.problem.is_some()) {
            2
        } else if failed > 0 || coverage_min.is_some_and(|min| self.coverage.percent() < min) {
            1
        } else {
            0
        }
    }
}

fn run_file(policies: &PolicySet, display: &str, path: &Path, as_of: Date, coverage: &mut Coverage) -> TestsFileResult {
    let broken_file =
        |problem: String| TestsFileResult { path: display.to_owned(), problem: Some(problem), tests: Vec::new() };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => return broken_file(format!("cannot read it: {error}")),
    };
    let parsed: TestsFile = match toml::from_str(&text) {
        Ok(parsed) => parsed,
        Err(error) => {
            let place = error.span().map(|span| {
                crate::source::SourceFile::new(display, text.as_str(), crate::source::Origin::Disk)
                    .position(u32::try_from(span.start).unwrap_or(u32::MAX))
            });
            let at = place.map(|position| format!("{}:{}: ", position.line, position.column)).unwrap_or_default();
            return broken_file(format!("{at}{}", error.message()));
        }
    };
    let folder_display = display.rsplit_once('/').map_or(".", |(folder, _)| folder);
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut names = BTreeSet::new();
    let tests = parsed
        .test
        .iter()
        .map(|test| {
            let mut result = run_test(policies, test, (folder_display, folder), display, as_of, coverage);
            if !names.insert(test.name.clone()) {
                result.problems.push(format!("another test in this file is also named \"{}\"", test.name));
                result.status = TestStatus::Broken;
            }
            result
        })
        .collect();
    TestsFileResult { path: display.to_owned(), problem: None, tests }
}

fn run_test(
    policies: &PolicySet,
    test: &TestSpec,
    (folder_display, folder): (&str, &Path),
    file_display: &str,
    default_as_of: Date,
    coverage: &mut Coverage,
) -> TestResult {
    let mut result = TestResult {
        name: test.name.clone(),
        status: TestStatus::Passed,
        mismatches: Vec::new(),
        problems: Vec::new(),
    };
    let input = match (&test.constitution, &test.document) {
        (Some(relative), None) => {
            let mut input = Input::read(&folder.join(relative));
            input.name = join_display(folder_display, relative);
            Some(input)
        }
        (None, Some(document)) => match toml::to_string(document) {
            Ok(text) => Some(Input::from_text(format!("{file_display}#{}", test.name), text)),
            Err(error) => {
                result.problems.push(format!("the inline document cannot be written out: {error}"));
                None
            }
        },
        (Some(_), Some(_)) => {
            result.problems.push("give `constitution` or `[test.document]`, not both".to_owned());
            None
        }
        (None, None) => {
            result.problems.push("name a `constitution` file or write one under `[test.document]`".to_owned());
            None
        }
    };
    let as_of = match &test.as_of {
        None => Some(default_as_of),
        Some(value) => {
            let date = toml_date(value);
            if date.is_none() {
                result.problems.push(format!("`as_of` must be a date such as 2026-04-01, not `{value}`"));
            }
            date
        }
    };
    let known: Vec<String> = policies.rules().into_iter().map(|rule| rule.id).collect();
    let mut expectations = Vec::new();
    for (rule, expected) in &test.expect {
        if !known.contains(rule) {
            let hint = did_you_mean(rule, known.iter().map(String::as_str))
                .map(|hint| format!("; {hint}"))
                .unwrap_or_default();
            result.problems.push(format!("the policy set has no rule `{rule}`{hint}"));
            continue;
        }
        let named = match expected {
            Expected::Outcome(name) => vec![(None, name)],
            Expected::Elements(elements) => {
                elements.iter().map(|(element, name)| (Some(element.clone()), name)).collect()
            }
        };
        for (element, name) in named {
            match name.parse::<OutcomeName>() {
                Ok(OutcomeName(outcome)) => expectations.push((rule.clone(), element, outcome)),
                Err(problem) => result.problems.push(format!("{rule}: {problem}")),
            }
        }
    }
    let (Some(input), Some(as_of)) = (input, as_of) else {
        result.status = TestStatus::Broken;
        return result;
    };
    if !result.problems.is_empty() {
        result.status = TestStatus::Broken;
        return result;
    }
    let report = policies.check_inputs(vec![input], &CheckOptions::as_of(as_of));
    let Some(file) = report.files.first() else {
        result.status = TestStatus::Broken;
        return result;
    };
    if file.status == FileStatus::Error {
        let why = file.diagnostics.first().map_or_else(String::new, |d| format!(": {}", d.message));
        result.problems.push(format!("the constitution `{}` could not be checked{why}", file.path));
        result.status = TestStatus::Broken;
        return result;
    }
    for (rule, element, expected) in expectations {
        let actual = actual_outcome(file, &rule, element.as_deref());
        if let (Some(seen), Some(entry)) = (actual, coverage.rules.get_mut(&rule)) {
            entry.insert(outcome_name(seen));
        }
        if actual != Some(expected) {
            result.mismatches.push(Mismatch {
                finding: finding(file, &rule, element.as_deref()),
                rule,
                element,
                expected: outcome_name(expected),
                actual: actual.map(outcome_name),
            });
        }
    }
    if !result.mismatches.is_empty() {
        result.status = TestStatus::Failed;
    }
    result
}

fn actual_outcome(file: &FileReport, rule: &str, element: Option<&str>) -> Option<Outcome> {
    match element {
        None => file.outcome(rule),
        Some(element) => file.outcome_of(rule, element),
    }
}

/// The message of the finding a rule reported (for the element named), if any.
fn finding(file: &FileReport, rule: &str, element: Option<&str>) -> Option<String> {
    let result = file
        .outcomes
        .iter()
        .find(|result| *result.rule == *rule && (element.is_none() || result.element.as_deref() == element))?;
    file.diagnostics.get(result.diagnostic?).map(|diagnostic| diagnostic.message.clone())
}
