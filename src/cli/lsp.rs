//! `trustcheck lsp`: the language server, speaking the protocol on stdin and stdout.

#![deny(clippy::print_stdout, clippy::print_stderr)]

use clap::Args;

use super::Context;
use crate::lsp::{ServerOptions, serve};

/// Flags of `lsp`.
#[derive(Clone, Debug, Default, Args)]
pub struct LspArgs {
    /// Speak over stdin and stdout: the only transport, accepted for editors that pass it.
    #[arg(long)]
    pub stdio: bool,
}

/// Runs the language server until the client says `exit` (0 after `shutdown`, else 1).
pub fn run(_args: &LspArgs, context: &mut Context<'_>) -> u8 {
    let options = ServerOptions { cwd: context.cwd.clone(), std_cache: None };
    serve(Box::new(std::io::stdin()), context.stdout, context.stderr, options)
}
