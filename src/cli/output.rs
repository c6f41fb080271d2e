//! What the commands share: choosing the policy set, the options to judge with, and writing
//! a report.

use crate::policy::{PolicySet, PolicySource};
use crate::report::{Report, github, human, json, sarif, short};

use super::Context;
use super::options::{ColorChoice, Format, PolicyArgs, ReportArgs};
use crate::project::discover::policy_sources;
use crate::project::{self, Project, ProjectError};

/// The project file, if any (an unusable one is an error to report).
pub(crate) fn project(context: &Context<'_>) -> Result<Option<Project>, ProjectError> {
    project::find(&context.cwd)
}

/// The project file found from the working folder, if any, for a command to go on with; when
/// it cannot be used, its report (written as `report` says) and the exit code to return.
pub(crate) fn usable_project(
    policy: &PolicyArgs,
    report: &ReportArgs,
    context: &mut Context<'_>,
    as_of: jiff::civil::Date,
) -> Result<Option<Project>, u8> {
    let found = project(context);
    usable(found, policy, report, context, as_of)
}

/// The project file in the folder `root` (none without one), as [`usable_project`] gives it.
/// `known` is the one already read from the working folder: when it is the file in `root`, it is
/// used again rather than read a second time.
pub(crate) fn usable_project_at(
    root: Option<&std::path::Path>,
    known: Option<&Project>,
    policy: &PolicyArgs,
    report: &ReportArgs,
    context: &mut Context<'_>,
    as_of: jiff::civil::Date,
) -> Result<Option<Project>, u8> {
    if let Some(known) = known.filter(|known| root == Some(known.root.as_path())) {
        return Ok(Some(known.clone()));
    }
    let found = root.map(|root| project::load(root, &project::root_display(&context.cwd, root))).transpose();
    usable(found, policy, report, context, as_of)
}

/// A project file as read, or the exit code after its report is written.
fn usable(
    found: Result<Option<Project>, ProjectError>,
    policy: &PolicyArgs,
    report: &ReportArgs,
    context: &mut Context<'_>,
    as_of: jiff::civil::Date,
) -> Result<Option<Project>, u8> {
    found.map_err(|error| {
        let unusable = unusable_project(error, policy, context, as_of);
        emit_report(&unusable, report, context)
    })
}

/// The report of a `trustcheck.toml` that cannot be used: every mistake in it and, when the
/// policy set it means is known and builds (`--policy`, else its `policies`), its settings
/// that read but name a rule that set does not have, or that the rule's status forbids: all
/// in one run.
pub(crate) fn unusable_project(
    error: ProjectError,
    args: &PolicyArgs,
    context: &Context<'_>,
    as_of: jiff::civil::Date,
) -> Report {
    let checked = match error.readable.as_deref() {
        Some(readable) => {
            let policies = policy_set(args, Some(readable), context);
            error.with_settings_checked(&policies, as_of)
        }
        None => error,
    };
    checked.into_report(as_of)
}

/// The policy set: `--policy` entries (relative to the working folder), else the project's
/// `policies` (relative to its folder), else the standard library.
pub(crate) fn policy_set(args: &PolicyArgs, project: Option<&Project>, context: &Context<'_>) -> PolicySet {
    let sources = if !args.policy.is_empty() {
        policy_sources(".", &context.cwd, &args.policy)
    } else if let Some(Project { root, root_display, policies: Some(policies), .. }) = project {
        policy_sources(root_display, root, policies)
    } else {
        vec![PolicySource::Standard]
    };
    PolicySet::from_sources(sources)
}

/// The options a command other than `check` judges with: `as_of`, and the council's settings
/// from the project's `trustcheck.toml` (step 3 of the one chain that decides a severity), so
/// that `compare`, `diff` and `explain --trace` show what `check` shows. Settings that have
/// expired are left out (`check` reports them); settings that cannot be used give the report
/// saying why.
pub(crate) fn judging_options(
    project: Option<&Project>,
    policies: &PolicySet,
    as_of: jiff::civil::Date,
) -> Result<crate::run::CheckOptions, Report> {
    let options = crate::run::CheckOptions::as_of(as_of);
    match project {
        Some(project) if policies.is_valid() => {
            project.settings_for(policies, as_of).map(|(settings, _expired)| options.with_settings(settings))
        }
        _ => Ok(options),
    }
}

/// How the human format is written: colour as asked and as the terminal allows, wrapped to
/// the terminal's width.
pub(crate) fn human_options(args: &ReportArgs, context: &Context<'_>) -> human::HumanOptions {
    // `--color never` is what snapshots record: never let the terminal's size in.
    let width = match args.color {
        ColorChoice::Never => None,
        ColorChoice::Auto | ColorChoice::Always => context.terminal_width,
    };
    human::HumanOptions {
        color: args.color.enabled(context.stdout_is_terminal, context.no_color),
        width: width.unwrap_or(100),
        verbose: args.verbose,
    }
}

/// Writes `report` in the chosen format and returns its exit code.
pub(crate) fn emit_report(report: &Report, args: &ReportArgs, context: &mut Context<'_>) -> u8 {
    let text = match args.format {
        Format::Human => human::render(report, &human_options(args, context)),
        Format::Short => short::render(report),
        Format::Github => github::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render_with_srcroot(report, Some(&sarif::folder_uri(&context.cwd))),
    };
    if matches!(args.format, Format::Short | Format::Github) {
        let _ = writeln!(context.stderr, "as_of: {}", report.as_of);
    }
    let code = report.exit_code(args.deny_warnings);
    if write_out(context, &text) { code } else { 2 }
}

/// Writes to stdout; false (after saying why on stderr) when that fails for a reason other
/// than a closed pipe.
pub(crate) fn write_out(context: &mut Context<'_>, text: &str) -> bool {
    write_bytes(context, text.as_bytes())
}

/// [`write_out`] for text already in bytes.
pub(crate) fn write_bytes(context: &mut Context<'_>, bytes: &[u8]) -> bool {
    match context.stdout.write_all(bytes).and_then(|()| context.stdout.flush()) {
        Ok(()) => true,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(error) => {
            let _ = writeln!(context.stderr, "error: cannot write the output: {error}");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The project file already read from the working folder is used again for its own folder,
    /// and never stands in for another: this folder has no `trustcheck.toml` on disk, so a
    /// second read would find none.
    #[test]
    fn the_project_already_read_is_not_read_again() {
        let folder = std::env::temp_dir().join("trustcheck-no-project-file-here");
        let known = Project::from_text(&folder, ".", "policies = [\"std\"]\n".to_owned()).ok();
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let mut context = Context::new(&folder, &mut stdout, &mut stderr);
        let (policy, report) = (PolicyArgs::default(), ReportArgs::default());
        let as_of = jiff::civil::date(2026, 4, 1);
        let again = usable_project_at(Some(&folder), known.as_ref(), &policy, &report, &mut context, as_of);
        assert_eq!(again, Ok(known.clone()));
        let elsewhere = folder.join("elsewhere");
        let other = usable_project_at(Some(&elsewhere), known.as_ref(), &policy, &report, &mut context, as_of);
        assert!(matches!(other, Err(2)), "a folder without a readable project file is not the known one: {other:?}");
    }
}
