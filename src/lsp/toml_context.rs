//! Where a position falls in a constitution's TOML text: in a table header, where a key goes
//! (or on one), or in a value (perhaps inside its string), and the key path that leads there.
//!
//! A small tolerant scanner, not the `toml` parser: it must work on the half-typed text of an
//! editor buffer. It knows strings (all four kinds), comments, headers, dotted keys, arrays
//! and inline tables; anything else is skipped. Paths treat lists as transparent: the keys of
//! an element of `[[board.seats]]` have the path `board.seats.KEY`.

/// A key or string under the cursor: its text (without quotes) and byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The key, or the string's content, as written (escapes are not resolved).
    pub text: String,
    /// Byte offset of its first byte (after the opening quote for a string).
    pub start: usize,
    /// Byte offset one past its last byte (before the closing quote for a string).
    pub end: usize,
}

/// What is at a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TomlContext {
    /// In a table header: the segments before the cursor's, and the segment under it.
    Header {
        /// Segments written before the one under the cursor.
        path: Vec<String>,
        /// The segment under the cursor, if any.
        token: Option<Token>,
    },
    /// Where a key goes, or on a key.
    Key {
        /// The path of the table the key belongs to (dotted key segments before it included).
        table: Vec<String>,
        /// The key under the cursor, if any.
        token: Option<Token>,
        /// Keys already written in that table (its whole section), the one under the cursor
        /// included.
        existing: Vec<String>,
    },
    /// In a value.
    Value {
        /// The key path of the value.
        path: Vec<String>,
        /// The string the cursor is in, if it is in one.
        string: Option<Token>,
    },
    /// In a comment, between a key and its `=`, after a value, or anywhere else.
    Nothing,
}

/// The context at byte `offset` of `text`.
pub fn context_at(text: &str, offset: usize) -> TomlContext {
    let mut scanner = Scanner { text, pos: 0 };
    let mut state = State::default();
    let mut found: Option<(TomlContext, usize)> = None;
    while let Some(lexeme) = scanner.next() {
        if found.is_none() {
            let before = offset < lexeme.start || (offset == lexeme.start && lexeme.kind != Kind::Bare);
            if before {
                found = Some((state.gap_context(), state.frames.len()));
            } else if lexeme.contains(offset) {
                found = Some((state.token_context(text, &lexeme), state.frames.len()));
            }
        }
        let event = state.apply(text, &lexeme);
        if let Some((context, depth)) = &mut found {
            let TomlContext::Key { existing, .. } = context else { break };
            match event {
                Event::Key(key) if state.frames.len() == *depth => existing.push(key),
                Event::Header => break,
                _ if state.frames.len() < *depth => break,
                _ => {}
            }
        }
    }
    match found {
        Some((context, _)) => context,
        None => state.gap_context(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Newline,
    Comment,
    Bare,
    /// A string; `quote` is the length of its quotes (1 or 3).
    Str {
        quote: usize,
        closed: bool,
    },
    Punct(char),
}

#[derive(Clone, Copy, Debug)]
struct Lexeme {
    kind: Kind,
    start: usize,
    end: usize,
}

impl Lexeme {
    fn contains(&self, offset: usize) -> bool {
        match self.kind {
            Kind::Bare => self.start <= offset && offset <= self.end,
            Kind::Str { closed, .. } => self.start < offset && (offset < self.end || (!closed && offset == self.end)),
            Kind::Comment => self.start < offset && offset <= self.end,
            Kind::Newline | Kind::Punct(_) => false,
        }
    }

    /// The token a key or string lexeme stands for.
    fn token(&self, text: &str) -> Token {
        let (start, end) = match self.kind {
            Kind::Str { quote, closed } => {
                let end = if closed { self.end.saturating_sub(quote) } else { self.end };
                ((self.start + quote).min(end), end)
            }
            _ => (self.start, self.end),
        };
        Token { text: text.get(start..end).unwrap_or("").to_owned(), start, end }
    }
}

struct Scanner<'t> {
    text: &'t str,
    pos: usize,
}

impl Scanner<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn next(&mut self) -> Option<Lexeme> {
        loop {
            let ch = self.rest().chars().next()?;
            if ch == ' ' || ch == '\t' || ch == '\r' || ch == '\u{feff}' {
                self.pos += ch.len_utf8();
            } else {
                break;
            }
        }
        let start = self.pos;
        let rest = self.rest();
        let ch = rest.chars().next()?;
        let kind = match ch {
            '\n' => {
                self.pos += 1;
                Kind::Newline
            }
            '#' => {
                self.pos += rest.find('\n').unwrap_or(rest.len());
                Kind::Comment
            }
            '"' | '\'' => self.string(ch),
            '[' | ']' | '{' | '}' | ',' | '=' | '.' => {
                self.pos += 1;
                Kind::Punct(ch)
            }
            _ => {
                let stop = |c: char| c.is_whitespace() || "[]{},=#\"'.".contains(c);
                self.pos += rest.find(stop).unwrap_or(rest.len());
                Kind::Bare
            }
        };
        Some(Lexeme { kind, start, end: self.pos })
    }

    /// A string starting at the current position with quote `quote`.
    fn string(&mut self, quote: char) -> Kind {
        let rest = self.rest();
        let triple: String = std::iter::repeat_n(quote, 3).collect();
        let multiline = rest.starts_with(&triple);
        let open = if multiline { 3 } else { 1 };
        let body = rest.get(open..).unwrap_or("");
        let mut escaped = false;
        for (index, c) in body.char_indices() {
            if escaped {
                escaped = false;
                continue;
            }
            if c == '\\' && quote == '"' {
                escaped = true;
            } else if c == '\n' && !multiline {
                self.pos += open + index;
                return Kind::Str { quote: open, closed: false };
            } else if c == quote && (!multiline || body.get(index..).is_some_and(|tail| tail.starts_with(&triple))) {
                self.pos += open + index + open;
                return Kind::Str { quote: open, closed: true };
            }
        }
        self.pos += rest.len();
        Kind::Str { quote: open, closed: false }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Expect {
    /// A key (at the start of a line, or after `{` or `,` in an inline table).
    #[default]
    Key,
    /// `.` or `=` after a key segment.
    KeyDot,
    /// A value (after `=`, or in an array).
    Value,
    /// Nothing in particular: after a value or a header.
    AfterValue,
}

#[derive(Clone, Debug)]
enum Frame {
    /// An array: elements take its path.
    Array(Vec<String>),
    /// An inline table: keys go under its path.
    Inline(Vec<String>),
}

#[derive(Clone, Debug, Default)]
struct HeaderState {
    segments: Vec<String>,
    expect_segment: bool,
}

#[derive(Debug, Default)]
struct State {
    table: Vec<String>,
    frames: Vec<Frame>,
    expect: Expect,
    dotted: Vec<String>,
    value_path: Vec<String>,
    header: Option<HeaderState>,
    /// Keys written so far at each depth (0: the current section).
    keys: Vec<Vec<String>>,
}

/// What applying a lexeme did, for the collection of existing keys.
enum Event {
    Key(String),
    Header,
    Other,
}

impl State {
    /// The path of the table keys go into here: the innermost inline table, else the header's.
    fn container(&self) -> Vec<String> {
        match self.frames.last() {
            Some(Frame::Inline(path)) => path.clone(),
            _ => self.table.clone(),
        }
    }

    fn existing(&self) -> Vec<String> {
        self.keys.get(self.frames.len()).cloned().unwrap_or_default()
    }

    fn gap_context(&self) -> TomlContext {
        self.context(None, false)
    }

    fn token_context(&self, text: &str, lexeme: &Lexeme) -> TomlContext {
        if lexeme.kind == Kind::Comment {
            return TomlContext::Nothing;
        }
        self.context(Some(lexeme.token(text)), matches!(lexeme.kind, Kind::Str { .. }))
    }

    /// What the cursor is on, given the token under it (none in a gap between tokens) and
    /// whether that token is a string.
    fn context(&self, token: Option<Token>, in_string: bool) -> TomlContext {
        if let Some(header) = &self.header {
            return if header.expect_segment {
                TomlContext::Header { path: header.segments.clone(), token }
            } else {
                TomlContext::Nothing
            };
        }
        match self.expect {
            Expect::Key => {
                let mut table = self.container();
                table.extend(self.dotted.iter().cloned());
                TomlContext::Key { table, token, existing: self.existing() }
            }
            Expect::Value => {
                let string = token.filter(|_| in_string);
                TomlContext::Value { path: self.value_path.clone(), string }
            }
            Expect::KeyDot | Expect::AfterValue => TomlContext::Nothing,
        }
    }

    fn push(&mut self, frame: Frame) {
        self.frames.push(frame);
        self.keys.truncate(self.frames.len());
        while self.keys.len() <= self.frames.len() {
            self.keys.push(Vec::new());
        }
    }

    fn pop(&mut self) {
        self.frames.pop();
        self.keys.truncate(self.frames.len() + 1);
        self.expect = Expect::AfterValue;
    }

    fn apply(&mut self, text: &str, lexeme: &Lexeme) -> Event {
        if self.keys.is_empty() {
            self.keys.push(Vec::new());
        }
        if let Some(header) = &mut self.header {
            match lexeme.kind {
                Kind::Punct('[') if header.segments.is_empty() => {}
                Kind::Punct('.') => header.expect_segment = true,
                Kind::Bare | Kind::Str { .. } if header.expect_segment => {
                    header.segments.push(lexeme.token(text).text);
                    header.expect_segment = false;
                }
                Kind::Punct(']') | Kind::Newline => {
                    self.table = std::mem::take(&mut header.segments);
                    self.header = None;
                    self.expect = if lexeme.kind == Kind::Newline { Expect::Key } else { Expect::AfterValue };
                }
                _ => {}
            }
            return Event::Other;
        }
        match lexeme.kind {
            Kind::Comment => Event::Other,
            Kind::Newline => {
                if self.frames.is_empty() {
                    self.expect = Expect::Key;
                    self.dotted.clear();
                }
                Event::Other
            }
            Kind::Punct('[') if self.frames.is_empty() && self.expect == Expect::Key && self.dotted.is_empty() => {
                self.header = Some(HeaderState { segments: Vec::new(), expect_segment: true });
                self.keys = vec![Vec::new()];
                Event::Header
            }
            Kind::Bare | Kind::Str { .. } => match self.expect {
                Expect::Key => {
                    self.dotted.push(lexeme.token(text).text);
                    self.expect = Expect::KeyDot;
                    Event::Other
                }
                Expect::Value => {
                    self.expect = Expect::AfterValue;
                    Event::Other
                }
                Expect::KeyDot | Expect::AfterValue => Event::Other,
            },
            Kind::Punct('.') if self.expect == Expect::KeyDot => {
                self.expect = Expect::Key;
                Event::Other
            }
            Kind::Punct('=') if self.expect == Expect::KeyDot => {
                let mut path = self.container();
                path.extend(self.dotted.iter().cloned());
                let key = self.dotted.first().cloned().unwrap_or_default();
                if let Some(keys) = self.keys.get_mut(self.frames.len()) {
                    keys.push(key.clone());
                }
                self.value_path = path;
                self.dotted.clear();
                self.expect = Expect::Value;
                Event::Key(key)
            }
            Kind::Punct('[') if self.expect == Expect::Value => {
                self.push(Frame::Array(self.value_path.clone()));
                self.expect = Expect::Value;
                Event::Other
            }
            Kind::Punct('{') if self.expect == Expect::Value => {
                self.push(Frame::Inline(self.value_path.clone()));
                self.expect = Expect::Key;
                self.dotted.clear();
                Event::Other
            }
            Kind::Punct(']') if matches!(self.frames.last(), Some(Frame::Array(_))) => {
                self.pop();
                Event::Other
            }
            Kind::Punct('}') if matches!(self.frames.last(), Some(Frame::Inline(_))) => {
                self.pop();
                Event::Other
            }
            Kind::Punct(',') => {
                match self.frames.last() {
                    Some(Frame::Array(path)) => {
                        self.value_path = path.clone();
                        self.expect = Expect::Value;
                    }
                    Some(Frame::Inline(_)) => {
                        self.expect = Expect::Key;
                        self.dotted.clear();
                    }
                    None => {}
                }
                Event::Other
            }
            Kind::Punct(_) => Event::Other,
        }
    }
}
