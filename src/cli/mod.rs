//! The edge: reads the command line, the environment and files, runs the pricing core, renders,
//! and maps what happened to an exit code (the README lists them).

mod args;
mod batch;
mod check;
mod cloudformation;
mod compare;
mod diff;
mod estimate;
mod files;
mod inputs;
mod load;
mod price;
mod rates;
mod services;
mod values;

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

pub use args::{
    CheckArgs, Cli, ColorChoice, Command, CompareArgs, DiffArgs, EstimateArgs, PricingArgs, RatesCommand,
    TaskArgs,
};

/// Exit codes of the contract.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    /// The input could not be priced.
    pub const UNPRICEABLE: u8 = 1;
    /// Unknown flag, bad flag value.
    pub const USAGE: u8 = 2;
    /// Over budget; the report is still printed.
    pub const OVER_BUDGET: u8 = 3;
    /// A budget applies and the report is incomplete: some recognised items could not be priced.
    pub const INCOMPLETE: u8 = 4;
}

/// What the process learns from its surroundings: environment variables, standard input and
/// whether stdout is a terminal. Tests and benchmarks pass their own.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub var: &'a dyn Fn(&str) -> Option<String>,
    /// Opens standard input (for `-` in place of a file), read whole or, by `--batch`, by line.
    pub stdin: &'a dyn Fn() -> Box<dyn io::BufRead + 'a>,
    pub stdout_is_terminal: bool,
    /// Today, for the stale-rates warning; `None` never warns.
    pub today: Option<crate::model::Date>,
    /// Prints a warning line (on stderr; a run that then fails still has one error line).
    pub warn: &'a dyn Fn(&str),
    /// `--color`, as given (the run sets it from the command line).
    pub color: ColorChoice,
    /// `--quiet`: only the total.
    pub quiet: bool,
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

    /// Warns when the rates a report used are older than the threshold: `COST_STALE_DAYS` days
    /// (365 by default). `--no-stale-warning` or a non-empty `COST_NO_STALE_WARNING` silences it.
    /// A `COST_STALE_DAYS` that is not a whole number of days is a usage error, not ignored.
    fn warn_if_stale(&self, rates: &crate::report::RatesInfo, silenced: bool) -> Result<(), Failure> {
        const DEFAULT_DAYS: i64 = 365;
        let threshold = match self.var("COST_STALE_DAYS") {
            None => DEFAULT_DAYS,
            Some(days) => i64::from(days.trim().parse::<u32>().map_err(|_| {
                Failure::usage(format!(
                    "COST_STALE_DAYS must be a whole number of days such as 365, got `{days}` (unset it for the default)"
                ))
            })?),
        };
        if silenced || self.var("COST_NO_STALE_WARNING").is_some() {
            return Ok(());
        }
        let (Some(today), Some(effective)) = (self.today, rates.effective) else { return Ok(()) };
        let age = today.days_since_epoch() - effective.days_since_epoch();
        if age > threshold {
            (self.warn)(&crate::render::escape::line(&format!(
                "warning: the {} rates used date from {effective}, {age} days ago (more than {threshold}); refresh them \
                 with `cost rates import` and --rates (silence: --no-stale-warning or COST_NO_STALE_WARNING=1)",
                rates.region
            )));
        }
        Ok(())
    }
}

/// How a run ended, once its stdout is written: the exit code and at most one line for stderr
/// (without its newline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    pub code: u8,
    pub stderr: Option<String>,
}

impl Exit {
    const SUCCESS: Exit = Exit { code: exit::SUCCESS, stderr: None };
}

/// Why a run failed. Its kind decides the exit code (the contract's table), not the place that
/// fails: every error of the library's readers and pricing is the input's (exit 1) and converts
/// with `?`; only the command line's own checks are usage errors (exit 2).
#[derive(Debug)]
pub enum Failure {
    /// The input could not be priced: a bad file, an invalid value, an unknown region, a missing
    /// rate, an overflow, a failed write.
    Unpriceable(anyhow::Error),
    /// Flags that do not go together, or a value of the environment that makes no sense.
    Usage(String),
}

impl Failure {
    /// The exit code of the contract for this kind of failure.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Unpriceable(_) => exit::UNPRICEABLE,
            Failure::Usage(_) => exit::USAGE,
        }
    }

    fn unpriceable(error: impl Into<anyhow::Error>) -> Self {
        Failure::Unpriceable(error.into())
    }

    fn usage(message: impl Into<String>) -> Self {
        Failure::Usage(message.into())
    }

    /// The message, with its causes, on one line.
    fn message(&self) -> String {
        match self {
            Failure::Unpriceable(error) => format!("{error:#}"),
            Failure::Usage(message) => message.clone(),
        }
    }

    /// The same failure with `label` (the file or entry it is about) in front of its message.
    fn about(self, label: &str) -> Self {
        match self {
            Failure::Unpriceable(error) => Failure::Unpriceable(anyhow::anyhow!("{label}: {error:#}")),
            Failure::Usage(message) => Failure::Usage(format!("{label}: {message}")),
        }
    }
}

/// Every error of the library is the input's: exit 1.
impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure::Unpriceable(error.into())
    }
}

/// Writes `bytes` to stdout; a write error is the run's error.
fn write_out(out: &mut dyn Write, bytes: &[u8]) -> Result<(), Failure> {
    out.write_all(bytes).map_err(|e| write_failure(&e))
}

pub(super) fn write_failure(e: &io::Error) -> Failure {
    Failure::unpriceable(anyhow::anyhow!("could not write the output: {e}"))
}

/// Standard output that a reader may close early (`cost check … | head -1`): once the pipe is
/// closed, what is written is dropped without an error, so the run goes on to its verdict and
/// the exit code is the same as with the pipe open. Every other write error is passed on.
struct ClosedPipeIsQuiet<'a> {
    inner: &'a mut dyn Write,
    closed: bool,
}

impl ClosedPipeIsQuiet<'_> {
    fn absorb<T>(&mut self, result: io::Result<T>, otherwise: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(otherwise)
            }
            other => other,
        }
    }
}

impl Write for ClosedPipeIsQuiet<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let written = self.inner.write(buf);
        self.absorb(written, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let flushed = self.inner.flush();
        self.absorb(flushed, ())
    }
}

/// Runs `cost` with `args` (the program name first) in `context`, writing what it prints to
/// `out`. Nothing is written when the run fails before its output is complete, except by
/// `--batch`, which streams: what it wrote before a bad line stays valid.
pub fn run<I, T>(args: I, context: &Context<'_>, out: &mut dyn Write) -> Exit
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let out = &mut ClosedPipeIsQuiet { inner: out, closed: false };
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let exit = match Cli::try_parse_from(&args) {
        Ok(cli) => run_command(&cli, context, out),
        Err(err) if err.kind() == ErrorKind::InvalidUtf8 => invalid_utf8(&args),
        Err(err) => clap_exit(&err, out),
    };
    // Every stderr line leaves as one bounded line, whatever input it repeats.
    Exit { stderr: exit.stderr.map(|line| crate::render::escape::line(&line)), ..exit }
}

fn run_command(cli: &Cli, context: &Context<'_>, out: &mut dyn Write) -> Exit {
    let context = &Context { color: cli.color, quiet: cli.quiet, ..*context };
    // `--quiet` prints one number: the total (estimate, check) or the change (diff). Where there
    // is no such number it is refused, not ignored.
    let one_number = match &cli.command {
        Command::Estimate(args) => args.batch.is_none(),
        Command::Check(_) | Command::Diff(_) => true,
        Command::Compare(_) | Command::Rates(_) | Command::Completions { .. } | Command::Man => false,
    };
    let result = if cli.quiet && !one_number {
        Err(Failure::usage(
            "--quiet prints the total of `cost estimate` (not --batch) and `cost check`, or the change of \
             `cost diff`; this command has no single number: drop --quiet",
        ))
    } else {
        dispatch(cli, context, out)
    };
    let result = result.and_then(|exit| out.flush().map(|()| exit).map_err(|e| write_failure(&e)));
    result.unwrap_or_else(|failure| Exit {
        code: failure.code(),
        stderr: Some(format!("error: {}", failure.message())),
    })
}

fn dispatch(cli: &Cli, context: &Context<'_>, out: &mut dyn Write) -> Result<Exit, Failure> {
    match &cli.command {
        Command::Estimate(args) => estimate::run(args, context, out),
        Command::Check(args) => check::run(args, context, out),
        Command::Diff(args) => diff::run(args, context, out),
        Command::Compare(args) => compare::run(args, context, out),
        Command::Rates(command) => rates::run(command, context, out),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(
                *shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "cost",
                &mut script,
            );
            write_out(out, &script).map(|()| Exit::SUCCESS)
        }
        Command::Man => {
            let mut page = Vec::new();
            man_page(&mut page)
                .map_err(|e| Failure::unpriceable(anyhow::anyhow!("could not render the manual: {e}")))
                .and_then(|()| write_out(out, &page))
                .map(|()| Exit::SUCCESS)
        }
    }
}

/// The process entry point: runs with the real environment, stdout buffered.
pub fn main() -> ExitCode {
    let var = |name: &str| std::env::var(name).ok();
    let stdin = || Box::new(io::stdin().lock()) as Box<dyn io::BufRead>;
    let warn = |line: &str| {
        let _ = writeln!(io::stderr(), "{line}");
    };
    let today = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs() / 86_400).ok())
        .and_then(crate::model::Date::from_days_since_epoch);
    let context = Context {
        var: &var,
        stdin: &stdin,
        stdout_is_terminal: io::stdout().is_terminal(),
        today,
        warn: &warn,
        color: ColorChoice::Auto,
        quiet: false,
    };
    let mut out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let exit = run(std::env::args_os(), &context, &mut out);
    if let Some(line) = &exit.stderr {
        let _ = writeln!(io::stderr(), "{line}");
    }
    ExitCode::from(exit.code)
}

/// clap says only that some argument is not UTF-8: name the flag it was given to.
fn invalid_utf8(args: &[OsString]) -> Exit {
    let bad = args.iter().position(|a| a.to_str().is_none());
    let flag = bad.and_then(|at| {
        let inline = args[at].to_string_lossy();
        match inline.split_once('=') {
            Some((flag, _)) if flag.starts_with("--") => Some(flag.to_owned()),
            _ => args.get(at.checked_sub(1)?)?.to_str().filter(|a| a.starts_with('-')).map(str::to_owned),
        }
    });
    let what = flag.map_or_else(|| "an argument".to_owned(), |flag| format!("the value of {flag}"));
    let shown = bad.map_or_else(String::new, |at| format!(" ({})", args[at].to_string_lossy()));
    Exit {
        code: exit::USAGE,
        stderr: Some(format!(
            "error: {what} is not valid UTF-8{shown}; names, regions and task definition paths must be UTF-8 text"
        )),
    }
}

/// Help and version go to stdout with exit 0; every other clap error becomes one line on stderr
/// with exit 2.
fn clap_exit(err: &clap::Error, out: &mut dyn Write) -> Exit {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let written = write_out(out, err.render().to_string().as_bytes())
                .and_then(|()| out.flush().map(|()| Exit::SUCCESS).map_err(|e| write_failure(&e)));
            written.unwrap_or_else(|failure| Exit {
                code: failure.code(),
                stderr: Some(format!("error: {}", failure.message())),
            })
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
            Exit { code: exit::USAGE, stderr: Some(format!("{line} (see `cost --help`)")) }
        }
    }
}

/// The manual page: `cost.1`, with the exit codes and the environment in their own sections.
fn man_page(out: &mut Vec<u8>) -> io::Result<()> {
    use clap_mangen::roff::{Roff, roman};
    let command = <Cli as clap::CommandFactory>::command();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    // One page for the whole tool: the subcommands by name, not as pages of their own
    // (clap_mangen would name cost-estimate(1) and others, which are not installed).
    let mut extra = Roff::new();
    extra.control("SH", ["SUBCOMMANDS"]);
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        extra.control("TP", []).text([roman(format!("cost {}", sub.get_name()))]).text([roman(about)]);
    }
    extra.text([roman("cost SUBCOMMAND --help shows each subcommand's options and examples.")]);
    extra.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        ("0", "success (and within budget, if one was given)"),
        (
            "1",
            "the input could not be priced: bad file, invalid size, unknown region, missing rate, overflow",
        ),
        ("2", "usage error: unknown flag, bad flag value"),
        ("3", "over budget, or cost diff --max-increase exceeded; the report is still printed"),
        (
            "4",
            "incomplete: a budget applies and some recognised items could not be priced; the report lists \
             them as unpriced, stderr names the first and its fix; --allow-unpriced turns this off, and \
             over budget (3) wins. A closed pipe never changes the exit code",
        ),
    ] {
        extra.control("TP", []).text([roman(code)]).text([roman(meaning)]);
    }
    extra.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in [
        ("AWS_REGION, AWS_DEFAULT_REGION", "the region when --region is not given (then us-east-1)"),
        ("NO_COLOR", "no colour when set and not empty"),
        ("CLICOLOR_FORCE", "colour even off a terminal, unless NO_COLOR is set"),
        ("COST_STALE_DAYS", "days after which the rates used are stale (365)"),
        ("COST_NO_STALE_WARNING", "no stale-rates warning when set and not empty"),
    ] {
        extra.control("TP", []).text([roman(name)]).text([roman(meaning)]);
    }
    extra.to_writer(out)?;
    man.render_version_section(out)?;
    Ok(())
}
