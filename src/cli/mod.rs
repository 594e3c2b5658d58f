//! The edge: reads the command line, the environment and files, runs the pricing core, renders,
//! and maps what happened to an exit code (`spec/cli.md`).

mod args;
mod estimate;

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

pub use args::{Cli, Command, EstimateArgs};

/// Exit codes of the contract.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    /// The input could not be priced.
    pub const UNPRICEABLE: u8 = 1;
    /// Unknown flag, bad flag value.
    pub const USAGE: u8 = 2;
    /// Over budget; the report is still printed.
    pub const OVER_BUDGET: u8 = 3;
}

/// What the process learns from its surroundings: environment variables, standard input and
/// whether stdout is a terminal. Tests and benchmarks pass their own.
pub struct Context<'a> {
    pub var: &'a dyn Fn(&str) -> Option<String>,
    /// Reads all of standard input (for `-` in place of a file).
    pub read_stdin: &'a dyn Fn() -> io::Result<String>,
    pub stdout_is_terminal: bool,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("stdout_is_terminal", &self.stdout_is_terminal)
            .finish_non_exhaustive()
    }
}

impl Context<'_> {
    /// An environment variable, treating an empty value as unset.
    fn var(&self, name: &str) -> Option<String> {
        (self.var)(name).filter(|v| !v.is_empty())
    }
}

/// Everything a run produces, before any of it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    /// At most one line, without the trailing newline.
    pub stderr: Option<String>,
    pub code: u8,
}

/// A failure: a one-line message and its exit code. Nothing goes to stdout.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl Failure {
    fn unpriceable(error: impl Into<anyhow::Error>) -> Self {
        Failure { code: exit::UNPRICEABLE, error: error.into() }
    }

    fn usage(message: impl Into<String>) -> Self {
        Failure { code: exit::USAGE, error: anyhow::anyhow!(message.into()) }
    }
}

/// Runs `cost` with `args` (the program name first) in `context`.
pub fn run<I, T>(args: I, context: &Context<'_>) -> Outcome
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => return clap_outcome(&err),
    };
    let result = match &cli.command {
        Command::Estimate(args) => estimate::run(args, context),
    };
    result.unwrap_or_else(|failure| Outcome {
        stdout: String::new(),
        stderr: Some(format!("error: {}", crate::input::one_line(&format!("{:#}", failure.error)))),
        code: failure.code,
    })
}

/// The process entry point: runs with the real environment and writes the outcome.
pub fn main() -> ExitCode {
    let var = |name: &str| std::env::var(name).ok();
    let read_stdin = || io::read_to_string(io::stdin());
    let context =
        Context { var: &var, read_stdin: &read_stdin, stdout_is_terminal: io::stdout().is_terminal() };
    let outcome = run(std::env::args_os(), &context);
    let mut code = outcome.code;
    if let Err(err) =
        io::stdout().lock().write_all(outcome.stdout.as_bytes()).and_then(|()| io::stdout().flush())
    {
        // A reader that stops early (`cost ... | head -1`) is not an error.
        if err.kind() != io::ErrorKind::BrokenPipe {
            let _ = writeln!(io::stderr(), "error: could not write the output: {err}");
            code = exit::UNPRICEABLE;
        }
    }
    if let Some(line) = &outcome.stderr {
        let _ = writeln!(io::stderr(), "{line}");
    }
    ExitCode::from(code)
}

/// Help and version go to stdout with exit 0; every other clap error becomes one line on stderr
/// with exit 2.
fn clap_outcome(err: &clap::Error) -> Outcome {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            Outcome { stdout: err.render().to_string(), stderr: None, code: exit::SUCCESS }
        }
        _ => {
            let text = err.render().to_string();
            let kept: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| {
                    !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information")
                })
                .collect();
            let mut line = kept.join(" ");
            if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand || line.is_empty() {
                "error: a subcommand is required".clone_into(&mut line);
            }
            Outcome {
                stdout: String::new(),
                stderr: Some(format!("{line} (see `cost --help`)")),
                code: exit::USAGE,
            }
        }
    }
}
