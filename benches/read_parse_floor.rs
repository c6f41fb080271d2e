//! The floor under `trustcheck check` as a whole process: the constitutions under the paths
//! given are found, read and decoded exactly as `check` does it, then parsed by the `toml`
//! crate, on one thread, and nothing is checked. No checker that reads its constitutions this
//! way can take less time. `benches/vs-rego.sh` times it beside trustcheck and the Rego peer;
//! alone: `cargo bench --bench read_parse_floor -- FOLDER` (the examples when none is given).

#![allow(clippy::expect_used, reason = "a benchmark stops loudly on a broken fixture")]

use std::path::PathBuf;

use trustcheck::project::discover::constitution_inputs;
use trustcheck::run::{Decoded, decode};

fn main() {
    // `cargo bench` passes flags of its own (`--bench`); only paths are taken.
    let mut paths: Vec<PathBuf> =
        std::env::args().skip(1).filter(|arg| !arg.starts_with('-')).map(PathBuf::from).collect();
    if paths.is_empty() {
        paths.push(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")));
    }
    let cwd = std::env::current_dir().expect("the working folder is known");
    let (mut files, mut keys, mut problems) = (0, 0, 0);
    for input in constitution_inputs(&cwd, &paths) {
        files += 1;
        match decode(input) {
            Decoded::Text(_, text) => {
                let (table, errors) = toml::de::DeTable::parse_recoverable(&text);
                keys += table.get_ref().len();
                problems += errors.len();
            }
            Decoded::Unreadable(..) => problems += 1,
        }
    }
    println!("read and parsed {files} files: {keys} top-level keys, {problems} problems");
}
