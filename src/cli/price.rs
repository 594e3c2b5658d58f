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
    DEFAULT_REGION, load_table, options, plan_label, price_error, read_task_definition, resolve_task,
    workload_label,
};
use super::{Context, Failure, PricingArgs};
use crate::input::InputError;
use crate::input::inventory::{Inventory, Service};
use crate::input::terraform;
use crate::input::workload::{self, Place, Workload};
use crate::model::{LaunchType, Unpriced};
use crate::money::Exact;
use crate::pricing::{self, Entry};
use crate::report::{Assumptions, RatesInfo, Report};

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
    let mut assumed = Assumptions::default();
    let entries = workload_entries(&workload, path, force, context, &mut assumed)?;
    let one = entries.len() == 1;
    let priced =
        pricing::price_entries(entries, &table, &origin, options(pricing)).map_err(|(index, e)| {
            let place = workload.places().nth(index).map_or_else(String::new, |p| format!("{p}: "));
            anyhow!("{}: {place}{}", workload_label(path), price_error(e, &origin))
        })?;
    let mut assumptions: Vec<String> =
        region_assumption(region, pricing.rates.as_deref(), "the workload's `region`", context)
            .into_iter()
            .collect();
    assumptions.extend(assumed.into_lines(one));
    let rates = RatesInfo::new(&table, &origin, &priced.items);
    let mut report = Report::new(rates, priced.items, budget.or(workload.budget))
        .map_err(|e| in_file(&workload_label(path), e))?;
    report.unpriced = priced.unpriced;
    report.assumptions = assumptions;
    Ok(report)
}

/// An error about the whole of the file `label` names.
fn in_file(label: &str, error: impl std::fmt::Display) -> Failure {
    Failure::unpriceable(anyhow!("{label}: {error}"))
}

/// Every entry of a workload, in the order of its report: services, then EKS clusters, then ECR
/// repositories, each in file order, each with its own budget; the defaults taken go to
/// `assumed`. Task definitions are read here (the only I/O); a service `cost` does not price
/// (ECS Anywhere) is an unpriced entry.
fn workload_entries(
    workload: &Workload,
    path: &Path,
    force: Option<LaunchType>,
    context: &Context<'_>,
    assumed: &mut Assumptions,
) -> Result<Vec<(Entry, Option<Exact>)>, Failure> {
    let in_entry = |place: &Place, error: &dyn std::fmt::Display| {
        Failure::unpriceable(anyhow!("{}: {place}: {error}", workload_label(path)))
    };
    let base = path.parent();
    let mut entries = Vec::with_capacity(workload.places().count());
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
            assumed.add(text, &place.name);
        }
        let entry = match resolve_task(&service, definition.as_ref()) {
            Ok(task) => Entry::Task(task),
            Err(e) if matches!(e.downcast_ref::<InputError>(), Some(InputError::External(_))) => {
                let fix = "none that `cost` offers: it does not price ECS Anywhere";
                Entry::Unpriced(Unpriced::new(&place.name, format!("{e:#}"), fix))
            }
            Err(e) => return Err(in_entry(place, &e)),
        };
        entries.push((entry, service.budget));
    }
    for (place, cluster) in &workload.eks_clusters {
        if cluster.support.is_none() {
            assumed.add("standard support, as no `support` was given", &place.name);
        }
        if cluster.hours.is_none() {
            assumed.add("730 hours (one month), as no `hours` was given", &place.name);
        }
        entries.push((Entry::Cluster(cluster.to_cluster()), cluster.budget));
    }
    for (place, repository) in &workload.ecr_repositories {
        if repository.months.is_none() {
            assumed.add("images stored for 1 month, as no `months` was given", &place.name);
        }
        entries.push((Entry::Repository(repository.to_repository()), repository.budget));
    }
    Ok(entries)
}

/// A Terraform plan priced from its text (see [`inventory_report`]).
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
    let from = Source {
        label: &plan_label(path),
        region: "the plan's AWS provider region",
        ec2_fix: |name| format!("give `instance_type` for {name} in a usage file (--usage)"),
    };
    inventory_report(plan, &from, pricing, (budget, force), context)
}

/// How a report names the input an inventory came from, and the region it states.
pub(super) struct Source<'a> {
    /// For messages: ``terraform plan `plan.json` ``.
    pub label: &'a str,
    /// What stated the region, for the assumptions: `the plan's AWS provider region`.
    pub region: &'static str,
    /// How to name the instances a service on the EC2 launch type runs on, by its item name.
    pub ec2_fix: fn(&str) -> String,
}

/// An inventory priced: its services, then its EKS clusters and ECR repositories, with what was
/// assumed, what was skipped and what could not be priced. The region is `--region`, else the
/// inventory's own, else the environment's, else us-east-1. With `force`, every service runs on
/// that launch type (for `cost compare`).
pub(super) fn inventory_report(
    inventory: Inventory,
    from: &Source<'_>,
    pricing: &PricingArgs,
    (budget, force): (Option<Decimal>, Option<LaunchType>),
    context: &Context<'_>,
) -> Result<Report, Failure> {
    let region = match (&pricing.region, &inventory.region) {
        (Some(flag), _) => Some((flag.as_str(), "--region")),
        (None, Some(own)) => Some((own.as_str(), from.region)),
        (None, None) => None,
    };
    let (table, origin) = load_table(region, pricing.rates.as_deref(), context)?;
    let mut assumptions: Vec<String> =
        region_assumption(region, pricing.rates.as_deref(), from.region, context).into_iter().collect();
    assumptions.extend(inventory.assumptions);
    let mut entries: Vec<(Entry, Option<Exact>)> =
        inventory.unpriced.into_iter().map(|u| (Entry::Unpriced(u), None)).collect();
    for Service { name, input, definition } in &inventory.services {
        let input = force.map_or_else(|| input.clone(), |launch_type| input.on(launch_type));
        let entry = match input.to_task(definition.as_ref()) {
            Err(e) => {
                let fix = "correct the service or its task definition in the configuration";
                Entry::Unpriced(Unpriced::new(name, e.to_string(), fix))
            }
            // A comparison asks what it would cost on EC2: its instances are then chosen.
            Ok(task) => {
                match pricing::unplaced_on_ec2(&task, &(from.ec2_fix)(name)).filter(|_| force.is_none()) {
                    Some(unpriced) => Entry::Unpriced(unpriced),
                    None => Entry::Task(task),
                }
            }
        };
        entries.push((entry, None));
    }
    entries.extend(inventory.clusters.into_iter().map(|(_, cluster)| (Entry::Cluster(cluster), None)));
    entries.extend(
        inventory.repositories.into_iter().map(|(_, repository)| (Entry::Repository(repository), None)),
    );
    let names: Vec<String> = entries.iter().map(|(e, _)| entry_name(e).to_owned()).collect();
    let priced =
        pricing::price_entries(entries, &table, &origin, options(pricing)).map_err(|(index, e)| {
            let name = names.get(index).map_or("", String::as_str);
            anyhow!("{}: {name}: {}", from.label, price_error(e, &origin))
        })?;
    let rates = RatesInfo::new(&table, &origin, &priced.items);
    let mut report = Report::new(rates, priced.items, budget).map_err(|e| in_file(from.label, e))?;
    report.unpriced = priced.unpriced;
    report.skipped = inventory.skipped;
    report.assumptions = assumptions;
    Ok(report)
}

/// The name an entry's item or unpriced line carries.
fn entry_name(entry: &Entry) -> &str {
    match entry {
        Entry::Task(task) => &task.name,
        Entry::Cluster(cluster) => &cluster.name,
        Entry::Repository(repository) => &repository.name,
        Entry::Unpriced(unpriced) => &unpriced.name,
    }
}
