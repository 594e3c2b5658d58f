//! `cost rates list | show REGION | check FILE`: what the embedded tables hold, and whether a
//! table file is sound.

use std::io::Write;
use std::path::Path;

use anyhow::anyhow;

use super::load::{read_input, table_style};
use super::{Context, Exit, Failure, RatesCommand, exit, write_out};
use crate::rates::{self, Origin, TableError};
use crate::render;

pub fn run(command: &RatesCommand, context: &Context<'_>, out: &mut dyn Write) -> Result<Exit, Failure> {
    let style = table_style(context);
    let text = match command {
        RatesCommand::List { format } => {
            let mut tables = Vec::new();
            for region in rates::embedded_regions() {
                tables.push(rates::embedded(region).map_err(Failure::unpriceable)?.0);
            }
            render::rates::list(&tables, *format, style).map_err(Failure::unpriceable)?
        }
        RatesCommand::Show { region, format } => {
            let (table, origin) = rates::embedded(region).map_err(Failure::unpriceable)?;
            render::rates::show(&table, &origin, *format, style).map_err(Failure::unpriceable)?
        }
        RatesCommand::Check { file } => return check(file, context, out),
    };
    write_out(out, text.as_bytes())?;
    Ok(Exit { code: exit::SUCCESS, stderr: None })
}

/// Every problem on its own line on stdout (`key: message`), and one line on stderr saying how
/// many; or `FILE: ok, ...` and exit 0.
fn check(file: &Path, context: &Context<'_>, out: &mut dyn Write) -> Result<Exit, Failure> {
    let shown = if file == Path::new("-") { "standard input".to_owned() } else { file.display().to_string() };
    let text = read_input(file, &format!("rate table `{shown}`"), context)?;
    let origin = Origin::File(shown.clone());
    let problems: Vec<String> = match rates::parse_unchecked(&text, &origin) {
        Err(TableError::Syntax { line, column, message, .. }) => {
            vec![format!("{shown}:{line}:{column}: {message}")]
        }
        Err(other) => return Err(Failure::unpriceable(anyhow!(other))),
        Ok(table) => {
            let problems = table.problems();
            if problems.is_empty() {
                let sections = table.provenances().len();
                let summary = format!(
                    "{shown}: ok: {} ({}), {} rates in {sections} sections, effective {}\n",
                    table.region,
                    table.location,
                    table.entries().len(),
                    table.effective().map_or_else(|| "undated".to_owned(), |d| d.to_string())
                );
                write_out(out, summary.as_bytes())?;
                return Ok(Exit { code: exit::SUCCESS, stderr: None });
            }
            problems.iter().map(|p| format!("{shown}: {p}")).collect()
        }
    };
    let mut listing = problems.join("\n");
    listing.push('\n');
    write_out(out, listing.as_bytes())?;
    let line = format!("error: {shown} has {} problem(s), listed on stdout", problems.len());
    Ok(Exit { code: exit::UNPRICEABLE, stderr: Some(line) })
}
