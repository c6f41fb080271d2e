//! The `github` output format: GitHub Actions workflow commands, one per finding.
//!
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::MESSAGE`, with
//! `::warning` for warnings and `::notice` for notes. Columns count Unicode scalar values
//! and `endColumn` is end-exclusive, as in the JSON format. The message escapes `%`, CR and
//! LF; property values also escape `:` and `,`, as GitHub's `@actions/core` toolkit does.
//! Passed and not-applicable outcomes are never listed; the command line prints the
//! `as_of` date on stderr.

use super::common::{diagnostic_path, is_listed, locate};
use super::{FileReport, Report, Severity};
use crate::sanitize;
use crate::source::SourceMap;

/// Renders every finding of the report as a workflow command, one per line.
pub fn render(report: &Report) -> String {
    report.files.iter().map(|file| render_file(&report.sources, file)).collect()
}

/// One file's workflow commands; `sources` hold the files its spans point into.
pub fn render_file(sources: &SourceMap, file: &FileReport) -> String {
    let mut out = String::new();
    for diagnostic in file.diagnostics.iter().filter(|d| is_listed(d, false)) {
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let located = diagnostic.span().and_then(|span| locate(sources, span));
        let path = located.map_or_else(|| diagnostic_path(sources, file, diagnostic), |at| at.path);
        let mut properties = vec![format!("file={}", escape_property(&sanitize::line(path)))];
        if let Some(at) = located {
            properties.push(format!("line={}", at.start.line));
            properties.push(format!("col={}", at.start.column));
            properties.push(format!("endLine={}", at.end.line));
            properties.push(format!("endColumn={}", at.end.column));
        }
        properties.push(format!("title={}", escape_property(&sanitize::line(diagnostic.code.as_str()))));
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&sanitize::text(&annotation(diagnostic)))
        ));
    }
    out
}

/// Escapes a command's message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value: as [`escape_data`], plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The annotation's text: the message, then the fix, the waiver or council setting that
/// applied and the provision, each on its own line, as an officer reads them in a pull request.
fn annotation(diagnostic: &super::Diagnostic) -> String {
    let mut lines = vec![diagnostic.message.clone()];
    lines.extend(diagnostic.help.as_ref().map(|help| format!("help: {help}")));
    lines.extend(diagnostic.waiver.as_ref().map(|waiver| format!("waived: {}", super::common::waiver_line(waiver))));
    lines.extend(diagnostic.setting.as_ref().map(|setting| setting.description.clone()));
    lines.extend(
        diagnostic.citation.as_ref().map(|citation| format!("see: {}", super::common::citation_line(citation))),
    );
    lines.join("\n")
}
