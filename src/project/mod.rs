//! `trustcheck.toml`: the project file found in the working folder or its ancestors,
//! naming the default policy set and where constitutions are.
//!
//! ```toml
//! policies = ["std", "policies/local/"]       # relative to this file's folder
//! constitutions = ["constitutions/**/*.toml"] # what `check` with no PATH checks
//! ```

pub mod discover;
pub mod glob;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use serde::Deserialize;

use crate::diagnostic::BuiltinCode;
use crate::settings::{RuleSetting, SettingSeverity, Settings};

use crate::report::{Diagnostic, FileKind, FileReport, FileStatus, Report, Summary};
use crate::run::Input;
use crate::source::{Origin, SourceMap, Span};

/// The file name searched for.
pub const FILE_NAME: &str = "trustcheck.toml";

/// A parsed `trustcheck.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// Its folder, absolute.
    pub root: PathBuf,
    /// Its folder as shown, relative to the working folder (`.`, `..`, `../..`).
    pub root_display: String,
    /// `policies`, if given: `std` or paths relative to `root`.
    pub policies: Option<Vec<PathBuf>>,
    /// `constitutions`, if given: globs relative to `root`.
    pub constitutions: Option<Vec<glob::Pattern>>,
    /// The council's settings, by rule id, each with the byte range of its table.
    pub settings: Vec<(String, RuleSetting, std::ops::Range<usize>)>,
    /// The project file's text and its path as shown, to place problems with settings.
    pub file: (String, String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    policies: Option<Vec<String>>,
    constitutions: Option<Vec<toml::Spanned<String>>>,
    #[serde(default)]
    rules: BTreeMap<String, toml::Spanned<SettingFile>>,
}

/// A `[rules."<id>"]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingFile {
    severity: SettingSeverity,
    reason: String,
    approved_by: Option<String>,
    approved_on: Option<toml::Spanned<toml::Value>>,
    expires: Option<toml::Spanned<toml::Value>>,
}

/// Why a `trustcheck.toml` could not be used: a one-file report saying so (exit code 2).
#[derive(Clone, Debug)]
pub struct ProjectError {
    /// The file's path as shown.
    pub path: String,
    /// The problem, as a diagnostic into the file's text (when it could be read).
    pub diagnostic: Box<Diagnostic>,
    /// The file's text, when it could be read.
    pub text: Option<String>,
}

impl ProjectError {
    /// A report listing the file with status error, judged at `as_of`.
    pub fn into_report(self, as_of: Date) -> Report {
        let mut sources = SourceMap::new();
        let mut diagnostic = *self.diagnostic;
        if let Some(text) = self.text {
            let file = sources.add(self.path.clone(), text, Origin::Disk);
            if let Some(primary) = &mut diagnostic.primary {
                primary.span.file = file;
            }
        }
        let file = FileReport {
            path: self.path,
            kind: FileKind::Project,
            status: FileStatus::Error,
            summary: Summary { errors: 1, ..Summary::default() },
            diagnostics: vec![diagnostic],
            outcomes: Vec::new(),
            suppressed: Vec::new(),
        };
        Report { as_of, rules: Vec::new(), files: vec![file], sources: Arc::new(sources) }
    }
}

/// Finds `trustcheck.toml` in `cwd` (absolute) or its nearest ancestor, and parses it.
pub fn find(cwd: &Path) -> Result<Option<Project>, ProjectError> {
    for (depth, folder) in cwd.ancestors().enumerate() {
        let candidate = folder.join(FILE_NAME);
        if candidate.is_file() {
            let root_display = if depth == 0 { ".".to_owned() } else { vec![".."; depth].join("/") };
            return load(folder, &root_display).map(Some);
        }
    }
    Ok(None)
}

/// Reads and parses `ROOT/trustcheck.toml`, shown relative to the working folder.
pub fn load(root: &Path, root_display: &str) -> Result<Project, ProjectError> {
    let path = discover::join_display(root_display, FILE_NAME);
    let input = Input::read(&root.join(FILE_NAME));
    let text = match crate::run::decode(input) {
        crate::run::Decoded::Text(_, text) => text,
        crate::run::Decoded::Unreadable(_, mut diagnostic) => {
            diagnostic.message = format!("cannot use `{path}`: {}", diagnostic.message);
            return Err(ProjectError { path, diagnostic, text: None });
        }
    };
    let parsed: ProjectFile = match toml::from_str(&text) {
        Ok(parsed) => parsed,
        Err(error) => {
            let span = error.span().map(|range| Span::new(crate::source::FileId(0), range.start, range.end));
            let message = format!("`{path}` is not a valid project file: {}", error.message().trim_end());
            let diagnostic = Diagnostic::new(BuiltinCode::ConfigInvalid, message, span).with_help(
                "`trustcheck.toml` may hold `policies = [\"std\", \"FOLDER/\"]`, `constitutions = [\"GLOB\"]` and `[rules.\"ID\"]` settings with `severity` and `reason`",
            );
            return Err(ProjectError { path, diagnostic: Box::new(diagnostic), text: Some(text) });
        }
    };
    let mut constitutions = None;
    if let Some(written) = parsed.constitutions {
        let mut patterns = Vec::with_capacity(written.len());
        for spanned in written {
            let range = spanned.span();
            match glob::Pattern::new(spanned.get_ref()) {
                Ok(pattern) => patterns.push(pattern),
                Err(error) => {
                    let span = Span::new(crate::source::FileId(0), range.start, range.end);
                    let diagnostic = Diagnostic::new(BuiltinCode::ConfigInvalid, format!("`{path}`: {error}"), Some(span))
                        .with_help("write a glob such as `constitutions/**/*.toml`: `*` and `?` within a folder name, `**` for any folders, `[abc]` for one of a set");
                    return Err(ProjectError { path, diagnostic: Box::new(diagnostic), text: Some(text) });
                }
            }
        }
        constitutions = Some(patterns);
    }
    let mut settings = Vec::new();
    for (id, spanned) in parsed.rules {
        let range = spanned.span();
        let raw = spanned.into_inner();
        // Anything but a date where a date belongs (a date-time, a time, a date in quotes) is
        // refused at the value itself.
        let date = |value: Option<toml::Spanned<toml::Value>>, key: &str| -> Result<Option<Date>, ProjectError> {
            let Some(value) = value else { return Ok(None) };
            if let Some(date) = value.get_ref().as_datetime().and_then(crate::value::toml_date) {
                return Ok(Some(date));
            }
            let at = value.span();
            let message = format!("`{path}`: `{key}` of `[rules.\"{id}\"]` must be a date such as 2026-04-01");
            let span = Span::new(crate::source::FileId(0), at.start, at.end);
            let diagnostic = Diagnostic::new(BuiltinCode::ConfigInvalid, message, Some(span))
                .with_help(date_help(value.get_ref(), key));
            Err(ProjectError { path: path.clone(), diagnostic: Box::new(diagnostic), text: Some(text.clone()) })
        };
        let setting = RuleSetting {
            severity: raw.severity,
            reason: raw.reason,
            approved_by: raw.approved_by,
            approved_on: date(raw.approved_on, "approved_on")?,
            expires: date(raw.expires, "expires")?,
        };
        settings.push((id, setting, range));
    }
    Ok(Project {
        root: root.to_path_buf(),
        root_display: root_display.to_owned(),
        policies: parsed.policies.map(|entries| entries.into_iter().map(PathBuf::from).collect()),
        constitutions,
        settings,
        file: (path, text),
    })
}

impl Project {
    /// The settings usable with `policies`, or a report of the problems with them, placed in
    /// `trustcheck.toml` (`setting.unknown_rule`, `setting.forbidden`), judged at `as_of`.
    /// A setting that has expired is left out, and reported: the report that comes with the
    /// settings, when there is one, holds `trustcheck.toml` with a `setting.expired` warning
    /// at each.
    pub fn settings_for(
        &self,
        policies: &crate::policy::PolicySet,
        as_of: Date,
    ) -> Result<(Settings, Option<Report>), Report> {
        let rules = policies.rules();
        let ids: Vec<&str> = rules.iter().map(|rule| rule.id.as_str()).collect();
        let mut sources = SourceMap::new();
        let file = sources.add(self.file.0.clone(), self.file.1.clone(), Origin::Disk);
        let mut diagnostics = Vec::new();
        let mut settings = Settings::new();
        let mut expired = Vec::new();
        for (id, setting, range) in &self.settings {
            let status = rules.iter().find(|rule| &rule.id == id).map(|rule| rule.status);
            if let Some(problem) = crate::settings::problem(id, setting, status, &ids) {
                let code =
                    if status.is_none() { BuiltinCode::SettingUnknownRule } else { BuiltinCode::SettingForbidden };
                diagnostics.push(Diagnostic::new(code, problem, Some(Span::new(file, range.start, range.end))));
                continue;
            }
            if !setting.in_force(as_of) {
                let on = setting.expires.map_or_else(String::new, |date| format!(" on {date}"));
                let message = format!(
                    "the setting for `{id}` ({}) expired{on}, so the rule has its own severity again",
                    setting.severity.as_str()
                );
                expired.push(
                    Diagnostic::new(
                        BuiltinCode::SettingExpired,
                        message,
                        Some(Span::new(file, range.start, range.end)),
                    )
                    .with_help("renew the setting with a later `expires` date and a fresh approval, or remove it"),
                );
                continue;
            }
            settings.insert(id.clone(), setting.clone());
        }
        let sources = Arc::new(sources);
        if diagnostics.is_empty() {
            let expired = (!expired.is_empty()).then(|| Report {
                as_of,
                rules: Vec::new(),
                files: vec![FileReport::from_diagnostics(self.file.0.clone(), FileKind::Project, expired)],
                sources,
            });
            return Ok((settings, expired));
        }
        let file_report = FileReport::unchecked(self.file.0.clone(), FileKind::Project, diagnostics);
        Err(Report { as_of, rules: Vec::new(), files: vec![file_report], sources })
    }
}

/// How a project folder is shown: relative to the working folder when it is inside it or
/// above it, else as it is.
pub fn root_display(cwd: &Path, root: &Path) -> String {
    if let Ok(inside) = root.strip_prefix(cwd) {
        let inside = crate::run::display_path(inside);
        return if inside.is_empty() { ".".to_owned() } else { inside };
    }
    match cwd.strip_prefix(root) {
        Ok(below) => vec![".."; below.components().count()].join("/"),
        Err(_) => crate::run::display_path(root),
    }
}

/// The folder of the nearest `trustcheck.toml` in `folder` or above it.
pub fn nearest_root(folder: &Path) -> Option<PathBuf> {
    folder.ancestors().find(|folder| folder.join(FILE_NAME).is_file()).map(Path::to_path_buf)
}

/// How to write a setting's date that is not one: without its time, without quotes, or as
/// year-month-day when it is written in English.
fn date_help(value: &toml::Value, key: &str) -> String {
    let example = || format!("write a date, for example `{key} = 2026-04-01`");
    match value {
        toml::Value::Datetime(datetime) => match &datetime.date {
            Some(day) => format!("write the date alone, without a time: `{key} = {day}`"),
            None => example(),
        },
        toml::Value::String(text) => crate::english_dates::quoted(text, |date| format!("{key} = {date}"))
            .map_or_else(example, |quoted| quoted.help),
        _ => example(),
    }
}
