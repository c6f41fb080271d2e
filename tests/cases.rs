//! One test per file of `tests/cases/`: each file's header comment says what the standard
//! library must find in it, and a last test checks that every rule of the library is seen
//! both to pass and to fail (or be undetermined) across these cases and `examples/`.
//!
//! Header lines (at the top of the file, before any TOML):
//! - `# as_of: YYYY-MM-DD` (default 2026-11-23)
//! - `# expect: RULE = OUTCOME`: every outcome of RULE in the file is OUTCOME
//! - `# expect: RULE[ELEMENT] = OUTCOME`: the outcome for the element with that `name`
//! - `# expect-code: CODE`: a diagnostic with that code is reported
//! - `# expect-status: error`: the file cannot be checked
//! - `# expect-citation: RULE = TEXT`: the diagnostic of RULE cites TEXT
//! - `# expect-at: RULE = LINE`: the finding of RULE points at that line of the file (1-based)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test fails loudly on a broken fixture"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use trustcheck::report::{FileStatus, Outcome};
use trustcheck::{CheckOptions, Input, PolicySet};

#[derive(Default)]
struct Expectations {
    as_of: Option<String>,
    outcomes: Vec<(String, Option<String>, String)>,
    codes: Vec<String>,
    citations: Vec<(String, String)>,
    at_lines: Vec<(String, u32)>,
    status_error: bool,
}

fn parse_header(text: &str) -> Result<Expectations, String> {
    let mut expectations = Expectations::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for line in text.lines().take_while(|line| line.starts_with('#') || line.trim().is_empty()) {
        let line = line.trim_start_matches('#').trim();
        if let Some(date) = line.strip_prefix("as_of:") {
            expectations.as_of = Some(date.trim().to_owned());
        } else if let Some(code) = line.strip_prefix("expect-code:") {
            expectations.codes.push(code.trim().to_owned());
        } else if let Some(citation) = line.strip_prefix("expect-citation:") {
            let (rule, text) = citation.split_once('=').ok_or_else(|| format!("bad expect-citation line: {line}"))?;
            expectations.citations.push((rule.trim().to_owned(), text.trim().to_owned()));
        } else if let Some(at) = line.strip_prefix("expect-at:") {
            let (rule, at_line) = at.split_once('=').ok_or_else(|| format!("bad expect-at line: {line}"))?;
            let at_line = at_line.trim().parse().map_err(|_| format!("bad line number in: {line}"))?;
            expectations.at_lines.push((rule.trim().to_owned(), at_line));
        } else if let Some(status) = line.strip_prefix("expect-status:") {
            expectations.status_error = status.trim() == "error";
        } else if let Some(expect) = line.strip_prefix("expect:") {
            let (target, outcome) = expect.split_once('=').ok_or_else(|| format!("bad expect line: {line}"))?;
            let target = target.trim();
            let (rule, element) = match target.split_once('[') {
                Some((rule, rest)) => (rule.to_owned(), Some(rest.trim_end_matches(']').to_owned())),
                None => (target.to_owned(), None),
            };
            expectations.outcomes.push((rule, element, outcome.trim().to_owned()));
        }
    }
    Ok(expectations)
}

fn outcome_name(outcome: Outcome) -> &'static str {
    outcome.as_str()
}

/// One outcome seen: the rule id, the element's name (for per-element rules), the outcome.
type Seen = (String, Option<String>, Outcome);

/// Every (rule, element name, outcome) of one constitution, or `None` when it cannot be loaded.
fn outcomes(set: &PolicySet, path: &Path, as_of: &str) -> Result<Option<Vec<Seen>>, String> {
    let options = CheckOptions::as_of(as_of.parse().map_err(|e| format!("{e}"))?);
    let report = set.check_inputs(vec![Input::read(path)], &options);
    let file = report.files.first().ok_or("no file in the report")?;
    if file.status == FileStatus::Error {
        return Ok(None);
    }
    Ok(Some(
        file.outcomes.iter().map(|result| (result.rule.to_string(), result.element.clone(), result.outcome)).collect(),
    ))
}

fn run_case(set: &PolicySet, path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let expectations = parse_header(&text)?;
    if expectations.outcomes.is_empty() && expectations.codes.is_empty() && !expectations.status_error {
        return Err("the header states no expectation".into());
    }
    let as_of = expectations.as_of.clone().unwrap_or_else(|| "2026-11-23".to_owned());
    let options = CheckOptions::as_of(as_of.parse().map_err(|e| format!("{e}"))?);
    let report = set.check_inputs(vec![Input::read(path)], &options);
    let file = &report.files[0];
    let mut problems = Vec::new();
    if expectations.status_error != (file.status == FileStatus::Error) {
        problems.push(format!("status is {:?}", file.status));
    }
    for code in &expectations.codes {
        if !file.diagnostics.iter().any(|d| &d.code == code) {
            problems.push(format!("no `{code}` diagnostic"));
        }
    }
    for (rule, text) in &expectations.citations {
        let cited: Vec<&str> = file
            .diagnostics
            .iter()
            .filter(|d| &d.code == rule)
            .filter_map(|d| d.citation.as_ref().map(|c| c.text.as_str()))
            .collect();
        if !cited.contains(&text.as_str()) {
            problems.push(format!("{rule} cites {cited:?}, not `{text}`"));
        }
    }
    for (rule, want) in &expectations.at_lines {
        let lines: Vec<u32> = file
            .diagnostics
            .iter()
            .filter(|d| &d.code == rule)
            .filter_map(|d| d.span())
            .filter_map(|span| report.sources.range(span))
            .map(|(start, _)| start.line)
            .collect();
        if !lines.contains(want) {
            problems.push(format!("{rule} points at line(s) {lines:?}, not line {want}"));
        }
    }
    let found = outcomes(set, path, &as_of)?.unwrap_or_default();
    for (rule, element, want) in &expectations.outcomes {
        let got: Vec<&str> = found
            .iter()
            .filter(|(id, name, _)| id == rule && (element.is_none() || name.as_ref() == element.as_ref()))
            .map(|(_, _, outcome)| outcome_name(*outcome))
            .collect();
        if got.is_empty() {
            problems
                .push(format!("{rule}{}: no outcome", element.as_ref().map(|e| format!("[{e}]")).unwrap_or_default()));
        } else if got.iter().any(|outcome| outcome != want) {
            problems.push(format!(
                "{rule}{}: expected {want}, got {}",
                element.as_ref().map(|e| format!("[{e}]")).unwrap_or_default(),
                got.join(", ")
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let rendered: Vec<String> =
            file.diagnostics.iter().map(|d| format!("  {} {}: {}", d.severity.as_str(), d.code, d.message)).collect();
        Err(format!("{}\nreported:\n{}", problems.join("\n"), rendered.join("\n")).into())
    }
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn rule_coverage(set: &PolicySet, files: &[PathBuf]) -> Result<(), Failed> {
    let mut seen: BTreeMap<String, BTreeSet<Outcome>> = BTreeMap::new();
    for path in files {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let as_of = parse_header(&text)?.as_of.unwrap_or_else(|| "2026-11-23".to_owned());
        for (rule, _, outcome) in outcomes(set, path, &as_of)?.unwrap_or_default() {
            seen.entry(rule).or_default().insert(outcome);
        }
    }
    let mut missing = Vec::new();
    for rule in set.rules() {
        let outcomes = seen.get(&rule.id).cloned().unwrap_or_default();
        if !outcomes.contains(&Outcome::Pass) {
            missing.push(format!("{} never passes", rule.id));
        }
        if !outcomes.contains(&Outcome::Fail) && !outcomes.contains(&Outcome::Undetermined) {
            missing.push(format!("{} never fails", rule.id));
        }
    }
    if missing.is_empty() { Ok(()) } else { Err(missing.join("\n").into()) }
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let set = std::sync::Arc::new(PolicySet::standard());
    let cases = toml_files(&root.join("tests/cases"));
    let mut trials: Vec<Trial> = cases
        .iter()
        .map(|path| {
            let set = std::sync::Arc::clone(&set);
            let path = path.clone();
            let name = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
            Trial::test(name, move || run_case(&set, &path))
        })
        .collect();
    let mut all = cases.clone();
    all.extend(toml_files(&root.join("examples")));
    let coverage_set = std::sync::Arc::clone(&set);
    trials.push(Trial::test("rule_coverage", move || rule_coverage(&coverage_set, &all)));
    libtest_mimic::run(&args, trials).exit();
}
