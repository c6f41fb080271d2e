//! Any bytes as the language server's input after a well-formed `initialize`: framed or not,
//! JSON or not, every message handled and every document checked (a constitution, a policy
//! file and the project file, each opened with the bytes as its text), never a panic.
#![no_main]

use std::io::Cursor;
use std::sync::mpsc::channel;

use libfuzzer_sys::fuzz_target;
use trustcheck::lsp::transport::read_loop;
use trustcheck::lsp::{Server, ServerOptions};

/// `body` framed with its `Content-Length` header.
fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fuzz_target!(|data: &[u8]| {
    let mut input = frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"initializationOptions":{"asOf":"2026-11-23"}}}"#);
    input.extend(frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#));
    // The fuzz input both raw (framing included) and as the text of an opened document.
    input.extend_from_slice(data);
    let text = String::from_utf8_lossy(data);
    // The third is the workspace's project file, read as typed.
    let documents = [
        ("file:///fuzz/a.toml", "toml"),
        ("file:///fuzz/a.policy", "trustcheck-policy"),
        ("file:///fuzz/trustcheck.toml", "toml"),
    ];
    for (uri, language) in documents {
        let open = serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}});
        input.extend(frame(&open.to_string()));
        for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition"] {
            let request = serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": method,
                "params": {"textDocument": {"uri": uri}, "position": {"line": data.len() % 7, "character": data.len() % 13}}});
            input.extend(frame(&request.to_string()));
        }
    }
    let (sender, receiver) = channel();
    read_loop(&mut Cursor::new(input), &sender);
    drop(sender);
    let cache = std::env::temp_dir().join("trustcheck-fuzz-cache");
    let mut server = Server::new(ServerOptions { cwd: "/fuzz".into(), std_cache: Some(cache) });
    for incoming in receiver {
        server.receive(incoming);
        server.flush_diagnostics();
        let _ = server.take_outgoing();
        let _ = server.take_logs();
    }
});
