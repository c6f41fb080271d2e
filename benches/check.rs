//! Benchmarks of the core: loading and type-checking the embedded library, loading one
//! constitution, and checking it (`cargo bench --bench check`).

#![allow(clippy::expect_used, reason = "a benchmark stops loudly on a broken fixture")]

use std::hint::black_box;

use trustcheck::engine::judge;
use trustcheck::loader::load;
use trustcheck::source::Origin;
use trustcheck::{CheckOptions, Input, PolicySet};

const CONSTITUTION: &str = include_str!("../examples/birmingham_mutual_option.toml");

fn main() {
    divan::main();
}

fn options() -> CheckOptions {
    CheckOptions::as_of(jiff::civil::date(2026, 11, 23))
}

/// Parse, resolve and type-check the whole embedded standard library.
#[divan::bench]
fn load_standard_library() -> PolicySet {
    PolicySet::standard()
}

/// Load one constitution against the standard schema.
#[divan::bench]
fn load_constitution(bencher: divan::Bencher) {
    let set = PolicySet::standard();
    let mut sources = set.sources().clone();
    let file = sources.add("constitution.toml", CONSTITUTION, Origin::Disk);
    bencher.bench_local(|| load(black_box(&sources), file, set.schema()));
}

/// Judge every rule of the standard library on one loaded constitution.
#[divan::bench]
fn judge_constitution(bencher: divan::Bencher) {
    let set = PolicySet::standard();
    let mut sources = set.sources().clone();
    let file = sources.add("constitution.toml", CONSTITUTION, Origin::Disk);
    let document = load(&sources, file, set.schema()).document.expect("the example loads");
    let options = options();
    bencher.bench_local(|| {
        judge(black_box(&set), black_box(&document), &options).map(|j| (j.outcomes.len(), j.diagnostics.len()))
    });
}

/// The whole check of one constitution: decode, load, judge, build the report.
#[divan::bench]
fn check_one_file(bencher: divan::Bencher) {
    let set = PolicySet::standard();
    let options = options();
    bencher.bench_local(|| set.check_inputs(vec![Input::from_text("constitution.toml", CONSTITUTION)], &options));
}
