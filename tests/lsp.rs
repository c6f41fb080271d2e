//! The language server end to end: the built binary is spawned (`trustcheck lsp`) and spoken
//! to in JSON-RPC with `Content-Length` framing, as an editor would. Replies are snapshotted
//! with the workspace folder rewritten to `file:///WORKSPACE` and the library's cache folder to
//! `file:///CACHE/std`.
//!
//! Fixtures are in `tests/lsp/`: a constitution with Welsh names (and a dragon, two UTF-16
//! code units) whose rules fail, and a policy file with a type error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers may panic: a panic is a failed test"
)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

const AS_OF: &str = "2026-04-01";
const TIMEOUT: Duration = Duration::from_secs(60);

/// A running server; killed when dropped, so that a failing test never leaves it behind.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages read while waiting for something else.
    backlog: Vec<Value>,
    next_id: i64,
    root: PathBuf,
    cache: PathBuf,
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Client {
    /// Starts `trustcheck lsp` in `root`, with its cache under `cache`.
    fn spawn(root: &Path, cache: &Path) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trustcheck"));
        command.env("XDG_CACHE_HOME", cache);
        Client::spawn_command(command, root, cache)
    }

    /// Starts `trustcheck lsp` in `root` with the environment `command` already has.
    fn spawn_command(mut command: Command, root: &Path, cache: &Path) -> Client {
        let mut child = command
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 1,
            root: root.to_path_buf(),
            cache: cache.to_path_buf(),
        }
    }

    /// Starts a server and initializes it at [`AS_OF`].
    fn start(root: &Path, cache: &Path) -> Client {
        let mut client = Client::spawn(root, cache);
        let result = client.initialize();
        assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
        client
    }

    fn initialize(&mut self) -> Value {
        let params = json!({
            "processId": null,
            "rootUri": file_uri(&self.root),
            "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
            "initializationOptions": {"asOf": AS_OF},
        });
        let result = self.request("initialize", params);
        self.notify("initialized", json!({}));
        // The server asks to watch policy files; answer as a client would.
        let registration = self.wait_for(|message| message["method"] == "client/registerCapability");
        assert_eq!(registration["params"]["registrations"][0]["method"], "workspace/didChangeWatchedFiles");
        self.send_raw(&json!({"jsonrpc": "2.0", "id": registration["id"], "result": null}).to_string());
        result
    }

    fn send_raw(&mut self, body: &str) {
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.send_bytes(frame.as_bytes());
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send_raw(&json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string());
    }

    /// Sends a request and returns its whole response.
    fn request_full(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send_raw(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string());
        self.wait_for(|message| message["id"] == id && message.get("method").is_none())
    }

    /// Sends a request and returns its result, failing on an error response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_full(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// The first message (already read or to come) that `wanted` accepts.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(index);
        }
        loop {
            let message = self.messages.recv_timeout(TIMEOUT).expect("the server answers in time");
            if wanted(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        let message = self.wait_for(|message| {
            message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri
        });
        message["params"].clone()
    }

    fn uri(&self, relative: &str) -> String {
        format!("{}/{relative}", file_uri(&self.root))
    }

    fn open(&mut self, relative: &str, language: &str, text: &str) -> String {
        let uri = self.uri(relative);
        let document = json!({"uri": uri, "languageId": language, "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": document}));
        uri
    }

    fn position(&mut self, method: &str, uri: &str, line: u32, character: u32) -> Value {
        let params = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
        let result = self.request(method, params);
        self.redact(&result)
    }

    /// The code actions offered at a cursor, redacted.
    fn code_actions(&mut self, uri: &str, line: u32, character: u32) -> Value {
        let params = json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": character}},
            "context": {"diagnostics": []},
        });
        let actions = self.request("textDocument/codeAction", params);
        self.redact(&actions)
    }

    /// The value with the workspace and cache folders' URIs replaced by stable names.
    fn redact(&self, value: &Value) -> Value {
        let cache = format!("{}/trustcheck/{}/std", file_uri(&self.cache), env!("CARGO_PKG_VERSION"));
        let text =
            value.to_string().replace(&cache, "file:///CACHE/std").replace(&file_uri(&self.root), "file:///WORKSPACE");
        serde_json::from_str(&text).unwrap()
    }

    /// Shuts the server down and returns its exit code.
    fn shutdown(mut self) -> Option<i32> {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the server did not exit");
    }
}

/// Reads one framed message (`None` at the end of the output).
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("a header line");
        assert!(name.eq_ignore_ascii_case("content-length"), "unexpected header `{line}`");
        length = Some(value.trim().parse::<usize>().unwrap());
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("the server writes JSON"))
}

fn file_uri(path: &Path) -> String {
    let path = path.canonicalize().unwrap();
    trustcheck::lsp::uri::from_path(&path).unwrap().as_str().to_owned()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp").join(name)).unwrap()
}

/// The folders of one test: a workspace (with no `trustcheck.toml` above it) and a cache.
fn folders() -> (tempfile::TempDir, tempfile::TempDir) {
    (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap())
}

/// Snapshots a reply in `tests/lsp/snapshots/NAME.snap`.
fn snapshot(name: &str, value: &Value) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("lsp/snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_json_snapshot!(name, value));
}

fn codes(diagnostics: &Value) -> Vec<String> {
    let list = diagnostics["diagnostics"].as_array().unwrap();
    let mut codes: Vec<String> = list.iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect();
    codes.sort();
    codes
}

fn find<'v>(diagnostics: &'v Value, code: &str) -> &'v Value {
    let list = diagnostics["diagnostics"].as_array().unwrap();
    list.iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no `{code}` in {diagnostics:#}"))
}

fn labels(completion: &Value) -> Vec<String> {
    completion.as_array().unwrap().iter().map(|item| item["label"].as_str().unwrap().to_owned()).collect()
}

fn change(uri: &str, version: i32, range: [u32; 4], text: &str) -> Value {
    let [line, start, end_line, end] = range;
    let range = json!({"start": {"line": line, "character": start}, "end": {"line": end_line, "character": end}});
    json!({
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": range, "text": text}],
    })
}

#[test]
fn a_session_with_a_constitution_and_a_policy_file() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());

    // A constitution: rule outcomes with UTF-16 ranges after non-ASCII names.
    let constitution = client.open("ynys_mon.toml", "toml", &fixture("ynys_mon.toml"));
    let diagnostics = client.diagnostics(&constitution);
    let private = find(&diagnostics, "procurement.in_house_private_capital");
    // Line 3: `  { name = "Cyngor Gwynedd 🐉", kind = "private_investor", … }`: the dragon is two
    // UTF-16 code units, so `"private_investor"` starts at 39 (38 characters, 41 bytes).
    assert_eq!(private["range"], json!({"start": {"line": 3, "character": 39}, "end": {"line": 3, "character": 57}}));
    assert_eq!(private["severity"], 1);
    assert_eq!(private["source"], "trustcheck");
    assert_eq!(private["codeDescription"]["href"], "https://www.legislation.gov.uk/ukpga/2023/54/schedule/2");
    let related: Vec<&str> = private["relatedInformation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["location"]["uri"].as_str().unwrap())
        .collect();
    assert!(
        related.iter().any(|uri| uri.ends_with("/ynys_mon.toml")),
        "the member's capital, beside its kind: {related:?}"
    );
    assert!(related.iter().any(|uri| uri.ends_with("/trustcheck/0.1.0/std/procurement.policy")), "{related:?}");
    // The library is written to the cache folder, so that the editor can open it.
    let written = cache.path().join(format!("trustcheck/{}/std/procurement.policy", env!("CARGO_PKG_VERSION")));
    assert_eq!(std::fs::read_to_string(written).unwrap(), include_str!("../policies/procurement.policy"));
    snapshot("constitution_diagnostics", &client.redact(&diagnostics));

    // A policy file with a type error: published for it, and the constitution is checked
    // again with the last valid policy set meanwhile.
    let policy = client.open("local.policy", "trustcheck-policy", &fixture("local.policy"));
    let policy_diagnostics = client.diagnostics(&policy);
    assert_eq!(codes(&policy_diagnostics), ["policy.type"]);
    snapshot("policy_diagnostics", &client.redact(&policy_diagnostics));
    assert_eq!(codes(&client.diagnostics(&constitution)), codes(&diagnostics));

    // Fixing it (an incremental change, on line 8 `    require c.annual_value < 1000000`)
    // clears it, and the constitution now meets the local rules too.
    client.notify("textDocument/didChange", change(&policy, 2, [8, 29, 8, 36], "£1,000,000"));
    let fixed = client.diagnostics(&policy);
    assert_eq!(fixed["diagnostics"], json!([]));
    assert_eq!(fixed["version"], 2);
    let with_local = client.diagnostics(&constitution);
    assert!(codes(&with_local).contains(&"local.public_members".to_owned()), "{with_local:#}");
    assert!(codes(&with_local).contains(&"local.value_cap".to_owned()), "{with_local:#}");

    // Editing the constitution: the private investor becomes a council (line 3, after the
    // dragon: UTF-16 columns 40..56 are `private_investor`).
    client.notify("textDocument/didChange", change(&constitution, 2, [3, 40, 3, 56], "local_authority"));
    let edited = client.diagnostics(&constitution);
    assert_eq!(edited["version"], 2);
    let edited_codes = codes(&edited);
    assert!(!edited_codes.contains(&"procurement.in_house_private_capital".to_owned()), "{edited_codes:?}");
    assert!(!edited_codes.contains(&"local.public_members".to_owned()), "{edited_codes:?}");

    // Hover: a key, a key after the dragon, an enum value, a waiver's rule id, a rule's name
    // and a field path in the policy file.
    let hovers = json!({
        "key legal_form (8:3)": client.position("textDocument/hover", &constitution, 8, 3),
        "inline key kind after the dragon (3:33)": client.position("textDocument/hover", &constitution, 3, 33),
        "header segment seats (14:10)": client.position("textDocument/hover", &constitution, 14, 10),
        "enum value (8:20)": client.position("textDocument/hover", &constitution, 8, 20),
        "waiver rule id (31:15)": client.position("textDocument/hover", &constitution, 31, 15),
        "comment (0:5)": client.position("textDocument/hover", &constitution, 0, 5),
        "policy rule name (6:10)": client.position("textDocument/hover", &policy, 6, 10),
        "policy field path c.annual_value (8:18)": client.position("textDocument/hover", &policy, 8, 18),
    });
    snapshot("hovers", &hovers);

    // Definition: a waiver's rule id goes to the library in the cache folder; a rule's name
    // and a field path in a policy file.
    let definitions = json!({
        "waiver rule id (31:15)": client.position("textDocument/definition", &constitution, 31, 15),
        "policy rule name (6:10)": client.position("textDocument/definition", &policy, 6, 10),
        "policy field path m.kind (15:33)": client.position("textDocument/definition", &policy, 15, 33),
        "constitution key voting_rights (2:62)": client.position("textDocument/definition", &constitution, 2, 62),
    });
    snapshot("definitions", &definitions);

    // Completion: keys of `[trust]` (less those written), enum values in a string, rule ids
    // in a waiver, fields after `m.` (a quantifier's variable) and `x.` (an aggregate's).
    let trust_keys = client.position("textDocument/completion", &constitution, 9, 0);
    let keys = labels(&trust_keys);
    assert!(keys.contains(&"charity".to_owned()) && keys.contains(&"operational_from".to_owned()), "{keys:?}");
    assert!(!keys.contains(&"legal_form".to_owned()), "written keys are left out: {keys:?}");
    let legal_forms = client.position("textDocument/completion", &constitution, 8, 20);
    let rule_ids = client.position("textDocument/completion", &constitution, 31, 15);
    assert!(labels(&rule_ids).contains(&"local.value_cap".to_owned()));
    let member_fields = client.position("textDocument/completion", &policy, 15, 32);
    let aggregate_fields = client.position("textDocument/completion", &policy, 16, 41);
    assert_eq!(labels(&member_fields), ["name", "kind", "voting_rights", "capital"]);
    assert_eq!(labels(&aggregate_fields), labels(&member_fields));
    snapshot(
        "completions",
        &json!({
            "[trust] keys (9:0)": keys,
            "legal_form values (8:20)": labels(&legal_forms),
            "waiver rule ids (31:15)": labels(&rule_ids),
            "m. in a quantifier (15:32)": labels(&member_fields),
            "first legal_form item": legal_forms[0],
            "first m. item": member_fields[0],
        }),
    );

    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn malformed_input_does_not_stop_the_server() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());

    // A body that is not JSON: a parse error with a null id.
    client.send_raw("{this is not json");
    let error = client.wait_for(|message| message["error"]["code"] == -32700);
    assert_eq!(error["id"], Value::Null);
    // Headers that make no sense, then a frame without Content-Length: skipped.
    client.send_bytes(b"Hello there\r\nX-Nonsense\r\n\r\n");
    client.send_bytes(b"Content-Type: text/plain\r\n\r\n");
    client.send_bytes(b"Content-Length: twelve\r\n\r\n");
    // JSON that is not a message.
    client.send_raw("[1, 2, 3]");
    client.wait_for(|message| message["error"]["code"] == -32600);
    // An unknown request, and an unknown notification.
    let unknown = client.request_full("trustcheck/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    client.notify("$/somethingElse", json!({"x": 1}));
    // Parameters of the wrong shape.
    let bad_params = client.request_full("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad_params["error"]["code"], -32602);
    client.notify("textDocument/didOpen", json!({"textDocument": 42}));

    // Binary junk opened as a constitution and as a policy file.
    let junk: String = (0u32..600).filter_map(|n| char::from_u32((n * 7919) % 0x2_0000)).collect();
    let constitution = client.open("junk.toml", "toml", &format!("[trust]\n\0\u{1}\"\"\"{junk}\n[[[\n"));
    let diagnostics = client.diagnostics(&constitution);
    assert!(codes(&diagnostics).iter().all(|code| code == "toml.syntax"), "{diagnostics:#}");
    let policy = client.open("junk.policy", "trustcheck-policy", &format!("policy \0 {{{{ rule {junk}"));
    assert_ne!(client.diagnostics(&policy)["diagnostics"], json!([]));
    // Positions past the end, a change with a range past the end, requests on junk.
    for uri in [&constitution, &policy] {
        for (line, character) in [(0, 0), (1, 3), (2, 2), (10_000, 5_000), (2, u32::MAX)] {
            for method in ["textDocument/hover", "textDocument/definition", "textDocument/completion"] {
                let params = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
                let response = client.request_full(method, params);
                assert!(response.get("error").is_none(), "{method} at {line}:{character}: {response}");
            }
        }
        client.notify("textDocument/didChange", change(uri, 2, [9_999, 0, 3, 1], "x"));
    }
    // A request about a document never opened.
    let unopened = client.position("textDocument/hover", &client.uri("nowhere.toml"), 0, 0);
    assert_eq!(unopened, Value::Null);

    // After all that, the server still answers and shuts down cleanly.
    let ok = client.open("ok.toml", "toml", &fixture("ynys_mon.toml"));
    assert!(!client.diagnostics(&ok)["diagnostics"].as_array().unwrap().is_empty());
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_project_file_decides_the_policy_set_and_constitutions_and_changes_reload_it() {
    let (root, cache) = folders();
    std::fs::create_dir_all(root.path().join("local")).unwrap();
    std::fs::create_dir_all(root.path().join("bodies")).unwrap();
    std::fs::write(
        root.path().join("trustcheck.toml"),
        "policies = [\"std\", \"local/\"]\nconstitutions = [\"bodies/*.toml\"]\n",
    )
    .unwrap();
    let mut client = Client::start(root.path(), cache.path());

    // Listed by the glob, so a constitution even without `[trust]`: a schema error.
    let listed = client.open("bodies/draft.toml", "toml", "[board]\nchair_appointed_by = \"board\"\n");
    let diagnostics = client.diagnostics(&listed);
    assert!(codes(&diagnostics).iter().all(|code| code.starts_with("schema.")), "{diagnostics:#}");
    // Not listed and without `[trust]`: left alone (no diagnostics, no hover).
    let other = client.open("Other.toml", "toml", "[board]\nchair_appointed_by = \"board\"\n");
    assert_eq!(client.position("textDocument/hover", &other, 1, 2), Value::Null);

    // A policy file appears on disk: the set is read again and its rule applies.
    let body = fixture("ynys_mon.toml");
    let constitution = client.open("bodies/ynys_mon.toml", "toml", &body);
    assert!(!codes(&client.diagnostics(&constitution)).iter().any(|code| code.starts_with("local.")));
    let fixed = fixture("local.policy").replace("< 1000000", "< £1,000,000");
    std::fs::write(root.path().join("local/local.policy"), fixed).unwrap();
    let changes = json!({"changes": [{"uri": client.uri("local/local.policy"), "type": 1}]});
    client.notify("workspace/didChangeWatchedFiles", changes);
    let reloaded = client.diagnostics(&constitution);
    assert!(codes(&reloaded).contains(&"local.public_members".to_owned()), "{reloaded:#}");
    let hover = client.position("textDocument/hover", &constitution, 31, 15);
    assert!(hover["contents"]["value"].as_str().unwrap().contains("procurement.in_house_activities"));

    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn the_cursor_context_of_a_constitution() {
    use trustcheck::lsp::toml_context::{TomlContext, context_at};
    let text =
        "top = 1\n[trust]\nname = \"Môn\"\nlegal = \"com\n[[board.seats]]\nrole = \"x\"\nm = [{ kind = \"a\", na";
    let at = |needle: &str, delta: usize| context_at(text, text.find(needle).unwrap() + delta);
    let key = |context: TomlContext| match context {
        TomlContext::Key { table, token, existing } => (table, token.map(|token| token.text), existing),
        other => panic!("not a key: {other:?}"),
    };
    assert_eq!(key(at("name", 2)), (vec!["trust".into()], Some("name".into()), vec!["name".into(), "legal".into()]));
    let TomlContext::Value { path, string: Some(string) } = at("com", 2) else { panic!() };
    assert_eq!((path, string.text), (vec!["trust".to_owned(), "legal".to_owned()], "com".to_owned()));
    let TomlContext::Header { path, token } = at("seats", 1) else { panic!() };
    assert_eq!((path, token.unwrap().text), (vec!["board".to_owned()], "seats".to_owned()));
    assert_eq!(key(at(", na", 4)).0, ["board", "seats", "m"]);
    let TomlContext::Value { path, .. } = at("\"a\"", 1) else { panic!() };
    assert_eq!(path, ["board", "seats", "m", "kind"]);
    assert!(matches!(at("top", 5), TomlContext::Value { .. }));
    assert_eq!(at("\"Môn\"", 6), TomlContext::Nothing);
}

#[test]
fn file_uris_round_trip() {
    use trustcheck::lsp::uri::{from_path, to_path};
    let path =
        if cfg!(windows) { PathBuf::from(r"C:\Cyngor Môn\a#b.toml") } else { PathBuf::from("/Cyngor Môn/a#b.toml") };
    let uri = from_path(&path).unwrap();
    assert!(uri.as_str().contains("Cyngor%20M%C3%B4n/a%23b.toml"), "{}", uri.as_str());
    assert_eq!(to_path(&uri).unwrap(), PathBuf::from(trustcheck::run::display_path(&path)));
    assert_eq!(to_path(&"untitled:Untitled-1".parse().unwrap()), None);
}

/// Starts the server with `HOME` and `XDG_CACHE_HOME` as given (unset when `None`) and the
/// temporary folder at `tmp`, and asks for the definition of a waived rule of the standard
/// library: the definition's URI, if any.
fn std_definition_with(root: &Path, home: Option<&Path>, xdg: Option<&Path>, tmp: &Path) -> Value {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trustcheck"));
    command.env_remove("HOME").env_remove("XDG_CACHE_HOME").env("TMPDIR", tmp);
    if let Some(home) = home {
        command.env("HOME", home);
    }
    if let Some(xdg) = xdg {
        command.env("XDG_CACHE_HOME", xdg);
    }
    let mut client = Client::spawn_command(command, root, tmp);
    client.initialize();
    let constitution = client.open("ynys_mon.toml", "toml", &fixture("ynys_mon.toml"));
    assert_ne!(client.diagnostics(&constitution)["diagnostics"], json!([]), "checking works without a cache");
    let definition = client.position("textDocument/definition", &constitution, 31, 15);
    assert_eq!(client.shutdown(), Some(0));
    definition
}

#[test]
fn without_a_cache_folder_the_library_is_never_written_to_the_temporary_folder() {
    let (root, tmp) = folders();
    let definition = std_definition_with(root.path(), None, None, tmp.path());
    assert_eq!(definition, Value::Null, "go to definition into the standard library is unavailable");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "nothing written to the temporary folder");

    // A relative XDG_CACHE_HOME is ignored, as the XDG specification says.
    let definition = std_definition_with(root.path(), None, Some(Path::new("relative/cache")), tmp.path());
    assert_eq!(definition, Value::Null);
    assert!(!root.path().join("relative").exists());
}

#[cfg(unix)]
#[test]
fn the_cache_is_private_and_a_planted_link_is_replaced_not_followed() {
    use std::os::unix::fs::PermissionsExt;
    let (root, home) = folders();
    let tmp = tempfile::tempdir().unwrap();
    let std_dir = home.path().join(".cache/trustcheck").join(env!("CARGO_PKG_VERSION")).join("std");
    std::fs::create_dir_all(&std_dir).unwrap();
    for folder in std_dir.ancestors().take(3) {
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    // Another file of the user's, which a planted link points at.
    let victim = home.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    std::os::unix::fs::symlink(&victim, std_dir.join("procurement.policy")).unwrap();

    let definition = std_definition_with(root.path(), Some(home.path()), None, tmp.path());
    assert!(definition["uri"].as_str().unwrap().ends_with("/std/procurement.policy"), "{definition}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious", "the link was not followed");
    let written = std::fs::symlink_metadata(std_dir.join("procurement.policy")).unwrap();
    assert!(written.file_type().is_file(), "the link was replaced by the library's file");
    assert_eq!(written.permissions().mode() & 0o077, 0);

    // A cache folder that other users can write to is not used.
    std::fs::set_permissions(&std_dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let definition = std_definition_with(root.path(), Some(home.path()), None, tmp.path());
    assert_eq!(definition, Value::Null, "{definition}");

    // A new cache is created mode 0700.
    let (root, xdg) = folders();
    std_definition_with(root.path(), None, Some(xdg.path()), tmp.path());
    for folder in ["trustcheck", &format!("trustcheck/{}", env!("CARGO_PKG_VERSION"))] {
        let mode = std::fs::metadata(xdg.path().join(folder)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{folder}");
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn an_unpaired_surrogate_in_a_change_is_reported_and_the_edit_kept() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());
    let uri = client.open("ynys_mon.toml", "toml", &fixture("ynys_mon.toml"));
    let before = client.diagnostics(&uri);
    // A comment line holding an unpaired surrogate, which JSON text can only carry escaped.
    let raw = format!(
        r##"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{uri}","version":2}},"contentChanges":[{{"range":{{"start":{{"line":0,"character":0}},"end":{{"line":0,"character":0}}}},"text":"# a \ud800 b \ud83d\udc09\n"}}]}}}}"##
    );
    client.send_raw(&raw);
    let warning = client.wait_for(|message| message["method"] == "window/showMessage");
    assert_eq!(warning["params"]["type"], 2);
    assert!(warning["params"]["message"].as_str().unwrap().contains("unpaired UTF-16 surrogate"));
    // The edit was applied: removing the inserted line again gives the diagnostics of before.
    // (Had it been dropped, this would delete the constitution's own first line.)
    let shifted = client.diagnostics(&uri);
    assert_ne!(shifted["diagnostics"], before["diagnostics"], "the diagnostics moved down a line");
    client.notify("textDocument/didChange", change(&uri, 3, [0, 0, 1, 0], ""));
    assert_eq!(client.diagnostics(&uri)["diagnostics"], before["diagnostics"]);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_policy_with_a_100000_term_chain_is_served() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());
    let chain = vec!["1"; 100_000].join(" + ");
    let text = format!(
        "policy local \"Local\" {{\n  rule sum error \"Sum\" {{\n    cite \"L\"\n    help \"h\"\n    require {chain} > 100000\n  }}\n}}\n"
    );
    let policy = client.open("chain.policy", "trustcheck-policy", &text);
    assert_eq!(client.diagnostics(&policy)["diagnostics"], json!([]));
    let constitution = client.open("ynys_mon.toml", "toml", &fixture("ynys_mon.toml"));
    let diagnostics = client.diagnostics(&constitution);
    assert!(codes(&diagnostics).contains(&"local.sum".to_owned()), "the chain is judged: {diagnostics:#}");
    let hover = client.position("textDocument/hover", &policy, 2, 400);
    assert!(hover.is_null() || hover.is_object());
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn hover_and_definition_of_a_let_come_from_the_type_checker() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());
    let text = "/// The contract's value over a year, doubled.\nlet doubled(c: Contract) = c.annual_value * 2\n\npolicy local \"Local\" {\n  rule big warning \"Big\" for c in contracts {\n    cite \"L\"\n    help \"h\"\n    require doubled(c) < £1m\n  }\n}\n";
    let policy = client.open("local.policy", "trustcheck-policy", text);
    client.diagnostics(&policy);
    // Line 7: `    require doubled(c) < £1m`; `doubled` starts at character 12.
    let hover = client.position("textDocument/hover", &policy, 7, 14);
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("let doubled(1 parameter): an amount of money"), "{hover}");
    assert!(value.contains("The contract's value over a year, doubled."), "{hover}");
    let definition = client.position("textDocument/definition", &policy, 7, 14);
    assert_eq!(definition["range"]["start"], json!({"line": 1, "character": 4}), "{definition}");
    assert_eq!(client.shutdown(), Some(0));
}

/// A policy file whose names the checker resolves: a `let`, a field, an enum value and a
/// variable (lines and columns are counted in the assertions below).
const NAMES_POLICY: &str = "\
/// The public bodies among the members.
let public_members = count(m in members where m.kind == local_authority)

policy names \"Names\" {
  rule public_bodies note \"Public bodies\" {
    cite \"Fixture\"
    require public_members >= 1 and all m in members: m.kind != MemberKind.private_investor
    help \"Fixture\"
  }
}
";

#[test]
fn names_resolve_through_the_type_checker() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());
    let policy = client.open("names.policy", "trustcheck-policy", NAMES_POLICY);
    assert_eq!(client.diagnostics(&policy)["diagnostics"], json!([]));
    let range = |line: u32, start: u32, end: u32| json!({"start": {"line": line, "character": start}, "end": {"line": line, "character": end}});

    // A `let`: hover shows its documentation; definition goes to its name.
    let hover = client.position("textDocument/hover", &policy, 6, 14);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("let public_members: a whole number"), "{text}");
    assert!(text.contains("The public bodies among the members."), "{text}");
    assert_eq!(hover["range"], range(6, 12, 26));
    let definition = client.position("textDocument/definition", &policy, 6, 14);
    assert_eq!(definition["uri"], "file:///WORKSPACE/names.policy");
    assert_eq!(definition["range"], range(1, 4, 18));

    // A field read through a variable: hover describes `Member.kind`; definition goes to the
    // schema in the library.
    let hover = client.position("textDocument/hover", &policy, 6, 57);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("kind: MemberKind") && text.contains("Field of `Member`"), "{text}");
    let definition = client.position("textDocument/definition", &policy, 6, 57);
    assert_eq!(definition["uri"], "file:///CACHE/std/schema.policy");
    assert_eq!(definition["range"]["start"]["line"], 88);

    // An enum value, bare (typed by the comparison) and qualified.
    let hover = client.position("textDocument/hover", &policy, 1, 62);
    assert!(hover["contents"]["value"].as_str().unwrap().contains("MemberKind.local_authority"), "{hover}");
    let definition = client.position("textDocument/definition", &policy, 6, 80);
    assert_eq!(definition["uri"], "file:///CACHE/std/schema.policy");
    assert_eq!(definition["range"]["start"]["line"], 98);

    // A variable: definition goes to where it is bound.
    let definition = client.position("textDocument/definition", &policy, 6, 55);
    assert_eq!(definition["range"], range(6, 40, 41));

    // References of the `let`: its declaration and its use.
    let params = json!({
        "textDocument": {"uri": policy}, "position": {"line": 1, "character": 6},
        "context": {"includeDeclaration": true},
    });
    let references = client.request("textDocument/references", params);
    let references = client.redact(&references);
    let ranges: Vec<&Value> = references.as_array().unwrap().iter().map(|location| &location["range"]).collect();
    assert_eq!(ranges, [&range(1, 4, 18), &range(6, 12, 26)]);

    // Rename: offered for the `let`, edits both places; refused for a field and a keyword.
    let prepare = client.position("textDocument/prepareRename", &policy, 6, 14);
    assert_eq!(prepare, range(6, 12, 26));
    let rename = |line: u32, character: u32, name: &str| json!({"textDocument": {"uri": policy}, "position": {"line": line, "character": character}, "newName": name});
    let edit = client.request("textDocument/rename", rename(6, 14, "public_count"));
    let edit = client.redact(&edit);
    let edits = edit["changes"]["file:///WORKSPACE/names.policy"].as_array().unwrap();
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|edit| edit["newText"] == "public_count"));
    assert_eq!(client.position("textDocument/prepareRename", &policy, 6, 57), Value::Null);
    let refused = client.request_full("textDocument/rename", rename(6, 57, "category"));
    assert!(refused["error"]["message"].as_str().unwrap().contains("word of constitutions"), "{refused}");
    let refused = client.request_full("textDocument/rename", rename(6, 14, "require"));
    assert!(refused["error"]["message"].as_str().unwrap().contains("already a name"), "{refused}");

    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn formatting_a_policy_file_gives_the_layout_fmt_writes() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());
    let messy =
        "let  x = 1 // one\npolicy p \"P\"{\nrule r note \"T\" {\n  cite \"C\"\n  require x==1\n  help \"H\"\n}\n}\n";
    let policy = client.open("messy.policy", "trustcheck-policy", messy);
    client.diagnostics(&policy);
    let params = json!({"textDocument": {"uri": policy}, "options": {"tabSize": 2, "insertSpaces": true}});
    let edits = client.request("textDocument/formatting", params.clone());
    assert_eq!(
        edits,
        json!([{
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 8, "character": 0}},
            "newText": "let x = 1 // one\npolicy p \"P\" {\n  rule r note \"T\" {\n    cite \"C\"\n    require x == 1\n    help \"H\"\n  }\n}\n",
        }])
    );
    // A file that does not parse gets no edit.
    client.notify("textDocument/didChange", change(&policy, 2, [0, 0, 0, 0], "policy ("));
    client.diagnostics(&policy);
    assert_eq!(client.request("textDocument/formatting", params), Value::Null);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_finding_shows_its_trace_on_hover_and_offers_its_quick_fix() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());
    let text = include_str!("../examples/defective_proposal.toml");
    let constitution = client.open("proposal.toml", "toml", text);
    client.diagnostics(&constitution);
    // The finding of `staff.tupe` is on `tupe = false`, its value at columns 7..12.
    let line = u32::try_from(text.lines().position(|line| line == "tupe = false").unwrap()).unwrap();

    // Hover: why the rule came out as it did, each clause with the value it read.
    let hover = client.position("textDocument/hover", &constitution, line, 9);
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.starts_with("**staff.tupe**: fail\n"), "{markdown}");
    assert!(markdown.contains("- `require staff.tupe` = **false**"), "{markdown}");
    assert!(markdown.contains(&format!("  - `tupe` is false (line {})", line + 1)), "{markdown}");
    assert!(markdown.contains("- `when staff.transfer` = **true**"), "{markdown}");
    assert_eq!(hover["range"]["start"], json!({"line": line, "character": 7}));

    // Code action: the quick fix, as an edit of just the value.
    let actions = client.code_actions(&constitution, line, 8);
    let titles: Vec<&str> =
        actions.as_array().unwrap().iter().map(|action| action["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["set `tupe = true` (staff.tupe)"]);
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["isPreferred"], true);
    assert_eq!(action["diagnostics"][0]["code"], "staff.tupe");
    assert_eq!(
        action["edit"]["changes"]["file:///WORKSPACE/proposal.toml"],
        json!([{
            "range": {"start": {"line": line, "character": 7}, "end": {"line": line, "character": 12}},
            "newText": "true",
        }])
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_date_in_quotes_is_offered_its_fix_as_a_code_action() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());
    let text = fixture("ynys_mon.toml");
    let (line, written) = text
        .lines()
        .enumerate()
        .find_map(|(index, line)| line.strip_prefix("operational_from = ").map(|value| (index, value.to_owned())))
        .expect("the fixture states when the trust operates from");
    let date = written.split_whitespace().next().unwrap().to_owned();
    let quoted = text.replacen(&format!("operational_from = {date}"), &format!("operational_from = \"{date}\""), 1);
    let constitution = client.open("quoted.toml", "toml", &quoted);
    assert_eq!(codes(&client.diagnostics(&constitution)), ["schema.type"]);
    let line = u32::try_from(line).unwrap();
    let actions = client.code_actions(&constitution, line, 22);
    assert_eq!(actions[0]["title"], format!("write `{date}` (schema.type)"), "{actions:#}");
    let end = u32::try_from(date.len() + 2).unwrap() + 19;
    assert_eq!(
        actions[0]["edit"]["changes"]["file:///WORKSPACE/quoted.toml"],
        json!([{
            "range": {"start": {"line": line, "character": 19}, "end": {"line": line, "character": end}},
            "newText": date,
        }])
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn after_a_policy_name_completion_offers_its_lets_and_constants() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());
    let text = "policy p \"P\" {\n  rule r note \"R\" { require control. }\n}\n";
    let policy = client.open("p.policy", "trustcheck-policy", text);
    client.diagnostics(&policy);
    let items = client.position("textDocument/completion", &policy, 1, 36);
    let names = labels(&items);
    // The table `[control]`'s fields, and the policy `control`'s `let`s.
    assert!(names.contains(&"step_in_on_poor_performance".to_owned()), "{names:?}");
    assert!(names.contains(&"council_votes".to_owned()), "{names:?}");
    let votes = items.as_array().unwrap().iter().find(|item| item["label"] == "council_votes").unwrap();
    assert!(votes["detail"].as_str().unwrap().starts_with("let control.council_votes: "), "{votes}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn the_words_that_start_a_line_are_offered_by_where_it_is() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());
    let text = "policy p \"P\" {\n  rule r note \"R\" {\n    re\n  }\n  ev\n}\nco\n";
    let policy = client.open("p.policy", "trustcheck-policy", text);
    client.diagnostics(&policy);
    let in_rule = labels(&client.position("textDocument/completion", &policy, 2, 6));
    assert!(in_rule.contains(&"require".to_owned()) && in_rule.contains(&"not waivable".to_owned()), "{in_rule:?}");
    assert!(!in_rule.contains(&"record".to_owned()), "{in_rule:?}");
    let in_policy = labels(&client.position("textDocument/completion", &policy, 4, 4));
    assert!(in_policy.contains(&"event".to_owned()) && in_policy.contains(&"const".to_owned()), "{in_policy:?}");
    let top = labels(&client.position("textDocument/completion", &policy, 6, 2));
    assert!(top.contains(&"const".to_owned()) && top.contains(&"record".to_owned()), "{top:?}");
    assert!(!top.contains(&"require".to_owned()), "{top:?}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_waived_finding_is_a_hint_tagged_with_its_waiver() {
    let (root, cache) = folders();
    let mut client = Client::start(root.path(), cache.path());
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/waiver__active.toml")).unwrap();
    let uri = client.open("waived.toml", "toml", &text);
    let diagnostics = client.diagnostics(&uri);
    let waived = find(&diagnostics, "control.staff_engagement");
    assert_eq!(waived["severity"], 4, "outcomes.md: a waived finding is a hint: {waived:#}");
    assert!(waived["message"].as_str().unwrap().starts_with("waived: "), "{waived:#}");
    assert_eq!(waived["data"]["outcome"], "waived");
    assert_eq!(waived["data"]["waiver"]["approved_by"], "Cabinet Member for Children");
    assert_eq!(waived["data"]["waiver"]["approved_on"], "2026-09-01");
    let failed = find(&diagnostics, "control.information_rights");
    assert_eq!(failed["data"]["outcome"], "fail");
    assert_ne!(failed["severity"], 4, "a finding that is not waived keeps its own severity: {failed:#}");
    assert_eq!(client.shutdown(), Some(0));
}

/// A project file's setting: `market_testing.overdue` raised to an error.
const RAISE_OVERDUE: &str =
    "[rules.\"market_testing.overdue\"]\nseverity = \"error\"\nreason = \"Cabinet decision 2026/14\"\n";

/// A server over a workspace whose `trustcheck.toml` holds `settings`, with Slough's
/// constitution open: the folders (workspace, cache), the client and the constitution's URI.
fn session_with_settings(settings: &str) -> ((tempfile::TempDir, tempfile::TempDir), Client, String) {
    let (root, cache) = folders();
    std::fs::write(root.path().join("trustcheck.toml"), settings).unwrap();
    let mut client = Client::start(root.path(), cache.path());
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/slough_children_first.toml")).unwrap();
    let constitution = client.open("slough.toml", "toml", &text);
    ((root, cache), client, constitution)
}

#[test]
fn the_council_settings_give_a_finding_its_final_severity_and_their_problems_are_on_the_project_file() {
    let raise = RAISE_OVERDUE;
    let ((root, _cache), mut client, constitution) = session_with_settings(raise);
    let diagnostics = client.diagnostics(&constitution);
    let overdue = find(&diagnostics, "market_testing.overdue");
    assert_eq!(overdue["severity"], 1, "raised to an error, as `check` gives it: {overdue:#}");
    assert!(
        overdue["message"].as_str().unwrap().ends_with("\ncouncil setting: error — Cabinet decision 2026/14"),
        "{overdue:#}"
    );

    // A setting for a rule the policy set does not have: every rule has its own severity
    // again, and the project file says why.
    std::fs::write(
        root.path().join("trustcheck.toml"),
        format!("{raise}\n[rules.\"no.such_rule\"]\nseverity = \"off\"\nreason = \"x\"\n"),
    )
    .unwrap();
    let changes = json!({"changes": [{"uri": client.uri("trustcheck.toml"), "type": 2}]});
    client.notify("workspace/didChangeWatchedFiles", changes.clone());
    let project = client.diagnostics(&client.uri("trustcheck.toml"));
    assert_eq!(codes(&project), ["setting.unknown_rule"], "{project:#}");
    assert_eq!(find(&project, "setting.unknown_rule")["range"]["start"]["line"], 4, "{project:#}");
    let diagnostics = client.diagnostics(&constitution);
    assert_eq!(find(&diagnostics, "market_testing.overdue")["severity"], 3, "its own, a note: {diagnostics:#}");

    // Mistakes in the file itself: every one is published at its place, not the first alone.
    std::fs::write(
        root.path().join("trustcheck.toml"),
        "[rules.\"market_testing.overdue\"]\nseverity = \"warn\"\nreasons = \"Cabinet decision 2026/14\"\n",
    )
    .unwrap();
    client.notify("workspace/didChangeWatchedFiles", changes);
    let project = client.diagnostics(&client.uri("trustcheck.toml"));
    let lines: Vec<(u64, &str)> = project["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["range"]["start"]["line"].as_u64().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [
            (
                0,
                "`trustcheck.toml`: the setting `[rules.\"market_testing.overdue\"]` has no `reason`\nhelp: record why the council made this setting: `reason = \"…\"`"
            ),
            (
                1,
                "`trustcheck.toml`: `severity` of `[rules.\"market_testing.overdue\"]` must be \"error\", \"warning\", \"note\" or \"off\"\nhelp: did you mean `severity = \"warning\"`?"
            ),
            (
                2,
                "`trustcheck.toml`: unknown key `reasons` in `[rules.\"market_testing.overdue\"]`\nhelp: did you mean `reason`?"
            ),
        ],
        "{project:#}"
    );

    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn the_project_file_is_read_as_typed_and_from_disk_again_when_it_is_closed() {
    let on_disk = RAISE_OVERDUE;
    let (_folders, mut client, constitution) = session_with_settings(on_disk);
    let overdue =
        |client: &mut Client| find(&client.diagnostics(&constitution), "market_testing.overdue")["severity"].clone();
    assert_eq!(overdue(&mut client), 1, "raised to an error by the file on disk");

    // Typed, not saved: the setting as it stands in the editor decides the severity.
    let project = client.open("trustcheck.toml", "toml", on_disk);
    assert_eq!(overdue(&mut client), 1, "opened as it is on disk");
    let typed = |version: i32, text: &str| json!({"textDocument": {"uri": project, "version": version}, "contentChanges": [{"text": text}]});
    client.notify("textDocument/didChange", typed(2, &on_disk.replace("\"error\"", "\"warning\"")));
    assert_eq!(overdue(&mut client), 2, "a warning as typed");

    // A mistake as typed is published on the project file at its line, and the rule keeps
    // its own severity, as `check` would refuse the settings.
    client.notify("textDocument/didChange", typed(3, &on_disk.replace("\"error\"", "\"warn\"")));
    let problems = client.diagnostics(&project);
    assert_eq!(codes(&problems), ["config.invalid"], "{problems:#}");
    assert_eq!(problems["diagnostics"][0]["range"]["start"]["line"], 1, "{problems:#}");
    assert_eq!(problems["version"], 3, "{problems:#}");
    assert_eq!(overdue(&mut client), 3, "the rule's own severity, a note");

    // A setting for a rule the policy set lacks shows beside the mistake, not after it is mended.
    let unknown = "\n[rules.\"no.such_rule\"]\nseverity = \"off\"\nreason = \"x\"\n";
    client.notify("textDocument/didChange", typed(4, &(on_disk.replace("\"error\"", "\"warn\"") + unknown)));
    let problems = client.diagnostics(&project);
    assert_eq!(codes(&problems), ["config.invalid", "setting.unknown_rule"], "{problems:#}");
    assert_eq!(find(&problems, "setting.unknown_rule")["range"]["start"]["line"], 4, "{problems:#}");
    assert_eq!(overdue(&mut client), 3, "the rule's own severity, a note");

    // Closed without saving: the file on disk holds again.
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": project}}));
    assert_eq!(overdue(&mut client), 1, "raised to an error by the file on disk again");
    assert_eq!(client.diagnostics(&project)["diagnostics"], json!([]));

    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn the_policy_files_a_project_file_names_as_typed_are_read_when_it_is_saved() {
    let (root, cache) = folders();
    std::fs::create_dir_all(root.path().join("local")).unwrap();
    let local = fixture("local.policy").replace("< 1000000", "< £1,000,000");
    std::fs::write(root.path().join("local/local.policy"), local).unwrap();
    std::fs::write(root.path().join("trustcheck.toml"), "policies = [\"std\"]\n").unwrap();
    let mut client = Client::start(root.path(), cache.path());
    let constitution = client.open("ynys_mon.toml", "toml", &fixture("ynys_mon.toml"));
    let local_findings = |client: &mut Client| {
        codes(&client.diagnostics(&constitution)).into_iter().filter(|code| code.starts_with("local.")).count()
    };
    assert_eq!(local_findings(&mut client), 0);
    let project = client.open("trustcheck.toml", "toml", "policies = [\"std\"]\n");
    assert_eq!(local_findings(&mut client), 0);

    // Typed: a folder half written (`"/"`, `".."`) must never be searched, so the policy files
    // stay those the saved file names.
    let named = "policies = [\"std\", \"local/\"]\n";
    let change = json!({"textDocument": {"uri": project, "version": 2}, "contentChanges": [{"text": named}]});
    client.notify("textDocument/didChange", change);
    assert_eq!(local_findings(&mut client), 0, "not read before the file is saved");

    // Saved: the folder is read and its rule applies.
    std::fs::write(root.path().join("trustcheck.toml"), named).unwrap();
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": project}}));
    assert!(local_findings(&mut client) > 0, "read once the file is saved");

    // Closed, then changed on disk with a mistake in a setting: the mistake is shown, and the
    // policy files the file names are still those checked with.
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": project}}));
    assert_eq!(client.diagnostics(&project)["diagnostics"], json!([]));
    assert!(local_findings(&mut client) > 0);
    let mistaken = format!("{named}\n[rules.\"market_testing.overdue\"]\nseverity = \"warn\"\nreason = \"x\"\n");
    std::fs::write(root.path().join("trustcheck.toml"), mistaken).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": project, "type": 2}]}));
    assert_eq!(codes(&client.diagnostics(&project)), ["config.invalid"]);
    assert!(local_findings(&mut client) > 0, "the local policy files are kept");

    assert_eq!(client.shutdown(), Some(0));
}

#[test]
#[cfg(debug_assertions)]
fn a_defect_while_checking_an_open_constitution_is_published_on_it_and_the_server_goes_on() {
    let (root, cache) = folders();
    let mut command = Command::new(env!("CARGO_BIN_EXE_trustcheck"));
    command.env("XDG_CACHE_HOME", cache.path()).env("TRUSTCHECK_TEST_DEFECT", "broken.toml");
    let mut client = Client::spawn_command(command, root.path(), cache.path());
    client.initialize();
    let broken = client.open("broken.toml", "toml", &fixture("ynys_mon.toml"));
    let diagnostics = client.diagnostics(&broken);
    assert_eq!(codes(&diagnostics), ["limit.internal"], "{diagnostics:#}");
    let defect = find(&diagnostics, "limit.internal");
    assert_eq!(defect["severity"], 1, "{defect:#}");
    assert!(defect["message"].as_str().unwrap().contains("not checked"), "{defect:#}");
    // Another constitution is still checked, and the server shuts down cleanly.
    let ok = client.open("ok.toml", "toml", &fixture("ynys_mon.toml"));
    let others = codes(&client.diagnostics(&ok));
    assert!(!others.is_empty() && !others.contains(&"limit.internal".to_owned()), "{others:?}");
    assert_eq!(client.shutdown(), Some(0));
}
