//! Inputs and options of a run, and the decoding of raw bytes into source text.

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
    /// It is larger than trustcheck reads.
    #[error("the file is larger than the limit of {limit_mib} MiB ({0} bytes)", limit_mib = MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge(u64),
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
    /// Reads a file from disk, refusing files larger than the size limit without reading them.
    pub fn read(path: &Path) -> Input {
        let name = display_path(path);
        let bytes = match std::fs::metadata(path) {
            Err(error) => Err(ReadError::from(error)),
            Ok(meta) if meta.is_dir() => Err(ReadError::Folder),
            Ok(meta) if meta.len() > MAX_FILE_BYTES as u64 => Err(ReadError::TooLarge(meta.len())),
            Ok(_) => std::fs::read(path).map_err(ReadError::from),
        };
        Input { name, bytes }
    }

    /// An input from text already in memory.
    pub fn from_text(name: impl Into<String>, text: impl Into<String>) -> Input {
        Input { name: name.into(), bytes: Ok(text.into().into_bytes()) }
    }
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
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(reason @ ReadError::TooLarge(_)) => {
            let diagnostic =
                Diagnostic::new(BuiltinCode::LimitSize, format!("`{name}` is too large to check: {reason}"), None)
                    .with_help("split the file, or check that it is the file you meant");
            return Err((name, Box::new(diagnostic)));
        }
        Err(reason) => {
            let diagnostic = Diagnostic::new(BuiltinCode::IoRead, format!("cannot read `{name}`: {reason}"), None)
                .with_help("check the path and that the file is readable");
            return Err((name, Box::new(diagnostic)));
        }
    };
    if bytes.len() > MAX_FILE_BYTES {
        let diagnostic = Diagnostic::new(
            BuiltinCode::LimitSize,
            format!("`{name}` is too large to check: {}", ReadError::TooLarge(bytes.len() as u64)),
            None,
        )
        .with_help("split the file, or check that it is the file you meant");
        return Err((name, Box::new(diagnostic)));
    }
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
