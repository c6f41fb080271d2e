//! `textDocument/publishDiagnostics`: checks what changed and turns the report's diagnostics
//! into the protocol's.
//!
//! Policy files: the workspace's policy set with the open buffers overlaid, every file's
//! syntax and type errors (files that are not open included, so that breaking a field that
//! another file uses shows there). Constitutions: [`PolicySet::check_inputs`] on the buffer's
//! text, with schema errors and rule outcomes; a rule's source and the values that decided it
//! come as `relatedInformation`, the citation's link as `codeDescription.href`. A rule's
//! finding carries its outcome as `data` (`{"outcome": "fail"}`); a waived finding is a hint,
//! as `outcomes.md` fixes, tagged in `data` with the waiver (`{"outcome": "waived",
//! "waiver": {"reason", "approved_by", "approved_on"?}}`) and in its message (`waived: …`).

use std::str::FromStr;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, PublishDiagnosticsParams, Range,
    Uri,
};

use crate::diagnostic::{BuiltinCode, Outcome};
use crate::policy::PolicySet;
use crate::report::{self, Severity};
use crate::run::Input;
use crate::sanitize;
use crate::source::SourceMap;

use super::world::{DocumentKind, World};

/// The `source` of every diagnostic.
pub const SOURCE: &str = "trustcheck";

/// Checks everything pending and returns the diagnostics to publish, one entry per URI.
pub fn flush(world: &mut World) -> Vec<PublishDiagnosticsParams> {
    let pending = std::mem::take(&mut world.pending);
    let mut out = Vec::new();
    for uri in &pending.cleared {
        if let Ok(uri) = Uri::from_str(uri) {
            out.push(PublishDiagnosticsParams::new(uri, Vec::new(), None));
        }
        world.published.remove(uri.as_str());
    }
    let mut documents = pending.documents;
    if pending.policies {
        world.rebuild_policies();
        let published = policy_diagnostics(world);
        world.published_policies = published
            .iter()
            .filter(|params| !params.diagnostics.is_empty())
            .map(|params| params.uri.as_str().to_owned())
            .collect();
        out.extend(published);
        documents.extend(
            world
                .documents
                .iter()
                .filter(|(_, document)| document.kind == DocumentKind::Constitution)
                .map(|(uri, _)| uri.clone()),
        );
    }
    for uri in documents {
        let Some(document) = world.documents.get(&uri) else { continue };
        let diagnostics = match document.kind {
            DocumentKind::Constitution => constitution_diagnostics(world, &uri),
            // Policy files and the project file are published with the policy set, above.
            DocumentKind::Policy | DocumentKind::Project => continue,
            DocumentKind::Other => Vec::new(),
        };
        if diagnostics.is_empty() && !world.published.contains(&uri) && document.kind != DocumentKind::Constitution {
            continue;
        }
        out.push(PublishDiagnosticsParams::new(document.uri.clone(), diagnostics, Some(document.version)));
    }
    for params in &out {
        if params.diagnostics.is_empty() {
            world.published.remove(params.uri.as_str());
        } else {
            world.published.insert(params.uri.as_str().to_owned());
        }
    }
    out
}

/// The diagnostics of every file of the policy set (and clearing for files that had some).
fn policy_diagnostics(world: &World) -> Vec<PublishDiagnosticsParams> {
    let report = world.policies.validation_report(&world.options);
    let mut by_uri: std::collections::BTreeMap<String, (Uri, Vec<lsp_types::Diagnostic>)> = Default::default();
    let project_uri = world.workspace.project_file().and_then(|path| super::uri::from_path(&path));
    for file in &report.files {
        let uri = world.uri_for_name(&file.path).or_else(|| project_uri.clone());
        let Some(uri) = uri else { continue };
        let entry = by_uri.entry(uri.as_str().to_owned()).or_insert_with(|| (uri, Vec::new()));
        entry.1.extend(file.diagnostics.iter().map(|diagnostic| convert(world, &report.sources, diagnostic)));
    }
    if let (Some(error), Some(uri)) = (&world.workspace.project_error, &project_uri) {
        let entry = by_uri.entry(uri.as_str().to_owned()).or_insert_with(|| (uri.clone(), Vec::new()));
        // The settings that read are checked beside the file's mistakes, as `check` does.
        let as_of = world.options.as_of;
        let error = match world.checking_policies() {
            Some(policies) => error.clone().with_settings_checked(policies, as_of),
            None => error.clone(),
        };
        let project_report = error.into_report(as_of);
        for file in &project_report.files {
            entry.1.extend(file.diagnostics.iter().map(|d| convert(world, &project_report.sources, d)));
        }
    }
    if let (Some(report), Some(uri)) = (&world.settings_report, &project_uri) {
        let entry = by_uri.entry(uri.as_str().to_owned()).or_insert_with(|| (uri.clone(), Vec::new()));
        for file in &report.files {
            entry.1.extend(file.diagnostics.iter().map(|d| convert(world, &report.sources, d)));
        }
    }
    // Files that had diagnostics and open policy buffers are published even when clean.
    for uri in world
        .published_policies
        .iter()
        .chain(world.documents.iter().filter(|(_, document)| document.kind == DocumentKind::Policy).map(|(uri, _)| uri))
    {
        if let Ok(parsed) = Uri::from_str(uri) {
            by_uri.entry(uri.clone()).or_insert_with(|| (parsed, Vec::new()));
        }
    }
    by_uri
        .into_iter()
        .filter(|(key, (_, diagnostics))| {
            !diagnostics.is_empty()
                || world.published_policies.contains(key)
                || world.documents.get(key).is_some_and(|document| document.kind == DocumentKind::Policy)
        })
        .map(|(key, (uri, diagnostics))| {
            let version = world.documents.get(&key).map(|document| document.version);
            PublishDiagnosticsParams::new(uri, diagnostics, version)
        })
        .collect()
}

/// The diagnostics of one open constitution.
pub fn constitution_diagnostics(world: &World, uri: &str) -> Vec<lsp_types::Diagnostic> {
    let Some(document) = world.documents.get(uri) else { return Vec::new() };
    let Some(policies) = world.checking_policies() else {
        return vec![invalid_policy_set(world.policies.as_ref())];
    };
    let input = Input::from_text(document.name.clone(), document.text());
    let report = policies.check_inputs(vec![input], &world.options);
    report
        .files
        .iter()
        .filter(|file| file.path == document.name)
        .flat_map(|file| &file.diagnostics)
        .map(|diagnostic| convert(world, &report.sources, diagnostic))
        .collect()
}

/// The one diagnostic of a constitution when no policy set has validated yet.
fn invalid_policy_set(policies: &PolicySet) -> lsp_types::Diagnostic {
    let files: Vec<&str> = policies
        .diagnostics()
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .filter_map(|diagnostic| diagnostic.span())
        .map(|span| policies.sources().name(span.file))
        .collect();
    let mut message = "the policy set has errors, so this constitution cannot be checked".to_owned();
    if let Some(first) = files.first() {
        message.push_str(&format!(" (see `{}`)", sanitize::line(first)));
    }
    lsp_types::Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String(BuiltinCode::PolicyInvalid.as_str().to_owned())),
        source: Some(SOURCE.to_owned()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

/// One report diagnostic as the protocol's: its range, severity, code, citation link,
/// message with help, and related information (other labels, the waiver, the rule). Text
/// from the documents goes through the one sanitiser, as in every text format.
pub fn convert(world: &World, sources: &SourceMap, diagnostic: &report::Diagnostic) -> lsp_types::Diagnostic {
    let range = diagnostic
        .span()
        .and_then(|span| sources.get(span.file).map(|file| super::world::range_in(file, span)))
        .unwrap_or_default();
    let mut message = diagnostic.message.clone();
    if let Some(label) = diagnostic.primary.as_ref().and_then(|label| label.message.as_deref()) {
        if !label.is_empty() && label != diagnostic.message {
            message.push_str(&format!("\n{label}"));
        }
    }
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    if let Some(setting) = &diagnostic.setting {
        message.push_str(&format!("\n{}", setting.description));
    }
    let mut related = Vec::new();
    for label in &diagnostic.labels {
        if let Some(location) = world.location(sources, label.span) {
            let message = label.message.clone().unwrap_or_else(|| "related".to_owned());
            related.push(DiagnosticRelatedInformation { location, message: sanitize::line(&message).into_owned() });
        }
    }
    if let Some(waiver) = &diagnostic.waiver {
        if let Some(location) = world.location(sources, waiver.span) {
            let message = format!("waived: {}", crate::report::common::waiver_line(waiver));
            related.push(DiagnosticRelatedInformation { location, message: sanitize::line(&message).into_owned() });
        }
    }
    if let Some(rule) = &diagnostic.rule {
        if let Some(location) = world.location(sources, rule.span) {
            let mut message = format!("rule `{}` defined here: {}", diagnostic.code, rule.title);
            if let Some(citation) = &diagnostic.citation {
                message.push_str(&format!(" ({})", citation.text));
            }
            related.push(DiagnosticRelatedInformation { location, message: sanitize::line(&message).into_owned() });
        }
    }
    let href = diagnostic.citation.as_ref().and_then(|citation| citation.url.as_deref());
    let severity = match diagnostic.outcome {
        Some(Outcome::Waived) => DiagnosticSeverity::HINT,
        _ => severity(diagnostic.severity),
    };
    lsp_types::Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: href.and_then(|href| Uri::from_str(href).ok()).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message: sanitize::text(&message).into_owned(),
        related_information: (!related.is_empty()).then_some(related),
        data: data(diagnostic),
        ..lsp_types::Diagnostic::default()
    }
}

/// What a client may read of a rule's finding: its outcome, and the waiver that applied.
fn data(diagnostic: &report::Diagnostic) -> Option<serde_json::Value> {
    let outcome = diagnostic.outcome?;
    let mut data = serde_json::json!({ "outcome": outcome.as_str() });
    if let Some(waiver) = &diagnostic.waiver {
        let mut described = serde_json::json!({
            "reason": sanitize::line(&waiver.reason),
            "approved_by": sanitize::line(&waiver.approved_by),
        });
        if let (Some(date), Some(object)) = (waiver.approved_on, described.as_object_mut()) {
            object.insert("approved_on".to_owned(), date.to_string().into());
        }
        if let Some(object) = data.as_object_mut() {
            object.insert("waiver".to_owned(), described);
        }
    }
    Some(data)
}

/// The protocol's severity of a report severity.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    }
}
