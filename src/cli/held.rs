//! Text held until it can be written: in memory up to a limit, then in an unnamed temporary
//! file, so that a report whose opening depends on every file (the human report's verdicts)
//! keeps memory flat however many files there are.
//!
//! The temporary file is removed as soon as it is made where the system allows it (Unix), so
//! that nothing is left behind if the process is stopped; elsewhere when the text is written.
//! If it cannot be made or written, the text stays in memory: holding never fails a run.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

/// How much text is held in memory before it goes to the temporary file.
pub(crate) const MEMORY_LIMIT: usize = 8 << 20;

/// Text appended piece by piece and written out, in order, at the end.
#[derive(Debug)]
pub(crate) struct Held {
    /// The text not (yet) in the file, which follows what is.
    memory: Vec<u8>,
    /// The temporary file, once made.
    file: Option<Spill>,
    /// Whether the file may take more: false once making or writing it has failed.
    spilling: bool,
    /// How much is held in memory before it goes to the file.
    limit: usize,
}

/// The temporary file and how much of it holds text.
#[derive(Debug)]
struct Spill {
    file: File,
    /// Bytes written to it whole; a write that failed part way leaves bytes past this, unread.
    written: u64,
    /// Its path, while it has not been removed.
    path: Option<PathBuf>,
}

impl Held {
    /// Nothing held yet, going to a temporary file past [`MEMORY_LIMIT`].
    pub(crate) fn new() -> Self {
        Held::with_limit(MEMORY_LIMIT)
    }

    /// Nothing held yet, going to a temporary file past `limit` bytes.
    pub(crate) fn with_limit(limit: usize) -> Self {
        Held { memory: Vec::new(), file: None, spilling: true, limit }
    }

    /// Appends a piece of text. Memory never holds more than the limit while the file takes
    /// the rest: what is held goes to the file before a piece would take it past the limit
    /// (and a piece larger than the limit goes straight there), and the room reserved grows
    /// no further than the limit.
    pub(crate) fn push(&mut self, text: &[u8]) {
        let needed = self.memory.len().saturating_add(text.len());
        if self.spilling && needed > self.limit {
            self.spill();
            if self.spilling && text.len() > self.limit && self.write_to_file(text) {
                return;
            }
        }
        let needed = self.memory.len().saturating_add(text.len());
        if self.spilling && needed > self.memory.capacity() {
            let room = needed.max(self.memory.capacity().saturating_mul(2)).min(self.limit).max(needed);
            self.memory.reserve_exact(room - self.memory.len());
        }
        self.memory.extend_from_slice(text);
    }

    /// Moves what is in memory to the temporary file (making it first), or keeps it in
    /// memory, and stops spilling, when that fails.
    fn spill(&mut self) {
        let memory = std::mem::take(&mut self.memory);
        let moved = memory.is_empty() || self.write_to_file(&memory);
        self.memory = memory;
        if moved {
            self.memory.clear();
        }
    }

    /// Appends `bytes` to the temporary file (making it first); false, and no more spilling,
    /// when that fails.
    fn write_to_file(&mut self, bytes: &[u8]) -> bool {
        if self.file.is_none() {
            self.file = Spill::create();
        }
        let Some(spill) = self.file.as_mut() else {
            self.spilling = false;
            return false;
        };
        match spill.file.write_all(bytes) {
            Ok(()) => {
                spill.written = spill.written.saturating_add(bytes.len() as u64);
                true
            }
            Err(_) => {
                self.spilling = false;
                false
            }
        }
    }

    /// Hands everything held to `write`, in the order it came, a few hundred kilobytes at a
    /// time; true when every call to `write` did. An error is the temporary file failing to be
    /// read back.
    pub(crate) fn write_with(mut self, mut write: impl FnMut(&[u8]) -> bool) -> io::Result<bool> {
        let mut written = true;
        if let Some(spill) = self.file.as_mut() {
            spill.file.seek(SeekFrom::Start(0))?;
            let mut rest = (&mut spill.file).take(spill.written);
            let mut chunk = vec![0; CHUNK];
            loop {
                let read = rest.read(&mut chunk)?;
                let Some(bytes) = chunk.get(..read).filter(|bytes| !bytes.is_empty()) else { break };
                written &= write(bytes);
            }
            if rest.limit() > 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the report's temporary file was cut short"));
            }
        }
        written &= write(&self.memory);
        Ok(written)
    }
}

/// How much of the temporary file is read back at a time.
const CHUNK: usize = 1 << 18;

impl Spill {
    /// A new temporary file, removed at once where an open file can be; none if it cannot
    /// be made.
    fn create() -> Option<Spill> {
        let folder = std::env::temp_dir();
        // A name no other process or run uses at the same time; `create_new` refuses one that is.
        for attempt in 0..16u32 {
            let path = folder.join(format!("trustcheck-{}-{attempt}.report", std::process::id()));
            let opened = File::options().read(true).write(true).create_new(true).open(&path);
            match opened {
                Ok(file) => {
                    let path = std::fs::remove_file(&path).err().map(|_| path);
                    return Some(Spill { file, written: 0, path });
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(_) => return None,
            }
        }
        None
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            // Where an open file cannot be removed; by now the text has been written.
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `held` hands on, gathered.
    fn written(held: Held) -> Vec<u8> {
        let mut out = Vec::new();
        let handed = held.write_with(|bytes| {
            out.extend_from_slice(bytes);
            true
        });
        assert!(matches!(handed, Ok(true)));
        out
    }

    /// How many bytes are in the temporary file.
    fn spilled(held: &Held) -> u64 {
        held.file.as_ref().map_or(0, |spill| spill.written)
    }

    #[test]
    fn held_text_is_written_in_the_order_it_came_from_memory_and_the_file() {
        let pieces: Vec<String> =
            (0..20_000).map(|index| format!("section {index}: {}\n", "é".repeat(index % 37))).collect();
        // More than the limit many times over, and more than one chunk read back.
        let mut held = Held::with_limit(100_000);
        for piece in &pieces {
            held.push(piece.as_bytes());
        }
        assert!(spilled(&held) > 0, "past the limit the text goes to the file");
        assert!(spilled(&held) > CHUNK as u64, "more than one chunk is in the file");
        assert!(held.memory.capacity() <= 100_000, "and memory never has room for more than the limit");
        assert_eq!(String::from_utf8(written(held)).unwrap_or_default(), pieces.concat());
    }

    #[test]
    fn a_piece_larger_than_the_limit_goes_to_the_file_in_its_turn() {
        let mut held = Held::with_limit(16);
        held.push(b"first\n");
        held.push(&[b'x'; 40]);
        held.push(b"last\n");
        assert_eq!(spilled(&held), 46, "what was held, then the large piece");
        assert!(held.memory.capacity() <= 16);
        let mut expected = b"first\n".to_vec();
        expected.extend_from_slice(&[b'x'; 40]);
        expected.extend_from_slice(b"last\n");
        assert_eq!(written(held), expected);
    }

    #[test]
    fn text_under_the_limit_stays_in_memory() {
        let mut held = Held::new();
        held.push(b"one\n");
        held.push(b"two\n");
        assert_eq!(spilled(&held), 0);
        assert_eq!(written(held), b"one\ntwo\n");
    }

    #[cfg(unix)]
    #[test]
    fn the_temporary_file_is_removed_as_soon_as_it_is_made() {
        let mut held = Held::with_limit(8);
        held.push(b"more than eight bytes\n");
        assert!(spilled(&held) > 0);
        assert!(held.file.as_ref().is_some_and(|spill| spill.path.is_none()), "no path is left to remove");
    }
}
