//! Pricing a batch's lines: each line read into one reused task input, priced against the one
//! rate table, and written as its JSON line (an item, an unpriced entry, or with `--keep-going` an
//! error).

use std::path::Path;

use anyhow::anyhow;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Chunk, Outcome, PricedLine};
use crate::cli::files::FileId;
use crate::cli::load::{input_error, price_error, read_task_definition};
use crate::input::TaskInput;
use crate::model::Unpriced;
use crate::pricing::{self, Options};
use crate::rates::{Origin, RateTable};
use crate::render;

/// What a bad line becomes with `--keep-going`.
#[derive(Serialize)]
struct LineError<'a> {
    line: u64,
    error: &'a str,
}

/// What a line that is a task but cannot be priced becomes: `{"line": N, "unpriced": {"name",
/// "reason", "fix"}}`.
#[derive(Serialize)]
struct LineUnpriced<'a> {
    line: u64,
    unpriced: &'a Unpriced,
}

/// Everything a line needs that does not change from line to line. Shared by the pricing
/// threads, so it holds no `Context` (whose callbacks need not be thread-safe): a line can only
/// name a task definition file, never standard input.
pub(super) struct Pricer<'a> {
    pub(super) table: &'a RateTable,
    pub(super) origin: &'a Origin,
    pub(super) options: Options,
    pub(super) keep_going: bool,
    /// The batch's own input, which no line may name as its task definition.
    pub(super) input: Option<FileId>,
}

impl Pricer<'_> {
    /// Prices every line of `chunk` into its `json` and `priced`, stopping at a line that stops
    /// the run.
    pub(super) fn price_chunk(&self, chunk: &mut Chunk) {
        let Chunk { text, lines, json, priced, .. } = chunk;
        json.reserve(text.len() * 12);
        // Each line is read into the same place: no 280-byte input moved out of a `Result`.
        let mut input = TaskInput::default();
        for (number, line) in lines.iter() {
            let number = *number;
            let line = line.clone().map(|range| &text[range]);
            if line.is_ok_and(|line| line.trim().is_empty()) {
                continue;
            }
            let start = json.len();
            let result = match line {
                Ok(line) => self.price(line, number, &mut input, json),
                Err(fault) => Err(anyhow!("{fault}")),
            };
            let outcome = match result {
                Ok(outcome) => outcome,
                Err(error) if self.keep_going => {
                    json.truncate(start);
                    let message = crate::input::one_line(&format!("{error:#}"));
                    match render::json_line(&LineError { line: number, error: &message }, json) {
                        Ok(()) => Outcome::Skipped,
                        Err(e) => Outcome::Stop(e.into()),
                    }
                }
                Err(error) => Outcome::Stop(error),
            };
            if let Outcome::Stop(_) = outcome {
                json.truncate(start);
                priced.push(PricedLine { number, end: start, outcome });
                return;
            }
            json.push(b'\n');
            priced.push(PricedLine { number, end: json.len(), outcome });
        }
    }

    /// Prices `line` and writes its item to `json`. The input is read into one reused `TaskInput`
    /// and the item used where it lies, never moved out of its `Result` (`--batch` 4% faster).
    fn price(
        &self,
        line: &str,
        number: u64,
        input: &mut TaskInput,
        json: &mut Vec<u8>,
    ) -> Result<Outcome, anyhow::Error> {
        let mut parser = serde_json::Deserializer::from_str(line);
        // Every field is set, from the line or as absent: nothing of the line before is left.
        if TaskInput::deserialize_in_place(&mut parser, input).and_then(|()| parser.end()).is_err() {
            return Err(line_error(line));
        }
        if let Some(budget) = input.budget.filter(|b| b.0 < Decimal::ZERO) {
            return Err(anyhow!("`budget` must be 0 or more, got {}", budget.0));
        }
        if let Some(path) = input.task_definition.as_deref() {
            if path == "-" {
                return Err(anyhow!("a batch line cannot read its task definition from standard input"));
            }
            // Reading it would take the lines after this one (or read them twice).
            if self.input.is_some_and(|id| FileId::at(Path::new(path)) == Some(id)) {
                return Err(anyhow!(
                    "task definition `{path}` is the batch's own input; give each task definition a file of its own"
                ));
            }
        }
        // Only files are read (`-` is refused above), so standard input is never opened.
        let definition = read_task_definition(input.task_definition.as_deref(), None, None)
            .map_err(|f| anyhow!(f.message()))?;
        let parsed = definition.as_ref().map(|d| &d.parsed);
        let task = input.to_unnamed_task(parsed).map_err(|e| input_error(e, definition.as_ref()))?;
        // Named once, as `to_task` would (the line's name, else the definition's), but `line N`
        // rather than `task`; the name is moved in after `price_task`, which would copy it.
        let name = input
            .name
            .take()
            .or_else(|| parsed.and_then(|d| d.name.clone()))
            .unwrap_or_else(|| format!("line {number}"));
        let mut priced = pricing::price_task(&task, self.table, self.options);
        let item = match priced.as_mut() {
            Ok(item) => item,
            Err(error) if error.is_gap() => {
                let (reason, fix) =
                    pricing::gap(error.clone(), self.origin).map_err(|e| price_error(e, self.origin))?;
                let entry = Unpriced { budget: input.budget, ..Unpriced::new(name, reason, fix) };
                return Ok(match render::json_line(&LineUnpriced { line: number, unpriced: &entry }, json) {
                    Ok(()) => Outcome::Unpriced(entry),
                    Err(e) => Outcome::Stop(e.into()),
                });
            }
            Err(error) => return Err(price_error(error.clone(), self.origin)),
        };
        item.name = name;
        item.set_budget(input.budget.map(|b| b.0));
        Ok(match render::batch_item(&*item, json) {
            Ok(()) => Outcome::Priced {
                total: item.total,
                budget: item.budget.is_some(),
                over_budget: item
                    .budget
                    .filter(|b| b.exceeded)
                    .map(|b| (item.name.clone(), item.total, b.limit)),
            },
            Err(e) => Outcome::Stop(e.into()),
        })
    }
}

/// Why a line is not a task, naming the key that is wrong where there is one. Only on the error
/// path is the line parsed again, tracking the path.
fn line_error(line: &str) -> anyhow::Error {
    let mut json = serde_json::Deserializer::from_str(line);
    // serde_json appends "at line L column C"; the line number is the batch's to give.
    let without_place = |error: &serde_json::Error| {
        let message = error.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        (message, format!("column {}", error.column()))
    };
    match serde_path_to_error::deserialize::<_, TaskInput>(&mut json) {
        // A task followed by more: what follows is the fault.
        Ok(_) => match json.end() {
            Err(error) => {
                let (message, at) = without_place(&error);
                anyhow!("not a task: {message} after the task's closing brace ({at})")
            }
            Ok(()) => anyhow!("not a task"),
        },
        Err(error) => {
            let path = error.path().to_string();
            let (message, at) = without_place(error.inner());
            if path == "." || path.is_empty() {
                anyhow!("not a task: {message} ({at})")
            } else {
                anyhow!("not a task: `{path}`: {message} ({at})")
            }
        }
    }
}
