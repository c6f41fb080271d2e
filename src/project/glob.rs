//! Simple path globs for `constitutions = [...]` in `trustcheck.toml`.
//!
//! Patterns are matched against `/`-separated paths relative to the project folder:
//! `*` matches any run of characters within one segment, `?` one character, `[abc]`,
//! `[a-z]` and `[!abc]` one character of (or not of) a set, and a segment that is exactly
//! `**` any number of segments, none included. A leading `./` is ignored.

/// True when `path` matches `pattern`.
pub fn matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
    let pattern: Vec<&str> = pattern.split('/').filter(|segment| !segment.is_empty()).collect();
    let path: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    match_segments(&pattern, &path)
}

fn match_segments(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => {
            (0..=path.len()).any(|skip| path.get(skip..).is_some_and(|tail| match_segments(rest, tail)))
        }
        Some((first, rest)) => match path.split_first() {
            Some((segment, tail)) => {
                let pattern: Vec<char> = first.chars().collect();
                let text: Vec<char> = segment.chars().collect();
                match_segment(&pattern, &text) && match_segments(rest, tail)
            }
            None => false,
        },
    }
}

fn match_segment(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => {
            (0..=text.len()).any(|skip| text.get(skip..).is_some_and(|tail| match_segment(rest, tail)))
        }
        Some(('?', rest)) => text.split_first().is_some_and(|(_, tail)| match_segment(rest, tail)),
        Some(('[', rest)) => match (class(rest), text.split_first()) {
            (Some(class), Some((&ch, tail))) => class.accepts(ch) && match_segment(class.after, tail),
            (None, Some((&'[', tail))) => match_segment(rest, tail),
            _ => false,
        },
        Some((&literal, rest)) => {
            text.split_first().is_some_and(|(&ch, tail)| ch == literal && match_segment(rest, tail))
        }
    }
}

/// A character class: its members (single characters and `a-z` ranges), whether it is
/// negated, and the pattern after its `]`.
struct Class<'p> {
    members: &'p [char],
    negated: bool,
    after: &'p [char],
}

impl Class<'_> {
    fn accepts(&self, ch: char) -> bool {
        let mut found = false;
        let mut rest = self.members;
        while let Some((&first, tail)) = rest.split_first() {
            match tail {
                ['-', last, after @ ..] => {
                    found |= first <= ch && ch <= *last;
                    rest = after;
                }
                _ => {
                    found |= first == ch;
                    rest = tail;
                }
            }
        }
        found != self.negated
    }
}

/// Parses a character class after its `[` (`None` when it has no closing `]`).
fn class(pattern: &[char]) -> Option<Class<'_>> {
    let (negated, body) = match pattern.split_first() {
        Some(('!' | '^', rest)) => (true, rest),
        _ => (false, pattern),
    };
    // A `]` right after `[` or `[!` is a member, not the end.
    let close = body.iter().skip(1).position(|&ch| ch == ']')? + 1;
    Some(Class { members: body.get(..close)?, negated, after: body.get(close + 1..)? })
}
