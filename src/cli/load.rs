//! Reading what the commands price: rate tables, task definitions and workload files, from files
//! or standard input, into the library's types, with messages that name the input.

use std::path::Path;

use anyhow::anyhow;
use rust_decimal::Decimal;

use super::files::{Stdin, read_input};
use super::{ColorChoice, Context, Failure, PricingArgs};
use crate::input::terraform;
use crate::input::{InputError, TaskInput, task_definition};
use crate::model::Task;
use crate::pricing::{self, Options};
use crate::rates::{self, Origin, RateTable};
use crate::render::TableStyle;
use crate::report::Report;

/// The region when neither a flag, a workload nor the environment names one.
pub(super) const DEFAULT_REGION: &str = "us-east-1";

/// Options for the whole estimate from the flags.
pub(super) fn options(pricing: &PricingArgs) -> Options {
    Options {
        free_data_transfer: pricing.free_data_transfer,
        reserved_memory_mib: pricing.reserved_memory,
        ..Options::default()
    }
}

/// A task definition that was read, and how messages name it.
pub(super) struct Definition {
    /// ``task definition `api.json` `` or `task definition on standard input`.
    pub label: String,
    pub parsed: task_definition::TaskDefinition,
}

/// Reads and parses a task definition: `-` is standard input when `stdin` is given; other paths
/// are relative to `base` (a workload file's folder) when given.
pub(super) fn read_task_definition(
    path: Option<&str>,
    base: Option<&Path>,
    stdin: Option<Stdin<'_>>,
) -> Result<Option<Definition>, Failure> {
    let Some(path) = path else { return Ok(None) };
    let full = base.filter(|_| path != "-").map_or_else(|| Path::new(path).to_path_buf(), |b| b.join(path));
    let label = if path == "-" {
        "task definition on standard input".to_owned()
    } else {
        format!("task definition `{}`", full.display())
    };
    let text = read_input(&full, &label, stdin)?;
    match task_definition::parse(&text) {
        Ok(parsed) => Ok(Some(Definition { label, parsed })),
        Err(e) => Err(Failure::unpriceable(anyhow!("{label}: {e}"))),
    }
}

/// The task `input` describes, filled from its definition; errors about the definition name it.
pub(super) fn resolve_task(
    input: &TaskInput,
    definition: Option<&Definition>,
) -> Result<Task, anyhow::Error> {
    input.to_task(definition.map(|d| &d.parsed)).map_err(|e| input_error(e, definition))
}

/// Why an input is not a task, naming the task definition file where the fault is the file's.
pub(super) fn input_error(error: InputError, definition: Option<&Definition>) -> anyhow::Error {
    match (definition, &error) {
        (
            Some(d),
            InputError::NoSizeInTaskDefinition(_)
            | InputError::NotCompatible { .. }
            | InputError::External(_),
        ) => {
            anyhow!("{}: {error}", d.label)
        }
        _ => error.into(),
    }
}

/// How messages name a workload: ``workload `w.toml` `` or `workload on standard input`.
pub(super) fn workload_label(path: &Path) -> String {
    if path == Path::new("-") {
        "workload on standard input".to_owned()
    } else {
        format!("workload `{}`", path.display())
    }
}

/// A workload file (or standard input for `-`) priced: see [`workload_text_report`].
pub(super) fn workload_report(
    path: &Path,
    pricing: &PricingArgs,
    budget: Option<Decimal>,
    context: &Context<'_>,
) -> Result<Report, Failure> {
    let text = read_input(path, &workload_label(path), Some(context.stdin))?;
    super::price::workload_text_report(path, &text, pricing, budget, None, context)
}

/// A pricing error, with the remedy for a missing rate that fits where the table came from.
pub(super) fn price_error(error: pricing::PriceError, origin: &Origin) -> anyhow::Error {
    match (&error, origin) {
        (pricing::PriceError::MissingRate { .. }, Origin::Embedded(_)) => anyhow!(
            "{error}: no sourced price ships for it; pass --rates FILE with a table that has it (README, \"Rate tables\")"
        ),
        (pricing::PriceError::MissingRate { .. }, Origin::File(path)) => {
            anyhow!("{error}: add that section to `{path}`")
        }
        (pricing::PriceError::Overflow(_), origin) => anyhow!("{error}, with the rates of {origin}"),
        _ => error.into(),
    }
}

/// The rate table: `--rates FILE` if given (its region must agree with an explicitly named one),
/// else the embedded table of `region` (with what named it), `AWS_REGION`, `AWS_DEFAULT_REGION`,
/// or us-east-1.
pub(super) fn load_table(
    region: Option<(&str, &'static str)>,
    rates_file: Option<&Path>,
    context: &Context<'_>,
) -> Result<(RateTable, Origin), Failure> {
    if let Some(path) = rates_file {
        let origin = Origin::File(path.display().to_string());
        // `-` is a file name here: standard input may be the workload or the batch.
        let text = read_input(path, &format!("rate table `{}`", path.display()), None)?;
        let table = rates::parse(&text, &origin)?;
        if let Some((region, named_by)) = region.filter(|(r, _)| *r != table.region) {
            return Err(Failure::unpriceable(anyhow!(
                "{named_by} {region} disagrees with the rate table `{}`, which is for {}; drop one of them",
                path.display(),
                table.region
            )));
        }
        return Ok((table, origin));
    }
    let (region, named_by) = match region {
        Some((region, named_by)) => (region.to_owned(), named_by),
        None => environment_region(context).unwrap_or_else(|| (DEFAULT_REGION.to_owned(), "the default")),
    };
    rates::embedded(&region)
        .map_err(|e| Failure::unpriceable(anyhow!("{e} (the region came from {named_by})")))
}

/// The region `$AWS_REGION` or else `$AWS_DEFAULT_REGION` names, with the variable.
pub(super) fn environment_region(context: &Context<'_>) -> Option<(String, &'static str)> {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .into_iter()
        .find_map(|var| context.var(var).map(|value| (value, var)))
}

/// Colour and box drawing only on a terminal; colour never with `NO_COLOR` set and non-empty.
///
/// `--color always` and `never` decide outright; `auto` colours a terminal unless `NO_COLOR` is
/// set, and colours anything when `CLICOLOR_FORCE` is set (and not `0`), unless `NO_COLOR` is.
pub(super) fn table_style(context: &Context<'_>) -> TableStyle {
    let terminal = context.stdout_is_terminal;
    let color = match context.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let forced = context.var("CLICOLOR_FORCE").is_some_and(|v| v != "0");
            context.var("NO_COLOR").is_none() && (terminal || forced)
        }
    };
    TableStyle { color, unicode: terminal, wrap: terminal, width: None }
}

/// How messages name a plan: ``terraform plan `plan.json` `` or `terraform plan on standard input`.
pub(super) fn plan_label(path: &Path) -> String {
    if path == Path::new("-") {
        "terraform plan on standard input".to_owned()
    } else {
        format!("terraform plan `{}`", path.display())
    }
}

/// The usage file for a plan, or no usage at all.
pub(super) fn read_usage(path: Option<&Path>, context: &Context<'_>) -> Result<terraform::Usage, Failure> {
    let Some(path) = path else { return Ok(terraform::Usage::default()) };
    let label = format!("usage file `{}`", path.display());
    let text = read_input(path, &label, Some(context.stdin))?;
    terraform::usage::parse(&text).map_err(|e| Failure::unpriceable(anyhow!("{label}: {e}")))
}

/// A Terraform plan file (or standard input for `-`) priced: see [`plan_text_report`].
pub(super) fn plan_report(
    path: &Path,
    usage: Option<&Path>,
    pricing: &PricingArgs,
    budget: Option<Decimal>,
    context: &Context<'_>,
) -> Result<Report, Failure> {
    let usage = read_usage(usage, context)?;
    let text = read_input(path, &plan_label(path), Some(context.stdin))?;
    super::price::plan_text_report(path, &text, &usage, pricing, (budget, None), context)
}
