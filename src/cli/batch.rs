//! `cost estimate --batch FILE|-`: JSON Lines in, one priced item per line out, in order, as each
//! is priced. Memory stays flat: one line is read, priced and written at a time; the rate table is
//! loaded once.
//!
//! Each line is its own estimate (its data transfer starts at the first tier). A bad line stops the
//! run with an error naming its line number (what was written before stays valid), or with
//! `--keep-going` becomes `{"line": N, "error": "..."}` and the run goes on, exiting 1 at the end.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use anyhow::anyhow;
use rust_decimal::Decimal;
use serde::Serialize;

use super::load::{self, load_table, price_error, read_task_definition, resolve_task};
use super::{Context, EstimateArgs, Exit, Failure, exit, write_out};
use crate::input::TaskInput;
use crate::money;
use crate::pricing::{self, Options};
use crate::rates::{Origin, RateTable};
use crate::render::{self, Format};
use crate::report::{Item, Overrun};

pub fn run(
    path: &Path,
    args: &EstimateArgs,
    context: &Context<'_>,
    out: &mut dyn Write,
) -> Result<Exit, Failure> {
    if args.format.is_some_and(|f| f != Format::Json) {
        return Err(Failure::usage("--batch writes JSON Lines; drop --format or use --format json"));
    }
    let region = args.pricing.region.as_deref().map(|r| (r, "--region"));
    let (table, origin) = load_table(region, args.pricing.rates.as_deref(), context)?;
    let label =
        if path == Path::new("-") { "standard input".to_owned() } else { format!("`{}`", path.display()) };
    let mut input: Box<dyn BufRead> = if path == Path::new("-") {
        (context.stdin)()
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| Failure::unpriceable(anyhow!("could not read batch {label}: {e}")))?;
        Box::new(BufReader::with_capacity(64 * 1024, file))
    };
    let pricer = Pricer { table: &table, origin: &origin, options: load::options(&args.pricing), context };
    let mut tally = Tally::default();
    let mut line = String::new();
    let mut json = Vec::with_capacity(4096);
    for number in 1.. {
        line.clear();
        let read = input
            .read_line(&mut line)
            .map_err(|e| Failure::unpriceable(anyhow!("could not read batch {label} line {number}: {e}")))?;
        if read == 0 {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        json.clear();
        match pricer.price(&line, number) {
            Ok(item) => {
                tally
                    .add(&item)
                    .map_err(|e| Failure::unpriceable(anyhow!("batch {label} line {number}: {e}")))?;
                render::json_line(&item, &mut json).map_err(Failure::unpriceable)?;
            }
            Err(error) if args.keep_going => {
                tally.errors += 1;
                tally.first_error.get_or_insert(number);
                let message = crate::input::one_line(&format!("{error:#}"));
                render::json_line(&LineError { line: number, error: &message }, &mut json)
                    .map_err(Failure::unpriceable)?;
            }
            Err(error) => {
                return Err(Failure::unpriceable(error.context(format!("batch {label} line {number}"))));
            }
        }
        json.push(b'\n');
        write_out(out, &json)?;
    }
    Ok(tally.exit(args.budget))
}

/// What a bad line becomes with `--keep-going`.
#[derive(Serialize)]
struct LineError<'a> {
    line: u64,
    error: &'a str,
}

/// Everything a line needs that does not change from line to line.
struct Pricer<'a, 'c> {
    table: &'a RateTable,
    origin: &'a Origin,
    options: Options,
    context: &'a Context<'c>,
}

impl Pricer<'_, '_> {
    fn price(&self, line: &str, number: u64) -> Result<Item, anyhow::Error> {
        let mut input: TaskInput = serde_json::from_str(line).map_err(|_| line_error(line))?;
        if let Some(budget) = input.budget.filter(|b| b.0 < Decimal::ZERO) {
            return Err(anyhow!("`budget` must be 0 or more, got {}", budget.0));
        }
        if input.task_definition.as_deref() == Some("-") {
            return Err(anyhow!("a batch line cannot read its task definition from standard input"));
        }
        let definition = read_task_definition(input.task_definition.as_deref(), None, self.context)
            .map_err(|f| f.error.unwrap_or_else(|| anyhow!("could not read the task definition")))?;
        if input.name.is_none() && definition.as_ref().is_none_or(|d| d.parsed.name.is_none()) {
            input.name = Some(format!("line {number}"));
        }
        let task = resolve_task(&input, definition.as_ref())?;
        let item =
            pricing::price_task(&task, self.table, self.options).map_err(|e| price_error(e, self.origin))?;
        Ok(item.with_budget(input.budget.map(|b| b.0)))
    }
}

/// Why a line is not a task, naming the key that is wrong where there is one. Only on the error
/// path is the line parsed again, tracking the path.
fn line_error(line: &str) -> anyhow::Error {
    let mut json = serde_json::Deserializer::from_str(line);
    match serde_path_to_error::deserialize::<_, TaskInput>(&mut json) {
        Ok(_) => anyhow!("not a task"),
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner();
            let at = format!("column {}", inner.column());
            // serde_json appends "at line L column C"; the line number is the batch's to give.
            let message = inner.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
            if path == "." || path.is_empty() {
                anyhow!("not a task: {message} ({at})")
            } else {
                anyhow!("not a task: `{path}`: {message} ({at})")
            }
        }
    }
}

/// The running total, the first line over its own budget, and the bad lines.
#[derive(Default)]
struct Tally {
    total: Decimal,
    over_budget: Option<(String, Decimal, Decimal)>,
    errors: u64,
    first_error: Option<u64>,
}

impl Tally {
    fn add(&mut self, item: &Item) -> Result<(), money::Overflow> {
        self.total = money::sum("the batch total", [self.total, item.total])?;
        if let Some(budget) = item.budget.filter(|b| b.exceeded) {
            self.over_budget.get_or_insert_with(|| (item.name.clone(), item.total, budget.limit));
        }
        Ok(())
    }

    /// Exit 1 if any line was bad; else 3 if the total or a line is over budget; else 0.
    fn exit(&self, budget: Option<Decimal>) -> Exit {
        if let Some(first) = self.first_error {
            let line =
                format!("error: {} line(s) could not be priced (the first: line {first})", self.errors);
            return Exit { code: exit::UNPRICEABLE, stderr: Some(line) };
        }
        let whole = budget.filter(|limit| self.total > *limit).map(|limit| Overrun {
            item: None,
            total: self.total,
            limit,
            excess: self.total - limit,
        });
        let line = self.over_budget.as_ref().map(|(name, total, limit)| Overrun {
            item: Some(name),
            total: *total,
            limit: *limit,
            excess: *total - *limit,
        });
        match whole.or(line) {
            Some(overrun) => Exit {
                code: exit::OVER_BUDGET,
                stderr: Some(format!("over budget: {}", render::overrun_sentence(&overrun))),
            },
            None => Exit { code: exit::SUCCESS, stderr: None },
        }
    }
}
