//! `trustcheck completions SHELL`: the shell's completion script for trustcheck, generated
//! from the command-line definition (so it always matches the commands and flags).

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::output::write_out;
use super::{Cli, Context};

/// Flags of `completions`.
#[derive(Clone, Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Writes the completion script and returns the exit code.
pub fn run(args: &CompletionsArgs, context: &mut Context<'_>) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "trustcheck", &mut script);
    if write_out(context, &String::from_utf8_lossy(&script)) { 0 } else { 2 }
}
