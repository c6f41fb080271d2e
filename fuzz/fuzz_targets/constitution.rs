//! Any bytes as a constitution, checked against the standard library and rendered in every
//! report format: never a panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use trustcheck::{CheckOptions, Input, PolicySet};

static POLICIES: LazyLock<PolicySet> = LazyLock::new(PolicySet::standard);

fuzz_target!(|data: &[u8]| {
    let options = CheckOptions::as_of(jiff::civil::date(2026, 11, 23));
    let report = POLICIES.check_inputs(vec![Input { name: "fuzz.toml".into(), bytes: Ok(data.to_vec()) }], &options);
    let _ = trustcheck::report::json::render(&report);
    let _ = report.render_plain();
    let _ = trustcheck::report::short::render(&report);
    let _ = trustcheck::report::github::render(&report);
    let _ = trustcheck::report::sarif::render(&report);
});
