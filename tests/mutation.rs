//! A small deterministic fuzzer: every example constitution and every standard policy file,
//! damaged in many small ways (bytes deleted, repeated, replaced), must still give diagnostics
//! and a defined exit code, never a panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails loudly on a broken fixture"
)]

use trustcheck::embedded::STANDARD_LIBRARY;
use trustcheck::policy::PolicySource;
use trustcheck::{CheckOptions, Input, PolicySet};

/// A linear congruential generator: the same damage on every run.
struct Damage(u64);

impl Damage {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below.max(1)
    }

    fn apply(&mut self, text: &[u8]) -> Vec<u8> {
        let mut bytes = text.to_vec();
        for _ in 0..=self.next(3) {
            let at = self.next(bytes.len());
            match self.next(4) {
                0 => {
                    bytes.remove(at.min(bytes.len().saturating_sub(1)));
                }
                1 => {
                    let end = (at + 1 + self.next(40)).min(bytes.len());
                    let copy = bytes[at..end].to_vec();
                    bytes.splice(at..at, copy);
                }
                2 => {
                    const NASTY: &[u8] = b"[]{}()\"'=#.,%\xc2\xa3\n\\\0\xff";
                    bytes.insert(at, NASTY[self.next(NASTY.len())]);
                }
                _ => bytes.truncate(at),
            }
            if bytes.is_empty() {
                break;
            }
        }
        bytes
    }
}

#[test]
fn damaged_constitutions_never_panic() {
    let set = PolicySet::standard();
    let options = CheckOptions::as_of("2026-11-23".parse().unwrap());
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut damage = Damage(7);
    let mut inputs = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read(path).unwrap();
        for round in 0..150 {
            inputs.push(Input { name: format!("damaged-{round}.toml"), bytes: Ok(damage.apply(&text)) });
        }
    }
    let count = inputs.len();
    let report = set.check_inputs(inputs, &options);
    assert_eq!(report.files.len(), count, "every damaged file is reported");
    assert_spans_point_into_their_files(&report);
    let rendered = report.render_plain();
    assert!(rendered.contains("rules judged as of 2026-11-23"));
}

/// Every label of every diagnostic covers text of its file, on character boundaries: what
/// the renderers and the JSON positions rely on.
fn assert_spans_point_into_their_files(report: &trustcheck::Report) {
    for diagnostic in report.files.iter().flat_map(|file| &file.diagnostics) {
        assert!(!diagnostic.message.is_empty(), "{diagnostic:?}");
        let labels = diagnostic.primary.iter().chain(&diagnostic.labels);
        for label in labels {
            let file = report.sources.get(label.span.file).expect("the span's file is in the report");
            let (start, end) = (label.span.start as usize, label.span.end as usize);
            assert!(
                file.text().get(start..end).is_some(),
                "{} points outside its file: {diagnostic:?}",
                diagnostic.code
            );
        }
    }
}

#[test]
fn damaged_policy_files_never_panic() {
    let options = CheckOptions::as_of("2026-11-23".parse().unwrap());
    let mut damage = Damage(11);
    for (name, text) in STANDARD_LIBRARY.iter().skip(1) {
        for _ in 0..12 {
            let (schema_name, schema) = STANDARD_LIBRARY[0];
            let set = PolicySet::from_sources(vec![
                PolicySource::File(Input::from_text(schema_name, schema)),
                PolicySource::File(Input { name: (*name).to_owned(), bytes: Ok(damage.apply(text.as_bytes())) }),
            ]);
            let report = set.validation_report(&options);
            assert!(
                report
                    .files
                    .iter()
                    .flat_map(|file| &file.diagnostics)
                    .all(|d| d.span().is_some() || d.code.as_str().starts_with("io."))
            );
            assert_spans_point_into_their_files(&report);
        }
    }
}
