//! Properties over generated input: a value read through a `ref` behaves exactly as the same
//! value read directly; evaluation is deterministic; the loader never panics on mutated
//! TOML; every diagnostic's span lies inside its file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a property fails loudly"
)]

use proptest::prelude::*;
use trustcheck::policy::PolicySource;
use trustcheck::report::Outcome;
use trustcheck::{CheckOptions, Input, PolicySet};

const AS_OF: &str = "2026-11-23";

/// The optional fields a generated member may state, with a value to state.
const FIELDS: [(&str, &str, &str); 3] =
    [("experience_until", "date?", "2027-01-01"), ("nominated", "bool?", "true"), ("share", "percent?", "\"40%\"")];

/// Conditions on a member `x`, built from `is set`, `is not set`, comparisons (unknown when
/// the field is not stated) and Kleene's `and`, `or`, `not`.
fn condition() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        (0..FIELDS.len()).prop_map(|i| format!("x.{} is set", FIELDS[i].0)),
        (0..FIELDS.len()).prop_map(|i| format!("x.{} is not set", FIELDS[i].0)),
        Just("x.experience_until > 2026-06-01".to_owned()),
        Just("x.nominated".to_owned()),
        Just("x.share >= 25%".to_owned()),
        Just("x.capital == 0%".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
    ];
    atom.prop_recursive(3, 16, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
            inner.prop_map(|a| format!("not ({a})")),
        ]
    })
}

/// A policy with each condition twice: on the member a seat names (`s.member`), and on the
/// same member read from `members` directly.
fn policy(conditions: &[String]) -> String {
    let fields: Vec<String> = FIELDS.iter().map(|(name, ty, _)| format!("  {name}: {ty}")).collect();
    let mut text = format!("extend record Member {{\n{}\n}}\n\npolicy probe \"Probe\" {{\n", fields.join("\n"));
    for (i, condition) in conditions.iter().enumerate() {
        let through_ref = condition.replace("x.", "s.member.");
        let direct = condition.replace("x.", "m.");
        text.push_str(&format!(
            "  rule via_ref_{i} error \"Through the ref\" for s in board.seats where s.member is set {{\n    require {through_ref}\n  }}\n"
        ));
        text.push_str(&format!(
            "  rule direct_{i} error \"Directly\" for m in members where m.name == \"Target\" {{\n    require {direct}\n  }}\n"
        ));
    }
    text.push_str("}\n");
    text
}

/// A constitution whose member `Target` states the fields chosen, named by one seat.
fn constitution(stated: &[bool]) -> String {
    let mut member =
        String::from("[[members]]\nname = \"Target\"\nkind = \"local_authority\"\nvoting_rights = \"100%\"\n");
    for ((name, _, value), stated) in FIELDS.iter().zip(stated) {
        if *stated {
            member.push_str(&format!("{name} = {value}\n"));
        }
    }
    format!(
        "[trust]\nname = \"Probe Trust\"\nlegal_form = \"company_limited_by_guarantee\"\noperational_from = 2021-04-01\n\n{member}\n[board]\nchair_appointed_by = \"member\"\n\n[[board.seats]]\ncount = 1\nrole = \"council_non_executive\"\nappointed_by = \"member\"\nmember = \"Target\"\n"
    )
}

/// Every rule's outcome, by rule id.
fn outcomes(set: &PolicySet, text: &str) -> Vec<(String, Outcome)> {
    let options = CheckOptions::as_of(AS_OF.parse().unwrap());
    let report = set.check_inputs(vec![Input::from_text("probe.toml", text)], &options);
    let file = &report.files[0];
    assert_eq!(file.status, trustcheck::report::FileStatus::Checked, "{text}\n{:#?}", file.diagnostics);
    file.outcomes.iter().map(|result| (result.rule.to_string(), result.outcome)).collect()
}

fn outcome_of(outcomes: &[(String, Outcome)], id: &str) -> Outcome {
    outcomes.iter().find(|(rule, _)| rule == id).map(|(_, outcome)| *outcome).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_value_read_through_a_ref_behaves_as_read_directly(
        conditions in proptest::collection::vec(condition(), 1..5),
        stated in proptest::collection::vec(any::<bool>(), FIELDS.len()),
    ) {
        let text = policy(&conditions);
        let set = PolicySet::from_sources(vec![PolicySource::Standard, PolicySource::File(Input::from_text("probe.policy", text.clone()))]);
        prop_assert!(set.is_valid(), "{text}\n{:#?}", set.diagnostics());
        let seen = outcomes(&set, &constitution(&stated));
        for (i, condition) in conditions.iter().enumerate() {
            let through_ref = outcome_of(&seen, &format!("probe.via_ref_{i}"));
            let direct = outcome_of(&seen, &format!("probe.direct_{i}"));
            prop_assert_eq!(through_ref, direct, "`{}` with stated fields {:?}", condition, stated);
        }
        // Judging again gives the same outcomes: evaluation is deterministic.
        prop_assert_eq!(seen, outcomes(&set, &constitution(&stated)));
        // The generated policy formats soundly (the formatter checks its own output) and
        // formatting it again changes nothing.
        let formatted = trustcheck::formatter::format(&text, trustcheck::source::FileId(0));
        let formatted = formatted.map_err(|error| TestCaseError::fail(format!("{error:?}")))?;
        prop_assert_eq!(trustcheck::formatter::format(&formatted, trustcheck::source::FileId(0)).ok(), Some(formatted.clone()));
    }
}

#[test]
fn is_set_through_a_ref_reads_the_named_record() {
    let text = policy(&["x.experience_until is set".to_owned(), "x.experience_until is not set".to_owned()]);
    let set = PolicySet::from_sources(vec![
        PolicySource::Standard,
        PolicySource::File(Input::from_text("probe.policy", text)),
    ]);
    let seen = outcomes(&set, &constitution(&[false, false, false]));
    assert_eq!(outcome_of(&seen, "probe.via_ref_0"), Outcome::Fail, "the member states no such date");
    assert_eq!(outcome_of(&seen, "probe.via_ref_1"), Outcome::Pass);
    let seen = outcomes(&set, &constitution(&[true, false, false]));
    assert_eq!(outcome_of(&seen, "probe.via_ref_0"), Outcome::Pass);
    assert_eq!(outcome_of(&seen, "probe.via_ref_1"), Outcome::Fail);
}

/// The embedded standard library, built once for every case.
fn standard() -> &'static PolicySet {
    static SET: std::sync::OnceLock<PolicySet> = std::sync::OnceLock::new();
    SET.get_or_init(PolicySet::standard)
}

/// The example constitutions, read once.
fn examples() -> &'static [Vec<u8>] {
    static EXAMPLES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
            .unwrap()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        paths.sort();
        paths.iter().map(|path| std::fs::read(path).unwrap()).collect()
    })
}

/// One edit of a byte string: at a position (a fraction of its length), delete, insert a
/// byte, repeat a stretch, or cut the rest.
#[derive(Clone, Debug)]
enum Edit {
    Delete(f64, usize),
    Insert(f64, u8),
    Repeat(f64, usize),
    Truncate(f64),
}

fn edit() -> impl Strategy<Value = Edit> {
    let nasty =
        prop_oneof![proptest::sample::select(b"[]{}()\"'=#.,%\n\r\t\\\0\x1b\xff\xc2\xa3".to_vec()), any::<u8>()];
    prop_oneof![
        (0.0..1.0f64, 1..8usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        (0.0..1.0f64, nasty).prop_map(|(at, byte)| Edit::Insert(at, byte)),
        (0.0..1.0f64, 1..64usize).prop_map(|(at, n)| Edit::Repeat(at, n)),
        (0.0..1.0f64).prop_map(Edit::Truncate),
    ]
}

fn apply(text: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut bytes = text.to_vec();
    let place = |at: f64, len: usize| ((at * len as f64) as usize).min(len);
    for edit in edits {
        match *edit {
            Edit::Delete(at, n) => {
                let start = place(at, bytes.len());
                bytes.drain(start..(start + n).min(bytes.len()));
            }
            Edit::Insert(at, byte) => bytes.insert(place(at, bytes.len()), byte),
            Edit::Repeat(at, n) => {
                let start = place(at, bytes.len());
                let copy = bytes[start..(start + n).min(bytes.len())].to_vec();
                bytes.splice(start..start, copy);
            }
            Edit::Truncate(at) => bytes.truncate(place(at, bytes.len())),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_constitutions_load_without_panic_and_every_span_is_in_its_file(
        example in 0..7usize,
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let examples = examples();
        let text = apply(&examples[example % examples.len()], &edits);
        let options = CheckOptions::as_of(AS_OF.parse().unwrap());
        let report = standard().check_inputs(vec![Input { name: "mutated.toml".into(), bytes: Ok(text) }], &options);
        prop_assert_eq!(report.files.len(), 1);
        prop_assert!(matches!(report.exit_code(false), 0..=2));
        for diagnostic in &report.files[0].diagnostics {
            prop_assert!(!diagnostic.message.is_empty());
            let spans = diagnostic
                .primary
                .iter()
                .chain(&diagnostic.labels)
                .map(|label| label.span)
                .chain(diagnostic.rule.iter().map(|rule| rule.span))
                .chain(diagnostic.waiver.iter().map(|waiver| waiver.span));
            for span in spans {
                let file = report.sources.get(span.file).expect("the span's file is in the report");
                prop_assert!(
                    span.start <= span.end && file.text().get(span.start as usize..span.end as usize).is_some(),
                    "{} at {:?} is outside its file of {} bytes", diagnostic.code, span, file.text().len()
                );
            }
        }
    }
}

/// A `trustcheck.toml` using every key it may hold, to damage.
const PROJECT_FILE: &str = r#"policies = ["std", "policies/local/"]
constitutions = ["constitutions/**/*.toml"]

[rules."market_testing.overdue"]
severity = "error"
reason = "Cabinet decision 2026/14"
approved_by = "Cabinet"
approved_on = 2026-03-01
expires = 2027-03-01

[rules."control.staff_engagement"]
severity = "off"
reason = "handled by the staff council"
"#;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A damaged project file is read or refused, never a panic; a refusal has at least one
    /// problem, each with a message and a place inside the file, in the order they stand.
    #[test]
    fn a_damaged_project_file_is_read_or_refused_with_every_problem_placed_in_it(
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let text = String::from_utf8_lossy(&apply(PROJECT_FILE.as_bytes(), &edits)).into_owned();
        let read = trustcheck::project::Project::from_text(std::path::Path::new("/council"), ".", text.clone());
        let Err(error) = read else { return Ok(()) };
        prop_assert!(!error.diagnostics.is_empty());
        let starts: Vec<u32> = error.diagnostics.iter().filter_map(|d| d.primary.as_ref()).map(|label| label.span.start).collect();
        prop_assert!(starts.windows(2).all(|pair| pair[0] <= pair[1]), "{:?}", starts);
        for diagnostic in &error.diagnostics {
            prop_assert!(!diagnostic.message.is_empty());
            let span = diagnostic.primary.as_ref().map(|label| label.span);
            prop_assert!(
                span.is_some_and(|span| span.start <= span.end && text.get(span.start as usize..span.end as usize).is_some()),
                "{} at {:?} is not inside the file of {} bytes", diagnostic.message, span, text.len()
            );
        }
    }
}

/// Text made mostly of the policy language's own characters, with some of anything.
fn policy_like_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("rule ".to_owned()),
            Just("\"a {x.y} \\\" b\"".to_owned()),
            Just("\"".to_owned()),
            Just("// note\n".to_owned()),
            Just("/// doc\n".to_owned()),
            Just("2024-04-01".to_owned()),
            Just("£1,000.50k".to_owned()),
            Just("12.5%".to_owned()),
            Just("==".to_owned()),
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just("\n".to_owned()),
            any::<char>().prop_map(String::from),
            "[a-z0-9 ._(),:+*/<>=!-]{0,8}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_lexer_is_lossless(text in policy_like_text()) {
        let tokens = trustcheck::syntax::lexer::lex(&text);
        let mut at = 0;
        for token in &tokens {
            prop_assert_eq!(token.range.start, at, "tokens leave a gap or overlap");
            prop_assert!(token.range.end > token.range.start, "an empty token");
            at = token.range.end;
        }
        prop_assert_eq!(at, text.len());
        let joined: String = tokens.iter().map(|token| token.text(&text)).collect();
        prop_assert_eq!(joined, text);
    }
}
