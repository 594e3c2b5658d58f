//! Reading what the commands price: rate tables, task definitions and workload files, from files
//! or standard input, into the library's types, with messages that name the input.

use std::path::Path;
use std::{fs, io};

use anyhow::{Context as _, anyhow};
use rust_decimal::Decimal;

use super::{ColorChoice, Context, Failure, PricingArgs};
use crate::input::workload::{self, Place, Workload};
use crate::input::{InputError, TaskInput, task_definition};
use crate::model::{LaunchType, Task};
use crate::pricing::{self, Options};
use crate::rates::{self, Origin, RateTable};
use crate::render::TableStyle;
use crate::report::{Item, RatesInfo, Report};
use crate::terraform;

/// The region when neither a flag, a workload nor the environment names one.
const DEFAULT_REGION: &str = "us-east-1";

/// The whole text of `path`, or of standard input for `-`; `label` names it in the error.
/// Inputs read whole are at most this large (256 MiB): a larger one is almost certainly the wrong
/// file (`/dev/zero`, a disk image), and reading it would only exhaust memory.
pub(super) const MAX_INPUT_BYTES: u64 = 256 << 20;

/// What opens standard input (`Context::stdin`): the only part of the context reading a file needs.
pub(super) type Stdin<'a> = &'a dyn Fn() -> Box<dyn io::BufRead + 'a>;

pub(super) fn read_input(path: &Path, label: &str, stdin: Stdin<'_>) -> Result<String, Failure> {
    let failed = |e: io::Error| Failure::unpriceable(anyhow!("could not read {label}: {e}"));
    let reader: Box<dyn io::Read> = if path == Path::new("-") {
        Box::new(stdin())
    } else {
        Box::new(fs::File::open(path).map_err(failed)?)
    };
    let mut text = String::new();
    io::Read::read_to_string(&mut io::Read::take(reader, MAX_INPUT_BYTES + 1), &mut text).map_err(failed)?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(Failure::unpriceable(anyhow!(
            "{label} is larger than {} MiB; is it the right file?",
            MAX_INPUT_BYTES >> 20
        )));
    }
    Ok(text)
}

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

/// Reads and parses a task definition: `-` is standard input; other paths are relative to `base`
/// (a workload file's folder) when given.
pub(super) fn read_task_definition(
    path: Option<&str>,
    base: Option<&Path>,
    stdin: Stdin<'_>,
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
        (Some(d), InputError::NoSizeInTaskDefinition { .. } | InputError::NotCompatible { .. }) => {
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
    let text = read_input(path, &workload_label(path), context.stdin)?;
    workload_text_report(path, &text, pricing, budget, None, context)
}

/// A workload priced from its text (read from `path`): the report, over budget when its total is
/// above `budget` (else the file's `[budget]`) or an entry is above its own `budget`.
///
/// With `force`, every service runs on that launch type (for `cost compare`).
pub(super) fn workload_text_report(
    path: &Path,
    text: &str,
    pricing: &PricingArgs,
    budget: Option<Decimal>,
    force: Option<LaunchType>,
    context: &Context<'_>,
) -> Result<Report, Failure> {
    let workload =
        workload::parse(text).map_err(|e| Failure::unpriceable(anyhow!("{}: {e}", workload_label(path))))?;
    let region = match (&pricing.region, &workload.region) {
        (Some(flag), _) => Some((flag.as_str(), "--region")),
        (None, Some(file)) => Some((file.as_str(), "the workload's `region`")),
        (None, None) => None,
    };
    let (table, origin) = load_table(region, pricing.rates.as_deref(), context)
        .map_err(|f| Failure { error: f.error.map(|e| anyhow!("{}: {e:#}", workload_label(path))), ..f })?;
    let items = price_workload(&workload, path, &table, &origin, (options(pricing), force), context)?;
    let rates = RatesInfo::new(&table, &origin, &items);
    Report::new(rates, items, budget.or(workload.budget)).map_err(Failure::unpriceable)
}

/// Every entry of a workload priced: services (data transfer tiered across them), then EKS
/// clusters, then ECR repositories, each in file order, each with its own budget if it has one.
fn price_workload(
    workload: &Workload,
    path: &Path,
    table: &RateTable,
    origin: &Origin,
    (options, force): (Options, Option<LaunchType>),
    context: &Context<'_>,
) -> Result<Vec<Item>, Failure> {
    let in_entry = |place: &Place, error: &dyn std::fmt::Display| {
        Failure::unpriceable(anyhow!("{}: {place}: {error}", workload_label(path)))
    };
    let base = path.parent();
    let mut tasks = Vec::with_capacity(workload.services.len());
    for (place, service) in &workload.services {
        let mut definition = read_task_definition(service.task_definition.as_deref(), base, context.stdin)
            .map_err(|f| in_entry(place, &f.error.map_or_else(String::new, |e| format!("{e:#}"))))?;
        // A comparison asks what the task would cost elsewhere, whatever it is registered for.
        if force.is_some()
            && let Some(d) = definition.as_mut()
        {
            d.parsed.requires_compatibilities.clear();
        }
        let service = force.map_or_else(|| service.clone(), |launch_type| service.on(launch_type));
        tasks.push(resolve_task(&service, definition.as_ref()).map_err(|e| in_entry(place, &e))?);
    }
    let priced = pricing::price_tasks(&tasks, table, options)
        .map_err(|(index, e)| in_entry(&workload.services[index].0, &price_error(e, origin)))?;
    let budgets = workload.services.iter().map(|(_, s)| s.budget);
    let mut items: Vec<Item> =
        priced.into_iter().zip(budgets).map(|(item, budget)| item.with_budget(budget.map(|b| b.0))).collect();
    for (place, cluster) in &workload.eks_clusters {
        let item = pricing::price_eks_cluster(&cluster.to_cluster(), table)
            .map_err(|e| in_entry(place, &price_error(e, origin)))?;
        items.push(item.with_budget(cluster.budget.map(|b| b.0)));
    }
    for (place, repository) in &workload.ecr_repositories {
        let item = pricing::price_ecr_repository(&repository.to_repository(), table)
            .map_err(|e| in_entry(place, &price_error(e, origin)))?;
        items.push(item.with_budget(repository.budget.map(|b| b.0)));
    }
    Ok(items)
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
    TableStyle { color, unicode: terminal, wrap: terminal }
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
    let text = read_input(path, &label, context.stdin)?;
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
    let text = read_input(path, &plan_label(path), context.stdin)?;
    plan_text_report(path, &text, &usage, pricing, (budget, None), context)
}

/// A Terraform plan priced from its text: its services, then its EKS clusters and ECR
/// repositories, with what was assumed and what was skipped. The region is `--region`, else the
/// plan's AWS provider region, else the environment's, else us-east-1.
///
/// With `force`, every service runs on that launch type (for `cost compare`).
pub(super) fn plan_text_report(
    path: &Path,
    text: &str,
    usage: &terraform::Usage,
    pricing: &PricingArgs,
    (budget, force): (Option<Decimal>, Option<LaunchType>),
    context: &Context<'_>,
) -> Result<Report, Failure> {
    let plan = terraform::parse(text, usage, context.today)
        .map_err(|e| Failure::unpriceable(anyhow!("{}: {e}", plan_label(path))))?;
    let region = match (&pricing.region, &plan.region) {
        (Some(flag), _) => Some((flag.as_str(), "--region")),
        (None, Some(plan)) => Some((plan.as_str(), "the plan's AWS provider region")),
        (None, None) => None,
    };
    let (table, origin) = load_table(region, pricing.rates.as_deref(), context)?;
    let options = options(pricing);
    let mut assumptions = plan.assumptions.clone();
    let mut skipped = plan.skipped.clone();
    if region.is_none() {
        assumptions.push(format!(
            "the plan states no AWS provider region: priced in {} ($AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1)",
            table.region
        ));
    }
    let skip = |skipped: &mut Vec<terraform::Skipped>, address: &str, reason: String| {
        skipped.push(terraform::Skipped { address: address.to_owned(), reason });
    };
    let mut tasks = Vec::new();
    let mut unpriced = Vec::new();
    for (name, input) in &plan.services {
        let input = force.map_or_else(|| input.clone(), |launch_type| input.on(launch_type));
        let task = match input.to_task(None) {
            Ok(task) => task,
            Err(e) => {
                skip(&mut skipped, name, e.to_string());
                continue;
            }
        };
        if task.launch_type == LaunchType::Ec2 && task.placement.instance_type.is_none() && force.is_none() {
            match ec2_without_instances(&task) {
                Ok(item) => unpriced.push(item),
                Err(e) => skip(&mut skipped, name, e.to_string()),
            }
            continue;
        }
        match pricing::price_task(&task, &table, options) {
            Ok(_) => tasks.push(task),
            Err(e) => skip(&mut skipped, name, format!("{:#}", price_error(e, &origin))),
        }
    }
    let mut items = pricing::price_tasks(&tasks, &table, options).map_err(|(index, e)| {
        let name = tasks.get(index).map_or("a service", |t| t.name.as_str());
        Failure::unpriceable(anyhow!("{}: {name}: {}", plan_label(path), price_error(e, &origin)))
    })?;
    items.extend(unpriced);
    for (address, cluster) in &plan.clusters {
        match pricing::price_eks_cluster(cluster, &table) {
            Ok(item) => items.push(item),
            Err(e) => skip(&mut skipped, address, format!("{:#}", price_error(e, &origin))),
        }
    }
    for (address, repository) in &plan.repositories {
        match pricing::price_ecr_repository(repository, &table) {
            Ok(item) => items.push(item),
            Err(e) => skip(&mut skipped, address, format!("{:#}", price_error(e, &origin))),
        }
    }
    let rates = RatesInfo::new(&table, &origin, &items);
    let mut report = Report::new(rates, items, budget).map_err(Failure::unpriceable)?;
    report.assumptions = assumptions;
    report.skipped = skipped;
    Ok(report)
}

/// An EC2-launch-type service whose instances are not named: reported with its size and count at
/// no cost, since what it costs is the instances'.
fn ec2_without_instances(task: &Task) -> Result<Item, crate::money::Overflow> {
    let seconds = crate::fargate::run_seconds(task.run_time)?.normalize();
    let billed = pricing::billed(task, task.size, seconds);
    let kind = crate::report::ItemKind::Task {
        launch_type: LaunchType::Ec2,
        platform: task.platform,
        billed,
        packing: None,
    };
    let note = format!(
        "EC2 launch type: {} task(s) of {}; their cost is in the container instances, not priced here: give \
         `instance_type` for `{}` in a usage file (--usage) to price them",
        task.count, task.size, task.name
    );
    Item::new(task.name.clone(), kind, Vec::new(), vec![pricing::Note::Text(note)])
}
