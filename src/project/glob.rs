//! Path globs for `constitutions = [...]` in `trustcheck.toml`, compiled by `globset`.
//!
//! Patterns are matched against `/`-separated paths relative to the project folder:
//! `*` matches any run of characters within one segment, `?` one character, `[abc]`,
//! `[a-z]` and `[!abc]` one character of (or not of) a set, `{a,b}` either alternative, and
//! a segment that is exactly `**` any number of segments, none included. A leading `./` is
//! ignored. Matching takes time linear in the path, whatever the pattern.

use std::fmt;
use std::str::FromStr;

use globset::{GlobBuilder, GlobMatcher};

/// One compiled pattern, with the text it was written as.
#[derive(Clone, Debug)]
pub struct Pattern {
    text: String,
    matcher: GlobMatcher,
}

/// A pattern that cannot be compiled, with why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{pattern}` is not a valid pattern: {reason}")]
pub struct PatternError {
    /// The pattern as written.
    pub pattern: String,
    /// Why it is not valid.
    pub reason: String,
}

impl Pattern {
    /// Compiles `text`.
    pub fn new(text: &str) -> Result<Self, PatternError> {
        let stripped = text.strip_prefix("./").unwrap_or(text);
        let glob = GlobBuilder::new(stripped)
            .literal_separator(true)
            .backslash_escape(true)
            .empty_alternates(true)
            .build()
            .map_err(|error| PatternError { pattern: text.to_owned(), reason: error.kind().to_string() })?;
        Ok(Pattern { text: text.to_owned(), matcher: glob.compile_matcher() })
    }

    /// The pattern as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True when the relative, `/`-separated `path` matches.
    pub fn matches(&self, path: &str) -> bool {
        self.matcher.is_match(path.strip_prefix("./").unwrap_or(path))
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Pattern {}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Pattern {
    type Err = PatternError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Pattern::new(text)
    }
}

/// True when `path` matches `pattern` (false when the pattern is not valid).
pub fn matches(pattern: &str, path: &str) -> bool {
    Pattern::new(pattern).is_ok_and(|pattern| pattern.matches(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_pattern_is_an_error_naming_it() {
        let error = Pattern::new("constitutions/[a-").expect_err("unclosed class");
        assert_eq!(error.pattern, "constitutions/[a-");
        assert!(!matches("constitutions/[a-", "constitutions/a.toml"));
    }

    #[test]
    fn a_hostile_pattern_matches_in_linear_time() {
        let pattern = format!("{}b", "*a".repeat(40));
        let path = "a".repeat(4000);
        assert!(!matches(&pattern, &path));
    }
}
