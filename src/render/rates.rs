//! `cost rates list` and `cost rates show`: what the tables hold, for people and for scripts.

use std::fmt::Write as _;

use serde::Serialize;

use super::table::{amounts, new_table, styled};
use super::{Document, RenderError, TableStyle, markdown::escape};
use crate::rates::{Date, Origin, RateEntry, RateTable};

/// One region in `rates list`.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    region: &'a str,
    location: &'a str,
    /// The newest and oldest source dates in the table.
    effective: Option<Date>,
    oldest: Option<Date>,
    sections: Vec<&'static str>,
    ec2_instance_types: usize,
}

fn summary(table: &RateTable) -> Summary<'_> {
    let provenances = table.provenances();
    Summary {
        region: &table.region,
        location: &table.location,
        effective: table.effective(),
        oldest: provenances.iter().map(|(_, p)| p.effective).min(),
        sections: provenances.iter().map(|(s, _)| *s).collect(),
        ec2_instance_types: table.ec2.as_ref().map_or(0, |e| e.instances.len()),
    }
}

/// Short names for sections, for the `rates list` table (JSON has the full section names).
fn short(section: &str) -> &str {
    match section {
        "fargate.linux_x86_64" => "x86",
        "fargate.linux_arm64" => "arm64",
        "fargate.windows_x86_64" => "windows",
        "fargate.spot_x86_64" => "spot",
        "fargate.spot_arm64" => "spot-arm64",
        "fargate.ephemeral_storage" => "storage",
        "data_transfer" => "transfer",
        other => other,
    }
}

/// `rates list`: one summary per table.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct List<'a>(Vec<Summary<'a>>);

pub fn list(tables: &[RateTable]) -> List<'_> {
    List(tables.iter().map(summary).collect())
}

fn date(date: Option<Date>) -> String {
    date.map_or_else(String::new, |d| d.to_string())
}

/// The sections a table has, by their short names (with the number of EC2 instance types).
fn components(s: &Summary<'_>) -> String {
    let names: Vec<String> = s
        .sections
        .iter()
        .map(|x| match *x {
            "ec2" => format!("ec2:{}", s.ec2_instance_types),
            other => short(other).to_owned(),
        })
        .collect();
    names.join(" ")
}

impl Document for List<'_> {
    fn table(&self, style: TableStyle) -> String {
        let mut table = new_table(style);
        table.set_header(["region", "newest", "oldest", "components"].map(|h| styled(h, style)));
        for s in &self.0 {
            table.add_row([s.region.to_owned(), date(s.effective), date(s.oldest), components(s)]);
        }
        format!("{table}\n")
    }

    fn markdown(&self) -> String {
        let mut out =
            String::from("| Region | Location | Newest | Oldest | Components |\n|---|---|---|---|---|\n");
        for s in &self.0 {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                s.region,
                escape(s.location),
                date(s.effective),
                date(s.oldest),
                escape(&components(s))
            );
        }
        out
    }

    fn csv(&self) -> Result<String, RenderError> {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record(["region", "location", "newest", "oldest", "components"])?;
        for s in &self.0 {
            w.write_record([s.region, s.location, &date(s.effective), &date(s.oldest), &components(s)])?;
        }
        let bytes = w.into_inner().map_err(|e| ::csv::Error::from(e.into_error()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// A whole table in `rates show`.
#[derive(Debug, Serialize)]
pub struct Shown<'a> {
    region: &'a str,
    location: &'a str,
    source: String,
    sections: Vec<ShownSection<'a>>,
}

#[derive(Debug, Serialize)]
struct ShownSection<'a> {
    section: &'static str,
    effective: Date,
    source: &'a str,
    rates: Vec<RateEntry>,
}

fn shown<'a>(table: &'a RateTable, origin: &Origin) -> Shown<'a> {
    let entries = table.entries();
    let sections = table
        .provenances()
        .into_iter()
        .map(|(section, p)| ShownSection {
            section,
            effective: p.effective,
            source: p.source,
            rates: entries.iter().filter(|e| e.section == section).cloned().collect(),
        })
        .collect();
    Shown { region: &table.region, location: &table.location, source: origin.to_string(), sections }
}

/// `rates show`: the whole table, section by section.
pub fn show<'a>(table: &'a RateTable, origin: &Origin) -> Shown<'a> {
    shown(table, origin)
}

/// A rate's key within its section.
fn key(e: &RateEntry) -> String {
    e.key.strip_prefix(e.section).map_or(e.key.clone(), |k| k.trim_start_matches('.').to_owned())
}

impl Document for Shown<'_> {
    fn table(&self, style: TableStyle) -> String {
        let mut out = format!("{} ({}), {}\n", self.region, self.location, self.source);
        for section in &self.sections {
            let _ = writeln!(
                out,
                "\n[{}] effective {}\nsource: {}",
                section.section, section.effective, section.source
            );
            let mut table = new_table(style);
            table.set_header(["rate", "USD", "unit"].map(|h| styled(h, style)));
            for e in &section.rates {
                table.add_row([key(e), e.value.normalize().to_string(), e.unit.clone()]);
            }
            amounts(&mut table, [1]);
            let _ = writeln!(out, "{table}");
        }
        out
    }

    fn markdown(&self) -> String {
        let mut out = format!(
            "**{} ({})**, {}\n\n| Section | Rate | USD | Unit | Effective | Source |\n|---|---|--:|---|---|---|\n",
            self.region,
            escape(self.location),
            escape(&self.source)
        );
        for s in &self.sections {
            for e in &s.rates {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    s.section,
                    escape(&key(e)),
                    e.value.normalize(),
                    escape(&e.unit),
                    s.effective,
                    escape(s.source)
                );
            }
        }
        out
    }

    fn csv(&self) -> Result<String, RenderError> {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record(["section", "key", "usd", "unit", "effective", "source"])?;
        for s in &self.sections {
            for e in &s.rates {
                let value = e.value.normalize().to_string();
                w.write_record([s.section, &e.key, &value, &e.unit, &s.effective.to_string(), s.source])?;
            }
        }
        let bytes = w.into_inner().map_err(|e| ::csv::Error::from(e.into_error()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
