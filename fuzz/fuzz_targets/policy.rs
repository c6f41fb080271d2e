//! Any bytes as a policy set of one file: parsed, resolved and type-checked, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustcheck::policy::PolicySource;
use trustcheck::{CheckOptions, Input, PolicySet};

fuzz_target!(|data: &[u8]| {
    let set = PolicySet::from_sources(vec![PolicySource::File(Input {
        name: "fuzz.policy".into(),
        bytes: Ok(data.to_vec()),
    })]);
    let options = CheckOptions::as_of(jiff::civil::date(2026, 11, 23));
    let _ = set.validation_report(&options).render_plain();
});
