//! `trustcheck check [PATH]...`: check constitutions against the policy set.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::run::CheckOptions;

use super::Context;
use super::held::Held;
use super::options::{Format, PolicyArgs, ReportArgs};
use super::output::{emit_report, human_options, policy_set, usable_project, usable_project_at, write_bytes};
use crate::project::Project;
use crate::project::discover::{Pending, constitution_files, glob_files, resolve};
use crate::report::framed::{Framed, Layout};
use crate::report::{RuleInfo, github, human, json, merge_rules, sarif, short};

/// Flags of `check`.
#[derive(Clone, Debug, Default, Args)]
pub struct CheckArgs {
    /// Constitutions (`.toml` files) or folders searched recursively for them. Default:
    /// the `constitutions` globs of `trustcheck.toml`, else the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The policy set.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// How to report.
    #[command(flatten)]
    pub report: ReportArgs,
    /// Apply the quick fixes of failed rules, and of values written in the wrong notation, to
    /// the constitutions (each replaces one stated value; comments and layout are kept), then
    /// check them again and report.
    #[arg(long)]
    pub fix: bool,
}

/// Runs `check` and returns its exit code.
pub fn run(args: &CheckArgs, context: &mut Context<'_>) -> u8 {
    let as_of = args.report.as_of();
    let project = match usable_project(&args.policy, &args.report, context, as_of) {
        Ok(project) => project,
        Err(code) => return code,
    };
    let globs = project.as_ref().and_then(|project| Some((project, project.constitutions.as_ref()?)));
    let inputs = if !args.paths.is_empty() {
        constitution_files(&context.cwd, &args.paths)
    } else if let Some((project, patterns)) = globs {
        let (inputs, unmatched) = glob_files(&project.root_display, &project.root, patterns);
        for pattern in unmatched {
            let _ = writeln!(
                context.stderr,
                "warning: `constitutions` pattern `{}` in trustcheck.toml matches no file",
                crate::sanitize::line(&pattern)
            );
        }
        inputs
    } else {
        constitution_files(&context.cwd, &[PathBuf::from(".")])
    };
    if inputs.is_empty() {
        // Checking nothing is never a pass: a folder of links that could not be followed,
        // or a mistyped path, must not look like a clean run.
        let _ = writeln!(
            context.stderr,
            "error: no constitution (`.toml` file) found to check; name a file or a folder that holds one"
        );
        return 2;
    }
    // Each constitution is checked under the nearest `trustcheck.toml` above it (as ruff
    // does), unless `--policy` names the policy set for all of them.
    // The nearest project of each folder, looked up once however many files it holds.
    let mut roots: std::collections::HashMap<PathBuf, Option<PathBuf>> = std::collections::HashMap::new();
    let runs = split_by_project(inputs, |input| {
        if !args.policy.policy.is_empty() {
            return None;
        }
        let folder = resolve(&context.cwd, Path::new(input.name())).parent().map(Path::to_path_buf).unwrap_or_default();
        let nearest = roots.entry(folder).or_insert_with_key(|folder| crate::project::nearest_root(folder)).clone();
        nearest.or_else(|| project.as_ref().map(|p| p.root.clone()))
    });
    // Every project file and policy set is ready before any constitution is checked, so that
    // one that cannot be used is the whole output.
    let mut projects: Vec<(Option<PathBuf>, Option<Project>)> = Vec::new();
    let mut parts = Vec::with_capacity(runs.len());
    for (root, inputs) in runs {
        match prepare_part(args, context, &mut projects, project.as_ref(), root, as_of) {
            Ok((policies, options, expired)) => {
                // The rules' descriptions, for the reports that show them (SARIF lists them,
                // `human --verbose` gives their titles), taken once.
                let described = matches!(args.report.format, Format::Sarif | Format::Human) && policies.is_valid();
                let rules = if described { policies.rules() } else { Vec::new() };
                parts.push(Part { policies, rules, options, expired, inputs });
            }
            Err(code) => return code,
        }
    }
    if matches!(args.report.format, Format::Json | Format::Sarif | Format::Short | Format::Github) && !args.fix {
        return stream(parts, args, context, as_of);
    }
    // A policy set that does not validate is the whole report, so only valid ones stream.
    if args.report.format == Format::Human && !args.fix && parts.iter().all(|part| part.policies.is_valid()) {
        return stream_human(parts, args, context);
    }
    let reports = parts
        .into_iter()
        .flat_map(|Part { policies, options, expired, inputs, .. }| {
            let report = policies.check_inputs(inputs.into_iter().map(crate::run::Input::from).collect(), &options);
            // The policy set is a large tree that lives until the process ends: freeing it
            // piece by piece would only cost time, so the operating system reclaims it.
            std::mem::forget(policies);
            expired.into_iter().chain([report])
        })
        .collect();
    let report = crate::report::Report::merge(as_of, reports);
    if args.fix {
        match apply_fixes(&report, context) {
            Ok(0) => {}
            Ok(_) => return run(&CheckArgs { fix: false, ..args.clone() }, context),
            Err(code) => return code,
        }
    }
    let code = emit_report(&report, &args.report, context);
    // Likewise the report, once written: the process ends with this command.
    std::mem::forget(report);
    code
}

/// `inputs` split into runs of consecutive constitutions under the same project root (as
/// `root_of` finds it, or none), in order. The list is divided where it lies, not copied: a
/// run over one project (the usual case) keeps it whole, and a run over many thousands of
/// files holds each name once.
fn split_by_project(
    mut inputs: Vec<Pending>,
    mut root_of: impl FnMut(&Pending) -> Option<PathBuf>,
) -> Vec<(Option<PathBuf>, Vec<Pending>)> {
    let mut starts: Vec<(usize, Option<PathBuf>)> = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        let root = root_of(input);
        if starts.last().is_none_or(|(_, current)| *current != root) {
            starts.push((index, root));
        }
    }
    let mut runs = Vec::with_capacity(starts.len());
    // From the last run back, so that each is cut off the end and the first keeps the list.
    while let Some((start, root)) = starts.pop() {
        let run = if start == 0 { std::mem::take(&mut inputs) } else { inputs.split_off(start) };
        runs.push((root, run));
    }
    runs.reverse();
    runs
}

/// The constitutions checked under one project file (or none), with what they are checked
/// against, and the report of the project's expired settings when they are first met.
struct Part {
    policies: crate::policy::PolicySet,
    /// The policy set's rules, for the formats that describe them (else none).
    rules: Vec<RuleInfo>,
    options: CheckOptions,
    expired: Option<crate::report::Report>,
    inputs: Vec<Pending>,
}

/// How much of a streamed report is held before it is written.
const WRITE_AT: usize = 1 << 18;

/// Writes a report whose files can be rendered one by one (`json`, `sarif`, `short`,
/// `github`) as the files are checked, a chunk at a time, each file rendered on the core that
/// checked it; returns the exit code. The bytes are those of the whole report rendered at once.
fn stream(parts: Vec<Part>, args: &CheckArgs, context: &mut Context<'_>, as_of: jiff::civil::Date) -> u8 {
    let format = args.report.format;
    if matches!(format, Format::Short | Format::Github) {
        let _ = writeln!(context.stderr, "as_of: {as_of}");
    }
    // SARIF lists every rule of the run before the results, which name them by index: the
    // rules of every part, as the whole report merges them.
    let rules = match format {
        Format::Sarif => merge_rules(
            parts
                .iter()
                .flat_map(|part| {
                    let expired = part.expired.iter().map(|report| report.rules.clone());
                    expired.chain([part.rules.clone()])
                })
                .collect(),
        ),
        _ => Vec::new(),
    };
    let mut out = match format {
        Format::Json => json::document(as_of),
        Format::Sarif => sarif::document(&rules, Some(&sarif::folder_uri(&context.cwd)), as_of),
        _ => Framed::new(Vec::new(), Layout::RUN_ON, Vec::new()),
    };
    let mut written = true;
    let code = check_parts(
        parts,
        args.report.deny_warnings,
        |sources, _, file| render_file(format, sources, &rules, file),
        |entry| {
            out.push(&entry);
            let held = out.buffer();
            if held.len() >= WRITE_AT {
                // Written out, and the buffer kept for what follows.
                written &= write_bytes(context, held);
                held.clear();
            }
        },
    );
    written &= write_bytes(context, &out.end());
    if written { code } else { 2 }
}

/// Writes the human report of constitutions checked against valid policy sets, each file's
/// section rendered on the core that checked it. The sections are held as text (past a few
/// megabytes, in a temporary file: see [`Held`]) until every file is in, since the run's
/// verdicts open the report. Returns the exit code. The bytes are those of the whole report
/// rendered at once.
fn stream_human(parts: Vec<Part>, args: &CheckArgs, context: &mut Context<'_>) -> u8 {
    let constitutions = parts.iter().map(|part| part.inputs.len()).sum();
    let sections = human::Sections::new(&human_options(&args.report, context), constitutions);
    let mut gathered = human::Gathered::default();
    let mut held = Held::new();
    let code = check_parts(
        parts,
        args.report.deny_warnings,
        |sources, rules, file| sections.render(sources, rules, file),
        |section| held.push(gathered.push(section).as_bytes()),
    );
    let (head, tail) = gathered.finish(&sections, args.report.as_of());
    let mut written = write_bytes(context, head.as_bytes());
    match held.write_with(|bytes| write_bytes(context, bytes)) {
        Ok(all) => written &= all,
        Err(error) => {
            let _ = writeln!(context.stderr, "error: cannot write the output: {error}");
            written = false;
        }
    }
    written &= write_bytes(context, tail.as_bytes());
    if written { code } else { 2 }
}

/// Checks each part's constitutions a chunk at a time, after the project file's expired
/// settings where a part has them. `render` makes something of each file on the core that
/// checked it, given the sources its spans point into and its part's rules; `each` takes what
/// it made, in the order given. Returns the run's exit code.
fn check_parts<E: Send>(
    parts: Vec<Part>,
    deny_warnings: bool,
    render: impl Fn(&crate::source::SourceMap, &[RuleInfo], &crate::report::FileReport) -> E + Sync,
    mut each: impl FnMut(E),
) -> u8 {
    let mut code = 0;
    for Part { policies, rules, options, expired, inputs } in parts {
        if let Some(report) = &expired {
            for file in &report.files {
                code = code.max(file.exit_code(deny_warnings));
                each(render(&report.sources, &report.rules, file));
            }
        }
        policies.check_streamed(
            inputs,
            &options,
            |sources, file| (file.exit_code(deny_warnings), render(sources, &rules, &file)),
            |(file_code, entry)| {
                code = code.max(file_code);
                each(entry);
            },
        );
        // The policy set is a large tree that lives until the process ends: freeing it piece
        // by piece would only cost time, so the operating system reclaims it.
        std::mem::forget(policies);
    }
    code
}

/// One file of a streamed report in `format`, its results naming `rules` by index in SARIF
/// (the formats that are not streamed give nothing).
fn render_file(
    format: Format,
    sources: &crate::source::SourceMap,
    rules: &[RuleInfo],
    file: &crate::report::FileReport,
) -> Vec<u8> {
    match format {
        Format::Json => json::render_file(sources, file),
        Format::Sarif => sarif::render_file(sources, rules, file),
        Format::Short => short::render_file(sources, file).into_bytes(),
        Format::Github => github::render_file(sources, file).into_bytes(),
        Format::Human => Vec::new(),
    }
}

/// Applies the first fix of each failed rule that has one, file by file (a fix that overlaps
/// one already taken waits for the next run), writing each file atomically. Returns how many
/// were applied, or exit code 2 when a file cannot be written.
fn apply_fixes(report: &crate::report::Report, context: &mut Context<'_>) -> Result<usize, u8> {
    let mut applied = 0;
    for file in &report.files {
        let mut edits: Vec<(&crate::diagnostic::TextEdit, &str, &str)> = Vec::new();
        for diagnostic in &file.diagnostics {
            let Some(fix) = diagnostic.fixes.first() else { continue };
            let overlaps = fix.edits.iter().any(|edit| {
                edits.iter().any(|(taken, ..)| edit.span.start < taken.span.end && taken.span.start < edit.span.end)
            });
            if !overlaps {
                edits.extend(fix.edits.iter().map(|edit| (edit, fix.title.as_str(), diagnostic.code.as_str())));
            }
        }
        let Some(first) = edits.first() else { continue };
        let Some(source) = report.sources.get(first.0.span.file) else { continue };
        let mut text = source.text().to_owned();
        edits.sort_by_key(|(edit, ..)| std::cmp::Reverse(edit.span.start));
        for (edit, ..) in &edits {
            let range = edit.span.start as usize..edit.span.end as usize;
            if text.get(range.clone()).is_none() {
                continue;
            }
            text.replace_range(range, &edit.text);
        }
        let path = resolve(&context.cwd, Path::new(&file.path));
        if let Err(error) = super::atomic::write_atomically(&path, &text) {
            let _ = writeln!(context.stderr, "error: cannot write `{}`: {error}", crate::sanitize::line(&file.path));
            return Err(2);
        }
        edits.reverse();
        for (_, title, code) in &edits {
            let _ = writeln!(
                context.stderr,
                "fixed {}: {} ({})",
                crate::sanitize::line(&file.path),
                crate::sanitize::line(title),
                crate::sanitize::line(code)
            );
        }
        applied += edits.len();
    }
    Ok(applied)
}

/// The policy set and options for one run of consecutive constitutions under the project at
/// `root` (or none), or the exit code of a project file that cannot be used. The project is
/// read the first time its root is met (`projects` holds those read so far; `found` is the one
/// read from the working folder, used again for its own root), and only then comes the report
/// of its expired settings, so that they are reported once, before its first constitutions.
fn prepare_part(
    args: &CheckArgs,
    context: &mut Context<'_>,
    projects: &mut Vec<(Option<PathBuf>, Option<Project>)>,
    found: Option<&Project>,
    root: Option<PathBuf>,
    as_of: jiff::civil::Date,
) -> Result<(crate::policy::PolicySet, CheckOptions, Option<crate::report::Report>), u8> {
    let known = projects.iter().position(|(known, _)| *known == root);
    let first = known.is_none();
    let entry = match known {
        Some(index) => projects.get(index),
        None => {
            let loaded = usable_project_at(root.as_deref(), found, &args.policy, &args.report, context, as_of)?;
            projects.push((root, loaded));
            projects.last()
        }
    };
    let project = entry.and_then(|(_, project)| project.as_ref());
    let policies = policy_set(&args.policy, project, context);
    let mut options = CheckOptions::as_of(as_of);
    let mut expired = None;
    if let (Some(project), true) = (project, policies.is_valid()) {
        match project.settings_for(&policies, as_of) {
            Ok((settings, report)) => {
                expired = report.filter(|_| first);
                options = options.with_settings(settings);
            }
            Err(report) => return Err(emit_report(&report, &args.report, context)),
        }
    }
    Ok((policies, options, expired))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::split_by_project;
    use crate::project::discover::{Found, Pending};

    fn pending(name: &str) -> Pending {
        Pending::Found(Found { display: name.to_owned(), path: PathBuf::from(name) })
    }

    /// The project root each test file is under: its first folder, `x` for none.
    fn root(input: &Pending) -> Option<PathBuf> {
        input.name().split_once('/').map(|(folder, _)| PathBuf::from(folder)).filter(|folder| folder != "x")
    }

    #[test]
    fn consecutive_constitutions_under_one_project_are_one_run_in_order() {
        let names = ["a/1.toml", "a/2.toml", "x/3.toml", "b/4.toml", "b/5.toml", "a/6.toml"];
        let runs = split_by_project(names.iter().map(|name| pending(name)).collect(), root);
        let shown: Vec<(Option<&str>, Vec<&str>)> = runs
            .iter()
            .map(|(root, run)| (root.as_ref().and_then(|root| root.to_str()), run.iter().map(Pending::name).collect()))
            .collect();
        assert_eq!(
            shown,
            [
                (Some("a"), vec!["a/1.toml", "a/2.toml"]),
                (None, vec!["x/3.toml"]),
                (Some("b"), vec!["b/4.toml", "b/5.toml"]),
                (Some("a"), vec!["a/6.toml"]),
            ]
        );
    }

    #[test]
    fn a_run_under_one_project_keeps_the_list_it_was_given() {
        let inputs: Vec<Pending> = (0..1000).map(|index| pending(&format!("a/{index}.toml"))).collect();
        let list = inputs.as_ptr();
        let runs = split_by_project(inputs, root);
        assert_eq!(runs.len(), 1);
        assert!(runs.first().is_some_and(|(_, run)| run.as_ptr() == list && run.len() == 1000), "not copied");
    }
}
