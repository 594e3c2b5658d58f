//! `cost diff OLD NEW`: the cost change between two workload files, plans, templates, CDK
//! assemblies or JSON reports.

use std::io::Write;
use std::path::Path;

use anyhow::anyhow;

use super::files::read_input;
use super::load::{self, table_style};
use super::{Context, DiffArgs, Exit, Failure, PricingArgs, exit, write_out};
use crate::input::TaskInput;
use crate::input::detect::{self, Format};
use crate::input::terraform::Usage;
use crate::model::Unpriced;
use crate::money::format_limit;
use crate::render;
use crate::report::diff::{self, Limit, Side};
use crate::report::saved;

pub fn run(args: &DiffArgs, context: &Context<'_>, out: &mut dyn Write) -> Result<Exit, Failure> {
    let stdin = Path::new("-");
    if args.old == stdin && args.new == stdin {
        return Err(Failure::usage("only one of OLD and NEW can be read from standard input (-)"));
    }
    let usage = load::read_usage(args.usage.as_deref(), context)?;
    let old = side(&args.old, &args.pricing, &usage, context)?;
    let new = side(&args.new, &args.pricing, &usage, context)?;
    let diff = diff::diff(&old, &new, args.max_increase)?;
    let text = if context.quiet {
        let delta = crate::money::round_cents(diff.total.delta);
        if delta > rust_decimal::Decimal::ZERO { format!("+{delta:.2}\n") } else { format!("{delta:.2}\n") }
    } else {
        render::render(&diff, args.format, table_style(context))?
    };
    write_out(out, text.as_bytes())?;
    let unpriced: Vec<&Unpriced> = diff.old.unpriced.iter().chain(&diff.new.unpriced).collect();
    let gap = unpriced.first().map(|first| {
        format!(
            "{} item(s) unpriced across the two sides; the first: {} ({}); fix: {}",
            unpriced.len(),
            first.name,
            first.reason,
            first.fix
        )
    });
    Ok(match diff.max_increase.filter(|m| m.exceeded) {
        // The gate applies and cannot be checked on what was not priced.
        None if diff.max_increase.is_some() && !args.allow_unpriced && gap.is_some() => Exit {
            code: exit::INCOMPLETE,
            stderr: gap.map(|gap| {
                format!("incomplete: --max-increase cannot be checked: {gap}; or accept the gap with --allow-unpriced")
            }),
        },
        None => Exit { code: exit::SUCCESS, stderr: gap.map(|gap| format!("warning: {gap}")) },
        Some(max) => {
            let total = &diff.total;
            let (usd, percent) =
                (render::diff::signed_change(total.old, total.new), render::diff::signed_percent(total.percent));
            // Rounding can make the rise and the limit look equal: then show their exact digits.
            let (rise, limit) = match max.limit {
                Limit::Usd(limit) if usd == format!("+{}", format_limit(limit)) => {
                    (format!("+${} ({percent})", total.delta.normalize()), format!("${}", limit.normalize()))
                }
                Limit::Usd(limit) => (format!("{usd} ({percent})"), format_limit(limit)),
                Limit::Percent(limit) => {
                    let exact = total.percent.filter(|_| percent == format!("+{}%", limit.normalize()));
                    let shown = exact.map_or(percent, |p| format!("+{}%", p.normalize()));
                    (format!("{usd} ({shown})"), format!("{}%", limit.normalize()))
                }
            };
            let also = gap.map_or_else(String::new, |gap| format!("; {gap}, which can only change it"));
            let line = format!(
                "cost increase too large: the total rises by {rise}, more than --max-increase {limit}{also}"
            );
            Exit { code: exit::OVER_BUDGET, stderr: Some(line) }
        }
    })
}

/// One side: a CloudFormation template or CDK assembly, a Terraform plan (JSON with
/// `format_version` and `planned_values`) or a workload file, priced now, or a JSON report (any
/// other JSON is refused as not a report).
fn side(path: &Path, pricing: &PricingArgs, usage: &Usage, context: &Context<'_>) -> Result<Side, Failure> {
    let source =
        if path == Path::new("-") { "standard input".to_owned() } else { path.display().to_string() };
    if path != Path::new("-") && path.is_dir() {
        let report = super::cloudformation::side_report(path, None, pricing, context)?;
        return Ok(Side::from_report(source, &report));
    }
    let text = read_input(path, &format!("`{source}`"), Some(context.stdin))?;
    // A JSON list is not a workload: it is taken for a report, as is any JSON of no known format,
    // and the report reader then says what is wrong with it.
    let format = match detect::detect(&text) {
        Some(Format::Workload) if looks_like_json(&text) => None,
        other => other,
    };
    let report = match format {
        Some(Format::Report) | None => {
            return saved::parse(&text, source.clone())
                .map_err(|e| Failure::unpriceable(anyhow!("report `{source}`: {e}")));
        }
        Some(Format::CloudFormation | Format::CdkAssembly) => {
            super::cloudformation::side_report(path, Some(&text), pricing, context)?
        }
        Some(Format::TerraformPlan) => {
            super::price::plan_text_report(path, &text, usage, pricing, (None, None), context)?
        }
        Some(Format::Workload) => {
            super::price::workload_text_report(path, &text, pricing, None, None, context)?
        }
        // Its services' definitions are not at hand: each is unpriced, saying so.
        Some(Format::Services) if path != Path::new("-") => {
            super::services::report(path, &[], pricing, None, context)?
        }
        Some(Format::TaskDefinition) if path != Path::new("-") => {
            let input =
                TaskInput { task_definition: Some(path.display().to_string()), ..TaskInput::default() };
            super::estimate::one_task_report(&input, pricing, None, context)?
        }
        Some(Format::Services | Format::TaskDefinition) => {
            return Err(Failure::usage(
                "describe-services output or a task definition is read from a file on a side of cost diff, not \
                 from standard input",
            ));
        }
    };
    Ok(Side::from_report(source, &report))
}

/// JSON rather than TOML: an object, or an array of objects or an empty one. A TOML file may
/// start with `[table]` or `[[array]]`, so a `[` alone does not make JSON.
fn looks_like_json(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with('{')
        || text.strip_prefix('[').is_some_and(|rest| rest.trim_start().starts_with(['{', ']']))
}
