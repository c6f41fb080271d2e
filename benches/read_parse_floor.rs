//! The floor under `trustcheck check` as a whole process: every `.toml` file of the folders
//! (or the files) given is read and parsed by the `toml` crate, on one thread, and nothing is
//! checked. No checker that reads its constitutions this way can take less time.
//! `benches/vs-rego.sh` times it beside trustcheck and the Rego peer; alone:
//! `cargo bench --bench read_parse_floor -- FOLDER` (the examples when none is given).

#![allow(clippy::expect_used, reason = "a benchmark stops loudly on a broken fixture")]

use std::path::PathBuf;

fn main() {
    // `cargo bench` passes flags of its own (`--bench`); only paths are taken.
    let mut given: Vec<PathBuf> =
        std::env::args().skip(1).filter(|arg| !arg.starts_with('-')).map(PathBuf::from).collect();
    if given.is_empty() {
        given.push(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")));
    }
    let mut files = Vec::new();
    for path in given {
        if path.is_dir() {
            let entries = std::fs::read_dir(&path).expect("the folder can be listed");
            let mut found: Vec<PathBuf> = entries
                .map(|entry| entry.expect("the folder can be listed").path())
                .filter(|file| file.extension().is_some_and(|extension| extension == "toml"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path);
        }
    }
    let (mut bytes, mut keys, mut errors) = (0, 0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file).expect("the file is UTF-8 text");
        let (table, problems) = toml::de::DeTable::parse_recoverable(&text);
        bytes += text.len();
        keys += table.get_ref().len();
        errors += problems.len();
    }
    println!("read and parsed {} files ({bytes} bytes): {keys} top-level keys, {errors} syntax errors", files.len());
}
