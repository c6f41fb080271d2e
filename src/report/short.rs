//! The `short` output format: one line per finding, for editors' quickfix lists.
//!
//! `PATH:LINE:COL: SEVERITY[CODE]: MESSAGE`, with 1-based lines and columns counted in
//! Unicode scalar values; a diagnostic without a span reads `PATH: SEVERITY[CODE]: MESSAGE`.
//! A waiver or council setting that applied follows the message in brackets, with its
//! reason. Line breaks in messages are flattened to spaces. Passed and not-applicable
//! outcomes are never listed. The `as_of` date is not part of this output: the command line
//! prints it on stderr.

use super::common::{diagnostic_path, flatten, is_listed, locate, waiver_line};
use super::{FileReport, Report};
use crate::sanitize;
use crate::source::SourceMap;

/// Renders every finding of the report, one per line, each ending in a newline.
pub fn render(report: &Report) -> String {
    report.files.iter().map(|file| render_file(&report.sources, file)).collect()
}

/// One file's lines; `sources` hold the files its spans point into.
pub fn render_file(sources: &SourceMap, file: &FileReport) -> String {
    let mut out = String::new();
    for diagnostic in file.diagnostics.iter().filter(|d| is_listed(d, false)) {
        let severity = diagnostic.severity.as_str();
        let code = &diagnostic.code;
        let mut message = sanitize::line(&flatten(&diagnostic.message)).into_owned();
        if let Some(waiver) = &diagnostic.waiver {
            message = format!("{message} (waiver: {})", sanitize::line(&waiver_line(waiver)));
        }
        if let Some(setting) = &diagnostic.setting {
            message = format!("{message} ({})", sanitize::line(&setting.description));
        }
        match diagnostic.span().and_then(|span| locate(sources, span)) {
            Some(at) => {
                let (line, column) = (at.start.line, at.start.column);
                out.push_str(&format!("{}:{line}:{column}: {severity}[{code}]: {message}\n", sanitize::line(at.path)));
            }
            None => {
                let path = sanitize::line(diagnostic_path(sources, file, diagnostic));
                out.push_str(&format!("{path}: {severity}[{code}]: {message}\n"));
            }
        }
    }
    out
}
