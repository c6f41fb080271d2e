//! The language server as editors meet it: Neovim 0.7 (Debian's), with its built-in client,
//! driven headless by `tests/editors/neovim.lua`. `.ci/run` installs Neovim and sets
//! `TRUSTCHECK_REQUIRE_EDITORS`, so there a missing Neovim fails the run; elsewhere the test
//! says it was skipped.

#![allow(clippy::expect_used, clippy::unwrap_used, reason = "test helpers may panic")]

use std::path::Path;
use std::process::Command;

fn neovim() -> Option<&'static str> {
    let found = Command::new("nvim").arg("--version").output().is_ok_and(|output| output.status.success());
    if found {
        return Some("nvim");
    }
    assert!(std::env::var_os("TRUSTCHECK_REQUIRE_EDITORS").is_none(), "Neovim is required here but not installed");
    eprintln!("skipped: Neovim (`nvim`) is not installed; `.ci/run` installs it");
    None
}

#[test]
fn neovim_shows_findings_hovers_and_quick_fixes() {
    let Some(nvim) = neovim() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("proposal.toml");
    std::fs::copy(root.join("examples/defective_proposal.toml"), &file).unwrap();
    let out = dir.path().join("out.txt");
    let status = Command::new(nvim)
        .args(["--headless", "--clean", "-u"])
        .arg(root.join("tests/editors/neovim.lua"))
        .env("TRUSTCHECK_BIN", env!("CARGO_BIN_EXE_trustcheck"))
        .env("TRUSTCHECK_FILE", &file)
        .env("TRUSTCHECK_OUT", &out)
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .current_dir(dir.path())
        .status()
        .expect("run Neovim");
    assert!(status.success(), "Neovim exited with {status}");
    let text = std::fs::read_to_string(&out).expect("Neovim wrote what it saw");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first(), Some(&"published: true"), "{text}");
    for expected in [
        "diagnostic 105:8 staff.tupe",
        "diagnostic 36:23 children.not_for_profit",
        "hover **staff.tupe**: fail",
        "action set `tupe = true` (staff.tupe)",
    ] {
        assert!(lines.contains(&expected), "missing `{expected}` in:\n{text}");
    }
}
