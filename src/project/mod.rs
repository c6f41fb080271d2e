//! `trustcheck.toml`: the project file found in the working folder or its ancestors,
//! naming the default policy set and where constitutions are.
//!
//! ```toml
//! policies = ["std", "policies/local/"]       # relative to this file's folder
//! constitutions = ["constitutions/**/*.toml"] # what `check` with no PATH checks
//! ```

pub mod discover;
mod file;
pub mod glob;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use crate::diagnostic::BuiltinCode;
use crate::settings::{RuleSetting, Settings};

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

/// Why a `trustcheck.toml` could not be used: a one-file report saying so (exit code 2).
#[derive(Clone, Debug)]
pub struct ProjectError {
    /// The file's path as shown.
    pub path: String,
    /// The problems, as diagnostics into the file's text (when it could be read), in the
    /// order they stand.
    pub diagnostics: Vec<Diagnostic>,
    /// The file's text, when it could be read.
    pub text: Option<String>,
    /// The project as far as it reads, when the policy set it means is known (see
    /// [`ProjectError::with_settings_checked`]).
    pub readable: Option<Box<Project>>,
}

impl ProjectError {
    /// Adds the problems of the settings that did read against `policies` (the set
    /// [`ProjectError::readable`]'s `policies`, or `--policy`, names): a setting for a rule
    /// the set does not have, or one the rule's status forbids. So an officer hears of them
    /// in the same run as the file's other mistakes, not in the next. Nothing is added when
    /// the set meant is not known, or it has errors of its own.
    pub fn with_settings_checked(mut self, policies: &crate::policy::PolicySet, as_of: Date) -> ProjectError {
        let Some(readable) = &self.readable else { return self };
        if !policies.is_valid() {
            return self;
        }
        if let Err(report) = readable.settings_for(policies, as_of) {
            // Both place their problems in file 0, the project file.
            self.diagnostics.extend(report.files.into_iter().flat_map(|file| file.diagnostics));
            file::sort_in_place(&mut self.diagnostics);
        }
        self
    }

    /// A report listing the file with status error, judged at `as_of`.
    pub fn into_report(self, as_of: Date) -> Report {
        let mut sources = SourceMap::new();
        let mut diagnostics = self.diagnostics;
        if let Some(text) = self.text {
            let file = sources.add(self.path.clone(), text, Origin::Disk);
            for primary in diagnostics.iter_mut().filter_map(|diagnostic| diagnostic.primary.as_mut()) {
                primary.span.file = file;
            }
        }
        let file = FileReport {
            path: self.path,
            kind: FileKind::Project,
            status: FileStatus::Error,
            summary: Summary { errors: diagnostics.len(), ..Summary::default() },
            diagnostics,
            outcomes: Vec::new(),
            suppressed: Vec::new(),
        };
        Report { as_of, rules: Vec::new(), files: vec![file], sources: Arc::new(sources) }
    }
}

/// Finds `trustcheck.toml` in `cwd` (absolute) or its nearest ancestor, and parses it.
pub fn find(cwd: &Path) -> Result<Option<Project>, ProjectError> {
    find_typed(cwd, &|_| None)
}

/// Finds `trustcheck.toml` in `cwd` (absolute) or its nearest ancestor, as [`find`] does,
/// except that a project file for which `typed` gives a text (an editor's unsaved buffer,
/// asked for by its path) is read from that text, not from the disk.
pub fn find_typed(cwd: &Path, typed: &dyn Fn(&Path) -> Option<String>) -> Result<Option<Project>, ProjectError> {
    for (depth, folder) in cwd.ancestors().enumerate() {
        let candidate = folder.join(FILE_NAME);
        let root_display = || if depth == 0 { ".".to_owned() } else { vec![".."; depth].join("/") };
        if let Some(text) = typed(&candidate) {
            return Project::from_text(folder, &root_display(), text).map(Some);
        }
        if candidate.is_file() {
            return load(folder, &root_display()).map(Some);
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
            return Err(ProjectError { path, diagnostics: vec![*diagnostic], text: None, readable: None });
        }
    };
    Project::from_text(root, root_display, text)
}

impl Project {
    /// The project whose `trustcheck.toml`, in `root` (shown as `root_display`), holds
    /// `text`; or every problem found in it.
    pub fn from_text(root: &Path, root_display: &str, text: String) -> Result<Project, ProjectError> {
        let path = discover::join_display(root_display, FILE_NAME);
        let project = |written: file::Written, path: String, text: String| Project {
            root: root.to_path_buf(),
            root_display: root_display.to_owned(),
            policies: written.policies.map(|entries| entries.into_iter().map(PathBuf::from).collect()),
            constitutions: written.constitutions,
            settings: written.settings,
            file: (path, text),
        };
        match file::read(&text, &path) {
            Ok(written) => Ok(project(written, path, text)),
            Err(file::Mistaken { problems, readable }) => {
                let readable = readable.map(|written| Box::new(project(written, path.clone(), text.clone())));
                Err(ProjectError { path, diagnostics: problems, text: Some(text), readable })
            }
        }
    }
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
