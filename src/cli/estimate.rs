//! `cost estimate`: one task description (flags, a task definition) or a workload file.

use std::path::Path;

use anyhow::{Context as _, anyhow};

use super::{Context, EstimateArgs, Failure, Outcome, exit};
use crate::input::workload::{self, Place, Workload};
use crate::input::{InputError, TaskInput, task_definition};
use crate::model::{Platform, Task};
use crate::money::{Exact, format_usd};
use crate::pricing::{self, Options};
use crate::rates::{self, Origin, RateTable};
use crate::render::{self, TableStyle};
use crate::report::{Item, RatesInfo, Report};

/// The region when neither a flag, a workload nor the environment names one.
const DEFAULT_REGION: &str = "us-east-1";

pub fn run(args: &EstimateArgs, context: &Context<'_>) -> Result<Outcome, Failure> {
    let options = Options { free_data_transfer: args.free_data_transfer, ..Options::default() };
    let (table, origin, items, budget) = if let Some(path) = &args.workload {
        let workload = read_workload(path, context)?;
        let region = match (&args.region, &workload.region) {
            (Some(flag), _) => Some((flag.as_str(), "--region")),
            (None, Some(file)) => Some((file.as_str(), "the workload's `region`")),
            (None, None) => None,
        };
        let (table, origin) = load_table(region, args.rates.as_deref(), context)?;
        let items = price_workload(&workload, path, &table, &origin, options, context)?;
        (table, origin, items, args.budget.or(workload.budget))
    } else {
        let task = task_input(args);
        let definition = read_task_definition(task.task_definition.as_deref(), None, context)?;
        let no_size = task.vcpu.is_none() || task.memory.is_none();
        if definition.is_none() && task.platform != Some(Platform::Eks) && no_size {
            return Err(Failure::usage(
                "give the task size with --vcpu N and --memory GB (e.g. --vcpu 1 --memory 2), or --task-definition FILE",
            ));
        }
        let task = resolve_task(&task, definition.as_ref()).map_err(Failure::unpriceable)?;
        let region = args.region.as_deref().map(|r| (r, "--region"));
        let (table, origin) = load_table(region, args.rates.as_deref(), context)?;
        let item = pricing::price_task(&task, &table, options)
            .map_err(|e| Failure::unpriceable(price_error(e, &origin)))?;
        (table, origin, vec![item], args.budget)
    };
    let rates = RatesInfo::new(&table, &origin, &items);
    let report = Report::new(rates, items, budget).map_err(Failure::unpriceable)?;
    let stdout = render::render(&report, args.format, table_style(context)).map_err(Failure::unpriceable)?;
    let (stderr, code) = match (report.over_budget_by(), report.budget) {
        (Some(excess), Some(budget)) => {
            // Cents can hide an excess ($36.04 over $36.04): then show the exact total.
            let (total, limit) = (format_usd(report.total), format_usd(budget.limit));
            let total = if total == limit { format!("${}", report.total.normalize()) } else { total };
            let line = format!(
                "over budget: the total {total} exceeds the budget of {limit} by {}",
                render::excess_text(excess)
            );
            (Some(line), exit::OVER_BUDGET)
        }
        _ => (None, exit::SUCCESS),
    };
    Ok(Outcome { stdout, stderr, code })
}

/// The flags as a task description, keyed like a workload `[[service]]`.
fn task_input(args: &EstimateArgs) -> TaskInput {
    TaskInput {
        name: args.name.clone(),
        launch_type: args.launch_type,
        platform: args.platform,
        task_definition: args.task_definition.clone(),
        vcpu: args.vcpu.map(Exact),
        memory: args.memory.map(Exact),
        count: args.count,
        hours: args.hours.map(Exact),
        minutes: args.minutes.map(Exact),
        runs: args.runs,
        arch: args.arch,
        os: args.os,
        spot: args.spot.then_some(true),
        ephemeral_storage: args.ephemeral_storage.map(Exact),
        data_transfer: args.data_transfer.map(Exact),
        round_up: args.round_up.then_some(true),
    }
}

/// A task definition that was read, and how messages name it.
struct Definition {
    /// ``task definition `api.json` `` or `task definition on standard input`.
    label: String,
    parsed: task_definition::TaskDefinition,
}

/// Reads and parses a task definition: `-` is standard input; other paths are relative to `base`
/// (a workload file's folder) when given.
fn read_task_definition(
    path: Option<&str>,
    base: Option<&Path>,
    context: &Context<'_>,
) -> Result<Option<Definition>, Failure> {
    let Some(path) = path else { return Ok(None) };
    let (label, text) = if path == "-" {
        ("task definition on standard input".to_owned(), (context.read_stdin)())
    } else {
        let full = base.map_or_else(|| Path::new(path).to_path_buf(), |b| b.join(path));
        (format!("task definition `{}`", full.display()), std::fs::read_to_string(&full))
    };
    let text = text.map_err(|e| Failure::unpriceable(anyhow!("could not read {label}: {e}")))?;
    match task_definition::parse(&text) {
        Ok(parsed) => Ok(Some(Definition { label, parsed })),
        Err(e) => Err(Failure::unpriceable(anyhow!("{label}: {e}"))),
    }
}

/// The task `input` describes, filled from its definition; errors about the definition name it.
fn resolve_task(input: &TaskInput, definition: Option<&Definition>) -> Result<Task, anyhow::Error> {
    input.to_task(definition.map(|d| &d.parsed)).map_err(|e| match (definition, &e) {
        (Some(d), InputError::NoSizeInTaskDefinition { .. } | InputError::NotFargateCompatible(_)) => {
            anyhow!("{}: {e}", d.label)
        }
        _ => e.into(),
    })
}

/// How messages name a workload: ``workload `w.toml` `` or `workload on standard input`.
fn workload_label(path: &Path) -> String {
    if path == Path::new("-") {
        "workload on standard input".to_owned()
    } else {
        format!("workload `{}`", path.display())
    }
}

/// Reads a workload file, or standard input for `-`.
fn read_workload(path: &Path, context: &Context<'_>) -> Result<Workload, Failure> {
    let label = workload_label(path);
    let text = if path == Path::new("-") { (context.read_stdin)() } else { std::fs::read_to_string(path) };
    let text = text.map_err(|e| Failure::unpriceable(anyhow!("could not read {label}: {e}")))?;
    workload::parse(&text).map_err(|e| Failure::unpriceable(anyhow!("{label}: {e}")))
}

/// Every entry of a workload priced: services (data transfer tiered across them), then EKS
/// clusters, then ECR repositories, each in file order.
fn price_workload(
    workload: &Workload,
    path: &Path,
    table: &RateTable,
    origin: &Origin,
    options: Options,
    context: &Context<'_>,
) -> Result<Vec<Item>, Failure> {
    let in_entry = |place: &Place, error: &dyn std::fmt::Display| {
        Failure::unpriceable(anyhow!("{}: {place}: {error}", workload_label(path)))
    };
    let base = path.parent();
    let mut tasks = Vec::with_capacity(workload.services.len());
    for (place, service) in &workload.services {
        let definition = read_task_definition(service.task_definition.as_deref(), base, context)
            .map_err(|f| in_entry(place, &format!("{:#}", f.error)))?;
        tasks.push(resolve_task(service, definition.as_ref()).map_err(|e| in_entry(place, &e))?);
    }
    let mut items = pricing::price_tasks(&tasks, table, options)
        .map_err(|(index, e)| in_entry(&workload.services[index].0, &price_error(e, origin)))?;
    for (place, cluster) in &workload.eks_clusters {
        items.push(
            pricing::price_eks_cluster(&cluster.to_cluster(), table)
                .map_err(|e| in_entry(place, &price_error(e, origin)))?,
        );
    }
    for (place, repository) in &workload.ecr_repositories {
        items.push(
            pricing::price_ecr_repository(&repository.to_repository(), table)
                .map_err(|e| in_entry(place, &price_error(e, origin)))?,
        );
    }
    Ok(items)
}

/// A pricing error, with the remedy for a missing rate that fits where the table came from.
fn price_error(error: pricing::PriceError, origin: &Origin) -> anyhow::Error {
    match (&error, origin) {
        (pricing::PriceError::MissingRate { .. }, Origin::Embedded(_)) => anyhow!(
            "{error}: no sourced price ships for it; pass --rates FILE with a table that has it (README, \"Rate tables\")"
        ),
        (pricing::PriceError::MissingRate { .. }, Origin::File(path)) => {
            anyhow!("{error}: add that section to `{path}`")
        }
        _ => error.into(),
    }
}

/// The rate table: `--rates FILE` if given (its region must agree with an explicitly named one),
/// else the embedded table of `region` (with what named it), `AWS_REGION`, `AWS_DEFAULT_REGION`,
/// or us-east-1.
fn load_table(
    region: Option<(&str, &'static str)>,
    rates_file: Option<&Path>,
    context: &Context<'_>,
) -> Result<(RateTable, Origin), Failure> {
    if let Some(path) = rates_file {
        let origin = Origin::File(path.display().to_string());
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read rate table `{}`", path.display()))
            .map_err(Failure::unpriceable)?;
        let table = rates::parse(&text, &origin).map_err(Failure::unpriceable)?;
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
        None => ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .into_iter()
            .find_map(|var| context.var(var).map(|value| (value, var)))
            .unwrap_or_else(|| (DEFAULT_REGION.to_owned(), "the default")),
    };
    rates::embedded(&region)
        .map_err(|e| Failure::unpriceable(anyhow!("{e} (the region came from {named_by})")))
}

/// Colour and box drawing only on a terminal; colour never with `NO_COLOR` set and non-empty.
fn table_style(context: &Context<'_>) -> TableStyle {
    let terminal = context.stdout_is_terminal;
    TableStyle { color: terminal && context.var("NO_COLOR").is_none(), unicode: terminal, wrap: terminal }
}
