//! `cost diff OLD NEW`: the cost change between two workload files or JSON reports.

use std::io::Write;
use std::path::Path;

use anyhow::anyhow;

use super::load::{self, read_input, table_style};
use super::{Context, DiffArgs, Exit, Failure, PricingArgs, exit, write_out};
use crate::diff::{self, Limit, Side};
use crate::input::report;
use crate::money::format_usd;
use crate::render;

pub fn run(args: &DiffArgs, context: &Context<'_>, out: &mut dyn Write) -> Result<Exit, Failure> {
    let stdin = Path::new("-");
    if args.old == stdin && args.new == stdin {
        return Err(Failure::usage("only one of OLD and NEW can be read from standard input (-)"));
    }
    let old = side(&args.old, &args.pricing, context)?;
    let new = side(&args.new, &args.pricing, context)?;
    let diff = diff::diff(&old, &new, args.max_increase).map_err(Failure::unpriceable)?;
    let text =
        render::diff::render(&diff, args.format, table_style(context)).map_err(Failure::unpriceable)?;
    write_out(out, text.as_bytes())?;
    Ok(match diff.max_increase.filter(|m| m.exceeded) {
        None => Exit { code: exit::SUCCESS, stderr: None },
        Some(max) => {
            let limit = match max.limit {
                Limit::Usd(usd) => format_usd(usd),
                Limit::Percent(p) => format!("{}%", p.normalize()),
            };
            let line = format!(
                "cost increase too large: the total rises by {} ({}), more than --max-increase {limit}",
                render::diff::signed_usd(diff.total.delta),
                render::diff::signed_percent(diff.total.percent)
            );
            Exit { code: exit::OVER_BUDGET, stderr: Some(line) }
        }
    })
}

/// One side: a JSON report (text starting with `{`) or a workload file, priced now.
fn side(path: &Path, pricing: &PricingArgs, context: &Context<'_>) -> Result<Side, Failure> {
    let source =
        if path == Path::new("-") { "standard input".to_owned() } else { path.display().to_string() };
    let text = read_input(path, &format!("`{source}`"), context)?;
    if text.trim_start().starts_with('{') {
        report::parse(&text, source.clone())
            .map_err(|e| Failure::unpriceable(anyhow!("report `{source}`: {e}")))
    } else {
        let report = load::workload_text_report(path, &text, pricing, None, context)?;
        Ok(Side::from_report(source, &report))
    }
}
