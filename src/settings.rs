//! Council settings: `[rules."<id>"]` tables of `trustcheck.toml` that change a rule's
//! severity for the whole project, each with the reason and who approved it (step 3 of the
//! chain in which an outcome and its severity are decided).
//!
//! ```toml
//! [rules."market_testing.overdue"]
//! severity = "error"          # error, warning, note, or off
//! reason = "Cabinet decision 2026/14: market testing is binding here"
//! approved_by = "Cabinet"
//! approved_on = 2026-03-01
//! expires = 2027-03-01
//! ```
//!
//! A `law` rule can be lowered to `note` but never turned `off`; a setting for a rule the
//! policy set does not have is an error.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::diagnostic::{RuleStatus, Severity};

/// The severity a setting gives a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SettingSeverity {
    /// Failures are errors.
    Error,
    /// Failures are warnings.
    Warning,
    /// Failures are notes.
    Note,
    /// The rule's findings are not reported (not for `law` rules).
    Off,
}

impl SettingSeverity {
    /// Every severity a setting can give, in the order they are listed to a user.
    pub const ALL: [SettingSeverity; 4] =
        [SettingSeverity::Error, SettingSeverity::Warning, SettingSeverity::Note, SettingSeverity::Off];

    /// The severity written as `name` in `trustcheck.toml`, if it is one.
    pub fn from_name(name: &str) -> Option<SettingSeverity> {
        SettingSeverity::ALL.into_iter().find(|severity| severity.as_str() == name)
    }

    /// The severity, or `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            SettingSeverity::Error => Some(Severity::Error),
            SettingSeverity::Warning => Some(Severity::Warning),
            SettingSeverity::Note => Some(Severity::Note),
            SettingSeverity::Off => None,
        }
    }

    /// The name as written.
    pub fn as_str(self) -> &'static str {
        match self {
            SettingSeverity::Error => "error",
            SettingSeverity::Warning => "warning",
            SettingSeverity::Note => "note",
            SettingSeverity::Off => "off",
        }
    }
}

/// One rule's setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetting {
    /// The severity it gives the rule.
    pub severity: SettingSeverity,
    /// Why (required).
    pub reason: String,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// When it was approved.
    pub approved_on: Option<Date>,
    /// After this date it no longer applies.
    pub expires: Option<Date>,
}

impl RuleSetting {
    /// Whether it applies on `as_of`.
    pub fn in_force(&self, as_of: Date) -> bool {
        self.expires.is_none_or(|expires| as_of <= expires)
    }

    /// One line saying what the setting does and why: "council setting: error — REASON
    /// (approved by WHO on DATE)".
    pub fn describe(&self) -> String {
        let mut line = format!("council setting: {} — {}", self.severity.as_str(), self.reason);
        match (&self.approved_by, self.approved_on) {
            (Some(who), Some(on)) => line.push_str(&format!(" (approved by {who} on {on})")),
            (Some(who), None) => line.push_str(&format!(" (approved by {who})")),
            (None, Some(on)) => line.push_str(&format!(" (approved on {on})")),
            (None, None) => {}
        }
        line
    }

    /// The setting as a finding records it: its reason, and the line [`Self::describe`] gives.
    pub fn applied(&self) -> crate::diagnostic::AppliedSetting {
        crate::diagnostic::AppliedSetting { reason: self.reason.clone(), description: self.describe() }
    }
}

/// Settings by rule id.
pub type Settings = BTreeMap<String, RuleSetting>;

/// Why a setting cannot be used with a policy set.
pub fn problem(id: &str, setting: &RuleSetting, status: Option<RuleStatus>, rules: &[&str]) -> Option<String> {
    match status {
        None => {
            let hint = crate::schema::did_you_mean(id, rules.iter().copied())
                .map(|hint| format!("; {hint}"))
                .unwrap_or_default();
            Some(format!("`[rules.\"{id}\"]` sets a rule the policy set does not have{hint}"))
        }
        Some(RuleStatus::Law) if setting.severity == SettingSeverity::Off => Some(format!(
            "`{id}` is law, so it cannot be turned off; lower it to `note` if the council must, giving the reason"
        )),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::SettingSeverity;

    #[test]
    fn a_severity_is_read_by_the_name_it_is_written_under_and_by_no_other() {
        for severity in SettingSeverity::ALL {
            assert_eq!(SettingSeverity::from_name(severity.as_str()), Some(severity));
        }
        for written in ["warn", "Warning", "", "none", "error "] {
            assert_eq!(SettingSeverity::from_name(written), None, "{written}");
        }
    }
}
