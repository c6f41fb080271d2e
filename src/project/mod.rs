//! `trustcheck.toml`: the project file found in the working folder or its ancestors,
//! naming the default policy set and where constitutions are.
//!
//! ```toml
//! policies = ["std", "policies/local/"]       # relative to this file's folder
//! constitutions = ["constitutions/**/*.toml"] # what `check` with no PATH checks
//! ```

pub mod discover;
pub mod glob;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use serde::Deserialize;

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
    pub constitutions: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    policies: Option<Vec<String>>,
    constitutions: Option<Vec<String>>,
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
            kind: FileKind::Policy,
            status: FileStatus::Error,
            summary: Summary { errors: 1, ..Summary::default() },
            diagnostics: vec![diagnostic],
            outcomes: Vec::new(),
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
            let diagnostic = Diagnostic::error("config.invalid", message, span).with_help(
                "`trustcheck.toml` may hold `policies = [\"std\", \"FOLDER/\"]` and `constitutions = [\"GLOB\"]`",
            );
            return Err(ProjectError { path, diagnostic: Box::new(diagnostic), text: Some(text) });
        }
    };
    Ok(Project {
        root: root.to_path_buf(),
        root_display: root_display.to_owned(),
        policies: parsed.policies.map(|entries| entries.into_iter().map(PathBuf::from).collect()),
        constitutions: parsed.constitutions,
    })
}
