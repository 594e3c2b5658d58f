//! `cost estimate`: one task description from flags.

use super::{Context, EstimateArgs, Failure, Outcome, exit};
use crate::model::{Pricing, RunTime, Size, Task};
use crate::pricing::{self, Options};
use crate::rates::{self, Origin, RateTable};
use crate::render::{self, TableStyle};
use crate::report::{RatesInfo, Report};
use anyhow::Context as _;

/// The region when neither the flag nor the environment names one.
const DEFAULT_REGION: &str = "us-east-1";

pub fn run(args: &EstimateArgs, context: &Context<'_>) -> Result<Outcome, Failure> {
    let task = task_from_flags(args)?;
    let (table, origin) = load_table(args.region.as_deref(), args.rates.as_deref(), context)?;
    let options = Options {
        free_data_transfer: args.free_data_transfer,
    };
    let item = pricing::price_task(&task, &table, options).map_err(Failure::unpriceable)?;
    let items = vec![item];
    let rates = RatesInfo::new(&table, &origin, &items);
    let report = Report::new(rates, items, args.budget).map_err(Failure::unpriceable)?;
    let stdout =
        render::render(&report, args.format, table_style(context)).map_err(Failure::unpriceable)?;
    let (stderr, code) = match report.over_budget_by() {
        Some(excess) => (
            Some(format!(
                "over budget: the total {} exceeds the budget of {} by {}",
                crate::money::format_usd(report.total),
                crate::money::format_usd(args.budget.unwrap_or_default()),
                render::excess_text(excess)
            )),
            exit::OVER_BUDGET,
        ),
        None => (None, exit::SUCCESS),
    };
    Ok(Outcome {
        stdout,
        stderr,
        code,
    })
}

fn task_from_flags(args: &EstimateArgs) -> Result<Task, Failure> {
    let (Some(vcpu), Some(memory_gb)) = (args.vcpu, args.memory) else {
        return Err(Failure::usage(
            "give the task size with --vcpu N and --memory GB (e.g. --vcpu 1 --memory 2)",
        ));
    };
    let run_time = match (args.minutes, args.hours) {
        (Some(m), _) => RunTime::Minutes(m),
        (None, Some(h)) => RunTime::Hours(h),
        (None, None) => RunTime::MONTH,
    };
    Ok(Task {
        name: args.name.clone(),
        size: Size { vcpu, memory_gb },
        count: args.count,
        run_time,
        runs: args.runs,
        arch: args.arch,
        os: args.os,
        pricing: if args.spot {
            Pricing::Spot
        } else {
            Pricing::OnDemand
        },
        ephemeral_storage_gb: args.ephemeral_storage,
        data_transfer_gb: args.data_transfer,
        round_up: args.round_up,
    })
}

/// The rate table: `--rates FILE` if given (its region must agree with an explicit `--region`),
/// else the embedded table of the region from the flag, `AWS_REGION`, `AWS_DEFAULT_REGION`, or
/// us-east-1.
fn load_table(
    region: Option<&str>,
    rates_file: Option<&std::path::Path>,
    context: &Context<'_>,
) -> Result<(RateTable, Origin), Failure> {
    if let Some(path) = rates_file {
        let origin = Origin::File(path.display().to_string());
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read rate table `{}`", path.display()))
            .map_err(Failure::unpriceable)?;
        let table = rates::parse(&text, &origin).map_err(Failure::unpriceable)?;
        if let Some(region) = region.filter(|r| *r != table.region) {
            return Err(Failure::unpriceable(anyhow::anyhow!(
                "--region {region} disagrees with the rate table `{}`, which is for {}; drop one of them",
                path.display(),
                table.region
            )));
        }
        return Ok((table, origin));
    }
    let region = region
        .map(str::to_owned)
        .or_else(|| context.var("AWS_REGION"))
        .or_else(|| context.var("AWS_DEFAULT_REGION"))
        .unwrap_or_else(|| DEFAULT_REGION.to_owned());
    rates::embedded(&region).map_err(Failure::unpriceable)
}

/// Colour and box drawing only on a terminal; colour never with `NO_COLOR` set and non-empty.
fn table_style(context: &Context<'_>) -> TableStyle {
    let terminal = context.stdout_is_terminal;
    TableStyle {
        color: terminal && context.var("NO_COLOR").is_none(),
        unicode: terminal,
        wrap: terminal,
    }
}
