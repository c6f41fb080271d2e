//! Source files, spans into them, and line/column lookup.
//!
//! Every diagnostic points into a file through a [`Span`]: a file id plus a byte range.
//! The [`SourceMap`] owns the text of every file read in a run (policy files and
//! constitutions alike) and converts byte offsets into 1-based lines and columns, counted
//! in Unicode scalar values for the CLI and in UTF-16 code units for the language server.

use std::path::Path;
use std::sync::Arc;

/// Identifies one file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct FileId(pub u32);

/// A byte range in one file, end-exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets, saturating offsets that do not fit in 32 bits.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { file, start, end }
    }

    /// A zero-width span at the start of a file.
    pub fn file_start(file: FileId) -> Self {
        Span { file, start: 0, end: 0 }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// True for a zero-width span.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both (which must be in the same file).
    pub fn to(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new((span.start as usize).into(), span.len())
    }
}

/// A 1-based line and column with the byte offset it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in Unicode scalar values.
    pub column: u32,
    /// Byte offset into the file.
    pub offset: u32,
}

/// Where the text of a file came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Read from disk (or given by a client) under its path.
    Disk,
    /// Compiled into the binary: the standard policy library.
    Embedded,
}

/// One file's name and text, with an index of line starts (built the first time a position
/// is asked for: most files of the embedded library are never shown).
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: Arc<str>,
    origin: Origin,
    line_starts: std::sync::OnceLock<Vec<u32>>,
    has_bom: bool,
}

impl SourceFile {
    /// Indexes `text` under the display name `name`.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>, origin: Origin) -> Self {
        let text: Arc<str> = text.into();
        let has_bom = text.starts_with('\u{feff}');
        SourceFile { name: name.into(), text, origin, line_starts: std::sync::OnceLock::new(), has_bom }
    }

    /// The offset at which each line starts.
    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut starts = Vec::with_capacity(self.text.len() / 32 + 1);
            starts.push(0u32);
            starts.extend(
                memchr::memchr_iter(b'\n', self.text.as_bytes())
                    .map(|index| u32::try_from(index + 1).unwrap_or(u32::MAX)),
            );
            starts
        })
    }

    /// The display name: the path as the user gave it, with `/` separators, or
    /// `std/NAME.policy` for the embedded library.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text, including a byte-order mark if the file had one.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the file is on disk or embedded in the binary.
    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// The text covered by a span, or `""` if the span does not fall on character
    /// boundaries inside the file.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start as usize..span.end as usize).unwrap_or("")
    }

    /// The 0-based line index containing a byte offset.
    fn line_index(&self, offset: u32) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(index) => index,
            Err(index) => index.saturating_sub(1),
        }
    }

    fn line_start(&self, line_index: usize) -> u32 {
        self.line_starts().get(line_index).copied().unwrap_or(0)
    }

    /// The prefix of the line containing `offset`, up to `offset`, with a leading
    /// byte-order mark removed so that it never counts as a column.
    fn line_prefix(&self, offset: u32) -> (usize, &str) {
        let offset = offset.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let index = self.line_index(offset);
        let mut start = self.line_start(index) as usize;
        if index == 0 && self.has_bom && offset as usize >= 3 {
            start = 3;
        }
        let mut end = offset as usize;
        while end > start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        (index, self.text.get(start..end).unwrap_or(""))
    }

    /// Line and column (in Unicode scalar values) of a byte offset.
    pub fn position(&self, offset: u32) -> Position {
        let (index, prefix) = self.line_prefix(offset);
        Position {
            line: u32::try_from(index + 1).unwrap_or(u32::MAX),
            column: u32::try_from(prefix.chars().count() + 1).unwrap_or(u32::MAX),
            offset,
        }
    }

    /// 0-based line and UTF-16 column of a byte offset, as the language server protocol counts.
    pub fn utf16_position(&self, offset: u32) -> (u32, u32) {
        let (index, prefix) = self.line_prefix(offset);
        let column: usize = prefix.chars().map(char::len_utf16).sum();
        (u32::try_from(index).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))
    }

    /// The byte offset of a 0-based line and UTF-16 column, clamped into the file.
    pub fn offset_of_utf16(&self, line: u32, column: u32) -> u32 {
        let Some(&start) = self.line_starts().get(line as usize) else {
            return u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        };
        let mut start = start as usize;
        if line == 0 && self.has_bom {
            start = 3;
        }
        let rest = self.text.get(start..).unwrap_or("");
        let mut units = 0u32;
        for (index, ch) in rest.char_indices() {
            if units >= column || ch == '\n' || ch == '\r' {
                return u32::try_from(start + index).unwrap_or(u32::MAX);
            }
            units += u32::try_from(ch.len_utf16()).unwrap_or(2);
        }
        u32::try_from(self.text.len()).unwrap_or(u32::MAX)
    }

    /// Number of lines (at least one).
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }
}

/// Every file read in a run, addressed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        SourceMap::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>, origin: Origin) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(Arc::new(SourceFile::new(name, text, origin)));
        id
    }

    /// Adds a file already read (shared, not copied) and returns its id here.
    pub fn add_shared(&mut self, file: Arc<SourceFile>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(file);
        id
    }

    /// The file with this id, if there is one.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize).map(|file| file.as_ref())
    }

    /// The file with this id as a shared handle.
    pub fn get_shared(&self, id: FileId) -> Option<Arc<SourceFile>> {
        self.files.get(id.0 as usize).cloned()
    }

    /// The display name of a file (`"<unknown>"` for an id not in the map).
    pub fn name(&self, id: FileId) -> &str {
        self.get(id).map_or("<unknown>", SourceFile::name)
    }

    /// The start and end positions of a span.
    pub fn range(&self, span: Span) -> Option<(Position, Position)> {
        let file = self.get(span.file)?;
        Some((file.position(span.start), file.position(span.end)))
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file).map_or("", |file| file.slice(span))
    }

    /// Iterates over all files with their ids.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(index, file)| (FileId(u32::try_from(index).unwrap_or(u32::MAX)), file.as_ref()))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file has been added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A path shown with `/` separators, as given.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' { text.into_owned() } else { text.replace(std::path::MAIN_SEPARATOR, "/") }
}
