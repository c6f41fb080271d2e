//! The layout holds: imports between the crate's top-level modules only point one way (no
//! module imports another that imports it back, directly or through others), and the
//! language server does not import the command line.

#![allow(clippy::expect_used, clippy::unwrap_used, reason = "test helpers may panic")]
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every top-level module and the top-level modules its code names (`crate::x`), ignoring
/// comments.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).expect("under src");
            let module = relative
                .components()
                .next()
                .and_then(|first| first.as_os_str().to_str())
                .map(|first| first.trim_end_matches(".rs").to_owned())
                .expect("a module name");
            let text = std::fs::read_to_string(&path).expect("read a source file");
            let uses = graph.entry(module.clone()).or_default();
            for line in text.lines() {
                let code = line.split("//").next().unwrap_or_default();
                for (at, _) in code.match_indices("crate::") {
                    let name: String = code
                        .get(at + "crate::".len()..)
                        .unwrap_or_default()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != module {
                        uses.insert(name);
                    }
                }
            }
        }
    }
    graph
}

/// A cycle through `start`, if there is one.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == start {
                let mut cycle = path.clone();
                cycle.push(start.to_owned());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn imports_between_modules_have_no_loops() {
    let graph = module_graph();
    assert!(graph.len() > 10, "the crate's modules were not found: {graph:?}");
    let cycles: Vec<String> =
        graph.keys().filter_map(|module| cycle_through(&graph, module)).map(|cycle| cycle.join(" → ")).collect();
    assert!(cycles.is_empty(), "import loops:\n{}", cycles.join("\n"));
}

#[test]
fn the_language_server_does_not_import_the_command_line() {
    let graph = module_graph();
    let server = graph.get("lsp").expect("the lsp module");
    assert!(!server.contains("cli"), "lsp imports: {server:?}");
}

#[test]
fn the_diagnostic_model_is_on_the_ground_floor() {
    let graph = module_graph();
    let ground = ["source", "limits", "sanitize"];
    let uses = graph.get("diagnostic").expect("the diagnostic module");
    assert!(uses.iter().all(|module| ground.contains(&module.as_str())), "diagnostic imports {uses:?}");
}
