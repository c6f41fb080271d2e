//! The one scanner of the policy language: policy text → lossless tokens.
//!
//! Every byte of the text belongs to exactly one token, comments and whitespace included, so
//! the tokens joined give the text back. The parser's pre-scan (brackets, strings, nesting
//! depth), the formatter and the language server's reading of half-typed text all read these
//! tokens; only the grammar decides what a well-formed file is. Lexing never fails: a string
//! with no closing quote is an [`TokenKind::UnclosedString`] to the end of the text, and a
//! character the language has no use for is [`TokenKind::Unknown`].

use std::ops::Range;

/// What kind of text a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Spaces, tabs and carriage returns (never a line break).
    Whitespace,
    /// One line break.
    Newline,
    /// `// …` to the end of the line (not a doc comment).
    Comment,
    /// `/// …` to the end of the line: documentation of the next item.
    DocComment,
    /// A word: a keyword or a name.
    Word,
    /// Digits, with an optional fraction: `3`, `12.5`.
    Number,
    /// A number followed by `%`: `80%`, `12.5%`.
    Percent,
    /// An amount of money: `£500k`, `£1,000.50`.
    Money,
    /// A date: `2024-04-01`.
    Date,
    /// A closed string, quotes included; its `{…}` interpolations are code.
    String,
    /// A string with no closing quote: from its quote to the end of the text.
    UnclosedString,
    /// An opening bracket: `(`, `[` or `{`.
    Open,
    /// A closing bracket: `)`, `]` or `}`.
    Close,
    /// An operator or separator: `==`, `!=`, `<=`, `>=`, `=>`, `<`, `>`, `=`, `+`, `-`, `*`,
    /// `/`, `:`, `,`, `.`, `?`.
    Punct,
    /// A character the language does not use.
    Unknown,
}

impl TokenKind {
    /// True for whitespace, line breaks and comments (doc comments included).
    pub fn is_trivia(self) -> bool {
        matches!(self, TokenKind::Whitespace | TokenKind::Newline | TokenKind::Comment | TokenKind::DocComment)
    }
}

/// One token: its kind and byte range in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// What kind of text it is.
    pub kind: TokenKind,
    /// Where it is, in bytes.
    pub range: Range<usize>,
}

impl Token {
    /// Its text, from the text it was read from.
    pub fn text<'t>(&self, source: &'t str) -> &'t str {
        source.get(self.range.clone()).unwrap_or_default()
    }
}

/// The tokens of `text`, in order, covering every byte.
pub fn lex(text: &str) -> Vec<Token> {
    tokens(text).collect()
}

/// The tokens of `text` one at a time, without collecting them.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, bytes: text.as_bytes(), at: 0 }
}

/// The byte ranges of the code inside a string token's `{…}` interpolations (`{{` and `}}`
/// are escapes, not interpolations), relative to the whole text. `string` is the token's
/// range.
pub fn interpolations(text: &str, string: &Range<usize>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = string.start + 1;
    let end = string.end;
    while at < end {
        match bytes.get(at) {
            Some(b'\\') => at += 2,
            Some(b'{') if bytes.get(at + 1) == Some(&b'{') => at += 2,
            Some(b'{') => {
                let start = at + 1;
                let mut depth = 1usize;
                at += 1;
                while at < end {
                    match bytes.get(at) {
                        Some(b'{') => depth += 1,
                        Some(b'}') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        Some(b'"') | None => break,
                        Some(_) => {}
                    }
                    at += 1;
                }
                out.push(start..at.min(end));
                at += 1;
            }
            Some(_) => at += 1,
            None => break,
        }
    }
    out
}

/// True for a character a word may start with.
pub fn is_word_start(ch: char) -> bool {
    ch.is_ascii_alphabetic() || ch == '_'
}

/// True for a character a word may continue with.
pub fn is_word_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || ch == '_'
}

/// The lexer, as an iterator over the tokens of a text.
pub struct Tokens<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let start = self.at;
        let kind = self.next_kind();
        // Every kind consumes at least one byte, and ends on a character boundary.
        if self.at <= start {
            self.at = start + 1;
        }
        while self.at < self.bytes.len() && !self.text.is_char_boundary(self.at) {
            self.at += 1;
        }
        Some(Token { kind, range: start..self.at })
    }
}

impl Tokens<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    fn eat_while(&mut self, keep: impl Fn(u8) -> bool) {
        while self.peek(0).is_some_and(&keep) {
            self.at += 1;
        }
    }

    fn next_kind(&mut self) -> TokenKind {
        let Some(byte) = self.peek(0) else { return TokenKind::Unknown };
        match byte {
            b'\n' => {
                self.at += 1;
                TokenKind::Newline
            }
            b' ' | b'\t' | b'\r' => {
                self.eat_while(|b| matches!(b, b' ' | b'\t' | b'\r'));
                TokenKind::Whitespace
            }
            b'/' if self.peek(1) == Some(b'/') => {
                let doc = self.peek(2) == Some(b'/');
                self.eat_while(|b| b != b'\n');
                if doc { TokenKind::DocComment } else { TokenKind::Comment }
            }
            b'"' => self.string(),
            b'0'..=b'9' => self.number(),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                self.eat_while(|b| b.is_ascii_alphanumeric() || b == b'_');
                TokenKind::Word
            }
            b'(' | b'[' | b'{' => {
                self.at += 1;
                TokenKind::Open
            }
            b')' | b']' | b'}' => {
                self.at += 1;
                TokenKind::Close
            }
            b'=' | b'!' | b'<' | b'>' => {
                self.at += 1;
                let pair = matches!((byte, self.peek(0)), (b'=' | b'!' | b'<' | b'>', Some(b'=')) | (b'=', Some(b'>')));
                if pair {
                    self.at += 1;
                }
                if byte == b'!' && !pair { TokenKind::Unknown } else { TokenKind::Punct }
            }
            b'+' | b'-' | b'*' | b'/' | b':' | b',' | b'.' | b'?' => {
                self.at += 1;
                TokenKind::Punct
            }
            _ if self.text.get(self.at..).is_some_and(|rest| rest.starts_with('£')) => self.money(),
            _ => {
                self.at += 1;
                TokenKind::Unknown
            }
        }
    }

    fn string(&mut self) -> TokenKind {
        self.at += 1;
        loop {
            match self.peek(0) {
                None => return TokenKind::UnclosedString,
                Some(b'\\') => self.at = (self.at + 2).min(self.bytes.len()),
                Some(b'"') => {
                    self.at += 1;
                    return TokenKind::String;
                }
                Some(_) => self.at += 1,
            }
        }
    }

    fn number(&mut self) -> TokenKind {
        let start = self.at;
        self.eat_while(|b| b.is_ascii_digit());
        let is_date = self.at - start == 4
            && self.peek(0) == Some(b'-')
            && self.peek(1).is_some_and(|b| b.is_ascii_digit())
            && self.peek(2).is_some_and(|b| b.is_ascii_digit())
            && self.peek(3) == Some(b'-')
            && self.peek(4).is_some_and(|b| b.is_ascii_digit())
            && self.peek(5).is_some_and(|b| b.is_ascii_digit());
        if is_date {
            self.at += 6;
            return TokenKind::Date;
        }
        if self.peek(0) == Some(b'.') && self.peek(1).is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
            self.eat_while(|b| b.is_ascii_digit());
        }
        if self.peek(0) == Some(b'%') {
            self.at += 1;
            return TokenKind::Percent;
        }
        TokenKind::Number
    }

    fn money(&mut self) -> TokenKind {
        self.at += '£'.len_utf8();
        self.eat_while(|b| b.is_ascii_digit());
        while self.peek(0) == Some(b',') && (1..=3).all(|ahead| self.peek(ahead).is_some_and(|b| b.is_ascii_digit())) {
            self.at += 4;
        }
        if self.peek(0) == Some(b'.') && self.peek(1).is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
            self.eat_while(|b| b.is_ascii_digit());
        }
        if matches!(self.peek(0), Some(b'k' | b'm'))
            && !self.peek(1).is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.at += 1;
        }
        TokenKind::Money
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        lex(text).iter().map(|token| (token.kind, token.text(text))).collect()
    }

    #[test]
    fn every_byte_is_in_one_token() {
        let text = "/// Doc\nrule r error law \"A {x.y} \\\"q\\\"\" { require £1,000.50k >= 80% // c\n}\n£ ! é";
        let tokens = lex(text);
        let joined: String = tokens.iter().map(|token| token.text(text)).collect();
        assert_eq!(joined, text);
        assert!(tokens.windows(2).all(|pair| pair[0].range.end == pair[1].range.start));
    }

    #[test]
    fn literals_are_single_tokens() {
        use TokenKind::*;
        assert_eq!(
            kinds("2024-04-01 12.5% £500k 3 x.y==z"),
            [
                (Date, "2024-04-01"),
                (Whitespace, " "),
                (Percent, "12.5%"),
                (Whitespace, " "),
                (Money, "£500k"),
                (Whitespace, " "),
                (Number, "3"),
                (Whitespace, " "),
                (Word, "x"),
                (Punct, "."),
                (Word, "y"),
                (Punct, "=="),
                (Word, "z"),
            ]
        );
    }

    #[test]
    fn comments_strings_and_unclosed_strings() {
        use TokenKind::*;
        assert_eq!(kinds("// a\n/// b"), [(Comment, "// a"), (Newline, "\n"), (DocComment, "/// b")]);
        assert_eq!(kinds("\"open {x"), [(UnclosedString, "\"open {x")]);
        assert_eq!(kinds("\"a\\\""), [(UnclosedString, "\"a\\\"")]);
    }

    #[test]
    fn interpolations_are_found_inside_strings() {
        let text = "\"{{not}} {a.b} and {count(x)}\"";
        let tokens = lex(text);
        let string = &tokens[0].range;
        let code: Vec<&str> = interpolations(text, string).iter().filter_map(|range| text.get(range.clone())).collect();
        assert_eq!(code, ["a.b", "count(x)"]);
    }
}
