//! Inputs and options of a run, and the decoding of raw bytes into source text.

use std::io::Read;
use std::path::Path;

use jiff::civil::Date;

use crate::diagnostic::{BuiltinCode, Diagnostic};
use crate::limits::MAX_FILE_BYTES;
pub use crate::source::display_path;

/// How a check is run.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// The date date-relative rules are judged at.
    pub as_of: Date,
    /// The council's settings (`trustcheck.toml` `[rules."<id>"]`), by rule id.
    pub settings: std::sync::Arc<crate::settings::Settings>,
}

impl CheckOptions {
    /// Options judging rules at `as_of`. (Which outcomes are listed is the renderer's
    /// choice: a report always holds every outcome.)
    pub fn as_of(as_of: Date) -> Self {
        CheckOptions { as_of, settings: std::sync::Arc::default() }
    }

    /// The same options with the council's settings.
    pub fn with_settings(mut self, settings: crate::settings::Settings) -> Self {
        self.settings = std::sync::Arc::new(settings);
        self
    }
}

/// One file to read: its display name and its bytes, or why they could not be read.
#[derive(Clone, Debug)]
pub struct Input {
    /// The path as the user gave it, with `/` separators.
    pub name: String,
    /// The file's bytes, or why it could not be read.
    pub bytes: Result<Vec<u8>, ReadError>,
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// There is no such file.
    #[error("no such file")]
    NotFound,
    /// Reading it is not permitted.
    #[error("permission denied")]
    PermissionDenied,
    /// It is a folder.
    #[error("it is a folder, not a file")]
    Folder,
    /// It is larger than trustcheck reads: its size in bytes, when it is known before reading
    /// (a device or a pipe tells its size only by running past the limit).
    #[error(
        "the file is larger than the limit of {limit_mib} MiB ({size})",
        limit_mib = MAX_FILE_BYTES / (1024 * 1024),
        size = match .0 { Some(bytes) => format!("{bytes} bytes"), None => format!("more than {MAX_FILE_BYTES} bytes") },
    )]
    TooLarge(Option<u64>),
    /// Another reason, as the system or the folder search put it.
    #[error("{0}")]
    Other(String),
}

impl From<std::io::Error> for ReadError {
    fn from(error: std::io::Error) -> Self {
        match error.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            std::io::ErrorKind::PermissionDenied => ReadError::PermissionDenied,
            _ => ReadError::Other(error.to_string()),
        }
    }
}

impl Input {
    /// Reads a file from disk. A file whose size is over the limit is refused without being
    /// read, and no more than one byte past the limit is ever read, so that a device or a pipe
    /// that never ends (`/dev/zero`) is refused too rather than filling memory.
    pub fn read(path: &Path) -> Input {
        Input { name: display_path(path), bytes: read_bounded(path) }
    }

    /// An input from text already in memory.
    pub fn from_text(name: impl Into<String>, text: impl Into<String>) -> Input {
        Input { name: name.into(), bytes: Ok(text.into().into_bytes()) }
    }
}

/// The bytes of the file at `path`, opened once and read to at most one byte past the limit.
fn read_bounded(path: &Path) -> Result<Vec<u8>, ReadError> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        // Some systems refuse to open a folder at all; say what it is rather than why.
        Err(error) => return Err(if path.is_dir() { ReadError::Folder } else { ReadError::from(error) }),
    };
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(ReadError::Folder);
    }
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(ReadError::TooLarge(Some(meta.len())));
    }
    // A regular file's size is known (one byte more lets the read see its end at once); a
    // device or a pipe says 0 and grows the buffer as it is read.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).map_or(0, |len| len + 1));
    file.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(None));
    }
    Ok(bytes)
}

/// An input after decoding: its text, or why it has none.
#[derive(Debug)]
pub enum Decoded {
    /// The file's name and its text.
    Text(String, String),
    /// The file's name and an `io.read`, `limit.size` or `io.encoding` diagnostic (without a
    /// span: the file has no usable text).
    Unreadable(String, Box<Diagnostic>),
}

/// Turns an input's bytes into text, or says why it cannot.
pub fn decode(input: Input) -> Decoded {
    match decode_bytes(input) {
        Ok((name, text)) => Decoded::Text(name, text),
        Err((name, diagnostic)) => Decoded::Unreadable(name, diagnostic),
    }
}

fn decode_bytes(input: Input) -> Result<(String, String), (String, Box<Diagnostic>)> {
    let Input { name, bytes } = input;
    // Bytes made in memory are held to the limit that reading from disk keeps.
    let bytes = match bytes {
        Ok(bytes) if bytes.len() > MAX_FILE_BYTES => Err(ReadError::TooLarge(Some(bytes.len() as u64))),
        other => other,
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(reason @ ReadError::TooLarge(_)) => {
            let diagnostic =
                Diagnostic::new(BuiltinCode::LimitSize, format!("`{name}` is too large to check: {reason}"), None)
                    .with_help("split the file, or check that it is the file you meant");
            return Err((name, Box::new(diagnostic)));
        }
        Err(reason) => {
            // `-` is the usual name for standard input, which is read here only by its path.
            let help = if cfg!(unix) && name == "-" {
                "to read what is piped in, name standard input by its path, `/dev/stdin`"
            } else {
                "check the path and that the file is readable"
            };
            let diagnostic =
                Diagnostic::new(BuiltinCode::IoRead, format!("cannot read `{name}`: {reason}"), None).with_help(help);
            return Err((name, Box::new(diagnostic)));
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok((name, text)),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let diagnostic = Diagnostic::new(
                BuiltinCode::IoEncoding,
                format!("`{name}` is not UTF-8 text: the byte at offset {offset} is not valid UTF-8"),
                None,
            )
            .with_help("save the file as UTF-8 (most editors offer this under \"Save with encoding\")");
            Err((name, Box::new(diagnostic)))
        }
    }
}
