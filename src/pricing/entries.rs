//! Pricing an input of many entries (a workload file, a Terraform plan) into the items it prices
//! and the entries it could not: every entry priced in full or listed as unpriced with the reason
//! and the fix, never a $0 item.
//!
//! The rule that splits a run's errors from gaps: an entry that cannot be read stops the run (the
//! readers' errors); an entry that was read but cannot be priced (a size Fargate does not offer, a
//! rate the table lacks, a combination AWS does not offer) is a gap. Only an overflow, which no
//! input can fix, stops pricing.

use super::{Options, PriceError, price_ecr_repository, price_eks_cluster, price_tasks};
use crate::model::{EcrRepository, EksCluster, LaunchType, Task, Unpriced};
use crate::money::Exact;
use crate::rates::{Origin, RateTable};
use crate::report::Item;

/// One entry of the input, ready to price or already known not to be priceable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Task(Task),
    Cluster(EksCluster),
    Repository(EcrRepository),
    Unpriced(Unpriced),
}

/// What pricing the entries came to, in their order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Priced {
    pub items: Vec<Item>,
    pub unpriced: Vec<Unpriced>,
}

/// Prices `entries`, each with its own budget if it has one. Data transfer out is tiered across
/// the tasks in order, as one account's month (see [`price_tasks`]). An overflow is the error,
/// with the index of the entry it happened in.
pub fn price_entries(
    entries: Vec<(Entry, Option<Exact>)>,
    table: &RateTable,
    origin: &Origin,
    options: Options,
) -> Result<Priced, (usize, PriceError)> {
    let tasks = entries.iter().filter_map(|(e, _)| if let Entry::Task(t) = e { Some(t) } else { None });
    let mut tasks_priced = price_tasks(tasks, table, options).into_iter();
    let mut priced = Priced::default();
    for (index, (entry, budget)) in entries.into_iter().enumerate() {
        let (name, result) = match entry {
            Entry::Unpriced(unpriced) => {
                priced.unpriced.push(unpriced);
                continue;
            }
            // `price_tasks` gives one result per task, in order.
            Entry::Task(task) => match tasks_priced.next() {
                Some(result) => (task.name, result),
                None => continue,
            },
            Entry::Cluster(cluster) => {
                let result = price_eks_cluster(&cluster, table);
                (cluster.name, result)
            }
            Entry::Repository(repository) => {
                let result = price_ecr_repository(&repository, table);
                (repository.name, result)
            }
        };
        match result {
            Ok(item) => priced.items.push(item.with_budget(budget.map(|b| b.0))),
            Err(error) => {
                let (reason, fix) = gap(error, origin).map_err(|e| (index, e))?;
                // The entry's own budget cannot be checked: the gate must know it had one.
                priced.unpriced.push(Unpriced { budget, ..Unpriced::new(name, reason, fix) });
            }
        }
    }
    Ok(priced)
}

/// Why an entry that was read is not priced, and what would fix it; an overflow is no gap.
pub fn gap(error: PriceError, origin: &Origin) -> Result<(String, String), PriceError> {
    let fix = match (&error, origin) {
        (PriceError::Overflow(_), _) => return Err(error),
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

/// A service a deployment runs on the EC2 launch type without naming its instances: what it costs
/// is the container instances', which are not part of the service, so it is unpriced (not a $0
/// item) until their type is given: `fix` says how, for the input it came from.
pub fn unplaced_on_ec2(task: &Task, fix: &str) -> Option<Unpriced> {
    (task.launch_type == LaunchType::Ec2 && task.placement.instance_type.is_none()).then(|| {
        Unpriced::new(
            &task.name,
            format!(
                "runs {} task(s) of {} on the EC2 launch type: its cost is that of the container \
                 instances, whose type the input does not say",
                task.count, task.size
            ),
            fix,
        )
    })
}
