//! The command line: flag parsing and one module per command, each callable from tests.
//!
//! `main.rs` parses a [`Cli`] and calls [`Command::run`] with a [`Context`] holding the
//! working folder and the output streams; every command returns its exit code (0, 1 or 2,
//! see the command-line design, `cli.md`). Check and validate take their exit code from
//! [`Report::exit_code`](crate::report::Report::exit_code) alone.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod atomic;
pub mod check;
pub mod compare;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod fmt;
mod held;
pub mod impact;
pub mod init;
pub mod lsp;
pub mod options;
mod output;
pub mod rules;
pub mod schema;
pub mod test;
pub mod timeline;
pub mod validate;

/// Check proposed constitutions of council-owned bodies against governance policies.
#[derive(Debug, Parser)]
#[command(name = "trustcheck", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check constitutions (TOML files, or folders searched for them) against the policy set.
    Check(check::CheckArgs),
    /// Parse and type-check the policy set alone.
    Validate(validate::ValidateArgs),
    /// List every rule of the policy set.
    Rules(rules::RulesArgs),
    /// Show a rule's title, documentation, citations and source.
    Explain(explain::ExplainArgs),
    /// Write the constitution format as a JSON Schema for TOML editors (`--json-schema`).
    Schema(schema::SchemaArgs),
    /// Run the language server over stdin and stdout.
    Lsp(lsp::LspArgs),
    /// Run the policy tests of `*.tests.toml` files.
    Test(test::TestArgs),
    /// Compare options side by side: the appraisal matrix and a weighted score per option.
    Compare(compare::CompareArgs),
    /// What changed between two drafts of a constitution: fields and findings.
    Diff(diff::DiffArgs),
    /// Which constitutions change outcome, rule by rule, when the policy set changes.
    Impact(impact::ImpactArgs),
    /// Scaffold a council's project: trustcheck.toml, a local policy, a tests file, a workflow.
    Init(init::InitArgs),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
    /// The dated events of a constitution in order: going live, contract terms, market tests, deadlines.
    Timeline(timeline::TimelineArgs),
    /// Lay policy files out canonically, keeping every comment (`--check`: report, write nothing).
    Fmt(fmt::FmtArgs),
}

impl Command {
    /// Runs the command and returns its exit code.
    pub fn run(&self, context: &mut Context<'_>) -> u8 {
        #[cfg(debug_assertions)]
        crate::test_defect::stop_at("command");
        match self {
            Command::Check(args) => check::run(args, context),
            Command::Validate(args) => validate::run(args, context),
            Command::Rules(args) => rules::run(args, context),
            Command::Explain(args) => explain::run(args, context),
            Command::Schema(args) => schema::run(args, context),
            Command::Lsp(args) => lsp::run(args, context),
            Command::Test(args) => test::run(args, context),
            Command::Compare(args) => compare::run(args, context),
            Command::Diff(args) => diff::run(args, context),
            Command::Impact(args) => impact::run(args, context),
            Command::Init(args) => init::run(args, context),
            Command::Completions(args) => completions::run(args, context),
            Command::Fmt(args) => fmt::run(args, context),
            Command::Timeline(args) => timeline::run(args, context),
        }
    }
}

/// Where a command runs: its working folder, its output streams and what they are.
pub struct Context<'a> {
    /// The folder relative paths are resolved against (and `trustcheck.toml` searched from).
    pub cwd: PathBuf,
    /// Where results go.
    pub stdout: &'a mut dyn Write,
    /// Where the `as_of` line of the one-line formats, notes and usage errors go.
    pub stderr: &'a mut dyn Write,
    /// Whether stdout is a terminal (for `--color auto`).
    pub stdout_is_terminal: bool,
    /// Whether `NO_COLOR` is set to a non-empty value (for `--color auto`).
    pub no_color: bool,
    /// The terminal's width when stdout is a terminal (human output wraps at 100 otherwise).
    pub terminal_width: Option<usize>,
}

impl<'a> Context<'a> {
    /// A context for tests and embedders: the given folder and streams, not a terminal.
    pub fn new(cwd: impl Into<PathBuf>, stdout: &'a mut dyn Write, stderr: &'a mut dyn Write) -> Self {
        Context { cwd: cwd.into(), stdout, stderr, stdout_is_terminal: false, no_color: false, terminal_width: None }
    }

    /// The context of this process: its current folder, the given streams (normally the
    /// locked stdout and the unlocked stderr), and what `NO_COLOR` and the terminal say.
    pub fn from_process(stdout: &'a mut dyn Write, stderr: &'a mut dyn Write) -> Self {
        use std::io::IsTerminal;
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let terminal_width = if stdout_is_terminal {
            terminal_size::terminal_size().map(|(width, _)| usize::from(width.0)).filter(|&width| width >= 40)
        } else {
            None
        };
        Context {
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            stdout,
            stderr,
            stdout_is_terminal,
            no_color: std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty()),
            terminal_width,
        }
    }
}

/// The exit code for a clap error: 0 for `--help` and `--version`, 2 for usage errors.
pub fn clap_exit_code(error: &clap::Error) -> u8 {
    if error.use_stderr() { 2 } else { 0 }
}

/// Parses `args` (the program name first) and runs the command; usage errors, `--help`
/// and `--version` are written to the context's streams. Returns the exit code.
pub fn run_args<I, T>(args: I, context: &mut Context<'_>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => cli.command.run(context),
        Err(error) => {
            let text = error.render().to_string();
            let stream = if error.use_stderr() { &mut *context.stderr } else { &mut *context.stdout };
            let _ = stream.write_all(text.as_bytes());
            clap_exit_code(&error)
        }
    }
}
