//! Flags shared by several commands: the policy set, the output format, the date and colour.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use jiff::civil::Date;

/// `--policy PATH`, repeatable.
#[derive(Clone, Debug, Default, Args)]
pub struct PolicyArgs {
    /// A `.policy` file or a folder of them (searched recursively); repeatable. Replaces the
    /// embedded standard library; `std` names the embedded one. Default: what
    /// `trustcheck.toml` says, else `std`.
    #[arg(long = "policy", value_name = "PATH")]
    pub policy: Vec<PathBuf>,
}

/// How check and validate report.
#[derive(Clone, Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The date date-relative rules are judged at (YYYY-MM-DD); default: today.
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// Make warnings (undetermined outcomes included) fatal: exit code 1.
    #[arg(long)]
    pub deny_warnings: bool,
    /// List passed and not-applicable outcomes too, and show every finding in full, with the
    /// constitution's text.
    #[arg(long)]
    pub verbose: bool,
    /// Colour in the human format.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

impl Default for ReportArgs {
    fn default() -> Self {
        ReportArgs {
            format: Format::Human,
            as_of: None,
            deny_warnings: false,
            verbose: false,
            color: ColorChoice::Auto,
        }
    }
}

impl ReportArgs {
    /// The date to judge at: `--as-of`, else today's local date.
    pub fn as_of(&self) -> Date {
        self.as_of.unwrap_or_else(crate::clock::today)
    }
}

/// The output formats of check and validate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// miette's graphical report, then a summary per file.
    Human,
    /// One `PATH:LINE:COL: SEVERITY[CODE]: MESSAGE` line per finding.
    Short,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
}

/// When to colour the human format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never: plain, byte-stable text.
    Never,
}

impl ColorChoice {
    /// Whether to colour, given what the context says about stdout.
    pub fn enabled(self, stdout_is_terminal: bool, no_color: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_is_terminal && !no_color,
        }
    }
}

/// Parses a date written exactly `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(
            |(index, byte)| {
                if index == 4 || index == 7 { byte == b'-' } else { byte.is_ascii_digit() }
            },
        );
    if !shape_ok {
        return Err(format!("`{text}` is not a date written YYYY-MM-DD"));
    }
    text.parse::<Date>().map_err(|error| format!("`{text}` is not a valid date: {error}"))
}
