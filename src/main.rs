//! The `trustcheck` binary: a thin shell over [`trustcheck::cli`].

use std::process::ExitCode;

use clap::Parser;
use trustcheck::cli::{Cli, Context, clap_exit_code};

fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(std::env::args_os()) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(clap_exit_code(&error));
        }
    };
    let (stdout, stderr) = (std::io::stdout(), std::io::stderr());
    let (mut stdout, mut stderr) = (stdout.lock(), stderr.lock());
    let mut context = Context::from_process(&mut stdout, &mut stderr);
    ExitCode::from(cli.command.run(&mut context))
}
