//! The server's state: the open documents (text, version, kind), the workspace on disk, the
//! policy set built from both, the options checks run with, and what still needs checking.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use lsp_types::{Location, Position, Range, Uri};

use crate::embedded::STANDARD_LIBRARY;
use crate::policy::{PolicySet, PolicySource};
use crate::report::RuleInfo;
use crate::run::{CheckOptions, Input, display_path};
use crate::source::{Origin, SourceFile, SourceMap, Span};

use super::uri;
use super::workspace::{PolicyEntry, Workspace};

/// What an open document is, for the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// A constitution: checked against the policy set.
    Constitution,
    /// A policy file: part of the policy set, with its open text overlaid.
    Policy,
    /// A `trustcheck.toml` where the workspace looks for its project file (the root or a
    /// folder above it): read as typed, its problems published with the policy set's.
    Project,
    /// Anything else (other TOML files): left alone.
    Other,
}

/// An open document.
#[derive(Debug)]
pub struct Document {
    /// The URI as the client sent it (diagnostics are published under it).
    pub uri: Uri,
    /// The name used in checks: the absolute path with `/` separators, or the URI for a
    /// document that is not a file.
    pub name: String,
    /// The path of a `file:` document.
    pub path: Option<PathBuf>,
    /// The client's language id (`toml`, `trustcheck-policy`, …).
    pub language: String,
    /// The version the client gave with the latest text.
    pub version: i32,
    /// Constitution, policy file or other.
    pub kind: DocumentKind,
    /// The text, with its line index for position conversions.
    pub source: Arc<SourceFile>,
}

impl Document {
    /// A document from what `didOpen` says.
    pub fn new(uri: Uri, language: String, version: i32, text: String) -> Document {
        let path = uri::to_path(&uri).map(|path| uri::normalize(&path));
        let name = path.as_deref().map_or_else(|| uri.as_str().to_owned(), display_path);
        let source = Arc::new(SourceFile::new(name.clone(), text, Origin::Disk));
        Document { uri, name, path, language, version, kind: DocumentKind::Other, source }
    }

    /// The text.
    pub fn text(&self) -> &str {
        self.source.text()
    }

    /// Replaces the text.
    pub fn set_text(&mut self, text: String) {
        self.source = Arc::new(SourceFile::new(self.name.clone(), text, Origin::Disk));
    }

    /// The byte offset of a protocol position (clamped into the text).
    pub fn offset(&self, position: Position) -> usize {
        self.source.offset_of_utf16(position.line, position.character) as usize
    }

    /// The protocol range of a byte range of the text.
    pub fn range(&self, start: usize, end: usize) -> Range {
        range_in(&self.source, Span::new(crate::source::FileId(0), start, end))
    }

    /// The file extension of the document's name, lowercased.
    fn extension(&self) -> Option<String> {
        let name = self.name.rsplit('/').next().unwrap_or(&self.name);
        name.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase())
    }

    /// The file name (last segment of the name).
    pub fn file_name(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }
}

/// The protocol range of a span in a file.
pub fn range_in(file: &SourceFile, span: Span) -> Range {
    let (start_line, start_column) = file.utf16_position(span.start);
    let (end_line, end_column) = file.utf16_position(span.end);
    Range::new(Position::new(start_line, start_column), Position::new(end_line, end_column))
}

/// Documents and policy files waiting for their diagnostics to be published.
#[derive(Debug, Default)]
pub struct Pending {
    /// Documents (by URI) to check again.
    pub documents: BTreeSet<String>,
    /// The policy set must be built again (a policy buffer or file changed).
    pub policies: bool,
    /// Documents (by URI) whose diagnostics must be cleared (closed, or no longer checked).
    pub cleared: BTreeSet<String>,
}

impl Pending {
    /// True when nothing waits.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty() && !self.policies && self.cleared.is_empty()
    }
}

/// Everything the server knows.
#[derive(Debug)]
pub struct World {
    /// The workspace on disk.
    pub workspace: Workspace,
    /// Open documents by URI.
    pub documents: BTreeMap<String, Document>,
    /// The policy set: the workspace's files with the open policy buffers overlaid.
    pub policies: Arc<PolicySet>,
    /// The last policy set that validated, used to check constitutions while a policy
    /// buffer has errors.
    pub valid_policies: Option<Arc<PolicySet>>,
    /// How constitutions are checked: `as_of`, and the council's settings from
    /// `trustcheck.toml` that are usable with the policy set and in force.
    pub options: CheckOptions,
    /// What is wrong with the settings in `trustcheck.toml` (settings that cannot be used, or
    /// that have expired), published on that file as `check` reports it.
    pub settings_report: Option<crate::report::Report>,
    /// What still needs checking.
    pub pending: Pending,
    /// URIs whose latest published diagnostics were not empty.
    pub published: BTreeSet<String>,
    /// Policy files (and `trustcheck.toml`) whose latest published diagnostics were not empty.
    pub published_policies: BTreeSet<String>,
}

impl World {
    /// A world over `workspace`, judging at the options' date, with its policy set built.
    pub fn new(workspace: Workspace, options: CheckOptions) -> World {
        let mut world = World {
            workspace,
            documents: BTreeMap::new(),
            policies: Arc::new(PolicySet::default()),
            valid_policies: None,
            options,
            settings_report: None,
            pending: Pending::default(),
            published: BTreeSet::new(),
            published_policies: BTreeSet::new(),
        };
        world.rebuild_policies();
        world
    }

    /// Builds the policy set again from the workspace and the open policy buffers.
    pub fn rebuild_policies(&mut self) {
        let set = Arc::new(PolicySet::from_sources_with_symbols(self.policy_sources()));
        if set.is_valid() {
            self.valid_policies = Some(Arc::clone(&set));
        }
        self.policies = set;
        self.apply_settings();
    }

    /// Judges with the council's settings that the policy set constitutions are checked with
    /// can use, so that a finding has the severity `check` gives it (the one chain of
    /// `outcomes.md`, step 3). Settings that cannot be used leave every rule at its own
    /// severity, as `check` refuses to run with them, and are reported on `trustcheck.toml`.
    fn apply_settings(&mut self) {
        let as_of = self.options.as_of;
        let mut options = CheckOptions::as_of(as_of);
        let mut report = None;
        if let (Some(project), Some(policies)) = (&self.workspace.project, self.checking_policies()) {
            match project.settings_for(policies, as_of) {
                Ok((settings, expired)) => {
                    options = options.with_settings(settings);
                    report = expired;
                }
                Err(problems) => report = Some(problems),
            }
        }
        self.options = options;
        self.settings_report = report;
    }

    /// The policy set to check constitutions with: the current one if it validates, else
    /// the last one that did.
    pub fn checking_policies(&self) -> Option<&PolicySet> {
        if self.policies.is_valid() { Some(&self.policies) } else { self.valid_policies.as_deref() }
    }

    /// The policy set whose schema describes constitutions: the current one when it declares
    /// a root record, else the last valid one.
    pub fn schema_set(&self) -> &PolicySet {
        if self.policies.schema().root_record().is_some() {
            return &self.policies;
        }
        self.valid_policies.as_deref().unwrap_or(&self.policies)
    }

    /// The policy set whose rules are listed: the current one when it compiled some rules,
    /// else the last valid one.
    pub fn rule_set(&self) -> &PolicySet {
        if !self.policies.program().rules.is_empty() {
            return &self.policies;
        }
        self.valid_policies.as_deref().unwrap_or(&self.policies)
    }

    /// A rule by id, with the set its span points into.
    pub fn rule(&self, id: &str) -> Option<(&PolicySet, RuleInfo)> {
        let set = self.rule_set();
        set.rules().into_iter().find(|rule| rule.id == id).map(|rule| (set, rule))
    }

    /// What a document is: a `.policy` file; a `.toml` file that `trustcheck.toml` lists as a
    /// constitution or that has a `[trust]` table; or something else.
    pub fn classify(&self, document: &Document) -> DocumentKind {
        let extension = document.extension();
        let language = document.language.to_ascii_lowercase();
        if extension.as_deref() == Some("policy") || (extension.is_none() && language.contains("policy")) {
            return DocumentKind::Policy;
        }
        if document.path.as_deref().is_some_and(|path| self.workspace.is_project_file(path)) {
            return DocumentKind::Project;
        }
        let is_toml = extension.as_deref() == Some("toml") || (extension.is_none() && language == "toml");
        if !is_toml || matches!(document.file_name(), "trustcheck.toml" | "Cargo.toml") {
            return DocumentKind::Other;
        }
        let listed = document.path.as_deref().is_some_and(|path| self.workspace.is_listed_constitution(path));
        if listed || has_trust_table(document.text()) { DocumentKind::Constitution } else { DocumentKind::Other }
    }

    /// The open document named `name` in checks, if any.
    pub fn document_named(&self, name: &str) -> Option<&Document> {
        self.documents.values().find(|document| document.name == name)
    }

    /// The URI of a file named `name` in a check: an open document, a file of the
    /// embedded library (in the cache folder), or an absolute path.
    pub fn uri_for_name(&self, name: &str) -> Option<Uri> {
        if let Some(document) = self.document_named(name) {
            return Some(document.uri.clone());
        }
        if STANDARD_LIBRARY.iter().any(|(known, _)| *known == name) {
            // Without a cache folder the embedded library has no file to point at.
            return uri::from_path(&self.workspace.std_path(name)?);
        }
        let path = Path::new(name);
        if path.is_absolute() { uri::from_path(path) } else { Uri::from_str(name).ok() }
    }

    /// The location of a span of a file in `sources`.
    pub fn location(&self, sources: &SourceMap, span: Span) -> Option<Location> {
        let file = sources.get(span.file)?;
        Some(Location::new(self.uri_for_name(file.name())?, range_in(file, span)))
    }

    /// The sources to build the policy set from: the workspace's entries with open policy
    /// buffers in place of their files. An open policy file that the workspace does not
    /// name is added; when the set includes `std`, an open file of the cache folder, or one
    /// named like a file of the library (`procurement.policy`), stands in for that file.
    fn policy_sources(&self) -> Vec<PolicySource> {
        let open: Vec<&Document> =
            self.documents.values().filter(|document| document.kind == DocumentKind::Policy).collect();
        let named: BTreeSet<&str> = self.workspace.policies.iter().filter_map(PolicyEntry::name).collect();
        let mut std_overlays: BTreeMap<&str, &Document> = BTreeMap::new();
        if self.workspace.uses_standard() {
            for document in open.iter().filter(|document| !named.contains(document.name.as_str())) {
                if let Some(std_name) = self.std_overlay(document) {
                    std_overlays.insert(std_name, document);
                }
            }
        }
        let mut used: BTreeSet<&str> = BTreeSet::new();
        let mut sources = Vec::new();
        let from_document = |document: &Document| PolicySource::File(Input::from_text(&document.name, document.text()));
        for entry in &self.workspace.policies {
            match entry {
                PolicyEntry::Standard if std_overlays.is_empty() => sources.push(PolicySource::Standard),
                PolicyEntry::Standard => {
                    for (name, text) in STANDARD_LIBRARY {
                        match std_overlays.get(name) {
                            Some(document) => {
                                used.insert(&document.name);
                                sources.push(from_document(document));
                            }
                            None => sources.push(PolicySource::File(Input::from_text(*name, *text))),
                        }
                    }
                }
                PolicyEntry::File { name, bytes } => match open.iter().find(|document| &document.name == name) {
                    Some(document) => {
                        used.insert(&document.name);
                        sources.push(from_document(document));
                    }
                    None => sources.push(PolicySource::File(Input { name: name.clone(), bytes: bytes.clone() })),
                },
            }
        }
        for document in open.iter().filter(|document| !used.contains(document.name.as_str())) {
            sources.push(from_document(document));
        }
        sources
    }

    /// The file of the embedded library an open policy buffer stands in for, if any.
    fn std_overlay(&self, document: &Document) -> Option<&'static str> {
        if let Some(name) = document.path.as_deref().and_then(|path| self.workspace.std_name_of(path)) {
            return Some(name);
        }
        // A buffer stands in for a library file of the same name only when it sits in a copy of
        // the library (a folder with its own `schema.policy`, like this project's `policies/`),
        // so that an unrelated local file never displaces the standard rules.
        let in_library_copy = document
            .path
            .as_deref()
            .and_then(|path| path.parent())
            .is_some_and(|dir| dir.join("schema.policy").is_file());
        if !in_library_copy {
            return None;
        }
        let file = document.file_name();
        STANDARD_LIBRARY.iter().map(|(name, _)| *name).find(|name| name.strip_prefix("std/") == Some(file))
    }
}

/// True when the text has a `[trust]` table header (or `[trust.…]`).
pub fn has_trust_table(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        let Some(rest) = line.strip_prefix('[') else { return false };
        let rest = rest.strip_prefix('[').unwrap_or(rest).trim_start();
        let Some(after) = rest.strip_prefix("trust") else { return false };
        after.trim_start().starts_with([']', '.'])
    })
}
