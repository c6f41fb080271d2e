//! The `trustcheck` binary: a thin shell over [`trustcheck::cli`].

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use clap::Parser;
use trustcheck::cli::{Cli, Context, clap_exit_code};

/// The allocator: jemalloc where it builds, unless the `jemalloc` feature is off (see
/// `Cargo.toml`).
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The exit code of a run that could not check everything (`cli.md`), given also when a defect
/// of trustcheck's own stops it.
const NOT_EVERYTHING_CHECKED: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(std::env::args_os()) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(clap_exit_code(&error));
        }
    };
    // Only this thread writes results, so stdout is locked once; stderr is not held, so that
    // nothing another thread writes there can wait on this one.
    let (stdout, mut stderr) = (std::io::stdout(), std::io::stderr());
    let mut stdout = stdout.lock();
    let code = catch_unwind(AssertUnwindSafe(|| {
        let mut context = Context::from_process(&mut stdout, &mut stderr);
        cli.command.run(&mut context)
    }));
    ExitCode::from(code.unwrap_or_else(|_| {
        let _ = stdout.flush();
        let _ = writeln!(
            std::io::stderr(),
            "error: trustcheck stopped on a defect of its own (described above), so not everything was checked; \
             please report it with the command and the files it was given"
        );
        NOT_EVERYTHING_CHECKED
    }))
}
