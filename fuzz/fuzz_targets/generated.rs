//! Policies generated from the fuzz input, token by token from the language's own words, so
//! that most are well formed: parsed, type-checked and, when valid, judged on every example
//! constitution. Never a panic, a hang or a stack overflow.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use trustcheck::policy::PolicySource;
use trustcheck::{CheckOptions, Input, PolicySet};

/// Words an expression is built from: fields of the standard schema, literals, operators.
const WORDS: &[&str] = &[
    "trust.name", "trust.charity", "trust.operational_from", "trust.shadow_from", "members", "board.seats",
    "contracts", "m.voting_rights", "m.kind", "m.capital", "s.count", "s.member", "s.member.voting_rights",
    "c.start", "c.initial_term", "c.annual_value", "as_of", "1", "0", "2", "9007199254740992", "25%", "100%",
    "£1m", "£0", "3 years", "6 months", "2025-02-24", "\"text\"", "true", "false", "local_authority", "+", "-",
    "*", "/", "==", "!=", "<", "<=", ">", ">=", "and", "or", "not", "in", "not in", "contains", "is set",
    "is not set", "(", ")", "[", "]", ",", "all m in members:", "any s in board.seats:", "count(members)",
    "sum(m.voting_rights for m in members)", "max(s.count for s in board.seats)", "if", "then", "else",
    "first(c in contracts where c.start is set).start", "years(c.initial_term)",
];

static CONSTITUTIONS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let mut paths: Vec<_> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    paths.sort();
    paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(p).ok()?)))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let expression: Vec<&str> = data.iter().map(|byte| WORDS[*byte as usize % WORDS.len()]).collect();
    let text = format!(
        "policy fuzz \"Fuzz\" {{\n  rule generated error \"Generated\" {{\n    require {}\n    message \"{{{}}}\"\n  }}\n}}\n",
        expression.join(" "),
        expression.first().copied().unwrap_or("1").replace('"', "")
    );
    let set = PolicySet::from_sources(vec![
        PolicySource::Standard,
        PolicySource::File(Input::from_text("fuzz.policy", text)),
    ]);
    let options = CheckOptions::as_of(jiff::civil::date(2026, 11, 23));
    if !set.is_valid() {
        let _ = set.validation_report(&options).render_plain();
        return;
    }
    let inputs = CONSTITUTIONS.iter().map(|(name, text)| Input::from_text(name, text.clone())).collect();
    let report = set.check_inputs(inputs, &options);
    let _ = report.render_plain();
});
