//! The workspace: its root folder, its `trustcheck.toml`, the policy files it names (read
//! from disk, to be overlaid with the open buffers), and the cache folder where the embedded
//! standard library is written so that editors can open its rules.

use std::path::{Path, PathBuf};

use crate::embedded::STANDARD_LIBRARY;
use crate::project::discover::walk;
use crate::project::{self, Project, ProjectError};
use crate::run::{Input, display_path};

use super::uri::normalize;

/// One entry of the workspace's policy set, as read from disk.
#[derive(Clone, Debug)]
pub enum PolicyEntry {
    /// The embedded standard library (`std`).
    Standard,
    /// A policy file: its name (the absolute path, `/`-separated) and its bytes or why they
    /// could not be read.
    File {
        /// The absolute path, shown with `/` separators.
        name: String,
        /// The bytes, or the reason they could not be read.
        bytes: Result<Vec<u8>, crate::run::ReadError>,
    },
}

impl PolicyEntry {
    /// The entry's file name as shown (`None` for the standard library).
    pub fn name(&self) -> Option<&str> {
        match self {
            PolicyEntry::Standard => None,
            PolicyEntry::File { name, .. } => Some(name),
        }
    }
}

/// What the server knows of the workspace on disk.
#[derive(Debug, Default)]
pub struct Workspace {
    /// The root folder (from the client, else the server's working folder).
    pub root: PathBuf,
    /// The `trustcheck.toml` found in the root or an ancestor, if any and valid.
    pub project: Option<Project>,
    /// Why the `trustcheck.toml` found could not be used.
    pub project_error: Option<ProjectError>,
    /// The policy set's entries, in order: what `trustcheck.toml` names, else `std`.
    pub policies: Vec<PolicyEntry>,
    /// The folder holding `NAME.policy` for each file of the embedded library, once written.
    pub std_dir: Option<PathBuf>,
}

impl Workspace {
    /// Reads the project file and the policy files of the workspace rooted at `root`.
    pub fn load(root: PathBuf, std_dir: Option<PathBuf>) -> Workspace {
        let mut workspace = Workspace { root, std_dir, ..Workspace::default() };
        workspace.reload(&|_| None);
        workspace
    }

    /// Reads the project file and policy files again (after a change on disk). The policy
    /// files are those the project file on disk names; the project file itself is then read
    /// as [`Workspace::read_project`] reads it, from an open buffer if `typed` gives one.
    pub fn reload(&mut self, typed: &dyn Fn(&Path) -> Option<String>) {
        self.read_project(&|_| None);
        // A project file with mistakes elsewhere still names its policy files, when that reads.
        let readable = self.project_error.as_ref().and_then(|error| error.readable.as_deref());
        self.policies = match self.project.as_ref().or(readable) {
            Some(Project { root, policies: Some(entries), .. }) => policy_entries(root, entries),
            _ => vec![PolicyEntry::Standard],
        };
        self.read_project(typed);
    }

    /// Reads the project file again, and nothing else: from the text `typed` gives for its
    /// path (an editor's buffer, perhaps unsaved), else from disk. Its settings and
    /// `constitutions` take effect as typed; the policy files stay those named on disk until
    /// it is saved, so that a path half typed (`"/"`, `".."`) is never searched.
    pub fn read_project(&mut self, typed: &dyn Fn(&Path) -> Option<String>) {
        let (project, error) = match project::find_typed(&self.root, typed) {
            Ok(project) => (project, None),
            Err(error) => (None, Some(error)),
        };
        self.project = project;
        self.project_error = error;
    }

    /// True when the workspace's policy set includes the embedded standard library.
    pub fn uses_standard(&self) -> bool {
        self.policies.iter().any(|entry| matches!(entry, PolicyEntry::Standard))
    }

    /// The path of `trustcheck.toml`, when there is one.
    pub fn project_file(&self) -> Option<PathBuf> {
        if let Some(project) = &self.project {
            return Some(project.root.join(project::FILE_NAME));
        }
        let error = self.project_error.as_ref()?;
        let path = Path::new(&error.path);
        Some(if path.is_absolute() { path.to_path_buf() } else { normalize(&self.root.join(path)) })
    }

    /// True when `path` is a `trustcheck.toml` where the project file is looked for: in the
    /// root or a folder above it.
    pub fn is_project_file(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|name| name == project::FILE_NAME)
            && path.parent().is_some_and(|folder| self.root.starts_with(folder))
    }

    /// True when `path` matches a `constitutions` glob of `trustcheck.toml`.
    pub fn is_listed_constitution(&self, path: &Path) -> bool {
        let Some(Project { root, constitutions: Some(patterns), .. }) = &self.project else {
            return false;
        };
        let Ok(relative) = path.strip_prefix(root) else {
            return false;
        };
        let relative = display_path(relative);
        patterns.iter().any(|pattern| pattern.matches(&relative))
    }

    /// Where the embedded file `std/NAME.policy` is written, when it is.
    pub fn std_path(&self, name: &str) -> Option<PathBuf> {
        let file = name.strip_prefix("std/")?;
        if !STANDARD_LIBRARY.iter().any(|(known, _)| *known == name) {
            return None;
        }
        Some(self.std_dir.as_ref()?.join(file))
    }

    /// The embedded name (`std/NAME.policy`) of a path in the cache folder, if it is one.
    pub fn std_name_of(&self, path: &Path) -> Option<&'static str> {
        let dir = self.std_dir.as_ref()?;
        let file = path.strip_prefix(dir).ok()?.to_str()?;
        STANDARD_LIBRARY.iter().map(|(name, _)| *name).find(|name| name.strip_prefix("std/") == Some(file))
    }
}

/// The entries `policies = [...]` names: `std`, files, and folders searched for `.policy`.
fn policy_entries(root: &Path, entries: &[PathBuf]) -> Vec<PolicyEntry> {
    let mut out = Vec::new();
    for entry in entries {
        if entry.as_os_str() == "std" {
            out.push(PolicyEntry::Standard);
            continue;
        }
        let resolved = normalize(&root.join(entry));
        if resolved.is_dir() {
            let found = walk(&resolved, &|name: &str| name.ends_with(".policy"));
            for (_, path) in found.files {
                out.push(read_entry(&path));
            }
        } else {
            out.push(read_entry(&resolved));
        }
    }
    out
}

fn read_entry(path: &Path) -> PolicyEntry {
    let input = Input::read(path);
    PolicyEntry::File { name: input.name, bytes: input.bytes }
}
