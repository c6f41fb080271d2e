//! The language server's latency from a `didChange` to its `publishDiagnostics`, driving the
//! server in-process (no subprocess, no debounce wait): apply the change, check, and build the
//! notifications.
//!
//! Run with `cargo bench --bench lsp`; the target is under 10 ms for 200 lines and 15 ms for
//! 5,000. Three series show how the latency grows: with the constitution's length (200 to
//! 10,000 lines: it should double as the length doubles), and with the number of
//! constitutions open (1 to 100), for an edit to one of them (which should not grow with the
//! others) and for an edit to a policy file (which checks every open constitution again, so
//! should grow in proportion).

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use trustcheck::lsp::{Server, ServerOptions};

/// The allocator the executable ships with (see `src/main.rs`), so that these figures are
/// the ones a user meets.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    divan::main();
}

const URI: &str = "file:///bench/ynys_mon.toml";

/// The test fixture with `contracts` contracts appended, ten lines each.
fn constitution(contracts: usize) -> String {
    let mut text = include_str!("../tests/lsp/ynys_mon.toml").to_owned();
    for index in 0..contracts {
        text.push_str(&format!(
            "\n[[contracts]]\nname = \"Contract {index} Môn\"\nauthority = \"Cyngor Gwynedd\"\n\
             services = [\"leisure\"]\naward_route = \"open_competition\"\nawarded_on = 2024-03-01\n\
             start = 2024-04-01\ninitial_term = \"5 years\"\nmarket_test_by = 2027-04-01\n"
        ));
    }
    text
}

fn notification(method: &str, params: Value) -> Message {
    Message::Notification(Notification { method: method.to_owned(), params })
}

/// How many contracts make a constitution of about `lines` lines (to within ten).
fn contracts_for(lines: usize) -> usize {
    lines.saturating_sub(constitution(0).lines().count()) / 10
}

/// How many of `published` are `publishDiagnostics` notifications.
fn publications(published: &[String]) -> usize {
    published.iter().filter(|message| message.contains(r#""method":"textDocument/publishDiagnostics""#)).count()
}

/// The URI of the `index`th extra constitution open beside the first.
fn other_uri(index: usize) -> String {
    format!("file:///bench/other_{index}.toml")
}

/// Opens `count` more copies of `text` beside the first constitution, and publishes their
/// diagnostics.
fn open_others(server: &mut Server, text: &str, count: usize) {
    for index in 0..count {
        let document = json!({"uri": other_uri(index), "languageId": "toml", "version": 1, "text": text});
        server.handle(notification("textDocument/didOpen", json!({"textDocument": document})));
    }
    server.flush_diagnostics();
    server.take_outgoing();
}

/// A server with the constitution open and its first diagnostics published.
fn server(text: &str) -> Server {
    let cache = std::env::temp_dir().join("trustcheck-bench-cache");
    let mut server = Server::new(ServerOptions { cwd: std::env::temp_dir(), std_cache: Some(cache) });
    let initialize = Request {
        id: RequestId::from(1),
        method: "initialize".to_owned(),
        params: json!({"capabilities": {}, "initializationOptions": {"asOf": "2026-04-01"}}),
    };
    server.handle(Message::Request(initialize));
    server.handle(notification("initialized", json!({})));
    let document = json!({"uri": URI, "languageId": "toml", "version": 1, "text": text});
    server.handle(notification("textDocument/didOpen", json!({"textDocument": document})));
    server.flush_diagnostics();
    server.take_outgoing();
    server
}

/// One edit to a constitution of about 200 to 10,000 lines (divan counts the real lines): the
/// latency should grow in proportion to the length, not faster.
#[divan::bench(args = [200, 1250, 2500, 5000, 10000])]
fn did_change_to_publish_diagnostics_by_length(bencher: divan::Bencher<'_, '_>, lines: usize) {
    change_to_publish(bencher, contracts_for(lines), 0);
}

/// The same edit to one constitution of about 200 lines while 0 to 99 others are open: the
/// others are not checked again, so the latency should not grow with them.
#[divan::bench(args = [1, 10, 100])]
fn did_change_to_publish_diagnostics_by_open_files(bencher: divan::Bencher<'_, '_>, open: usize) {
    change_to_publish(bencher, contracts_for(200), open.saturating_sub(1));
}

/// Edits the constitution of `contracts` contracts again and again, with `others` open beside it.
fn change_to_publish(bencher: divan::Bencher<'_, '_>, contracts: usize, others: usize) {
    let text = constitution(contracts);
    let lines = text.lines().count();
    // Line 27 of the fixture: `initial_term = "5 years"`; the term alternates with 3 years.
    let line = text.lines().position(|line| line == "initial_term = \"5 years\"").unwrap_or(27);
    let mut server = server(&text);
    open_others(&mut server, &constitution(contracts_for(200)), others);
    let mut version = 1;
    bencher.counter(divan::counter::ItemsCount::new(lines)).bench_local(|| {
        version += 1;
        let term = if version % 2 == 0 { "3" } else { "5" };
        let range = json!({"start": {"line": line, "character": 16}, "end": {"line": line, "character": 17}});
        let params = json!({
            "textDocument": {"uri": URI, "version": version},
            "contentChanges": [{"range": range, "text": term}],
        });
        server.handle(notification("textDocument/didChange", params));
        server.flush_diagnostics();
        let published = server.take_outgoing();
        assert_eq!(publications(&published), 1, "one edited constitution, one publication");
        published
    });
}

/// For comparison: a `didChange` of an open policy file, which rebuilds the whole policy set
/// (the embedded library and the buffer) and checks every open constitution again, with 1 to
/// 100 constitutions of about 200 lines open: the latency should grow in proportion to their
/// number.
#[divan::bench(args = [1, 10, 100])]
fn policy_did_change_to_publish_diagnostics_by_open_files(bencher: divan::Bencher<'_, '_>, open: usize) {
    const POLICY: &str = "file:///bench/local.policy";
    let policy = include_str!("../tests/lsp/local.policy").replace("< 1000000", "< £1,000,000");
    let text = constitution(contracts_for(200));
    let mut server = server(&text);
    open_others(&mut server, &text, open.saturating_sub(1));
    let document = json!({"uri": POLICY, "languageId": "trustcheck-policy", "version": 1, "text": policy});
    server.handle(notification("textDocument/didOpen", json!({"textDocument": document})));
    server.flush_diagnostics();
    server.take_outgoing();
    let mut version = 1;
    bencher.bench_local(|| {
        version += 1;
        // Line 0 is a comment: `// Local rules…`; its first letter alternates.
        let letter = if version % 2 == 0 { "l" } else { "L" };
        let range = json!({"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 4}});
        let params = json!({
            "textDocument": {"uri": POLICY, "version": version},
            "contentChanges": [{"range": range, "text": letter}],
        });
        server.handle(notification("textDocument/didChange", params));
        server.flush_diagnostics();
        let published = server.take_outgoing();
        assert_eq!(publications(&published), open + 1, "the policy file and every open constitution, published again");
        published
    });
}
