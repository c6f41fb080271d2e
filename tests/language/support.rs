//! Helpers shared by the language tests.

use trustcheck::policy::PolicySource;
use trustcheck::report::{Diagnostic, Report};
use trustcheck::{CheckOptions, Input, PolicySet};

/// The standard library plus one extra policy file.
pub fn with_std(text: &str) -> PolicySet {
    PolicySet::from_sources(vec![PolicySource::Standard, PolicySource::File(Input::from_text("local.policy", text))])
}

/// One policy file alone.
pub fn alone(text: &str) -> PolicySet {
    PolicySet::from_sources(vec![PolicySource::File(Input::from_text("only.policy", text))])
}

/// The text a diagnostic underlines.
pub fn underlined<'a>(set: &'a PolicySet, diagnostic: &Diagnostic) -> &'a str {
    set.sources().slice(diagnostic.span().expect("diagnostic has a span"))
}

/// The single error of a policy set, or a panic listing them all.
pub fn only_error(set: &PolicySet) -> &Diagnostic {
    let errors: Vec<&Diagnostic> =
        set.diagnostics().iter().filter(|d| d.severity == trustcheck::report::Severity::Error).collect();
    assert_eq!(errors.len(), 1, "expected one error, got {:#?}", set.diagnostics());
    errors[0]
}

/// Checks a constitution's text against a policy set at 2026-11-23.
pub fn check(set: &PolicySet, toml: &str) -> Report {
    let options = CheckOptions::as_of("2026-11-23".parse().unwrap());
    set.check_inputs(vec![Input::from_text("case.toml", toml)], &options)
}

/// A minimal valid constitution to extend in tests.
pub const MINIMAL: &str = r#"
[trust]
name = "Test Trust"
legal_form = "company_limited_by_guarantee"
operational_from = 2020-04-01

[[members]]
name = "Test Council"
kind = "local_authority"
voting_rights = "100%"

[board]
chair_appointed_by = "board"
"#;
