//! The embedded standard library written to disk for the editor: rules of the embedded library
//! have no file of their own, so go-to-definition and related information point at a copy in
//! the user's own cache folder.
//!
//! The copy is written only where no other user can plant or redirect files: under
//! `$XDG_CACHE_HOME` or `~/.cache`, in folders created mode 0700 that are neither symbolic
//! links nor writable by others, each file created fresh under a new name (never following a
//! link) and renamed into place. There is no fallback to a shared temporary folder: without a
//! usable cache, go-to-definition into the standard library is simply unavailable.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::embedded::STANDARD_LIBRARY;

/// The cache folder of this version's standard library, `BASE/trustcheck/VERSION/std`, where
/// `BASE` is `$XDG_CACHE_HOME` if it is an absolute path, else `~/.cache` (`%LOCALAPPDATA%`
/// on Windows); `None` when neither is known.
pub fn std_cache_dir() -> Option<PathBuf> {
    let env = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty()).map(PathBuf::from);
    let base = env("XDG_CACHE_HOME")
        .filter(|path| path.is_absolute())
        .or_else(|| if cfg!(windows) { env("LOCALAPPDATA") } else { env("HOME").map(|home| home.join(".cache")) })?;
    Some(base.join("trustcheck").join(env!("CARGO_PKG_VERSION")).join("std"))
}

/// Writes the embedded library into `dir`, creating the folders it needs (mode 0700), and
/// leaving files that already hold the right text alone. Returns the folder, or the reason it
/// cannot be used.
pub fn write_std_cache(dir: &Path) -> Result<PathBuf, std::io::Error> {
    create_private_dir(dir)?;
    for (name, text) in STANDARD_LIBRARY {
        let Some(file) = name.strip_prefix("std/") else { continue };
        let path = dir.join(file);
        let is_plain_file = fs::symlink_metadata(&path).is_ok_and(|meta| meta.file_type().is_file());
        if is_plain_file && fs::read(&path).is_ok_and(|existing| existing == text.as_bytes()) {
            continue;
        }
        write_fresh(dir, file, text.as_bytes())?;
    }
    Ok(dir.to_path_buf())
}

/// Creates `dir` and its missing ancestors, each new folder mode 0700, then checks that the
/// folders trustcheck owns (`trustcheck/VERSION/std`) are real folders that only their owner
/// can write to.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    for folder in dir.ancestors().take(3) {
        let meta = fs::symlink_metadata(folder)?;
        if !meta.file_type().is_dir() {
            return Err(std::io::Error::other(format!("`{}` is not a folder", folder.display())));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o022 != 0 {
                return Err(std::io::Error::other(format!("`{}` can be written by other users", folder.display())));
            }
        }
    }
    Ok(())
}

/// Writes `bytes` to `dir/file` through a new file that did not exist before (so no link
/// planted in the folder is followed), then renames it into place, so that a reader never
/// sees half a file and a link at the final name is replaced, not followed.
fn write_fresh(dir: &Path, file: &str, bytes: &[u8]) -> std::io::Result<()> {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.subsec_nanos());
    let partial = dir.join(format!(".{file}.{}.{nanos}.partial", std::process::id()));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&partial).and_then(|mut out| {
        out.write_all(bytes)?;
        out.sync_all()
    });
    let renamed = written.and_then(|()| fs::rename(&partial, dir.join(file)));
    if renamed.is_err() {
        let _ = fs::remove_file(&partial);
    }
    renamed
}
