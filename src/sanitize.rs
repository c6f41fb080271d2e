//! The one sanitiser for text that came from outside (constitution values, policy strings,
//! file names) on its way to a terminal, a CI log or an editor.
//!
//! A character is *unsafe* when a terminal or log reader would act on it rather than show it:
//! C0 controls other than tab and newline (ESC, BEL, a bare CR, …), DEL, the C1 controls
//! U+0080–U+009F (U+009B is a one-character CSI) and the bidirectional controls U+200E,
//! U+200F, U+202A–U+202E and U+2066–U+2069, which reorder what is shown. [`text`] shows each as
//! a visible escape `\u{1b}`; [`line()`] does the same and also escapes newlines, for paths and
//! one-line fields, so that nothing can start a forged line (`::error …` in a CI log, a
//! quickfix entry). [`snippet`] keeps byte offsets for quoted source text (see there).
//! JSON and SARIF need none of this: their encoders escape control characters already.

use std::borrow::Cow;

/// Whether a terminal, CI log or editor would act on `c` instead of showing it.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `word` as one word of a POSIX shell command line, for a command a help message suggests:
/// as it is when every character is one a shell takes literally, else in single quotes (a
/// quote inside written `'\''`). Unsafe characters are escaped as by [`line()`].
pub fn shell_word(word: &str) -> Cow<'_, str> {
    let literal = |c: char| c.is_ascii_alphanumeric() || "-_./+:@%,=".contains(c);
    if !word.is_empty() && word.chars().all(literal) {
        return Cow::Borrowed(word);
    }
    Cow::Owned(format!("'{}'", line(word).replace('\'', "'\\''")))
}

/// `text` with every unsafe character shown as `\u{XX}`; tabs and newlines kept.
pub fn text(text: &str) -> Cow<'_, str> {
    escape(text, is_unsafe)
}

/// `text` for one line: as [`text`], and newlines escaped too.
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n' || is_unsafe(c))
}

fn escape(text: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Source text to quote in a snippet, with every unsafe character replaced by a visible one
/// *of the same length in bytes* (`?` for one byte, `¿` for two, `�` for three), so that every
/// span into the original text still points at the same characters. A CR before a newline
/// is a line ending and is kept.
pub fn snippet(text: &str) -> Cow<'_, str> {
    let bare_cr = |index: usize| text.as_bytes().get(index + 1) != Some(&b'\n');
    let needs = text.char_indices().any(|(index, c)| if c == '\r' { bare_cr(index) } else { is_unsafe(c) });
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (index, c) in text.char_indices() {
        let replace = if c == '\r' { bare_cr(index) } else { is_unsafe(c) };
        if !replace {
            out.push(c);
            continue;
        }
        out.push(match c.len_utf8() {
            1 => '?',
            2 => '¿',
            _ => '\u{fffd}',
        });
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_become_visible_escapes() {
        assert_eq!(text("a\u{1b}]0;title\u{7}b"), "a\\u{1b}]0;title\\u{7}b");
        assert_eq!(text("\u{9b}31m \u{202e}evil\r"), "\\u{9b}31m \\u{202e}evil\\u{d}");
        assert_eq!(text("tab\tand\nnewline"), "tab\tand\nnewline");
        assert_eq!(line("forged\n::error file=x::y"), "forged\\u{a}::error file=x::y");
        assert!(matches!(text("Ynys Môn 🐉"), Cow::Borrowed(_)), "ordinary text is not copied");
    }

    #[test]
    fn a_shell_word_is_quoted_only_when_a_shell_would_read_it_otherwise() {
        assert_eq!(shell_word("examples/ynys_mon.toml"), "examples/ynys_mon.toml");
        assert_eq!(shell_word("options/Leisure trust.toml"), "'options/Leisure trust.toml'");
        assert_eq!(shell_word("it's $HOME;`x`"), "'it'\\''s $HOME;`x`'");
        assert_eq!(shell_word("Môn.toml"), "'Môn.toml'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("a\nb\u{1b}"), "'a\\u{a}b\\u{1b}'");
    }

    #[test]
    fn snippets_keep_every_offset() {
        let original = "a\u{1b}b\u{9b}c\u{202e}d\r\ne\rf";
        let shown = snippet(original);
        assert_eq!(shown, "a?b¿c\u{fffd}d\r\ne?f");
        assert_eq!(shown.len(), original.len());
        for (index, _) in original.char_indices() {
            assert!(shown.is_char_boundary(index));
        }
    }
}
