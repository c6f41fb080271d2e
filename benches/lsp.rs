//! The language server's latency from a `didChange` of a constitution (about 200 lines, and
//! about 5,000) to its `publishDiagnostics`, driving the server in-process (no subprocess, no
//! debounce wait): apply the change, check, and build the notification.
//!
//! Run with `cargo bench --bench lsp`; the target is under 10 ms for 200 lines and 15 ms for
//! 5,000. Two more series show how the latency grows: with the constitution's length (1,250
//! to 10,000 lines: it should double as the length doubles) and with the number of
//! constitutions open (1 to 100: an edit to one should not grow with the others, and an edit to
//! a policy file, which checks every open constitution again, should grow in proportion).

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use trustcheck::lsp::{Server, ServerOptions};

fn main() {
    divan::main();
}

const URI: &str = "file:///bench/ynys_mon.toml";

/// The test fixture with `contracts` contracts appended (18 make about 200 lines, 540 about
/// 5,000).
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

/// About how many contracts make a constitution of `lines` lines (540 make about 5,000).
fn contracts_for(lines: usize) -> usize {
    lines.saturating_mul(540) / 5000
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

#[divan::bench]
fn did_change_to_publish_diagnostics(bencher: divan::Bencher<'_, '_>) {
    change_to_publish(bencher, 18);
}

#[divan::bench]
fn did_change_to_publish_diagnostics_5000_lines(bencher: divan::Bencher<'_, '_>) {
    change_to_publish(bencher, 540);
}

/// The same edit on constitutions of about 1,250 to 10,000 lines (the fixture's own lines make
/// each some 10% longer than named: 1,385 to 10,835; divan counts the real lines): the latency
/// should grow in proportion to the length, not faster.
#[divan::bench(args = [1250, 2500, 5000, 10000])]
fn did_change_to_publish_diagnostics_by_length(bencher: divan::Bencher<'_, '_>, lines: usize) {
    change_to_publish(bencher, contracts_for(lines));
}

/// The same edit to one constitution of about 200 lines while 0 to 99 others are open: the
/// others are not checked again, so the latency should not grow with them.
#[divan::bench(args = [1, 10, 100])]
fn did_change_to_publish_diagnostics_by_open_files(bencher: divan::Bencher<'_, '_>, open: usize) {
    change_to_publish_beside(bencher, 18, open.saturating_sub(1));
}

fn change_to_publish(bencher: divan::Bencher<'_, '_>, contracts: usize) {
    change_to_publish_beside(bencher, contracts, 0);
}

fn change_to_publish_beside(bencher: divan::Bencher<'_, '_>, contracts: usize, others: usize) {
    let text = constitution(contracts);
    let lines = text.lines().count();
    // Line 27 of the fixture: `initial_term = "5 years"`; the term alternates with 3 years.
    let line = text.lines().position(|line| line == "initial_term = \"5 years\"").unwrap_or(27);
    let mut server = server(&text);
    open_others(&mut server, &constitution(18), others);
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
        let publications = published
            .iter()
            .filter(|message| message.contains(r#""method":"textDocument/publishDiagnostics""#))
            .count();
        assert_eq!(publications, 1, "one edited constitution, one publication");
        published
    });
}

/// For comparison: a `didChange` of an open policy file, which rebuilds the whole policy set
/// (the embedded library and the buffer) and checks the open constitution again.
#[divan::bench]
fn policy_did_change_to_publish_diagnostics(bencher: divan::Bencher<'_, '_>) {
    policy_change_to_publish(bencher, 1);
}

/// The same policy edit with 1 to 100 constitutions of about 200 lines open: each is checked
/// again, so the latency should grow in proportion to their number.
#[divan::bench(args = [1, 10, 100])]
fn policy_did_change_to_publish_diagnostics_by_open_files(bencher: divan::Bencher<'_, '_>, open: usize) {
    policy_change_to_publish(bencher, open);
}

fn policy_change_to_publish(bencher: divan::Bencher<'_, '_>, open: usize) {
    const POLICY: &str = "file:///bench/local.policy";
    let policy = include_str!("../tests/lsp/local.policy").replace("< 1000000", "< £1,000,000");
    let mut server = server(&constitution(18));
    open_others(&mut server, &constitution(18), open.saturating_sub(1));
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
        let publications = published
            .iter()
            .filter(|message| message.contains(r#""method":"textDocument/publishDiagnostics""#))
            .count();
        assert_eq!(publications, open + 1, "the policy file and every open constitution, published again");
        published
    });
}
