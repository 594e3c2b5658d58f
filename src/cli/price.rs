//! Pricing the inputs that hold many items (workload files, Terraform plans) into one report that
//! says what it covers: every item priced in full or listed as unpriced with the reason and the
//! fix, the resources of other kinds listed as skipped, and every default that was chosen listed
//! as an assumption.
//!
//! The rule that splits errors from gaps: an entry that cannot be read (bad syntax, a value out of
//! range, a contradiction) stops the run (exit 1); an entry that was read but cannot be priced (a
//! size Fargate does not offer, a rate the table lacks, a launch type `cost` does not price, a
//! value the input does not know) is listed as unpriced and the rest is priced.

use std::path::Path;

use anyhow::anyhow;
use rust_decimal::Decimal;

use super::load::{
    DEFAULT_REGION, load_table, options, plan_label, read_task_definition, resolve_task, workload_label,
};
use super::{Context, Failure, PricingArgs};
use crate::input::InputError;
use crate::input::terraform;
use crate::input::workload::{self, Place, Workload};
use crate::model::{LaunchType, Task, Unpriced};
use crate::money::Exact;
use crate::pricing::{self, Options, PriceError};
use crate::rates::{Origin, RateTable};
use crate::report::{Assumptions, Item, RatesInfo, Report};

/// Why a priced-for task is not priced, and what would fix it; an overflow is no gap but the run's
/// error.
pub(super) fn gap(error: PriceError, origin: &Origin) -> Result<(String, String), anyhow::Error> {
    let fix = match (&error, origin) {
        (PriceError::Overflow(_), _) => return Err(super::load::price_error(error, origin)),
        (PriceError::Size(size), _) => size.fix(),
        (PriceError::MissingRate { .. }, Origin::Embedded(_)) => {
            "no sourced price ships for it: pass --rates FILE with a table that has it (`cost rates import` \
             makes one from AWS's price list)"
                .to_owned()
        }
        (PriceError::MissingRate { section, .. }, Origin::File(path)) => {
            format!("add section [{section}] to `{path}`")
        }
        (PriceError::Unsupported(_), _) => "change what the reason names".to_owned(),
    };
    let reason = match &error {
        PriceError::Size(size) => size.to_string(),
        other => other.to_string(),
    };
    Ok((reason, fix))
}

/// Where the region came from when neither a flag nor the input named one: said as an assumption
/// (a `--rates` table names its own region). `in_input` is where the input could have named it
/// (such as the workload's `region`), or empty.
pub(super) fn region_assumption(
    named: Option<(&str, &'static str)>,
    rates_file: Option<&Path>,
    in_input: &str,
    context: &Context<'_>,
) -> Option<String> {
    if named.is_some() || rates_file.is_some() {
        return None;
    }
    let in_input = if in_input.is_empty() { String::new() } else { format!(", {in_input}") };
    Some(match super::load::environment_region(context) {
        Some((region, var)) => {
            format!("region {region}, from ${var}, as none was given (--region{in_input})")
        }
        None => format!(
            "region {DEFAULT_REGION}, as none was given (--region{in_input}, $AWS_REGION, $AWS_DEFAULT_REGION)"
        ),
    })
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
    let workload = workload::parse(text).map_err(|e| anyhow!("{}: {e}", workload_label(path)))?;
    let region = match (&pricing.region, &workload.region) {
        (Some(flag), _) => Some((flag.as_str(), "--region")),
        (None, Some(file)) => Some((file.as_str(), "the workload's `region`")),
        (None, None) => None,
    };
    let (table, origin) =
        load_table(region, pricing.rates.as_deref(), context).map_err(|f| f.about(&workload_label(path)))?;
    let mut covered = Covered::default();
    price_workload(&workload, path, &table, &origin, (options(pricing), force), context, &mut covered)?;
    let entries = covered.items.len() + covered.unpriced.len();
    let mut assumptions: Vec<String> =
        region_assumption(region, pricing.rates.as_deref(), "the workload's `region`", context)
            .into_iter()
            .collect();
    assumptions.extend(covered.assumed.into_lines(entries == 1));
    let rates = RatesInfo::new(&table, &origin, &covered.items);
    let mut report = Report::new(rates, covered.items, budget.or(workload.budget))
        .map_err(|e| in_file(&workload_label(path), e))?;
    report.unpriced = covered.unpriced;
    report.assumptions = assumptions;
    Ok(report)
}

/// An error about the whole of the file `label` names.
fn in_file(label: &str, error: impl std::fmt::Display) -> Failure {
    Failure::unpriceable(anyhow!("{label}: {error}"))
}

/// What pricing a many-item input came to, in input order.
#[derive(Default)]
struct Covered {
    items: Vec<Item>,
    unpriced: Vec<Unpriced>,
    assumed: Assumptions,
}

impl Covered {
    /// Keeps `priced` as an item (with `budget`), or lists it as unpriced (with that budget, which
    /// then cannot be checked) when it is a gap.
    fn take(
        &mut self,
        name: &str,
        priced: Result<Item, PriceError>,
        budget: Option<Exact>,
        origin: &Origin,
    ) -> Result<(), anyhow::Error> {
        match priced {
            Ok(item) => self.items.push(item.with_budget(budget.map(|b| b.0))),
            Err(error) => {
                let (reason, fix) = gap(error, origin)?;
                self.unpriced.push(Unpriced { budget, ..Unpriced::new(name, reason, fix) });
            }
        }
        Ok(())
    }
}

/// Every entry of a workload priced: services (data transfer tiered across them), then EKS
/// clusters, then ECR repositories, each in file order, each with its own budget if it has one.
#[allow(clippy::too_many_arguments)]
fn price_workload(
    workload: &Workload,
    path: &Path,
    table: &RateTable,
    origin: &Origin,
    (options, force): (Options, Option<LaunchType>),
    context: &Context<'_>,
    covered: &mut Covered,
) -> Result<(), Failure> {
    let in_entry = |place: &Place, error: &dyn std::fmt::Display| {
        Failure::unpriceable(anyhow!("{}: {place}: {error}", workload_label(path)))
    };
    let base = path.parent();
    // Each service as a task, or unpriced before pricing (a launch type `cost` does not price).
    let mut slots: Vec<Result<Task, Unpriced>> = Vec::with_capacity(workload.services.len());
    for (place, service) in &workload.services {
        let mut definition =
            read_task_definition(service.task_definition.as_deref(), base, Some(context.stdin))
                .map_err(|f| in_entry(place, &f.message()))?;
        // A comparison asks what the task would cost elsewhere, whatever it is registered for.
        if force.is_some()
            && let Some(d) = definition.as_mut()
        {
            d.parsed.requires_compatibilities.clear();
        }
        let service = force.map_or_else(|| service.clone(), |launch_type| service.on(launch_type));
        for text in service.assumed(definition.as_ref().map(|d| &d.parsed)) {
            covered.assumed.add(text, &place.name);
        }
        slots.push(match resolve_task(&service, definition.as_ref()) {
            Ok(task) => Ok(task),
            Err(e) if matches!(e.downcast_ref::<InputError>(), Some(InputError::External(_))) => {
                let fix = "none that `cost` offers: it does not price ECS Anywhere".to_owned();
                Err(Unpriced { budget: service.budget, ..Unpriced::new(&place.name, format!("{e:#}"), fix) })
            }
            Err(e) => return Err(in_entry(place, &e)),
        });
    }
    let tasks = slots.iter().filter_map(|slot| slot.as_ref().ok());
    let mut priced = pricing::price_tasks(tasks, table, options).into_iter();
    for ((place, service), slot) in workload.services.iter().zip(slots) {
        // `price_tasks` gives one result per task, in order.
        match slot.map(|_| priced.next()) {
            Err(unpriced) => covered.unpriced.push(unpriced),
            Ok(Some(result)) => {
                covered.take(&place.name, result, service.budget, origin).map_err(|e| in_entry(place, &e))?;
            }
            Ok(None) => {}
        }
    }
    for (place, cluster) in &workload.eks_clusters {
        if cluster.support.is_none() {
            covered.assumed.add("standard support, as no `support` was given", &place.name);
        }
        if cluster.hours.is_none() {
            covered.assumed.add("730 hours (one month), as no `hours` was given", &place.name);
        }
        let priced = pricing::price_eks_cluster(&cluster.to_cluster(), table);
        covered.take(&place.name, priced, cluster.budget, origin).map_err(|e| in_entry(place, &e))?;
    }
    for (place, repository) in &workload.ecr_repositories {
        if repository.months.is_none() {
            covered.assumed.add("images stored for 1 month, as no `months` was given", &place.name);
        }
        let priced = pricing::price_ecr_repository(&repository.to_repository(), table);
        covered.take(&place.name, priced, repository.budget, origin).map_err(|e| in_entry(place, &e))?;
    }
    Ok(())
}

/// A Terraform plan priced from its text: its services, then its EKS clusters and ECR
/// repositories, with what was assumed, what was skipped and what could not be priced. The region
/// is `--region`, else the plan's AWS provider region, else the environment's, else us-east-1.
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
    let plan =
        terraform::parse(text, usage, context.today).map_err(|e| anyhow!("{}: {e}", plan_label(path)))?;
    let region = match (&pricing.region, &plan.region) {
        (Some(flag), _) => Some((flag.as_str(), "--region")),
        (None, Some(plan)) => Some((plan.as_str(), "the plan's AWS provider region")),
        (None, None) => None,
    };
    let (table, origin) = load_table(region, pricing.rates.as_deref(), context)?;
    let failed =
        |name: &str, e: anyhow::Error| Failure::unpriceable(anyhow!("{}: {name}: {e:#}", plan_label(path)));
    let mut assumptions: Vec<String> =
        region_assumption(region, pricing.rates.as_deref(), "the plan's AWS provider region", context)
            .into_iter()
            .collect();
    assumptions.extend(plan.assumptions);
    let mut covered = Covered { unpriced: plan.unpriced, ..Covered::default() };
    let mut tasks = Vec::new();
    for (name, input) in &plan.services {
        let input = force.map_or_else(|| input.clone(), |launch_type| input.on(launch_type));
        let task = match input.to_task(None) {
            Ok(task) => task,
            Err(e) => {
                let fix = "correct the service or its task definition in the configuration".to_owned();
                covered.unpriced.push(Unpriced::new(name, e.to_string(), fix));
                continue;
            }
        };
        if task.launch_type == LaunchType::Ec2 && task.placement.instance_type.is_none() && force.is_none() {
            covered.unpriced.push(Unpriced::new(
                name,
                format!(
                    "runs {} task(s) of {} on the EC2 launch type: its cost is that of the container \
                     instances, whose type the plan does not say",
                    task.count, task.size
                ),
                format!("give `instance_type` for {name} in a usage file (--usage)"),
            ));
            continue;
        }
        tasks.push(task);
    }
    for (task, priced) in tasks.iter().zip(pricing::price_tasks(&tasks, &table, options(pricing))) {
        covered.take(&task.name, priced, None, &origin).map_err(|e| failed(&task.name, e))?;
    }
    for (address, cluster) in &plan.clusters {
        let priced = pricing::price_eks_cluster(cluster, &table);
        covered.take(address, priced, None, &origin).map_err(|e| failed(address, e))?;
    }
    for (address, repository) in &plan.repositories {
        let priced = pricing::price_ecr_repository(repository, &table);
        covered.take(address, priced, None, &origin).map_err(|e| failed(address, e))?;
    }
    let rates = RatesInfo::new(&table, &origin, &covered.items);
    let mut report = Report::new(rates, covered.items, budget).map_err(|e| in_file(&plan_label(path), e))?;
    report.unpriced = covered.unpriced;
    report.skipped = plan.skipped;
    report.assumptions = assumptions;
    Ok(report)
}
