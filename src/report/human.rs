//! The `human` output format: miette's graphical report, one per finding, then a summary
//! line per file and the date rules were judged at.
//!
//! The handler is built explicitly (fixed theme, width, no hyperlinks, no URLs in the
//! header since the help line carries the citation's link), so that plain output depends
//! on nothing but the report: it is what snapshots record.

use miette::{GraphicalReportHandler, GraphicalTheme};
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use super::adapter::view;
use super::common::{citation_line, count, flatten, locate, others_decided, waiver_line};
use super::{Diagnostic, FileKind, FileReport, FileStatus, Outcome, Report, RuleInfo, Severity};
use crate::sanitize;
use crate::source::SourceMap;

/// Options for the human renderer.
#[derive(Clone, Debug)]
pub struct HumanOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Width to wrap at.
    pub width: usize,
    /// List passed and not-applicable outcomes too, and show every finding in full.
    pub verbose: bool,
}

impl HumanOptions {
    /// Plain, byte-stable output at 100 columns.
    pub fn plain() -> Self {
        HumanOptions { color: false, width: 100, verbose: false }
    }
}

/// Renders a report for a person.
pub fn render(report: &Report, options: &HumanOptions) -> String {
    let policy_report = !report.files.is_empty() && report.files.iter().all(|file| file.kind != FileKind::Constitution);
    if policy_report {
        let mut out = String::new();
        render_policy_report(&mut out, &handler(options), report, options);
        return out;
    }
    let constitutions = report.files.iter().filter(|file| file.kind == FileKind::Constitution).count();
    let sections = Sections::new(options, constitutions);
    // Each file's section is rendered on its own, on every core when there are several (one
    // file does not start the thread pool), and written in order.
    let section = |file: &FileReport| sections.render(&report.sources, &report.rules, file);
    let rendered: Vec<Section> = if report.files.len() < 2 {
        report.files.iter().map(section).collect()
    } else {
        report.files.par_iter().map(section).collect()
    };
    let mut gathered = Gathered::default();
    let texts: Vec<String> = rendered.into_iter().map(|section| gathered.push(section)).collect();
    let (head, tail) = gathered.finish(&sections, report.as_of);
    [head].into_iter().chain(texts).chain([tail]).collect()
}

/// miette's handler, built explicitly so that plain output depends on nothing but the report.
fn handler(options: &HumanOptions) -> GraphicalReportHandler {
    let theme = if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_urls(false)
        .with_context_lines(1)
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .without_syntax_highlighting()
}

/// Renders the sections of a report over a run of constitutions, one file at a time, on
/// whichever core checked the file: what [`render`] does for a whole report, and
/// `check` for a run it writes as the files are checked.
#[derive(Debug)]
pub struct Sections {
    handler: GraphicalReportHandler,
    options: HumanOptions,
    /// One constitution's errors are shown with its text; over several, every finding is in
    /// brief (all in full with `--verbose`), so that the report stays one an officer reads.
    errors_in_full: bool,
}

impl Sections {
    /// The renderer for a run of `constitutions` constitutions.
    pub fn new(options: &HumanOptions, constitutions: usize) -> Self {
        Sections { handler: handler(options), options: options.clone(), errors_in_full: constitutions < 2 }
    }

    /// One file's section, its spans pointing into `sources`, its rules' titles (listed with
    /// `--verbose`) found in `rules`.
    pub fn render(&self, sources: &SourceMap, rules: &[RuleInfo], file: &FileReport) -> Section {
        let mut text = String::new();
        render_file(&mut text, &self.handler, sources, rules, file, &self.options, self.errors_in_full);
        text.push('\n');
        let constitution = (file.kind == FileKind::Constitution).then(|| (file.path.clone(), Tally::of(file)));
        Section { text, constitution, corrections: corrections(file) }
    }
}

/// One file's part of a human report, rendered on its own.
#[derive(Debug)]
pub struct Section {
    /// Its findings and summary line.
    text: String,
    /// For a constitution, its path and what its verdict shows (a policy file has none).
    constitution: Option<(String, Tally)>,
    /// The corrections `--fix` can make to it.
    corrections: usize,
}

/// What the run's verdicts, which open a report, need of each constitution, gathered in
/// order as the sections are rendered: its path, whether it was checked, and its counts by
/// severity, packed (a few dozen bytes a constitution, its path in one shared string), so
/// that a run over many thousands holds little. Neither a file's report nor its section is
/// held here: the section's text goes back to whoever writes the report.
#[derive(Debug, Default)]
pub struct Gathered {
    /// Every constitution's path, one after another.
    paths: String,
    /// Each constitution's verdict, in the order given.
    verdicts: Vec<Verdict>,
    /// Whether any file came in (a policy file, or a constitution).
    any_file: bool,
    /// The corrections `--fix` can make, over every file.
    corrections: usize,
}

/// One constitution as the verdicts show it; its path ends at `path_end` in
/// [`Gathered::paths`], where the one before it ends.
#[derive(Clone, Copy, Debug)]
struct Verdict {
    path_end: usize,
    tally: Tally,
}

/// What a constitution's verdict shows besides its path: whether it was checked, and its
/// diagnostics by severity.
#[derive(Clone, Copy, Debug)]
struct Tally {
    /// False when it could not be read or parsed.
    checked: bool,
    errors: usize,
    warnings: usize,
    notes: usize,
}

impl Tally {
    /// The tally of a file's report.
    fn of(file: &FileReport) -> Self {
        Tally {
            checked: file.status == FileStatus::Checked,
            errors: file.summary.errors,
            warnings: file.summary.warnings,
            notes: file.summary.notes,
        }
    }

    /// `not checked`, `pass` or `fail`.
    fn word(&self) -> &'static str {
        match (self.checked, self.errors) {
            (false, _) => "not checked",
            (true, 0) => "pass",
            (true, _) => "fail",
        }
    }
}

impl Gathered {
    /// Takes in the next file's section, and gives back its text.
    pub fn push(&mut self, section: Section) -> String {
        self.any_file = true;
        if let Some((path, tally)) = section.constitution {
            self.paths.push_str(&path);
            self.verdicts.push(Verdict { path_end: self.paths.len(), tally });
        }
        self.corrections += section.corrections;
        section.text
    }

    /// Each constitution's path and verdict, in the order given.
    fn constitutions(&self) -> impl Iterator<Item = (&str, &Tally)> {
        self.verdicts.iter().scan(0, |start, verdict| {
            let path = self.paths.get(*start..verdict.path_end).unwrap_or_default();
            *start = verdict.path_end;
            Some((path, &verdict.tally))
        })
    }

    /// Each constitution's tally, in the order given.
    fn tallies(&self) -> impl Iterator<Item = &Tally> {
        self.verdicts.iter().map(|verdict| &verdict.tally)
    }

    /// What comes before the sections and what comes after them: over several constitutions
    /// the verdicts first, so that an officer can stop reading there; after the sections the
    /// same line again, where a terminal leaves it in view, the corrections `--fix` can make
    /// and the date rules were judged at.
    pub fn finish(self, sections: &Sections, as_of: jiff::civil::Date) -> (String, String) {
        let closing = self.closing_summary();
        let mut head = String::new();
        if let Some(line) = &closing {
            head.push_str(line);
            head.push('\n');
            head.push_str(&self.overview(sections.options.verbose));
            head.push('\n');
        }
        let mut tail = String::new();
        if !self.any_file {
            tail.push_str("no files were checked\n");
        }
        if let Some(line) = closing {
            tail.push_str(&line);
            tail.push('\n');
        }
        if let Some(line) = fixable_line(self.corrections) {
            tail.push_str(&line);
            tail.push('\n');
        }
        tail.push_str(&format!("rules judged as of {as_of}\n"));
        (head, tail)
    }
}

/// How many corrections `--fix` can make to the built-in problems of one file (a value in the
/// wrong notation, a list entry written as a single table). Problems that share one fix count
/// once. A failed rule's fix is a decision for the officer (it sets the value the rule asks
/// for), so it is offered where the finding is, in the editor and the JSON, and not counted.
fn corrections(file: &FileReport) -> usize {
    let mut edits: Vec<(crate::source::Span, &str)> = file
        .diagnostics
        .iter()
        .filter(|d| d.code.builtin().is_some())
        .filter_map(|d| d.fixes.first()?.edits.first())
        .map(|edit| (edit.span, edit.text.as_str()))
        .collect();
    edits.sort();
    edits.dedup();
    edits.len()
}

/// "`--fix` can make 2 corrections to the problems above", when there are any.
fn fixable_line(corrections: usize) -> Option<String> {
    match corrections {
        0 => None,
        1 => Some("`--fix` can make 1 correction to the problems above".into()),
        many => Some(format!("`--fix` can make {many} corrections to the problems above")),
    }
}

fn render_file(
    out: &mut String,
    handler: &GraphicalReportHandler,
    sources: &SourceMap,
    rules: &[RuleInfo],
    file: &FileReport,
    options: &HumanOptions,
    errors_in_full: bool,
) {
    let verbose = options.verbose;
    for diagnostic in file.diagnostics.iter().filter(|d| d.is_finding()) {
        // Warnings and notes are shown in a few lines, and errors too unless `errors_in_full`
        // (everything in full with `--verbose`).
        let in_full = verbose || (errors_in_full && diagnostic.severity == Severity::Error);
        if !in_full {
            brief(out, sources, file, diagnostic, options);
            out.push('\n');
            continue;
        }
        let mut text = String::new();
        if handler.render_report(&mut text, &view(sources, file, diagnostic, verbose)).is_err() {
            text = format!(
                "{}[{}]: {}\n",
                diagnostic.severity.as_str(),
                diagnostic.code,
                sanitize::line(&diagnostic.message)
            );
        }
        push_tidied(out, &text);
        out.push('\n');
    }
    if verbose {
        for result in
            file.outcomes.iter().filter(|result| matches!(result.outcome, Outcome::Pass | Outcome::NotApplicable))
        {
            let outcome = if result.outcome == Outcome::Pass { "passed" } else { "not applicable" };
            let title = rules
                .iter()
                .find(|rule| *rule.id == *result.rule)
                .map(|rule| format!(": {}", sanitize::line(&flatten(&rule.title))))
                .unwrap_or_default();
            let element = result.element.as_deref().map(|name| format!(" ({name})")).unwrap_or_default();
            out.push_str(&format!("  {outcome}: {}{title}{}\n", result.rule, sanitize::line(&element)));
        }
    }
    out.push_str(&summary_line(file));
    out.push('\n');
}

/// The most values an error in brief names.
const BRIEF_VALUES: usize = 2;

/// A finding in a few lines: what, where, how to fix it and the provision; for an error, the
/// values that decided it.
fn brief(out: &mut String, sources: &SourceMap, file: &FileReport, d: &Diagnostic, options: &HumanOptions) {
    let width = options.width;
    let place = match d.span().and_then(|span| locate(sources, span)) {
        Some(at) => format!("{}:{}:{}", sanitize::line(at.path), at.start.line, at.start.column),
        None => sanitize::line(&file.path).into_owned(),
    };
    let heading = format!("{}[{}]", d.severity.as_str(), d.code);
    out.push_str(&format!("{} at {place}\n", coloured(&heading, d.severity, options.color)));
    let mut wrap = |text: &str, first: &str, rest: &str| {
        let options = textwrap::Options::new(width.max(40))
            .initial_indent(first)
            .subsequent_indent(rest)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        for line in textwrap::wrap(&sanitize::line(&flatten(text)), options) {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    };
    wrap(&d.message, "  ", "  ");
    // An error, the finding that must be mended, names the values that decided it, which the
    // full form shows in the constitution's text.
    let values = if d.severity == Severity::Error { decided_by(sources, d) } else { String::new() };
    if !values.is_empty() {
        wrap(&values, "  decided by: ", "              ");
    }
    if let Some(help) = &d.help {
        wrap(help, "  help: ", "        ");
    }
    if let Some(waiver) = &d.waiver {
        wrap(&format!("waived: {}", waiver_line(waiver)), "        ", "        ");
    }
    if let Some(setting) = &d.setting {
        wrap(&setting.description, "        ", "        ");
    }
    if let Some(citation) = &d.citation {
        wrap(&format!("see: {}", citation_line(citation)), "        ", "        ");
    }
}

/// A finding's heading in its severity's colour (bold red, yellow or cyan, as the full form
/// shows it), or as it is.
fn coloured(heading: &str, severity: Severity, color: bool) -> String {
    if !color {
        return heading.to_owned();
    }
    let code = match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Note => "1;36",
    };
    format!("\u{1b}[{code}m{heading}\u{1b}[0m")
}

/// The values a finding points at, in the file it is in, with their lines: "`initial_term`
/// is 5 years (line 86)"; the first few, then how many more.
fn decided_by(sources: &SourceMap, d: &Diagnostic) -> String {
    let Some(file) = d.span().map(|span| span.file) else {
        return String::new();
    };
    let values: Vec<String> = d
        .primary
        .iter()
        .chain(&d.labels)
        .filter(|label| label.span.file == file)
        .filter_map(|label| {
            let message = label.message.as_deref()?;
            let line = locate(sources, label.span)?.start.line;
            Some(format!("{message} (line {line})"))
        })
        .collect();
    let mut shown = values.iter().take(BRIEF_VALUES).cloned().collect::<Vec<_>>().join("; ");
    if let Some(others) = others_decided(values.len().saturating_sub(BRIEF_VALUES)) {
        shown.push_str("; ");
        shown.push_str(&others);
    }
    shown
}

/// A policy set's report (`validate`), or a project file's that stopped a run: the problems,
/// each file's summary only when it has any, and one line of totals.
fn render_policy_report(out: &mut String, handler: &GraphicalReportHandler, report: &Report, options: &HumanOptions) {
    for file in &report.files {
        if file.diagnostics.is_empty() {
            continue;
        }
        render_file(out, handler, &report.sources, &report.rules, file, options, true);
        out.push('\n');
    }
    let sum = |pick: fn(&FileReport) -> usize| report.files.iter().map(pick).sum::<usize>();
    let (errors, warnings, notes) = (sum(|f| f.summary.errors), sum(|f| f.summary.warnings), sum(|f| f.summary.notes));
    let verdict = if errors > 0 { "does not validate" } else { "valid" };
    let policy_files = report.files.iter().filter(|file| file.kind == FileKind::Policy).count();
    let subject = match policy_files {
        0 => "project file".to_owned(),
        files => format!("policy set of {}", count(files, "file")),
    };
    out.push_str(&format!(
        "{subject}: {verdict}; {}, {}, {}\n",
        count(errors, "error"),
        count(warnings, "warning"),
        count(notes, "note")
    ));
}

/// Appends miette's output without trailing blanks on any line (they would make plain
/// output depend on nothing visible), and without the bare `Advice:` line miette writes
/// before a related diagnostic that has no code (the rule's source).
fn push_tidied(out: &mut String, text: &str) {
    for line in text.trim_end().lines() {
        let line = line.trim_end();
        if line != "Advice:" {
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// The summary of one file. A constitution reads `PATH: N errors, N warnings, N notes;
/// N passed, N failed, N not applicable, N undetermined, N waived`, or
/// `PATH: could not be checked: N errors, N warnings, N notes`; a policy or project file
/// (which has no rule outcomes) reads `PATH: N errors, N warnings, N notes`, or
/// `PATH: does not validate: …` when it has errors.
pub fn summary_line(file: &FileReport) -> String {
    let s = &file.summary;
    let path = sanitize::line(&file.path);
    let severities =
        format!("{}, {}, {}", count(s.errors, "error"), count(s.warnings, "warning"), count(s.notes, "note"));
    match (file.kind, file.status) {
        (FileKind::Constitution, FileStatus::Error) => format!("{path}: could not be checked: {severities}"),
        (FileKind::Policy | FileKind::Project, FileStatus::Error) => format!("{path}: does not validate: {severities}"),
        (FileKind::Policy | FileKind::Project, FileStatus::Checked) => format!("{path}: {severities}"),
        (FileKind::Constitution, FileStatus::Checked) => format!(
            "{path}: {severities}; {} passed, {} failed, {} not applicable, {} undetermined, {} waived",
            s.passed, s.failed, s.not_applicable, s.undetermined, s.waived
        ),
    }
}

impl Gathered {
    /// One verdict line per constitution, in the order given: `fail`, `pass` or `not checked`,
    /// its path and its diagnostics by severity; then where the details are.
    fn overview(&self, verbose: bool) -> String {
        let width = self.tallies().map(|tally| tally.word().len()).max().unwrap_or(0);
        let mut out = String::new();
        for (path, tally) in self.constitutions() {
            out.push_str(&format!(
                "  {:<width$}  {}: {}, {}, {}\n",
                tally.word(),
                sanitize::line(path),
                count(tally.errors, "error"),
                count(tally.warnings, "warning"),
                count(tally.notes, "note")
            ));
        }
        out.push_str(if verbose {
            "each constitution's findings follow, in full\n"
        } else {
            "each constitution's findings follow in brief (`--verbose` shows them with the constitution's text)\n"
        });
        out
    }

    /// The run in one line, for a run over several constitutions: "7 constitutions: 3 pass,
    /// 3 fail, 1 not checked; 23 errors, 16 warnings; start with PATH (N errors)" (the count
    /// not checked only when there is one). `None` for one file or a policy report.
    fn closing_summary(&self) -> Option<String> {
        let constitutions = self.verdicts.len();
        if constitutions < 2 {
            return None;
        }
        let unchecked = self.tallies().filter(|tally| !tally.checked).count();
        let failing = self.tallies().filter(|tally| tally.checked && tally.errors > 0).count();
        let passing = constitutions - unchecked - failing;
        let total_errors: usize = self.tallies().map(|tally| tally.errors).sum();
        let total_warnings: usize = self.tallies().map(|tally| tally.warnings).sum();
        // A constitution that could not be read or parsed neither passes nor fails: it is
        // counted apart, as its verdict line says.
        let not_checked = if unchecked > 0 { format!(", {unchecked} not checked") } else { String::new() };
        let mut line = format!(
            "{}: {passing} pass, {failing} fail{not_checked}; {}, {}",
            count(constitutions, "constitution"),
            count(total_errors, "error"),
            count(total_warnings, "warning")
        );
        // The file with the most errors first (the first such in the order given).
        let worst = self.constitutions().filter(|(_, tally)| tally.errors > 0).fold(
            None::<(&str, &Tally)>,
            |best, (path, tally)| match best {
                Some(best) if best.1.errors >= tally.errors => Some(best),
                _ => Some((path, tally)),
            },
        );
        if let Some((path, worst)) = worst {
            line.push_str(&format!("; start with {} ({})", sanitize::line(path), count(worst.errors, "error")));
        }
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::{FileKind, FileReport, FileStatus, Gathered, HumanOptions, Section, Sections, Tally};
    use crate::report::Summary;

    fn section(path: &str, kind: FileKind, status: FileStatus, errors: usize) -> Section {
        let summary = Summary { errors, warnings: 1, ..Summary::default() };
        let file = FileReport {
            path: path.to_owned(),
            kind,
            status,
            summary,
            diagnostics: Vec::new(),
            outcomes: Vec::new(),
            suppressed: Vec::new(),
        };
        let constitution = (kind == FileKind::Constitution).then(|| (file.path.clone(), Tally::of(&file)));
        Section { text: format!("[{path}]\n"), constitution, corrections: 0 }
    }

    #[test]
    fn the_verdicts_name_each_constitution_in_order_and_start_with_the_first_of_the_worst() {
        let mut gathered = Gathered::default();
        let texts: Vec<String> = [
            section("a.toml", FileKind::Constitution, FileStatus::Checked, 0),
            section("std/control.policy", FileKind::Policy, FileStatus::Checked, 0),
            section("a longer/path.toml", FileKind::Constitution, FileStatus::Checked, 2),
            section("c.toml", FileKind::Constitution, FileStatus::Error, 1),
            section("d.toml", FileKind::Constitution, FileStatus::Checked, 2),
        ]
        .into_iter()
        .map(|section| gathered.push(section))
        .collect();
        assert_eq!(texts.concat(), "[a.toml]\n[std/control.policy]\n[a longer/path.toml]\n[c.toml]\n[d.toml]\n");
        let (head, tail) = gathered.finish(&Sections::new(&HumanOptions::plain(), 4), jiff::civil::date(2026, 11, 23));
        assert_eq!(
            head,
            "4 constitutions: 1 pass, 2 fail, 1 not checked; 5 errors, 4 warnings; start with a longer/path.toml (2 errors)\n\
             \x20 pass         a.toml: 0 errors, 1 warning, 0 notes\n\
             \x20 fail         a longer/path.toml: 2 errors, 1 warning, 0 notes\n\
             \x20 not checked  c.toml: 1 error, 1 warning, 0 notes\n\
             \x20 fail         d.toml: 2 errors, 1 warning, 0 notes\n\
             each constitution's findings follow in brief (`--verbose` shows them with the constitution's text)\n\n"
        );
        assert!(tail.ends_with("rules judged as of 2026-11-23\n"));
    }

    #[test]
    fn a_run_of_policy_files_alone_has_no_verdicts_and_is_not_empty() {
        let mut gathered = Gathered::default();
        gathered.push(section("std/control.policy", FileKind::Policy, FileStatus::Checked, 0));
        let (head, tail) = gathered.finish(&Sections::new(&HumanOptions::plain(), 0), jiff::civil::date(2026, 11, 23));
        assert_eq!(head, "");
        assert_eq!(tail, "rules judged as of 2026-11-23\n");
    }
}
