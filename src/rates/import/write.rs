//! The imported prices as a rate table in the project's TOML layout (the same as `pricing/`).

use std::fmt::Write as _;

use super::collect::{ImportError, Origin, Region};

/// The groups of single prices a table has, with the fields each needs.
const GROUPS: [(&str, &[&str], &str); 6] = [
    ("fargate.linux_x86_64", &["vcpu_hour", "gb_hour"], "Fargate Linux x86_64"),
    ("fargate.linux_arm64", &["vcpu_hour", "gb_hour"], "Fargate Linux arm64"),
    ("fargate.windows_x86_64", &["vcpu_hour", "gb_hour", "os_license_vcpu_hour"], "Fargate Windows"),
    ("fargate.ephemeral_storage", &["gb_hour"], "Fargate ephemeral storage above 20 GB"),
    ("eks", &["cluster_hour_standard"], "EKS cluster fee (standard support)"),
    ("eks", &["cluster_hour_extended"], "EKS cluster fee (extended support)"),
];

/// Writes the table for `code`. `location` names the region where the files do not.
pub fn to_toml(code: &str, region: &Region, location: Option<&str>) -> Result<String, ImportError> {
    let location = region.location.as_deref().or(location).unwrap_or(code);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# cost rate table: {location}, imported by `cost rates import` from AWS Price List files."
    );
    let _ =
        writeln!(out, "# Every rate is USD, a quoted decimal string, with the date and file it came from.");
    let _ = writeln!(
        out,
        "# Fargate Spot is not in the price list files: copy [fargate.spot_*] from a shipped table if needed."
    );
    let _ = writeln!(out, "schema_version = 1\nregion = {}\nlocation = {}", quote(code), quote(location));
    let mut eks_written = false;
    for (section, fields, what) in GROUPS {
        if section == "eks" {
            if eks_written {
                continue;
            }
            eks_written = true;
        }
        let fields: Vec<&str> = if section == "eks" {
            vec!["cluster_hour_standard", "cluster_hour_extended"]
        } else {
            fields.to_vec()
        };
        let found: Vec<(&str, &super::collect::Price)> =
            fields.iter().filter_map(|f| region.prices.get(&(section, *f)).map(|p| (*f, p))).collect();
        let required = if section == "eks" { 1 } else { fields.len() };
        if found.len() < required
            || (section == "eks" && !region.prices.contains_key(&(section, "cluster_hour_standard")))
        {
            if !found.is_empty() {
                let missing: Vec<&str> =
                    fields.iter().copied().filter(|f| !found.iter().any(|(g, _)| g == f)).collect();
                let _ = writeln!(out, "\n# {what}: left out, the files lack {}", missing.join(", "));
            }
            continue;
        }
        let origin = combined(found.iter().map(|(_, p)| &p.origin));
        let _ = writeln!(out, "\n[{section}]");
        write_origin(&mut out, &origin);
        for (field, price) in found {
            let _ = writeln!(out, "{field} = {}", quote(&price.value.to_string()));
        }
    }
    if let Some((bands, origin)) = &region.transfer {
        if contiguous(bands) {
            let _ = writeln!(out, "\n[data_transfer]");
            write_origin(&mut out, origin);
            out.push_str("tiers = [\n");
            for band in bands {
                match band.end {
                    Some(end) => {
                        let _ = writeln!(
                            out,
                            "  {{ up_to_gb = {}, per_gb = {} }},",
                            quote(&end.to_string()),
                            quote(&band.value.to_string())
                        );
                    }
                    None => {
                        let _ = writeln!(out, "  {{ per_gb = {} }},", quote(&band.value.to_string()));
                    }
                }
            }
            out.push_str("]\n");
        } else {
            let _ =
                writeln!(out, "\n# Data transfer out: left out, the tiers in the files are not contiguous");
        }
    }
    if !region.ec2.is_empty() {
        let origin = combined(region.ec2.values().map(|t| &t.origin));
        let _ = writeln!(out, "\n[ec2]");
        write_origin(&mut out, &origin);
        for (name, t) in &region.ec2 {
            let _ = writeln!(
                out,
                "\n[ec2.instances.{}]\nvcpu = {}\nmemory_gib = {}\narch = {}\nhourly = {}",
                quote(name),
                t.vcpu,
                quote(&t.memory_gib.normalize().to_string()),
                quote(t.arch.as_str()),
                quote(&t.hourly.to_string())
            );
        }
    }
    Ok(out)
}

/// One origin for a group: its oldest date, and every distinct source.
fn combined<'a>(origins: impl Iterator<Item = &'a Origin>) -> Origin {
    let mut date = None;
    let mut sources: Vec<&str> = Vec::new();
    for origin in origins {
        date = Some(date.map_or(origin.date, |d: crate::model::Date| d.min(origin.date)));
        if !sources.contains(&origin.source.as_str()) {
            sources.push(&origin.source);
        }
    }
    Origin {
        date: date.unwrap_or_else(|| crate::model::Date::new(1970, 1, 1).expect("a valid date")),
        source: sources.join("; "),
    }
}

fn write_origin(out: &mut String, origin: &Origin) {
    let _ = writeln!(out, "effective = {}", quote(&origin.date.to_string()));
    let _ = writeln!(out, "source = {}", quote(&format!("AWS Price List: {}", origin.source)));
}

/// Bands that start at 0, follow each other without gaps, and end open.
fn contiguous(bands: &[super::collect::Band]) -> bool {
    let mut at = rust_decimal::Decimal::ZERO;
    for (i, band) in bands.iter().enumerate() {
        if band.begin != at {
            return false;
        }
        match band.end {
            Some(end) if end > at => at = end,
            None => return i + 1 == bands.len(),
            Some(_) => return false,
        }
    }
    false
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
