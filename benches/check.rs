//! Benchmarks of the pipeline stage by stage (`cargo bench --bench check`): the standard
//! library read from its compiled form and compiled from its text; the floors under loading
//! a constitution (the `toml` crate's parse alone, and the lexing and parsing under it);
//! loading one constitution, judging it (and each example in turn), the whole check of one
//! file, a batch of files, rendering a report as JSON, and a batch streamed as JSON as
//! `check --format json` does it.
//! `benches/vs-rego.sh` times whole processes against the Rego peer.

#![allow(clippy::expect_used, reason = "a benchmark stops loudly on a broken fixture")]

use std::hint::black_box;

use trustcheck::engine::judge;
use trustcheck::loader::load;
use trustcheck::source::Origin;
use trustcheck::{CheckOptions, Input, PolicySet};

const CONSTITUTION: &str = include_str!("../examples/birmingham_mutual_option.toml");

/// The allocator the executable ships with (see `src/main.rs`), so that these figures are
/// the ones a user meets.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    divan::main();
}

fn options() -> CheckOptions {
    CheckOptions::as_of(jiff::civil::date(2026, 11, 23))
}

/// The standard library as a check gets it: read from its compiled form.
#[divan::bench]
fn load_standard_library() -> PolicySet {
    PolicySet::standard()
}

/// Parse, resolve and type-check the whole standard library from its text (what the
/// compiled form saves; a council's own policies beside it still take this path).
#[divan::bench]
fn compile_standard_library_from_text() -> Vec<u8> {
    PolicySet::standard_artifact()
}

/// The floor under loading: the `toml` crate's own parse of the same constitution, with
/// nothing typed or checked. Whatever `load_constitution` costs beyond it is trustcheck's.
#[divan::bench]
fn parse_toml_alone(bencher: divan::Bencher) {
    bencher.bench_local(|| toml::de::DeTable::parse_recoverable(black_box(CONSTITUTION)));
}

/// The floor under any reader of TOML built on the parser the `toml` crate uses
/// (`toml_parser`): lexing and parsing, with the whitespace checked as TOML requires (as
/// the `toml` crate does), the events only collected. What `parse_toml_alone` costs beyond
/// it is decoding the keys and values and building the table.
#[divan::bench]
fn lex_and_parse_toml_events(bencher: divan::Bencher) {
    bencher.bench_local(|| {
        let source = toml_parser::Source::new(black_box(CONSTITUTION));
        let tokens = source.lex().into_vec();
        let mut events = Vec::with_capacity(tokens.len());
        let mut errors = Vec::new();
        let mut receiver = toml_parser::parser::ValidateWhitespace::new(&mut events, source);
        toml_parser::parser::parse_document(&tokens, &mut receiver, &mut errors);
        (events, errors)
    });
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

/// Judge every rule on each bundled example in turn (per iteration, all of them): different
/// documents take different paths through the rules, as in a batch.
#[divan::bench]
fn judge_every_example(bencher: divan::Bencher) {
    let set = PolicySet::standard();
    let mut sources = set.sources().clone();
    let mut paths: Vec<_> = std::fs::read_dir("examples")
        .expect("the examples folder is read")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|extension| extension == "toml"))
        .collect();
    paths.sort();
    let documents: Vec<_> = paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("an example is read");
            let file = sources.add(path.display().to_string(), text, Origin::Disk);
            load(&sources, file, set.schema()).document.expect("the example loads")
        })
        .collect();
    let options = options();
    bencher.counter(divan::counter::ItemsCount::new(documents.len())).bench_local(|| {
        documents
            .iter()
            .map(|document| judge(black_box(&set), black_box(document), &options).map_or(0, |j| j.outcomes.len()))
            .sum::<usize>()
    });
}

/// The whole check of one constitution: decode, load, judge, build the report.
#[divan::bench]
fn check_one_file(bencher: divan::Bencher) {
    let set = PolicySet::standard();
    let options = options();
    bencher.bench_local(|| set.check_inputs(vec![Input::from_text("constitution.toml", CONSTITUTION)], &options));
}

/// A batch of 100 constitutions in one run (on every core).
#[divan::bench]
fn check_hundred_files(bencher: divan::Bencher) {
    let set = PolicySet::standard();
    let options = options();
    let inputs = || (0..100).map(|i| Input::from_text(format!("c{i:03}.toml"), CONSTITUTION)).collect::<Vec<_>>();
    bencher.with_inputs(inputs).bench_local_values(|inputs| set.check_inputs(inputs, &options));
}

/// Rendering one file's report as JSON.
#[divan::bench]
fn render_json(bencher: divan::Bencher) {
    let set = PolicySet::standard();
    let report = set.check_inputs(vec![Input::from_text("constitution.toml", CONSTITUTION)], &options());
    bencher.bench_local(|| trustcheck::report::json::render(black_box(&report)));
}

/// What `check --format json` does with a batch: 100 constitutions checked a chunk at a time
/// on every core, each file's JSON entry rendered where it was checked, and the document
/// assembled in order.
#[divan::bench]
fn stream_hundred_files_as_json(bencher: divan::Bencher) {
    let set = PolicySet::standard();
    let options = options();
    let inputs = || (0..100).map(|i| Input::from_text(format!("c{i:03}.toml"), CONSTITUTION)).collect::<Vec<_>>();
    bencher.with_inputs(inputs).bench_local_values(|inputs| {
        let mut document = trustcheck::report::json::document(options.as_of);
        set.check_streamed(
            inputs,
            &options,
            |sources, file| trustcheck::report::json::render_file(sources, &file),
            |entry| document.push(&entry),
        );
        document.end().len()
    });
}
