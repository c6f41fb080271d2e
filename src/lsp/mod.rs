//! `trustcheck lsp`: a language server for constitutions and policy files, over stdio.
//!
//! Layout (one module per request or notification, state in one struct, dispatch in one
//! table):
//! - [`transport`]: `Content-Length` framing, read on a thread that survives malformed input;
//! - [`server`]: the lifecycle and the outgoing queue; [`dispatch`]: method → handler;
//! - [`world`]: open documents, the workspace ([`workspace`]) and the policy set built from both;
//! - [`documents`]: `didOpen`, `didChange`, `didClose`, `didSave`, `didChangeWatchedFiles`;
//! - [`diagnostics`], [`hover`], [`definition`], [`completion`]: the features;
//! - [`toml_context`], [`policy_context`], [`describe`]: reading a position, and the
//!   schema look-ups and Markdown the features share; [`uri`]: `file:` URIs.
//!
//! Stdout is the protocol channel: nothing else may print there, hence the lints below. Log
//! lines go to stderr through [`serve`]'s `log` writer only.
//!
//! Diagnostics follow the cost of checking, not a fixed delay: after a change the server
//! first handles every message already waiting (a burst of keystrokes costs one check), and
//! waits for more only as long as its last check took, at most [`DEBOUNCE`] (checking anyway
//! once a stream without pauses has kept it waiting that much longer). A small document
//! is checked again at once; a large one, whose check takes tens of milliseconds, lets the
//! typing settle for about that long.

#![deny(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

pub mod code_actions;
pub mod completion;
pub mod definition;
pub mod describe;
pub mod diagnostics;
pub mod dispatch;
pub mod documents;
pub mod finding_hover;
pub mod formatting;
pub mod hover;
pub mod keywords;
pub mod policy_context;
pub mod references;
pub mod server;
pub mod std_cache;
pub mod symbol_at;
pub mod toml_context;
pub mod transport;
pub mod uri;
pub mod workspace;
pub mod world;

use std::io::{Read, Write};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

pub use server::{Server, ServerOptions};

/// The longest the server waits after a change before it checks again.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// Runs the server on `input` and `output` until `exit` or the end of the input, logging
/// to `log`. Returns the process exit code: 0 after `shutdown` then `exit`, else 1.
pub fn serve(input: Box<dyn Read + Send>, output: &mut dyn Write, log: &mut dyn Write, options: ServerOptions) -> u8 {
    let receiver = match transport::spawn_reader(input) {
        Ok(receiver) => receiver,
        Err(error) => {
            let _ = writeln!(log, "[trustcheck lsp] cannot start reading the input: {error}");
            return 1;
        }
    };
    let mut server = Server::new(options);
    let mut deadline: Option<Instant> = None;
    // How long the last check took: the wait before the next one.
    let mut last_check = Duration::ZERO;
    loop {
        // Messages that keep coming without a pause still get their check, once it is overdue.
        if deadline.is_some_and(|deadline| Instant::now() >= deadline + DEBOUNCE) {
            let started = Instant::now();
            server.flush_diagnostics();
            last_check = started.elapsed();
            deadline = None;
        }
        let next = match deadline {
            Some(deadline) => match receiver.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(incoming) => Some(incoming),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            },
            None => match receiver.recv() {
                Ok(incoming) => Some(incoming),
                Err(_) => break,
            },
        };
        match next {
            Some(incoming) => server.receive(incoming),
            None => {
                let started = Instant::now();
                server.flush_diagnostics();
                last_check = started.elapsed();
                deadline = None;
            }
        }
        if server.has_pending_diagnostics() && deadline.is_none() {
            deadline = Some(Instant::now() + last_check.min(DEBOUNCE));
        }
        for line in server.take_logs() {
            let _ = writeln!(log, "[trustcheck lsp] {line}");
        }
        for message in server.take_outgoing() {
            if transport::write_message(output, &message).is_err() {
                return 1;
            }
        }
        if let Some(code) = server.exit_code() {
            return code;
        }
    }
    1
}
