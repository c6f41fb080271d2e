//! `trustcheck init [FOLDER]`: scaffolds a council's project: `trustcheck.toml`, a local
//! policy extending the standard library, a constitution, a tests file for it, and a GitHub
//! workflow. Never overwrites a file that exists.

use std::path::PathBuf;

use clap::Args;

use super::Context;
use crate::project::discover::resolve;

/// Flags of `init`.
#[derive(Clone, Debug, Default, Args)]
pub struct InitArgs {
    /// The folder to scaffold (default: the working folder).
    pub folder: Option<PathBuf>,
}

/// The files written, relative to the folder, with their text.
const FILES: &[(&str, &str)] = &[
    (
        "trustcheck.toml",
        "# The council's policy set: the standard library and its own policies.\n\
         policies = [\"std\", \"policies/\"]\n\
         constitutions = [\"constitutions/**/*.toml\"]\n",
    ),
    (
        "policies/local.policy",
        "// The council's own rules, beside the standard library. `trustcheck explain ID` shows any rule.\n\n\
         policy local \"Local policy\" {\n\
         \x20 /// At least two independent non-executive directors.\n\
         \x20 rule independents warning local_policy \"Fewer than two independent directors\" {\n\
         \x20   require sum(s.count for s in board.seats where s.role == independent_non_executive) >= 2\n\
         \x20   message \"the board has {sum(s.count for s in board.seats where s.role == independent_non_executive)} independent directors; local policy asks for two\"\n\
         \x20   help \"appoint at least two independent non-executive directors\"\n\
         \x20 }\n\
         }\n",
    ),
    (
        "constitutions/example.toml",
        "# A first constitution: replace it with the proposal to check (see docs/constitution.md).\n\n\
         [trust]\nname = \"Example Trust\"\nlegal_form = \"company_limited_by_guarantee\"\noperational_from = 2027-04-01\n\n\
         [[members]]\nname = \"Example Council\"\nkind = \"local_authority\"\nvoting_rights = \"100%\"\n\n\
         [board]\nchair_appointed_by = \"member\"\n\n\
         [[board.seats]]\ncount = 2\nrole = \"independent_non_executive\"\nappointed_by = \"board\"\n",
    ),
    (
        "policies/local.tests.toml",
        "# Tests of the council's own policy: `trustcheck test`.\n\n\
         [[test]]\nname = \"the example has two independent directors\"\n\
         constitution = \"../constitutions/example.toml\"\nas_of = 2027-04-01\n\
         expect = { \"local.independents\" = \"pass\" }\n",
    ),
    (
        ".github/workflows/trustcheck.yml",
        "name: trustcheck\non:\n  pull_request:\n  push:\n    branches: [main]\npermissions:\n  contents: read\n  security-events: write\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: dtolnay/rust-toolchain@stable\n      # Install trustcheck from where your council keeps it, for example a git URL.\n      - run: cargo install trustcheck --locked\n      - run: trustcheck test\n      # Pin the date rules are judged at, so that a run is reproducible; move it on deliberately.\n      - run: trustcheck check --as-of 2027-04-01 --format sarif > trustcheck.sarif || true\n      - uses: github/codeql-action/upload-sarif@v3\n        with:\n          sarif_file: trustcheck.sarif\n      - run: trustcheck check --as-of 2027-04-01 --format github\n",
    ),
];

/// Writes the scaffold and returns the exit code: 2 when a file exists or cannot be written.
pub fn run(args: &InitArgs, context: &mut Context<'_>) -> u8 {
    let folder = resolve(&context.cwd, args.folder.as_deref().unwrap_or(std::path::Path::new(".")));
    if let Some((existing, _)) = FILES.iter().find(|(name, _)| folder.join(name).exists()) {
        let _ = writeln!(context.stderr, "error: `{existing}` already exists; init writes only into a new project");
        return 2;
    }
    for (name, text) in FILES {
        let path = folder.join(name);
        let written = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, text));
        if let Err(error) = written {
            let _ = writeln!(context.stderr, "error: cannot write `{}`: {error}", path.display());
            return 2;
        }
        let _ = writeln!(context.stdout, "created {name}");
    }
    let _ = writeln!(context.stdout, "next: `trustcheck check` and `trustcheck test` in {}", folder.display());
    0
}
