//! `trustcheck fmt [PATH…] [--check]`: lay policy files out canonically, in place.
//!
//! A file is written only when its layout changes, atomically (a new file beside it, with
//! the same permissions, renamed over it), and never when it does not parse: its syntax
//! errors are reported and the run exits 2. `--check` writes nothing and prints a unified
//! diff of each file that would change (exit 1).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;

use crate::formatter::{FormatError, format};
use crate::project::discover::{FoundFiles, files_for};
use crate::report::human::{self, HumanOptions};
use crate::report::{FileKind, FileReport, FileStatus, Report, Summary};
use crate::run::{Decoded, Input, decode};
use crate::source::{FileId, Origin, SourceMap};

use super::Context;
use super::atomic::write_atomically;
use super::options::ReportArgs;
use super::output::{emit_report, project, write_out};

/// Flags of `fmt`.
#[derive(Clone, Debug, Default, Args)]
pub struct FmtArgs {
    /// Policy files, or folders searched for `*.policy` (default: the project's folder, where
    /// `trustcheck.toml` is, else the working folder).
    pub paths: Vec<PathBuf>,
    /// Write nothing: print a diff of each file that would change, and exit 1 if any would.
    #[arg(long)]
    pub check: bool,
}

/// What became of one file.
enum Outcome {
    Unchanged,
    Changed,
    Failed,
}

/// Runs `fmt` and returns its exit code: 0 when every file is (or now is) formatted, 1 with
/// `--check` when some file is not, 2 when a file cannot be read or parsed.
pub fn run(args: &FmtArgs, context: &mut Context<'_>) -> u8 {
    let files = match files(args, context) {
        Ok(files) => files,
        Err(code) => return code,
    };
    let (mut changed, mut failed) = (0usize, 0usize);
    for (display, path) in &files {
        match format_file(display, path, args.check, context) {
            Outcome::Unchanged => {}
            Outcome::Changed => changed += 1,
            Outcome::Failed => failed += 1,
        }
    }
    let total = files.len();
    let summary = if args.check {
        format!("{changed} of {total} policy files would be reformatted\n")
    } else {
        format!("{changed} of {total} policy files reformatted\n")
    };
    let _ = context.stderr.write_all(summary.as_bytes());
    if failed > 0 {
        2
    } else if args.check && changed > 0 {
        1
    } else {
        0
    }
}

/// The policy files to format, as (path as shown, path to open), or the exit code of a
/// project file that cannot be used or a folder that cannot be searched.
fn files(args: &FmtArgs, context: &mut Context<'_>) -> Result<Vec<(String, PathBuf)>, u8> {
    let project = match project(context) {
        Ok(project) => project,
        Err(error) => {
            let report = error.into_report(crate::clock::today());
            return Err(emit_report(&report, &ReportArgs::default(), context));
        }
    };
    let (display, root) = match &project {
        Some(project) => (project.root_display.clone(), project.root.clone()),
        None => (".".to_owned(), context.cwd.clone()),
    };
    let is_policy = |name: &str| name.ends_with(".policy");
    let FoundFiles { files, problems } = files_for(&context.cwd, &args.paths, (&display, &root), &is_policy);
    if problems.is_empty() {
        return Ok(files);
    }
    for (folder, reason) in problems {
        let _ = writeln!(context.stderr, "error: cannot search `{}`: {reason}", crate::sanitize::line(&folder));
    }
    Err(2)
}

fn format_file(display: &str, path: &Path, check: bool, context: &mut Context<'_>) -> Outcome {
    let mut input = Input::read(path);
    input.name = display.to_owned();
    let text = match decode(input) {
        Decoded::Text(_, text) => text,
        Decoded::Unreadable(name, diagnostic) => {
            report_problem(&name, None, vec![*diagnostic], context);
            return Outcome::Failed;
        }
    };
    let formatted = match format(&text, FileId(0)) {
        Ok(formatted) => formatted,
        Err(FormatError::Syntax(diagnostics)) => {
            report_problem(display, Some(&text), diagnostics, context);
            return Outcome::Failed;
        }
        Err(FormatError::Unsound(why)) => {
            let message = format!("error: `{display}` was left as it is: {why}; please report this as a defect\n");
            let _ = context.stderr.write_all(message.as_bytes());
            return Outcome::Failed;
        }
    };
    if formatted == text {
        return Outcome::Unchanged;
    }
    if check {
        let diff = similar::TextDiff::from_lines(text.as_str(), formatted.as_str())
            .unified_diff()
            .context_radius(3)
            .header(display, display)
            .to_string();
        write_out(context, &diff);
        return Outcome::Changed;
    }
    match write_atomically(path, &formatted) {
        Ok(()) => Outcome::Changed,
        Err(error) => {
            let message = format!("error: cannot write `{display}`: {error}\n");
            let _ = context.stderr.write_all(message.as_bytes());
            Outcome::Failed
        }
    }
}

/// Reports why a file was left as it is, as a report of that one policy file.
fn report_problem(
    name: &str,
    text: Option<&str>,
    mut diagnostics: Vec<crate::diagnostic::Diagnostic>,
    context: &mut Context<'_>,
) {
    let mut sources = SourceMap::new();
    if let Some(text) = text {
        let file = sources.add(name.to_owned(), text.to_owned(), Origin::Disk);
        for diagnostic in &mut diagnostics {
            diagnostic.move_spans(&|mut span| {
                span.file = file;
                span
            });
        }
    }
    let errors = diagnostics.len();
    let file = FileReport {
        path: name.to_owned(),
        kind: FileKind::Policy,
        status: FileStatus::Error,
        summary: Summary { errors, ..Summary::default() },
        diagnostics,
        outcomes: Vec::new(),
        suppressed: Vec::new(),
    };
    let report =
        Report { as_of: crate::clock::today(), rules: Vec::new(), files: vec![file], sources: Arc::new(sources) };
    let options = HumanOptions { color: false, width: 100, verbose: false };
    let _ = context.stderr.write_all(human::render(&report, &options).as_bytes());
}
