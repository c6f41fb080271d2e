//! The standard library compiled ahead of time.
//!
//! Parsing and type-checking the library's text costs more than checking a constitution, so
//! its compiled schema and program are kept, encoded with postcard, in
//! `src/policy/standard.postcard` and embedded in the binary. A policy set that is the
//! standard library alone is then read from those bytes instead of from the text.
//!
//! The encoding carries a fingerprint of the library's text. If the text changes and the
//! artifact is not regenerated, the fingerprints differ and the library is compiled from its
//! text as before, so a stale artifact can cost time but never change a result; the test
//! `tests/std_artifact.rs` fails until it is regenerated
//! (`TRUSTCHECK_WRITE_STANDARD=1 cargo test --test std_artifact`).

use serde::{Deserialize, Serialize};

use super::ir::Program;
use crate::embedded::STANDARD_LIBRARY;
use crate::schema::Schema;

pub use crate::embedded::ARTIFACT;

/// What the artifact holds: the compiled library and the fingerprint of the text it came from.
#[derive(Serialize, Deserialize)]
struct Compiled {
    fingerprint: u64,
    schema: Schema,
    program: Program,
}

/// A fingerprint of the standard library's file names and texts (64-bit FNV-1a): stable
/// across runs, platforms and compiler versions, unlike the standard library's hashers.
/// Worked out when the binary is compiled.
pub const FINGERPRINT: u64 = fingerprint_of(STANDARD_LIBRARY);

const fn fingerprint_of(mut files: &[(&str, &str)]) -> u64 {
    const fn add(mut hash: u64, mut bytes: &[u8]) -> u64 {
        while let [byte, rest @ ..] = bytes {
            hash ^= *byte as u64;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            bytes = rest;
        }
        // A zero byte after each part, so that ("ab", "c") and ("a", "bc") differ.
        hash.wrapping_mul(0x0000_0100_0000_01b3)
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    while let [(name, text), rest @ ..] = files {
        hash = add(hash, name.as_bytes());
        hash = add(hash, text.as_bytes());
        files = rest;
    }
    hash
}

/// The compiled library from the embedded artifact, if it is there and matches the text.
///
/// The artifact must decode to exactly its length: bytes written for another shape of the
/// compiled program (a field added or retyped without regenerating it) almost never do, so
/// they are refused and the library is compiled from its text. The fingerprint covers the
/// text, this the shape; `tests/std_artifact.rs` covers both exactly.
pub fn load() -> Option<(Schema, Program)> {
    decode(ARTIFACT)
}

fn decode(bytes: &'static [u8]) -> Option<(Schema, Program)> {
    let (compiled, rest): (Compiled, _) = postcard::take_from_bytes(bytes).ok()?;
    (rest.is_empty() && compiled.fingerprint == FINGERPRINT).then_some((compiled.schema, compiled.program))
}

/// Encodes a compiled library as the artifact for the current text.
pub fn encode(schema: &Schema, program: &Program) -> Vec<u8> {
    #[derive(Serialize)]
    struct CompiledRef<'a> {
        fingerprint: u64,
        schema: &'a Schema,
        program: &'a Program,
    }
    postcard::to_allocvec(&CompiledRef { fingerprint: FINGERPRINT, schema, program }).unwrap_or_default()
}

/// A citation in the artifact: its fields in order (the JSON report's form leaves absent
/// fields out, which a compact encoding cannot).
pub mod citation {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::diagnostic::Citation;

    /// Writes a citation as `(text, url, verified)`.
    pub fn serialize<S: Serializer>(citation: &Citation, serializer: S) -> Result<S::Ok, S::Error> {
        (&citation.text, &citation.url, &citation.verified).serialize(serializer)
    }

    /// Reads a citation written by [`serialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Citation, D::Error> {
        let (text, url, verified) = Deserialize::deserialize(deserializer)?;
        Ok(Citation { text, url, verified })
    }
}

/// A compiled pattern in the artifact: its source text, compiled again when read.
pub mod regex_pattern {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes a pattern as its source text.
    pub fn serialize<S: Serializer>(pattern: &regex::Regex, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(pattern.as_str())
    }

    /// Reads a pattern written by [`serialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<regex::Regex, D::Error> {
        let text = String::deserialize(deserializer)?;
        regex::Regex::new(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::{ARTIFACT, decode};

    /// Leaks `bytes` for the test, as the artifact's bytes live for the whole run.
    fn leaked(bytes: Vec<u8>) -> &'static [u8] {
        Vec::leak(bytes)
    }

    #[test]
    fn the_artifact_decodes_and_bytes_of_another_length_are_refused() {
        assert!(decode(ARTIFACT).is_some(), "the embedded artifact is read");
        let mut longer = ARTIFACT.to_vec();
        longer.push(0);
        assert!(decode(leaked(longer)).is_none(), "a byte left over is refused");
        let shorter = ARTIFACT.get(..ARTIFACT.len().saturating_sub(1)).unwrap_or_default().to_vec();
        assert!(decode(leaked(shorter)).is_none(), "a byte missing is refused");
    }
}
