//! Text held by a compiled program or schema: names, titles, messages and doc comments.
//!
//! A program compiled from policy text owns its strings. The standard library's program is
//! read from the artifact embedded in the binary, and there every string is borrowed from
//! the artifact's bytes instead of copied, so reading the library allocates nothing for its
//! text (a few thousand strings).

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

use crate::embedded::ARTIFACT;

/// A string of the compiled program: borrowed from the embedded artifact, or owned.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IrText(Cow<'static, str>);

impl IrText {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as an owned string.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }

    /// The string the artifact holds at the place `bytes` were read from, borrowed for the
    /// life of the program; `None` when they were read from anywhere else.
    fn in_artifact(bytes: &[u8]) -> Option<&'static str> {
        let start = (bytes.as_ptr() as usize).checked_sub(ARTIFACT.as_ptr() as usize)?;
        let stored = ARTIFACT.get(start..start.checked_add(bytes.len())?)?;
        std::str::from_utf8(stored).ok()
    }
}

impl Deref for IrText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for IrText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for IrText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for IrText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for IrText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl From<String> for IrText {
    fn from(text: String) -> Self {
        IrText(Cow::Owned(text))
    }
}

impl From<&'static str> for IrText {
    fn from(text: &'static str) -> Self {
        IrText(Cow::Borrowed(text))
    }
}

impl From<IrText> for String {
    fn from(text: IrText) -> Self {
        text.into_string()
    }
}

impl PartialEq<str> for IrText {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for IrText {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for IrText {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl serde::Serialize for IrText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for IrText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Read as bytes so that text borrowed from the artifact is checked to be UTF-8 once,
        // where it is taken from the artifact.
        deserializer.deserialize_bytes(TextVisitor)
    }
}

/// Reads [`IrText`], borrowing from the artifact where it can.
struct TextVisitor;

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = IrText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text")
    }

    fn visit_borrowed_bytes<E: serde::de::Error>(self, bytes: &'de [u8]) -> Result<IrText, E> {
        match IrText::in_artifact(bytes) {
            Some(text) => Ok(IrText(Cow::Borrowed(text))),
            None => self.visit_bytes(bytes),
        }
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<IrText, E> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(IrText::from(text.to_owned())),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(bytes), &self)),
        }
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, text: &'de str) -> Result<IrText, E> {
        self.visit_borrowed_bytes(text.as_bytes())
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<IrText, E> {
        Ok(IrText::from(text.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<IrText, E> {
        Ok(IrText::from(text))
    }
}

#[cfg(test)]
mod tests {
    use serde::de::Visitor;

    use super::*;

    #[test]
    fn text_read_from_the_artifact_is_borrowed_from_it_and_other_text_is_owned() {
        let stored: &'static [u8] = ARTIFACT
            .windows(4)
            .position(|window| window == b"rule")
            .and_then(|at| ARTIFACT.get(at..at + 4))
            .unwrap_or_default();
        assert_eq!(stored, b"rule", "the artifact names a rule");
        let borrowed: IrText = TextVisitor.visit_borrowed_bytes::<serde::de::value::Error>(stored).unwrap_or_default();
        assert!(matches!(borrowed.0, Cow::Borrowed(_)));
        assert_eq!(borrowed, "rule");
        let elsewhere = b"rule".to_vec();
        let owned: IrText = TextVisitor.visit_borrowed_bytes::<serde::de::value::Error>(&elsewhere).unwrap_or_default();
        assert!(matches!(owned.0, Cow::Owned(_)));
        assert_eq!(owned, "rule");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused() {
        let refused = TextVisitor.visit_borrowed_bytes::<serde::de::value::Error>(&[0xff, 0xfe]);
        assert!(refused.is_err());
    }

    #[test]
    fn text_survives_a_round_trip_through_postcard() {
        let text = IrText::from("a `Member` record".to_string());
        let bytes = postcard::to_allocvec(&text).unwrap_or_default();
        let back: IrText = postcard::from_bytes(&bytes).unwrap_or_default();
        assert_eq!(back, text);
    }
}
