//! A run: constitutions checked against a policy set, and a policy set validated on its
//! own, each giving a [`Report`]. This is where the pipeline's stages meet: text is decoded
//! ([`crate::run`]), loaded into a document ([`crate::loader`]), judged ([`crate::engine`])
//! and gathered into the report the renderers show ([`crate::report`]).

use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{BuiltinCode, Diagnostic, Outcome, Severity};
use crate::engine::{Judgement, judge};
use crate::eval::WorkLimit;
use crate::loader;
use crate::policy::PolicySet;
use crate::report::{FileKind, FileReport, FileStatus, Report, RuleInfo, RuleResult, Summary};
use crate::run::{CheckOptions, Decoded, Input, decode};
use crate::source::{FileId, Origin as SourceOrigin, SourceMap, Span};

use rayon::iter::{IntoParallelIterator, ParallelIterator};

impl PolicySet {
    /// Every rule of the set, sorted by id.
    pub fn rules(&self) -> Vec<RuleInfo> {
        self.program()
            .rules
            .iter()
            .map(|rule| RuleInfo {
                id: rule.id.to_string(),
                severity: rule.severity,
                status: rule.status,
                title: rule.title.to_string(),
                doc: rule.doc.as_deref().map(str::to_owned),
                citations: rule.cites.iter().map(|cite| cite.citation.clone()).collect(),
                span: rule.header_span,
            })
            .collect()
    }

    /// The report of `validate`: one entry per policy file.
    pub fn validation_report(&self, options: &CheckOptions) -> Report {
        let mut files: Vec<FileReport> = self
            .unreadable()
            .iter()
            .map(|(name, diagnostic)| {
                FileReport::from_diagnostics(name.clone(), FileKind::Policy, vec![diagnostic.clone()])
            })
            .collect();
        for id in self.files() {
            let diagnostics: Vec<Diagnostic> = self
                .diagnostics()
                .iter()
                .chain(self.lints())
                .filter(|d| d.span().map(|span| span.file) == Some(*id))
                .cloned()
                .collect();
            files.push(FileReport::from_diagnostics(
                self.sources().name(*id).to_owned(),
                FileKind::Policy,
                diagnostics,
            ));
        }
        let unplaced: Vec<Diagnostic> = self.diagnostics().iter().filter(|d| d.span().is_none()).cloned().collect();
        if !unplaced.is_empty() {
            files.push(FileReport::from_diagnostics("<policy set>".into(), FileKind::Policy, unplaced));
        }
        let rules = if self.is_valid() { self.rules() } else { Vec::new() };
        Report { as_of: options.as_of, rules, files, sources: Arc::new(self.sources().clone()) }
    }

    /// Checks constitutions, one report entry per input in the order given. A policy set
    /// that is not valid checks nothing: the report lists its policy files with their errors.
    pub fn check_inputs(&self, inputs: Vec<Input>, options: &CheckOptions) -> Report {
        if !self.is_valid() {
            let mut report = self.validation_report(options);
            report.files.retain(|file| file.status == FileStatus::Error);
            return report;
        }
        check_all(self, inputs, options)
    }

    /// Checks one constitution file on disk.
    pub fn check_file(&self, path: impl AsRef<Path>, options: &CheckOptions) -> Result<Report, std::io::Error> {
        Ok(self.check_inputs(vec![Input::read(path.as_ref())], options))
    }
}

/// Checks every input against a valid policy set.
///
/// Decoding runs on every core; giving each text its place in the source map is sequential
/// and cheap, so that every file has the same id on every run; loading and judging, the costly
/// part, runs on every core again. The report lists the files in the order given.
pub fn check_all(policies: &PolicySet, inputs: Vec<Input>, options: &CheckOptions) -> Report {
    let (files, sources) = check_chunk(policies, inputs, options, |_, file| file);
    Report { as_of: options.as_of, rules: policies.rules(), files, sources: Arc::new(sources) }
}

/// How many constitutions a streamed check takes at a time: enough to keep every core busy,
/// few enough that memory stays flat however many files there are.
pub const STREAM_CHUNK: usize = 128;

impl PolicySet {
    /// Checks constitutions a chunk at a time (a file still to be read is read with its
    /// chunk), handing what `finish` makes of each file's report to `each`, in the order
    /// given. `finish` runs on the core that checked the file, with the sources its spans
    /// point into (the policy files and its chunk's texts); the report and the chunk's texts
    /// are dropped once it returns, so nothing grows with the number of files. A policy set
    /// that is not valid checks nothing: `each` gets its policy files with their errors, as
    /// [`PolicySet::check_inputs`] lists them.
    pub fn check_streamed<I: Into<Input> + Send, R: Send>(
        &self,
        inputs: Vec<I>,
        options: &CheckOptions,
        finish: impl Fn(&SourceMap, FileReport) -> R + Sync,
        mut each: impl FnMut(R),
    ) {
        if !self.is_valid() {
            let report = self.check_inputs(inputs.into_iter().map(Into::into).collect(), options);
            for file in report.files {
                each(finish(&report.sources, file));
            }
            return;
        }
        let mut inputs = inputs.into_iter().peekable();
        while inputs.peek().is_some() {
            let chunk: Vec<I> = inputs.by_ref().take(STREAM_CHUNK).collect();
            let (finished, _sources) = check_chunk(self, chunk, options, &finish);
            finished.into_iter().for_each(&mut each);
        }
    }
}

/// Checks `inputs` on every core and applies `finish` to each file's report there, in the
/// order given; returns the results and the source map their spans point into.
fn check_chunk<I: Into<Input> + Send, R: Send>(
    policies: &PolicySet,
    inputs: Vec<I>,
    options: &CheckOptions,
    finish: impl Fn(&SourceMap, FileReport) -> R + Sync,
) -> (Vec<R>, SourceMap) {
    let mut sources = policies.sources().clone();
    let decoded: Vec<Decoded> = on_every_core(inputs, |input| decode(input.into()));
    let staged: Vec<Staged> = decoded.into_iter().map(|decoded| stage(&mut sources, decoded)).collect();
    let finished = on_every_core(staged, |staged| finish(&sources, staged.check(policies, &sources, options)));
    (finished, sources)
}

/// `items` mapped in order, on every core when there is more than one: a single file (the
/// editor's, or one named on the command line) is checked without starting the thread pool.
fn on_every_core<T: Send, R: Send>(items: Vec<T>, map: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    if items.len() < 2 { items.into_iter().map(map).collect() } else { items.into_par_iter().map(map).collect() }
}

/// An input ready to be checked: its text in the source map, or its report already made.
enum Staged {
    /// The file's name and its id in the source map.
    Text(String, FileId),
    /// A file that could not be read or decoded.
    Done(FileReport),
}

impl Staged {
    /// Checks the file. A defect of trustcheck's that stops the check of one file (a panic)
    /// leaves that file unchecked, with a diagnostic saying so, instead of ending the run: the
    /// other files are still checked and the run exits with 2.
    fn check(self, policies: &PolicySet, sources: &SourceMap, options: &CheckOptions) -> FileReport {
        match self {
            Staged::Text(name, file) => {
                let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    check_text(policies, sources, name, file, options)
                }));
                checked.unwrap_or_else(|payload| stopped_by_defect(sources, file, payload.as_ref()))
            }
            Staged::Done(report) => report,
        }
    }
}

/// The report of a file whose check a defect of trustcheck's stopped.
fn stopped_by_defect(sources: &SourceMap, file: FileId, payload: &(dyn std::any::Any + Send)) -> FileReport {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no description");
    let diagnostic = Diagnostic::new(
        BuiltinCode::LimitInternal,
        format!(
            "trustcheck stopped on a defect of its own while checking this constitution ({what}), so it was not checked"
        ),
        Some(Span::file_start(file)),
    )
    .with_help(
        "the fault is in trustcheck, not in this file: please report it with this file and the command that was run",
    );
    FileReport::unchecked(sources.name(file).to_owned(), FileKind::Constitution, vec![diagnostic])
}

/// Gives a decoded input's text its place in `sources`.
fn stage(sources: &mut SourceMap, decoded: Decoded) -> Staged {
    match decoded {
        Decoded::Text(name, text) => {
            let file = sources.add(name.clone(), text, SourceOrigin::Disk);
            Staged::Text(name, file)
        }
        Decoded::Unreadable(name, diagnostic) => {
            Staged::Done(FileReport::unchecked(name, FileKind::Constitution, vec![*diagnostic]))
        }
    }
}

/// Loads and judges one text already in `sources`.
fn check_text(
    policies: &PolicySet,
    sources: &SourceMap,
    name: String,
    file: FileId,
    options: &CheckOptions,
) -> FileReport {
    #[cfg(debug_assertions)]
    crate::test_defect::stop_at(&format!("checking:{name}"));
    let loaded = loader::load(sources, file, policies.schema());
    let Some(document) = loaded.document else {
        return FileReport::unchecked(name, FileKind::Constitution, loaded.diagnostics);
    };
    match judge(policies, &document, options) {
        Ok(mut judgement) => {
            judgement.diagnostics.extend(loaded.diagnostics);
            summarise(name, judgement, options)
        }
        Err(WorkLimit) => {
            let diagnostic = Diagnostic::new(
                BuiltinCode::LimitWork,
                "checking this constitution took more work than the limit allows",
                Some(Span::file_start(file)),
            )
            .with_help("this points to a policy whose rules loop over very large lists; simplify the policy");
            FileReport::unchecked(name, FileKind::Constitution, vec![diagnostic])
        }
    }
}

/// A checked file's report: every outcome, and the diagnostics sorted with each outcome
/// pointing at its own finding.
fn summarise(path: String, judgement: Judgement<'_, '_>, options: &CheckOptions) -> FileReport {
    let Judgement { outcomes, findings, diagnostics: others, mut suppressed } = judgement;
    crate::diagnostic::sort_diagnostics(&mut suppressed);
    let mut summary = Summary::default();
    for outcome in &outcomes {
        match outcome.outcome {
            Outcome::Pass => summary.passed += 1,
            Outcome::Fail => summary.failed += 1,
            Outcome::NotApplicable => summary.not_applicable += 1,
            Outcome::Undetermined => summary.undetermined += 1,
            Outcome::Waived => summary.waived += 1,
        }
    }
    // Each diagnostic with the outcome it reports, if any, sorted as every output lists them.
    let mut owned: Vec<(Diagnostic, Option<usize>)> = findings
        .into_iter()
        .enumerate()
        .filter_map(|(index, finding)| finding.map(|finding| (finding, Some(index))))
        .chain(others.into_iter().map(|diagnostic| (diagnostic, None)))
        .collect();
    owned.sort_by(|(a, _), (b, _)| a.sort_key().cmp(&b.sort_key()));
    let mut at_diagnostic = vec![None; outcomes.len()];
    let mut diagnostics = Vec::with_capacity(owned.len());
    for (position, (diagnostic, owner)) in owned.into_iter().enumerate() {
        if let Some(slot) = owner.and_then(|owner| at_diagnostic.get_mut(owner)) {
            *slot = Some(position);
        }
        match diagnostic.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Note => summary.notes += 1,
        }
        diagnostics.push(diagnostic);
    }
    let results = outcomes
        .iter()
        .zip(at_diagnostic)
        .map(|(outcome, diagnostic)| RuleResult {
            rule: outcome.rule.id.clone(),
            element: outcome.element.as_ref().and_then(|(name, _)| name.clone()),
            outcome: outcome.outcome,
            status: outcome.rule.status,
            setting: options
                .settings
                .get(&*outcome.rule.id)
                .filter(|setting| setting.in_force(options.as_of))
                .map(crate::settings::RuleSetting::describe),
            waiver: outcome.waiver.clone(),
            severity: diagnostic.and_then(|index| diagnostics.get(index)).map(|finding: &Diagnostic| finding.severity),
            diagnostic,
        })
        .collect();
    // A document that loaded is checked: its errors are findings (`waiver.unknown_rule` included).
    FileReport {
        path,
        kind: FileKind::Constitution,
        status: FileStatus::Checked,
        summary,
        diagnostics,
        outcomes: results,
        suppressed,
    }
}
