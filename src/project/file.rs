//! Reading `trustcheck.toml`'s text into what it says, finding every mistake in it at once:
//! an officer who misspells a key and writes `severity = "warn"` in the same file hears of
//! both in one run, each at its place, with what was probably meant.

use std::ops::Range;

use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::BuiltinCode;
use crate::diagnostic::wording::either;
use crate::report::Diagnostic;
use crate::settings::{RuleSetting, SettingSeverity};
use crate::source::{FileId, Span};

use super::glob;

/// What a valid `trustcheck.toml` says, as written.
pub(super) struct Written {
    /// `policies`, if given.
    pub policies: Option<Vec<String>>,
    /// `constitutions`, if given.
    pub constitutions: Option<Vec<glob::Pattern>>,
    /// The council's settings, by rule id (in id order), each with the byte range of its table.
    pub settings: Vec<(String, RuleSetting, Range<usize>)>,
}

/// The keys the file holds at its top level.
const TOP_KEYS: [&str; 3] = ["policies", "constitutions", "rules"];
/// The keys a `[rules."ID"]` setting holds.
const SETTING_KEYS: [&str; 5] = ["severity", "reason", "approved_by", "approved_on", "expires"];

/// A project file with mistakes in it.
pub(super) struct Mistaken {
    /// Every problem found, in the order they stand.
    pub problems: Vec<Diagnostic>,
    /// What did read, when the policy set the file means is known (it parses, `policies`
    /// reads, and no unknown key stands at the top level, which may be a misspelt
    /// `policies`): its settings that read can still be checked against that set.
    pub readable: Option<Written>,
}

/// Reads the text of the project file shown as `path`: what it says, or every problem found
/// in it (spans are in file 0, the project file).
pub(super) fn read(text: &str, path: &str) -> Result<Written, Mistaken> {
    let table = match DeTable::parse(text) {
        Ok(table) => table.into_inner(),
        Err(error) => {
            let span = error.span().map(|range| Span::new(FileId(0), range.start, range.end));
            let message = format!("`{path}` is not a valid project file: {}", error.message().trim_end());
            let problem = Diagnostic::new(BuiltinCode::ConfigInvalid, message, span).with_help(WHAT_IT_HOLDS);
            return Err(Mistaken { problems: vec![problem], readable: None });
        }
    };
    let mut reader = Reader { path, problems: Vec::new() };
    let mut written = Written { policies: None, constitutions: None, settings: Vec::new() };
    let mut set_known = true;
    for (key, value) in &table {
        match key.get_ref().as_ref() {
            "policies" => {
                written.policies = reader.texts(value, "policies", POLICIES_EXAMPLE);
                set_known &= written.policies.is_some();
            }
            "constitutions" => written.constitutions = reader.patterns(value),
            "rules" => written.settings = reader.settings(value),
            unknown => {
                reader.unknown_key(key, unknown, None);
                set_known = false;
            }
        }
    }
    if reader.problems.is_empty() {
        return Ok(written);
    }
    sort_in_place(&mut reader.problems);
    Err(Mistaken { problems: reader.problems, readable: set_known.then_some(written) })
}

/// Puts problems in the order they stand in the file.
pub(super) fn sort_in_place(problems: &mut [Diagnostic]) {
    problems.sort_by_key(|problem| problem.primary.as_ref().map(|label| label.span.start));
}

/// What the whole file may hold, for a problem that is not with one setting.
const WHAT_IT_HOLDS: &str = "`trustcheck.toml` may hold `policies = [\"std\", \"FOLDER/\"]`, `constitutions = [\"GLOB\"]` and `[rules.\"ID\"]` settings with `severity` and `reason`";
/// How `policies` is written.
const POLICIES_EXAMPLE: &str = "[\"std\", \"policies/local/\"]";
/// How `constitutions` is written.
const CONSTITUTIONS_EXAMPLE: &str = "[\"constitutions/**/*.toml\"]";

/// Goes through the file, keeping the problems it finds.
struct Reader<'a> {
    path: &'a str,
    problems: Vec<Diagnostic>,
}

impl Reader<'_> {
    /// Records a problem at `range`.
    fn problem(&mut self, range: Range<usize>, message: String, help: String) {
        let span = Span::new(FileId(0), range.start, range.end);
        self.problems.push(Diagnostic::new(BuiltinCode::ConfigInvalid, message, Some(span)).with_help(help));
    }

    /// A key the file (or, with `setting`, the setting for that rule id) does not hold.
    fn unknown_key(&mut self, key: &Spanned<toml::de::DeString<'_>>, name: &str, setting: Option<&str>) {
        let (place, known, otherwise): (String, &[&str], String) = match setting {
            None => (String::new(), &TOP_KEYS, WHAT_IT_HOLDS.to_owned()),
            Some(id) => (
                format!(" in `[rules.\"{id}\"]`"),
                &SETTING_KEYS,
                "a setting may hold `severity`, `reason`, `approved_by`, `approved_on` and `expires`".to_owned(),
            ),
        };
        let help = crate::schema::did_you_mean(name, known.iter().copied()).unwrap_or(otherwise);
        self.problem(key.span(), format!("`{}`: unknown key `{name}`{place}", self.path), help);
    }

    /// A list of texts (`policies`), or `None` after recording why it is not one.
    fn texts(&mut self, value: &Spanned<DeValue<'_>>, key: &str, example: &str) -> Option<Vec<String>> {
        let help = match value.get_ref() {
            DeValue::Array(items) => return self.text_items(items, key, example),
            DeValue::String(text) => format!("put it in a list: `{key} = [\"{text}\"]`"),
            _ => format!("write `{key} = {example}`"),
        };
        let message = format!("`{}`: `{key}` must be a list, such as `{key} = {example}`", self.path);
        self.problem(value.span(), message, help);
        None
    }

    /// The entries of a list of texts, or `None` after recording each that is not text.
    fn text_items(&mut self, items: &[Spanned<DeValue<'_>>], key: &str, example: &str) -> Option<Vec<String>> {
        let mut texts = Vec::with_capacity(items.len());
        let mut all = true;
        for item in items {
            match item.get_ref() {
                DeValue::String(text) => texts.push(text.to_string()),
                _ => {
                    all = false;
                    let message = format!("`{}`: each entry of `{key}` must be text in quotes", self.path);
                    self.problem(item.span(), message, format!("write `{key} = {example}`"));
                }
            }
        }
        all.then_some(texts)
    }

    /// `constitutions`: a list of glob patterns.
    fn patterns(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Vec<glob::Pattern>> {
        let texts = self.texts(value, "constitutions", CONSTITUTIONS_EXAMPLE)?;
        let DeValue::Array(items) = value.get_ref() else { return None };
        let mut patterns = Vec::with_capacity(texts.len());
        for (text, item) in texts.iter().zip(items) {
            match glob::Pattern::new(text) {
                Ok(pattern) => patterns.push(pattern),
                Err(error) => self.problem(
                    item.span(),
                    format!("`{}`: {error}", self.path),
                    "write a glob such as `constitutions/**/*.toml`: `*` and `?` within a folder name, `**` for any folders, `[abc]` for one of a set".to_owned(),
                ),
            }
        }
        (patterns.len() == texts.len()).then_some(patterns)
    }

    /// `[rules."ID"]` tables: the settings that can be used.
    fn settings(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<(String, RuleSetting, Range<usize>)> {
        let DeValue::Table(rules) = value.get_ref() else {
            let message = format!(
                "`{}`: `rules` must hold a table for each rule it sets, such as `[rules.\"control.step_in\"]`",
                self.path
            );
            self.problem(value.span(), message, WHAT_IT_HOLDS.to_owned());
            return Vec::new();
        };
        let mut settings = Vec::with_capacity(rules.len());
        for (id, setting) in rules {
            let id = id.get_ref().as_ref();
            if let Some(read) = self.setting(id, setting) {
                settings.push((id.to_owned(), read, setting.span()));
            }
        }
        settings
    }

    /// One `[rules."ID"]` table, or `None` after recording what is wrong with it.
    fn setting(&mut self, id: &str, value: &Spanned<DeValue<'_>>) -> Option<RuleSetting> {
        let DeValue::Table(table) = value.get_ref() else {
            let message =
                format!("`{}`: the setting for `{id}` must be a table with `severity` and `reason`", self.path);
            let help = format!(
                "write `[rules.\"{id}\"]` on a line of its own, with `severity = \"…\"` and `reason = \"…\"` beneath it"
            );
            self.problem(value.span(), message, help);
            return None;
        };
        let before = self.problems.len();
        let (mut severity, mut reason, mut approved_by, mut approved_on, mut expires) = (None, None, None, None, None);
        for (key, field) in table {
            match key.get_ref().as_ref() {
                "severity" => severity = self.severity(id, field),
                "reason" => reason = self.text(id, "reason", field, "agreed by cabinet on 1 April 2026"),
                "approved_by" => approved_by = self.text(id, "approved_by", field, "Cabinet"),
                "approved_on" => approved_on = self.date(id, "approved_on", field),
                "expires" => expires = self.date(id, "expires", field),
                unknown => self.unknown_key(key, unknown, Some(id)),
            }
        }
        let header = value.span();
        if !table.keys().any(|key| key.get_ref().as_ref() == "severity") {
            let message = format!("`{}`: the setting `[rules.\"{id}\"]` has no `severity`", self.path);
            let help =
                "give the severity the rule has for this council: `severity = \"warning\"` (or `error`, `note`, `off`)";
            self.problem(header.clone(), message, help.to_owned());
        }
        if !table.keys().any(|key| key.get_ref().as_ref() == "reason") {
            let message = format!("`{}`: the setting `[rules.\"{id}\"]` has no `reason`", self.path);
            let help = "record why the council made this setting: `reason = \"…\"`";
            self.problem(header, message, help.to_owned());
        }
        if self.problems.len() > before {
            return None;
        }
        Some(RuleSetting { severity: severity?, reason: reason?, approved_by, approved_on, expires })
    }

    /// `severity`: one of the four names.
    fn severity(&mut self, id: &str, value: &Spanned<DeValue<'_>>) -> Option<SettingSeverity> {
        let written = match value.get_ref() {
            DeValue::String(text) => Some(text.as_ref()),
            _ => None,
        };
        let severity = written.and_then(SettingSeverity::from_name);
        if severity.is_none() {
            let names = SettingSeverity::ALL.map(|severity| format!("\"{}\"", severity.as_str()));
            let message = format!("`{}`: `severity` of `[rules.\"{id}\"]` must be {}", self.path, either(&names));
            let help = written
                .and_then(|written| {
                    crate::schema::suggestions(
                        &written.to_lowercase(),
                        SettingSeverity::ALL.map(SettingSeverity::as_str),
                    )
                    .first()
                    .copied()
                })
                .map_or_else(
                    || "write for example `severity = \"note\"`".to_owned(),
                    |meant| format!("did you mean `severity = \"{meant}\"`?"),
                );
            self.problem(value.span(), message, help);
        }
        severity
    }

    /// A text field of a setting (`reason`, `approved_by`).
    fn text(&mut self, id: &str, key: &str, value: &Spanned<DeValue<'_>>, example: &str) -> Option<String> {
        if let DeValue::String(text) = value.get_ref() {
            return Some(text.to_string());
        }
        let message = format!("`{}`: `{key}` of `[rules.\"{id}\"]` must be text in quotes", self.path);
        self.problem(value.span(), message, format!("write for example `{key} = \"{example}\"`"));
        None
    }

    /// A date field of a setting: anything but a date (a date-time, a time, a date in quotes)
    /// is refused at the value itself.
    fn date(&mut self, id: &str, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Date> {
        if let DeValue::Datetime(datetime) = value.get_ref()
            && let Some(date) = crate::value::toml_date(datetime)
        {
            return Some(date);
        }
        let message = format!("`{}`: `{key}` of `[rules.\"{id}\"]` must be a date such as 2026-04-01", self.path);
        self.problem(value.span(), message, date_help(value.get_ref(), key));
        None
    }
}

/// How to write a setting's date that is not one: without its time, without quotes, or as
/// year-month-day when it is written in English.
fn date_help(value: &DeValue<'_>, key: &str) -> String {
    let example = || format!("write a date, for example `{key} = 2026-04-01`");
    match value {
        DeValue::Datetime(datetime) => match &datetime.date {
            Some(day) => format!("write the date alone, without a time: `{key} = {day}`"),
            None => example(),
        },
        DeValue::String(text) => crate::english_dates::quoted(text, |date| format!("{key} = {date}"))
            .map_or_else(example, |quoted| quoted.help),
        _ => example(),
    }
}
