//! Writing a file so that a reader sees the old text or the new, never half of one: the new
//! text goes to a new file beside it, with its permissions, which is then renamed over it.

use std::io::Write;
use std::path::Path;

/// Replaces the file at `path` with `text`, atomically, keeping its permissions.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let folder = path.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
    let name = path.file_name().map_or_else(|| "file".into(), |name| name.to_string_lossy().into_owned());
    let permissions = std::fs::metadata(path)?.permissions();
    let partial = folder.join(format!(".{name}.trustcheck-{}", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&partial)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::set_permissions(&partial, permissions)?;
        std::fs::rename(&partial, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}
