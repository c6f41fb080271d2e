//! The `sarif` output format: SARIF 2.1.0 for GitHub code scanning and other viewers.
//!
//! One run whose `tool.driver.rules` lists every rule of the policy set; one result per
//! finding, with columns in Unicode code points (`columnKind: "unicodeCodePoints"`) and
//! paths relative to `%SRCROOT%`. Secondary labels become `relatedLocations`. As
//! `outcomes.md` fixes, a waived outcome, and a finding of a rule a council setting turns
//! `off`, is a result with an `external` suppression whose justification is the reason; the
//! suppression's `location` points at the waiver, and its `properties` name who approved it,
//! when, and the setting's line.
//! The `as_of` date is `runs[0].properties.as_of`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
use serde::Serialize;

use super::common::{citation_line, diagnostic_path, is_listed, locate};
use super::framed::{Framed, Layout};
use super::{Diagnostic, FileReport, Outcome, Report, RuleInfo, Severity};
use crate::source::{SourceMap, Span};

/// The `$schema` of the output.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base id that relative artifact paths are resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

/// Renders the report as a SARIF log, leaving `%SRCROOT%` undefined (byte-stable; viewers
/// resolve it to the checkout they show).
pub fn render(report: &Report) -> String {
    render_with_srcroot(report, None)
}

/// Renders the report as a SARIF log whose `%SRCROOT%` is `srcroot`, an absolute `file:`
/// URI ending in `/` (see [`folder_uri`]). Each file's results are made on their own, on
/// every core when there are several (one file does not start the thread pool), and written
/// in order, as a streamed report writes them.
pub fn render_with_srcroot(report: &Report, srcroot: Option<&str>) -> String {
    let of_file = |file: &FileReport| render_file(&report.sources, &report.rules, file);
    let per_file: Vec<Vec<u8>> = if report.files.len() < 2 {
        report.files.iter().map(of_file).collect()
    } else {
        report.files.par_iter().map(of_file).collect()
    };
    let mut document = document(&report.rules, srcroot, report.as_of);
    for results in &per_file {
        document.push(results);
    }
    String::from_utf8(document.end()).unwrap_or_default()
}

/// One file's results, rendered on their own for [`Framed::push`]: each as it stands in
/// the whole log (indented to its depth), separated by commas; empty when the file has none.
/// `sources` hold the files its spans point into; `rules` are the log's rules, which results
/// name by index.
pub fn render_file(sources: &SourceMap, rules: &[RuleInfo], file: &FileReport) -> Vec<u8> {
    let listed = file.diagnostics.iter().filter(|d| is_listed(d, false));
    let mut out = Vec::new();
    for (index, d) in listed.chain(&file.suppressed).enumerate() {
        if index > 0 {
            out.extend_from_slice(RESULTS.between);
        }
        let rendered = serde_json::to_vec_pretty(&result(sources, rules, file, d)).unwrap_or_default();
        // A line break stands only between tokens (one inside a string is written `\n`),
        // so every line of the result is indented to the depth of `results`.
        for (line, text) in rendered.split(|byte| *byte == b'\n').enumerate() {
            if line > 0 {
                out.push(b'\n');
                out.extend_from_slice(RESULT_INDENT);
            }
            out.extend_from_slice(text);
        }
    }
    out
}

/// The indentation of an entry of `runs[0].results` (four levels of two spaces).
const RESULT_INDENT: &[u8] = b"        ";
/// How results stand in `runs[0].results`.
const RESULTS: Layout = Layout { first: b"\n        ", between: b",\n        ", after: b"\n      ]", none: b"]" };
/// The empty `results` array as the log without results prints it; the results go inside.
const EMPTY_RESULTS: &str = "\n      \"results\": []";

/// The SARIF log written piece by piece (see [`Framed`]): its head (with every rule), each
/// file's results as they are ready (in order), and its end; the bytes are those `serde_json`
/// prints for the whole log. `rules` are every rule of the run, in the order results name them
/// by index, and `%SRCROOT%` is as in [`render_with_srcroot`].
pub fn document(rules: &[RuleInfo], srcroot: Option<&str>, as_of: jiff::civil::Date) -> Framed {
    let log = log(rules, srcroot, as_of, Vec::new());
    let mut text = serde_json::to_vec_pretty(&log).unwrap_or_default();
    text.push(b'\n');
    // A line break cannot stand inside a string, so the empty array at its depth is found
    // only where `results` is: the head ends with its `[`, the tail starts after its `]`.
    let split = text
        .windows(EMPTY_RESULTS.len())
        .position(|window| window == EMPTY_RESULTS.as_bytes())
        .map_or(text.len(), |at| at + EMPTY_RESULTS.len() - 1);
    let tail = text.split_off(split.min(text.len())).get(1..).map(<[u8]>::to_vec).unwrap_or_default();
    Framed::new(text, RESULTS, tail)
}

/// The whole log, with `results`.
fn log(rules: &[RuleInfo], srcroot: Option<&str>, as_of: jiff::civil::Date, results: Vec<SarifResult>) -> Log {
    let base = match srcroot {
        Some(uri) => BaseUri { uri: Some(uri.to_owned()), description: None },
        None => BaseUri { uri: None, description: Some(Text { text: "the folder trustcheck was run in".into() }) },
    };
    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "trustcheck",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: rules.iter().map(rule).collect(),
                },
            },
            original_uri_base_ids: OriginalUriBaseIds { srcroot: base },
            column_kind: "unicodeCodePoints",
            results,
            properties: RunProperties { as_of: as_of.to_string() },
        }],
    }
}

/// The `file:` URI of an absolute folder, ending in `/` (for `%SRCROOT%`).
pub fn folder_uri(path: &std::path::Path) -> String {
    let mut text = crate::source::display_path(path);
    if !text.starts_with('/') {
        text.insert(0, '/');
    }
    if !text.ends_with('/') {
        text.push('/');
    }
    format!("file://{}", percent_encode(&text, true))
}

fn rule(info: &RuleInfo) -> Rule {
    let help = (!info.citations.is_empty())
        .then(|| Text { text: info.citations.iter().map(citation_line).collect::<Vec<_>>().join("\n") });
    Rule {
        id: info.id.clone(),
        name: info.title.clone(),
        short_description: Text { text: info.title.clone() },
        full_description: info.doc.as_ref().map(|doc| Text { text: doc.clone() }),
        help_uri: info.citations.iter().find_map(|citation| citation.url.clone()),
        help,
        default_configuration: Configuration { level: level(info.severity) },
        properties: RuleProperties { status: info.status.as_str() },
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn result(sources: &SourceMap, rules: &[RuleInfo], file: &FileReport, d: &Diagnostic) -> SarifResult {
    let path = diagnostic_path(sources, file, d);
    let location = match d.span() {
        Some(span) => physical(sources, span),
        None => Some(Physical { artifact_location: artifact(path), region: None }),
    };
    let related = d.labels.iter().filter_map(|label| Some((physical(sources, label.span)?, label)));
    let suppressions = match (&d.outcome, &d.waiver) {
        (Some(Outcome::Waived), Some(waiver)) => vec![Suppression {
            kind: "external",
            status: "accepted",
            justification: waiver.reason.clone(),
            location: physical(sources, waiver.span).map(|physical| Location::new(physical, None, None)),
            properties: SuppressionProperties {
                approved_by: Some(waiver.approved_by.clone()),
                approved_on: waiver.approved_on.map(|date| date.to_string()),
                setting: None,
            },
        }],
        _ if file.suppressed.contains(d) => vec![Suppression {
            kind: "external",
            status: "accepted",
            justification: d.setting.as_ref().map(|setting| setting.reason.clone()).unwrap_or_default(),
            location: None,
            properties: SuppressionProperties {
                setting: d.setting.as_ref().map(|setting| setting.description.clone()),
                ..SuppressionProperties::default()
            },
        }],
        _ => Vec::new(),
    };
    SarifResult {
        rule_id: d.code.to_string(),
        rule_index: rules.iter().position(|rule| d.code == rule.id),
        level: level(d.severity),
        message: Text { text: d.message.clone() },
        locations: location.map(|physical| Location::new(physical, None, None)).into_iter().collect(),
        related_locations: related
            .enumerate()
            .map(|(index, (physical, label))| {
                Location::new(physical, Some(index + 1), label.message.clone().map(|text| Text { text }))
            })
            .collect(),
        suppressions,
        properties: d.setting.as_ref().map(|setting| ResultProperties { setting: setting.description.clone() }),
    }
}

fn physical(sources: &SourceMap, span: Span) -> Option<Physical> {
    let at = locate(sources, span)?;
    let text = sources.get(span.file).map_or("", |file| file.text());
    let chars = |offset: u32| {
        let prefix = text.get(..offset as usize).unwrap_or("");
        prefix.strip_prefix('\u{feff}').unwrap_or(prefix).chars().count()
    };
    let char_offset = chars(span.start);
    Some(Physical {
        artifact_location: artifact(at.path),
        region: Some(Region {
            start_line: at.start.line,
            start_column: at.start.column,
            end_line: at.end.line,
            end_column: at.end.column,
            char_offset,
            char_length: chars(span.end).saturating_sub(char_offset),
        }),
    })
}

fn artifact(path: &str) -> ArtifactLocation {
    let is_absolute = path.starts_with('/') || path.as_bytes().get(1) == Some(&b':');
    if is_absolute {
        let rooted = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
        return ArtifactLocation { uri: format!("file://{}", percent_encode(&rooted, true)), uri_base_id: None };
    }
    let relative = path.strip_prefix("./").unwrap_or(path);
    ArtifactLocation { uri: percent_encode(relative, false), uri_base_id: Some(SRCROOT) }
}

/// What a SARIF URI leaves unencoded: unreserved characters and `/`.
const PATH_ENCODE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'/');

/// The same, keeping `:` too (for a drive letter in an absolute path).
const ABSOLUTE_PATH_ENCODE: &AsciiSet = &PATH_ENCODE.remove(b':');

/// Percent-encodes everything but unreserved characters and `/` (and `:` in absolute
/// paths, for drive letters; in a relative reference it would read as a scheme).
fn percent_encode(path: &str, keep_colon: bool) -> String {
    let set = if keep_colon { ABSOLUTE_PATH_ENCODE } else { PATH_ENCODE };
    utf8_percent_encode(path, set).to_string()
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: OriginalUriBaseIds,
    column_kind: &'static str,
    results: Vec<SarifResult>,
    properties: RunProperties,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct OriginalUriBaseIds {
    #[serde(rename = "%SRCROOT%")]
    srcroot: BaseUri,
}

#[derive(Serialize)]
struct BaseUri {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Text>,
}

#[derive(Serialize)]
struct RunProperties {
    as_of: String,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Text>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

/// A rule's own properties: its status (`law`, `guidance`, `local_policy`).
#[derive(Serialize)]
struct RuleProperties {
    status: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties>,
}

/// What SARIF has no place for: the council setting that changed a result's level.
#[derive(Serialize)]
struct ResultProperties {
    setting: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: Physical,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

impl Location {
    fn new(physical_location: Physical, id: Option<usize>, message: Option<Text>) -> Self {
        Location { id, physical_location, message }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    char_offset: usize,
    char_length: usize,
}

/// A result's suppression: `kind` is always `external` (a waiver or a council setting, which
/// `outcomes.md` fixes), `status` `accepted` (only one that applies is recorded), and the
/// justification is the reason alone; who approved it, and the setting's line, are properties.
#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
    properties: SuppressionProperties,
}

/// What a suppression records beyond its reason.
#[derive(Serialize, Default)]
struct SuppressionProperties {
    /// Who approved the waiver.
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_by: Option<String>,
    /// When, as `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_on: Option<String>,
    /// The council setting in one line, for a rule it turns off.
    #[serde(skip_serializing_if = "Option::is_none")]
    setting: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{CheckOptions, Input};

    /// The log as `serde_json` prints it whole, results and all: what the pieces must make.
    fn whole(report: &Report, srcroot: Option<&str>) -> String {
        let results = report
            .files
            .iter()
            .flat_map(|file| {
                let listed = file.diagnostics.iter().filter(|d| is_listed(d, false));
                listed
                    .chain(&file.suppressed)
                    .map(|d| result(&report.sources, &report.rules, file, d))
                    .collect::<Vec<_>>()
            })
            .collect();
        let log = log(&report.rules, srcroot, report.as_of, results);
        format!("{}\n", serde_json::to_string_pretty(&log).unwrap_or_default())
    }

    #[test]
    fn the_log_written_piece_by_piece_is_the_log_serde_json_prints_whole() {
        let policies = crate::PolicySet::standard();
        let options = CheckOptions::as_of(jiff::civil::date(2026, 11, 23));
        let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
        let text = |name: &str| std::fs::read_to_string(format!("{examples}/{name}")).unwrap_or_default();
        let inputs = |names: &[&str]| names.iter().map(|name| Input::from_text(*name, text(name))).collect();
        // Files with findings and a waiver, one that cannot be parsed, and one with none at all.
        let several = policies.check_inputs(
            inputs(&["defective_proposal.toml", "birmingham_mutual_option.toml", "slough_children_first.toml"]),
            &options,
        );
        let with_broken = policies.check_inputs(vec![Input::from_text("broken.toml", "[trust\nname = ")], &options);
        let nothing = policies.check_inputs(Vec::<Input>::new(), &options);
        assert!(several.files.iter().any(|file| !file.diagnostics.is_empty()));
        for report in [&several, &with_broken, &nothing] {
            for srcroot in [None, Some("file:///home/ci/work/")] {
                assert_eq!(render_with_srcroot(report, srcroot), whole(report, srcroot));
            }
        }
        assert!(render(&nothing).contains("\"results\": [],"), "no file: an empty array");
    }
}
