//! What changed between two drafts of a constitution (`trustcheck diff OLD NEW`): the fields
//! changed, by path, and the findings new, resolved and changed, from the outcomes `check`
//! reports for each draft.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diagnostic::Outcome;
use crate::report::FileReport;
use crate::sanitize;
use crate::testing::spec::outcome_name;

/// A field whose value differs between the drafts.
#[derive(Clone, Debug, Serialize)]
pub struct FieldChange {
    /// Its path: `trust.name`, `contracts["Mutual contract"].initial_term`.
    pub path: String,
    /// The old value, as TOML (absent when added).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// The new value, as TOML (absent when removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

/// A finding that appeared, went away or changed.
#[derive(Clone, Debug, Serialize)]
pub struct FindingChange {
    /// The rule.
    pub rule: String,
    /// The element, for a per-element rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// The outcome in the old draft (absent when the element is new).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<&'static str>,
    /// The outcome in the new draft (absent when the element is gone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<&'static str>,
    /// The new draft's finding (the old one's for a resolved finding).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The difference between two drafts.
#[derive(Clone, Debug, Serialize)]
pub struct DraftDiff {
    /// The old draft's path.
    #[serde(rename = "old_path")]
    pub old: String,
    /// The new draft's path.
    #[serde(rename = "new_path")]
    pub new: String,
    /// Fields changed, by path.
    pub changed_fields: Vec<FieldChange>,
    /// Findings of the new draft that the old did not have.
    #[serde(rename = "new")]
    pub new_findings: Vec<FindingChange>,
    /// Findings of the old draft that the new has not.
    pub resolved: Vec<FindingChange>,
    /// Findings of both whose outcome or severity differs.
    pub changed: Vec<FindingChange>,
}

/// Each (rule, element) of a draft with its outcome, its finding's message and severity.
type Seen = BTreeMap<(String, Option<String>), (Outcome, Option<String>, Option<&'static str>)>;

/// Whether an outcome is a finding to act on.
fn is_finding(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::Fail | Outcome::Undetermined)
}

/// The difference between `old` and `new` (their TOML texts and their reports).
pub fn diff(old: (&str, &FileReport), new: (&str, &FileReport)) -> DraftDiff {
    let mut old_fields = BTreeMap::new();
    let mut new_fields = BTreeMap::new();
    if let Ok(table) = old.0.parse::<toml::Table>() {
        flatten("", &toml::Value::Table(table), &mut old_fields);
    }
    if let Ok(table) = new.0.parse::<toml::Table>() {
        flatten("", &toml::Value::Table(table), &mut new_fields);
    }
    let mut changed_fields = Vec::new();
    let paths: std::collections::BTreeSet<&String> = old_fields.keys().chain(new_fields.keys()).collect();
    for path in paths {
        let (before, after) = (old_fields.get(path), new_fields.get(path));
        if before != after {
            changed_fields.push(FieldChange { path: path.clone(), old: before.cloned(), new: after.cloned() });
        }
    }
    let key = |file: &FileReport| -> Seen {
        file.outcomes
            .iter()
            .map(|result| {
                let message =
                    result.diagnostic.and_then(|index| file.diagnostics.get(index)).map(|d| d.message.clone());
                let severity = result.severity.map(crate::diagnostic::Severity::as_str);
                ((result.rule.to_string(), result.element.clone()), (result.outcome, message, severity))
            })
            .collect()
    };
    let (before, after) = (key(old.1), key(new.1));
    let mut new_findings = Vec::new();
    let mut resolved = Vec::new();
    let mut changed = Vec::new();
    let keys: std::collections::BTreeSet<&(String, Option<String>)> = before.keys().chain(after.keys()).collect();
    for key in keys {
        let (was, is) = (before.get(key), after.get(key));
        let was_finding = was.is_some_and(|(outcome, ..)| is_finding(*outcome));
        let is_finding_now = is.is_some_and(|(outcome, ..)| is_finding(*outcome));
        let change = |message: Option<String>| FindingChange {
            rule: key.0.clone(),
            element: key.1.clone(),
            old: was.map(|(outcome, ..)| outcome_name(*outcome)),
            new: is.map(|(outcome, ..)| outcome_name(*outcome)),
            message,
        };
        match (was_finding, is_finding_now) {
            (false, true) => new_findings.push(change(is.and_then(|(_, message, _)| message.clone()))),
            (true, false) => resolved.push(change(was.and_then(|(_, message, _)| message.clone()))),
            (true, true) => {
                let (Some(was), Some(is)) = (was, is) else { continue };
                if was.0 != is.0 || was.2 != is.2 {
                    changed.push(change(is.1.clone()));
                }
            }
            (false, false) => {}
        }
    }
    DraftDiff { old: old.1.path.clone(), new: new.1.path.clone(), changed_fields, new_findings, resolved, changed }
}

/// Every leaf of a TOML value by path; an array of tables with names is keyed by name.
fn flatten(path: &str, value: &toml::Value, out: &mut BTreeMap<String, String>) {
    match value {
        toml::Value::Table(table) => {
            for (key, inner) in table {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                flatten(&child, inner, out);
            }
        }
        toml::Value::Array(items) if items.iter().all(toml::Value::is_table) && !items.is_empty() => {
            for (index, item) in items.iter().enumerate() {
                let name = item.get("name").and_then(toml::Value::as_str);
                let child = match name {
                    Some(name) => format!("{path}[\"{name}\"]"),
                    None => format!("{path}[{index}]"),
                };
                flatten(&child, item, out);
            }
        }
        leaf => {
            out.insert(path.to_owned(), leaf.to_string());
        }
    }
}

fn finding_line(change: &FindingChange) -> String {
    let element = change.element.as_deref().map(|name| format!(" [{name}]")).unwrap_or_default();
    let outcomes = format!("{} → {}", change.old.unwrap_or("absent"), change.new.unwrap_or("absent"));
    let message = change.message.as_deref().map(|message| format!(": {message}")).unwrap_or_default();
    sanitize::line(&format!("{}{element} ({outcomes}){message}", change.rule)).into_owned()
}

/// Plain text, or Markdown when `markdown`.
pub fn render(diff: &DraftDiff, markdown: bool) -> String {
    let mut out = String::new();
    let heading = |out: &mut String, text: &str| {
        if markdown {
            let _ = writeln!(out, "\n## {text}\n");
        } else {
            let _ = writeln!(out, "\n{text}:");
        }
    };
    if markdown {
        let _ = writeln!(out, "# From `{}` to `{}`", sanitize::line(&diff.old), sanitize::line(&diff.new));
    } else {
        let _ = writeln!(out, "from {} to {}", sanitize::line(&diff.old), sanitize::line(&diff.new));
    }
    heading(&mut out, &format!("fields changed ({})", diff.changed_fields.len()));
    for field in &diff.changed_fields {
        let line = format!(
            "{}: {} → {}",
            field.path,
            field.old.as_deref().unwrap_or("(absent)"),
            field.new.as_deref().unwrap_or("(absent)")
        );
        let _ = writeln!(out, "{}{}", if markdown { "- " } else { "  " }, sanitize::line(&line));
    }
    for (title, list) in
        [("new findings", &diff.new_findings), ("resolved", &diff.resolved), ("changed", &diff.changed)]
    {
        heading(&mut out, &format!("{title} ({})", list.len()));
        for change in list {
            let _ = writeln!(out, "{}{}", if markdown { "- " } else { "  " }, finding_line(change));
        }
    }
    out
}

/// One JSON document: `{"old_path", "new_path", "changed_fields", "new", "resolved", "changed"}`.
pub fn json(diff: &DraftDiff) -> String {
    let mut text = serde_json::to_string_pretty(diff).unwrap_or_default();
    text.push('\n');
    text
}
