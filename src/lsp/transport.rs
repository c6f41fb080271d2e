//! The wire: JSON-RPC messages framed by `Content-Length` headers, read on a thread of their
//! own and written by the main loop.
//!
//! The reader forgives what `lsp-server`'s own stdio transport does not: a malformed header,
//! a body that is not JSON or not a message, an oversized frame. Each becomes an
//! [`Incoming::Malformed`] for the main loop to answer or log, and reading goes on with the
//! next frame. Only the end of the input stops it.

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::mpsc::{Receiver, Sender, channel};

use lsp_server::Message;
use serde_json::Value;

/// The largest message body accepted; larger frames are skipped.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// The longest header line read before the line is judged malformed.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// JSON-RPC's code for a body that is not JSON.
pub const PARSE_ERROR: i32 = -32700;

/// JSON-RPC's code for JSON that is not a request, response or notification.
pub const INVALID_REQUEST: i32 = -32600;

/// What the reader hands the main loop.
#[derive(Debug)]
pub enum Incoming {
    /// A well-formed message.
    Message(Message),
    /// A message that was well formed once repaired: the warning says how.
    Repaired {
        /// The message.
        message: Message,
        /// What was repaired, for the user.
        warning: String,
    },
    /// Something that is not a message.
    Malformed {
        /// The request id, if the body was JSON with an `id`: the error answers it.
        id: Option<Value>,
        /// The JSON-RPC error code, or `None` for a framing problem (nothing to answer).
        code: Option<i32>,
        /// What was wrong.
        reason: String,
    },
}

/// Starts the reader thread on `input`; the channel closes at the end of the input.
pub fn spawn_reader(input: Box<dyn Read + Send>) -> std::io::Result<Receiver<Incoming>> {
    let (sender, receiver) = channel();
    std::thread::Builder::new().name("lsp-reader".into()).spawn(move || {
        let mut reader = BufReader::new(input);
        read_loop(&mut reader, &sender);
    })?;
    Ok(receiver)
}

/// Reads frames until the input ends or nobody listens.
pub fn read_loop(reader: &mut dyn BufRead, sender: &Sender<Incoming>) {
    loop {
        let incoming = match read_frame(reader) {
            Frame::End => return,
            Frame::Bad(reason) => Incoming::Malformed { id: None, code: None, reason },
            Frame::Body(body) => parse(&body),
        };
        if sender.send(incoming).is_err() {
            return;
        }
    }
}

/// One frame read from the input.
enum Frame {
    Body(Vec<u8>),
    Bad(String),
    End,
}

fn read_frame(reader: &mut dyn BufRead) -> Frame {
    let mut length: Option<usize> = None;
    let mut problem: Option<String> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        match Read::take(&mut *reader, MAX_HEADER_LINE).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Frame::End,
            Ok(_) => {}
        }
        let complete = line.ends_with(b"\n");
        while line.last().is_some_and(|byte| *byte == b'\n' || *byte == b'\r') {
            line.pop();
        }
        if line.is_empty() && complete {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        let text = String::from_utf8_lossy(&line);
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(value) => length = Some(value),
                    Err(_) => problem = Some(format!("bad Content-Length header `{}`", abbreviate(&text))),
                }
            }
            Some(_) => {}
            None => problem = Some(format!("malformed header line `{}`", abbreviate(&text))),
        }
    }
    let Some(length) = length else {
        return Frame::Bad(problem.unwrap_or_else(|| "a message without a Content-Length header".to_owned()));
    };
    if length > MAX_MESSAGE_BYTES {
        let _ = std::io::copy(&mut Read::take(&mut *reader, length as u64), &mut std::io::sink());
        return Frame::Bad(format!("a message of {length} bytes, over the limit of {MAX_MESSAGE_BYTES}"));
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return Frame::End;
    }
    match problem {
        Some(problem) => Frame::Bad(problem),
        None => Frame::Body(body),
    }
}

/// The first 60 characters of a line, for a log message.
fn abbreviate(text: &str) -> String {
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() { format!("{short}…") } else { short }
}

/// Parses a frame's body into a message.
fn parse(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            // An editor's buffer can hold an unpaired UTF-16 surrogate, which JSON text
            // cannot carry; dropping the change would leave the server out of step with the
            // editor, so the surrogate is read as U+FFFD (also one UTF-16 unit) and reported.
            if let Some(Ok(value)) = repair_surrogates(body).map(|repaired| serde_json::from_slice::<Value>(&repaired))
            {
                return match serde_json::from_value::<Message>(value) {
                    Ok(message) => Incoming::Repaired {
                        message,
                        warning: "the editor sent text with an unpaired UTF-16 surrogate; trustcheck reads it as \
                                  U+FFFD (the replacement character) so that positions stay in step"
                            .to_owned(),
                    },
                    Err(error) => Incoming::Malformed {
                        id: None,
                        code: Some(INVALID_REQUEST),
                        reason: format!("the message is not a JSON-RPC request, response or notification: {error}"),
                    },
                };
            }
            let reason = format!("the message is not JSON: {error}");
            return Incoming::Malformed { id: None, code: Some(PARSE_ERROR), reason };
        }
    };
    let id = value.get("id").cloned();
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(error) => {
            let reason = format!("the message is not a JSON-RPC request, response or notification: {error}");
            Incoming::Malformed { id, code: Some(INVALID_REQUEST), reason }
        }
    }
}

/// `body` with every `\\u` escape of an unpaired UTF-16 surrogate replaced by `\\ufffd`;
/// `None` when there is none.
fn repair_surrogates(body: &[u8]) -> Option<Vec<u8>> {
    let hex = |at: usize| -> Option<u32> {
        let digits = body.get(at..at + 4)?;
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    let escape_at = |at: usize| -> Option<u32> {
        if body.get(at) == Some(&b'\\') && body.get(at + 1) == Some(&b'u') { hex(at + 2) } else { None }
    };
    let mut out = Vec::with_capacity(body.len());
    let mut repaired = false;
    let mut index = 0;
    while let Some(&byte) = body.get(index) {
        if byte != b'\\' {
            out.push(byte);
            index += 1;
            continue;
        }
        match escape_at(index) {
            Some(0xD800..=0xDBFF) if escape_at(index + 6).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low)) => {
                out.extend_from_slice(body.get(index..index + 12)?);
                index += 12;
            }
            Some(0xD800..=0xDFFF) => {
                out.extend_from_slice(b"\\ufffd");
                repaired = true;
                index += 6;
            }
            _ => {
                // Any other escape: the backslash and the character after it.
                out.extend_from_slice(body.get(index..(index + 2).min(body.len()))?);
                index += 2;
            }
        }
    }
    repaired.then_some(out)
}

/// Writes one message (already JSON) with its `Content-Length` header and flushes.
pub fn write_message(output: &mut dyn Write, body: &str) -> std::io::Result<()> {
    write!(output, "Content-Length: {}\r\n\r\n", body.len())?;
    output.write_all(body.as_bytes())?;
    output.flush()
}
