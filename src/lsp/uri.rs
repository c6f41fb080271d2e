//! Converting between the protocol's `file:` URIs and paths, with the `url` crate
//! (`lsp_types::Uri` does not convert to paths itself).

use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;
use url::Url;

/// The local path a `file:` URI names (`None` for other schemes, or a host other than
/// `localhost`).
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let url = Url::parse(uri.as_str()).ok()?;
    if url.scheme() != "file" {
        return None;
    }
    url.to_file_path().ok()
}

/// The `file:` URI of an absolute path (`None` for a relative one).
pub fn from_path(path: &Path) -> Option<Uri> {
    let url = Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

/// A path with `.` and `..` removed lexically (symbolic links are not followed), so that
/// the same file named two ways compares equal.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}
