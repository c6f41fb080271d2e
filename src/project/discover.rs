//! Finding the files a command reads: constitutions under the paths given, policy files
//! under `--policy` folders, and constitutions named by `trustcheck.toml` globs.
//!
//! A folder is searched recursively without following symbolic links, skipping hidden
//! folders and `target/`; what it holds comes sorted bytewise by path. Paths are shown as
//! given, joined to what a folder holds with `/` (a folder given as `.` adds no prefix).

use std::path::{Path, PathBuf};

use crate::policy::PolicySource;
use crate::run::{Input, display_path};

use super::glob;

/// A file found on disk: the name it is shown under and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The path as given, with `/` separators.
    pub display: String,
    /// The path to open (absolute, or relative to the process's folder).
    pub path: PathBuf,
}

impl Found {
    /// Reads the file, keeping the display name.
    pub fn read(&self) -> Input {
        let mut input = Input::read(&self.path);
        input.name.clone_from(&self.display);
        input
    }
}

/// A constitution to check, found but not yet read: it is read when its turn comes, so that
/// a run over many files holds only those it is checking.
#[derive(Debug)]
pub enum Pending {
    /// A file to read.
    Found(Found),
    /// An input already made (a folder that could not be searched says so). Boxed: it is
    /// rare, and a pending file then takes no more room than the search's entry for it.
    Ready(Box<Input>),
}

impl Pending {
    /// The name it is shown under.
    pub fn name(&self) -> &str {
        match self {
            Pending::Found(found) => &found.display,
            Pending::Ready(input) => &input.name,
        }
    }
}

impl From<Pending> for Input {
    fn from(pending: Pending) -> Input {
        match pending {
            Pending::Found(found) => found.read(),
            Pending::Ready(input) => *input,
        }
    }
}

/// `display` joined with a `/`-separated relative path.
pub fn join_display(display: &str, relative: &str) -> String {
    if display.is_empty() || display == "." {
        relative.to_owned()
    } else if display.ends_with('/') {
        format!("{display}{relative}")
    } else {
        format!("{display}/{relative}")
    }
}

/// True for a file the folder search treats as a constitution.
pub fn is_constitution_name(name: &str) -> bool {
    name.ends_with(".toml") && name != "Cargo.toml" && name != "trustcheck.toml" && !is_tests_file_name(name)
}

/// True for a file name `trustcheck test` runs (and `check` skips).
pub fn is_tests_file_name(name: &str) -> bool {
    name.ends_with(".tests.toml")
}

/// The files `keep` accepts among `paths` (a file is taken as named, a folder searched), or,
/// with no paths, under `default` (a folder as shown and as opened), each as (path as shown,
/// path to open), with the folders that could not be searched as (folder as shown, reason).
pub fn files_for(cwd: &Path, paths: &[PathBuf], default: (&str, &Path), keep: &dyn Fn(&str) -> bool) -> FoundFiles {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut search = |display: &str, folder: &Path, files: &mut Vec<(String, PathBuf)>| {
        let found = walk(folder, keep);
        files.extend(found.files.into_iter().map(|(relative, path)| (join_display(display, &relative), path)));
        let place =
            |relative: &str| if relative.is_empty() { display.to_owned() } else { join_display(display, relative) };
        problems.extend(found.errors.into_iter().map(|(relative, reason)| (place(&relative), reason)));
    };
    if paths.is_empty() {
        search(default.0, default.1, &mut files);
    }
    for path in paths {
        let resolved = resolve(cwd, path);
        let display = display_path(path);
        if resolved.is_dir() {
            search(&display, &resolved, &mut files);
        } else {
            files.push((display, resolved));
        }
    }
    FoundFiles { files, problems }
}

/// The files a search found, and the places it could not search.
#[derive(Clone, Debug, Default)]
pub struct FoundFiles {
    /// Each file as (path as shown, path to open), sorted within each folder searched.
    pub files: Vec<(String, PathBuf)>,
    /// Each folder or link that could not be searched, as (path as shown, why).
    pub problems: Vec<(String, String)>,
}

/// What a folder search found.
#[derive(Clone, Debug, Default)]
pub struct Walk {
    /// Files as (path relative to the folder with `/` separators, path to open), sorted
    /// bytewise by the relative path.
    pub files: Vec<(String, PathBuf)>,
    /// Folders that could not be listed, as (relative path, reason), so that the run can
    /// report them.
    pub errors: Vec<(String, String)>,
}

/// Files under `root` (a folder) whose name `keep` accepts. Symbolic links to files and
/// folders are followed; a link that cannot be followed (it dangles, cannot be read, or leads
/// back into a folder being searched) is reported in [`Walk::errors`], never skipped silently.
pub fn walk(root: &Path, keep: &dyn Fn(&str) -> bool) -> Walk {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let root_ancestors: Vec<PathBuf> = root.canonicalize().into_iter().collect();
    let mut pending = vec![(String::new(), root.to_path_buf(), root_ancestors)];
    while let Some((relative, folder, ancestors)) = pending.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) => {
                errors.push((relative, format!("the folder cannot be listed ({error})")));
                continue;
            }
        };
        for entry in entries.flatten() {
            let Ok(mut kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = if relative.is_empty() { name.clone() } else { format!("{relative}/{name}") };
            let path = entry.path();
            let skipped_folder = name.starts_with('.') || name == "target";
            if kind.is_symlink() {
                if skipped_folder || !(keep(&name) || looks_like_folder(&path)) {
                    continue;
                }
                match std::fs::metadata(&path) {
                    Ok(target) => kind = target.file_type(),
                    Err(error) => {
                        errors.push((child, format!("the symbolic link cannot be followed: {error}")));
                        continue;
                    }
                }
            }
            if kind.is_dir() {
                if skipped_folder {
                    continue;
                }
                let Ok(canonical) = path.canonicalize() else {
                    errors.push((child, "the folder cannot be resolved".to_owned()));
                    continue;
                };
                if ancestors.contains(&canonical) {
                    errors.push((child, "the symbolic link leads back into a folder being searched".to_owned()));
                    continue;
                }
                let mut inner = ancestors.clone();
                inner.push(canonical);
                pending.push((child, path, inner));
            } else if kind.is_file() && keep(&name) {
                files.push((child, path));
            }
        }
    }
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    errors.sort();
    Walk { files, errors }
}

/// Whether a symbolic link leads to a folder.
fn looks_like_folder(link: &Path) -> bool {
    std::fs::metadata(link).is_ok_and(|target| target.is_dir())
}

/// The path to open for `path` as given, relative to `cwd`.
pub fn resolve(cwd: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) }
}

/// The inputs for `check PATH...`: a file as given, a folder's constitutions sorted.
/// A path that does not exist becomes an input that reports `io.read`.
pub fn constitution_inputs(cwd: &Path, paths: &[PathBuf]) -> Vec<Input> {
    constitution_files(cwd, paths).into_iter().map(Input::from).collect()
}

/// [`constitution_inputs`], each file left to be read when its turn comes.
pub fn constitution_files(cwd: &Path, paths: &[PathBuf]) -> Vec<Pending> {
    let mut inputs = Vec::new();
    for path in paths {
        let display = display_path(path);
        let resolved = resolve(cwd, path);
        if resolved.is_dir() {
            let Walk { files, errors } = walk(&resolved, &is_constitution_name);
            inputs.extend(
                errors
                    .into_iter()
                    .map(|(relative, reason)| Pending::Ready(Box::new(unlistable(&display, &relative, &reason)))),
            );
            let found = files
                .into_iter()
                .map(|(relative, path)| Pending::Found(Found { display: join_display(&display, &relative), path }));
            if inputs.is_empty() {
                // Made where the search's list lies (a pending file is no larger than an
                // entry of it), so that a folder of many thousands is not listed twice.
                inputs = found.collect();
            } else {
                inputs.extend(found);
            }
        } else {
            inputs.push(Pending::Found(Found { display, path: resolved }));
        }
    }
    inputs
}

fn unlistable(display: &str, relative: &str, reason: &str) -> Input {
    let name = if relative.is_empty() { display.to_owned() } else { join_display(display, relative) };
    Input { name, bytes: Err(crate::run::ReadError::Other(reason.to_owned())) }
}

/// The constitutions under `root` (shown as `root_display`) matching any of `patterns`,
/// sorted bytewise, and the patterns that matched nothing.
pub fn glob_inputs(root_display: &str, root: &Path, patterns: &[glob::Pattern]) -> (Vec<Input>, Vec<String>) {
    let (files, unmatched) = glob_files(root_display, root, patterns);
    (files.into_iter().map(Input::from).collect(), unmatched)
}

/// [`glob_inputs`], each file left to be read when its turn comes.
pub fn glob_files(root_display: &str, root: &Path, patterns: &[glob::Pattern]) -> (Vec<Pending>, Vec<String>) {
    let Walk { files, .. } = walk(root, &|name: &str| name != "trustcheck.toml" && name != "Cargo.toml");
    let mut unmatched = Vec::new();
    let mut chosen = vec![false; files.len()];
    for pattern in patterns {
        let mut any = false;
        for ((relative, _), chosen) in files.iter().zip(chosen.iter_mut()) {
            if pattern.matches(relative) {
                *chosen = true;
                any = true;
            }
        }
        if !any {
            unmatched.push(pattern.text().to_owned());
        }
    }
    let inputs = files
        .into_iter()
        .zip(chosen)
        .filter(|(_, chosen)| *chosen)
        .map(|((relative, path), _)| Pending::Found(Found { display: join_display(root_display, &relative), path }))
        .collect();
    (inputs, unmatched)
}

/// The policy sources for `entries` (`std`, files, folders), each resolved against `base`
/// (an absolute folder) and shown joined to `base_display`.
pub fn policy_sources(base_display: &str, base: &Path, entries: &[PathBuf]) -> Vec<PolicySource> {
    let mut sources = Vec::new();
    for entry in entries {
        if entry.as_os_str() == "std" {
            sources.push(PolicySource::Standard);
            continue;
        }
        let display =
            if entry.is_absolute() { display_path(entry) } else { join_display(base_display, &display_path(entry)) };
        let resolved = resolve(base, entry);
        if resolved.is_dir() {
            let Walk { files, errors } = walk(&resolved, &|name: &str| name.ends_with(".policy"));
            sources.extend(
                errors
                    .into_iter()
                    .map(|(relative, reason)| PolicySource::File(unlistable(&display, &relative, &reason))),
            );
            sources.extend(files.into_iter().map(|(relative, path)| {
                PolicySource::File(Found { display: join_display(&display, &relative), path }.read())
            }));
        } else {
            sources.push(PolicySource::File(Found { display, path: resolved }.read()));
        }
    }
    sources
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::{Pending, constitution_files};

    #[test]
    fn a_pending_file_takes_no_more_room_than_the_search_entry_it_is_made_from() {
        // So that a folder's list of files becomes the run's list where it lies.
        assert!(size_of::<Pending>() <= size_of::<(String, PathBuf)>());
    }

    #[test]
    fn a_folders_constitutions_come_sorted_then_the_next_path_given() -> std::io::Result<()> {
        let folder = tempfile::tempdir()?;
        for name in ["b.toml", "a.toml", "notes.txt"] {
            std::fs::write(folder.path().join(name), "")?;
        }
        let found = constitution_files(folder.path(), &[PathBuf::from("."), PathBuf::from("missing")]);
        let names: Vec<&str> = found.iter().map(Pending::name).collect();
        assert_eq!(names, ["a.toml", "b.toml", "missing"]);
        Ok(())
    }
}
