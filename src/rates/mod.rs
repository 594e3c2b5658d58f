//! Rate tables: the dated, sourced prices every estimate is computed from.
//!
//! Tables ship inside the binary (one TOML file per region in `pricing/`, embedded at build time
//! as JSON of the same values, which parses faster)
//! and can be replaced with `--rates FILE`. Parsing is the edge's job; the pricing core only ever
//! sees a validated [`RateTable`].

#[cfg(test)]
pub(crate) mod fixture;
pub mod import;
mod table;

pub use crate::model::{Date, DateError};
pub use table::{
    ComputeRates, DataTransfer, Ec2Rates, EcrRates, EksRates, Fargate, Instance, Problem, Provenance,
    RateEntry, RateTable, SCHEMA_VERSION, StorageRate, Tier, WindowsRates,
};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_tables.rs"));
}

/// Why a rate table could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax { origin: String, line: usize, column: usize, message: String },
    #[error("{origin}: {first}{}", more_hint(*.more))]
    Invalid { origin: String, first: Problem, more: usize },
    #[error(
        "no embedded rate table for region `{region}`; embedded regions: {}; or pass --rates FILE",
        embedded_regions().collect::<Vec<_>>().join(", ")
    )]
    UnknownRegion { region: String },
}

fn more_hint(more: usize) -> String {
    match more {
        0 => String::new(),
        n => format!(" (and {n} more problem(s); `cost rates check FILE` lists them all)"),
    }
}

/// Where a table came from, for messages and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Shipped inside the binary, from this file of the repository.
    Embedded(&'static str),
    /// Read from a file the user named.
    File(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Embedded(file) => write!(f, "embedded {file}"),
            Origin::File(path) => f.write_str(path),
        }
    }
}

/// Parses and validates a table. Errors are one line: the origin, and the line and column of a
/// syntax error, or the first problem the table has.
pub fn parse(text: &str, origin: &Origin) -> Result<RateTable, TableError> {
    checked(parse_unchecked(text, origin)?, origin)
}

/// `table` if it has no problems, else the first of them.
fn checked(table: RateTable, origin: &Origin) -> Result<RateTable, TableError> {
    let mut problems = table.problems().into_iter();
    match problems.next() {
        None => Ok(table),
        Some(first) => Err(TableError::Invalid { origin: origin.to_string(), first, more: problems.len() }),
    }
}

/// Parses a table without judging it ([`RateTable::problems`] lists what is wrong).
pub fn parse_unchecked(text: &str, origin: &Origin) -> Result<RateTable, TableError> {
    toml::from_str(text).map_err(|err| {
        let problem = crate::input::TomlProblem::new(text, &err);
        TableError::Syntax {
            origin: origin.to_string(),
            line: problem.line,
            column: problem.column,
            message: match problem.table {
                Some(table) => format!("in {table}: {}", problem.message),
                None => problem.message,
            },
        }
    })
}

/// The embedded table for `region`, and where it came from.
pub fn embedded(region: &str) -> Result<(RateTable, Origin), TableError> {
    let (_, file, json) = embedded::TABLES
        .iter()
        .find(|(r, _, _)| *r == region)
        .ok_or_else(|| TableError::UnknownRegion { region: region.to_owned() })?;
    let origin = Origin::Embedded(file);
    // The table as build.rs converted it to JSON, the same values as its TOML. Not checked for
    // problems on every start (a tenth of a one-task run): the test suite checks every embedded
    // table (`every_embedded_table_parses_and_names_its_own_region`).
    let table = serde_json::from_str(json).map_err(|e| TableError::Syntax {
        origin: origin.to_string(),
        line: e.line(),
        column: e.column(),
        message: format!("(as converted to JSON at build time) {e}"),
    })?;
    Ok((table, origin))
}

/// Every embedded region, sorted.
pub fn embedded_regions() -> impl Iterator<Item = &'static str> {
    embedded::TABLES.iter().map(|(region, _, _)| *region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_table_parses_and_names_its_own_region() {
        let regions: Vec<_> = embedded_regions().collect();
        assert_eq!(regions.len(), 22, "the 22 regions with published Fargate rates");
        for region in regions {
            let (table, _) = embedded(region).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(table.problems(), [], "{region}");
            assert_eq!(table.region, region);
            assert!(table.fargate.linux_x86_64.is_some(), "{region} lacks Linux x86 rates");
        }
    }

    #[test]
    fn the_embedded_json_is_the_toml_table() {
        // build.rs converts pricing/*.toml to JSON; the runtime reads that. Both must give the
        // same table as reading the TOML itself, which is what `--rates FILE` does.
        for region in embedded_regions() {
            let (from_json, origin) = embedded(region).unwrap();
            let file = format!("{}/pricing/{region}.toml", env!("CARGO_MANIFEST_DIR"));
            let from_toml = parse(&std::fs::read_to_string(&file).unwrap(), &origin).unwrap();
            assert_eq!(format!("{from_json:?}"), format!("{from_toml:?}"), "{region}");
        }
    }

    #[test]
    fn unknown_region_names_the_known_ones() {
        let err = embedded("mars-north-1").unwrap_err().to_string();
        assert!(
            err.contains("mars-north-1") && err.contains("us-east-1") && err.contains("--rates"),
            "{err}"
        );
    }

    const MINIMAL: &str = "schema_version = 1\nregion = \"xx-test-1\"\nlocation = \"Test\"\n";

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let text = format!("{MINIMAL}[fargate.linux_x86_64]\nvcpu_hour = = 1\n");
        let err = parse(&text, &Origin::File("t.toml".into())).unwrap_err();
        assert!(matches!(err, TableError::Syntax { line: 5, .. }), "{err}");
        assert!(!err.to_string().contains('\n'));
    }

    #[test]
    fn rates_must_be_exact() {
        let float = format!(
            "{MINIMAL}[fargate.linux_x86_64]\neffective = \"2026-01-01\"\nsource = \"s\"\nvcpu_hour = 0.04048\ngb_hour = \"0.004445\"\n"
        );
        let err = parse(&float, &Origin::File("t.toml".into())).unwrap_err().to_string();
        assert!(err.contains("quoted decimal string"), "{err}");
        let exact_float = float.replace("0.04048", "0.5");
        let table = parse(&exact_float, &Origin::File("t.toml".into())).unwrap();
        assert_eq!(table.fargate.linux_x86_64.unwrap().vcpu_hour.0.to_string(), "0.5");
    }

    #[test]
    fn unknown_keys_and_bad_dates_are_rejected() {
        let unknown = format!("{MINIMAL}colour = \"red\"\n");
        assert!(parse(&unknown, &Origin::File("t.toml".into())).unwrap_err().to_string().contains("colour"));
        let bad_date = format!(
            "{MINIMAL}[fargate.ephemeral_storage]\neffective = \"2026-02-30\"\nsource = \"s\"\ngb_hour = \"1\"\n"
        );
        assert!(
            parse(&bad_date, &Origin::File("t.toml".into())).unwrap_err().to_string().contains("2026-02-30")
        );
    }

    fn problems_of(extra: &str) -> Vec<String> {
        let table: RateTable = toml::from_str(&format!("{MINIMAL}{extra}")).unwrap();
        table.problems().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn finds_negative_rates_and_broken_tiers() {
        let negative =
            "[fargate.ephemeral_storage]\neffective = \"2026-01-01\"\nsource = \"s\"\ngb_hour = \"-0.1\"\n";
        assert_eq!(
            problems_of(negative),
            ["`fargate.ephemeral_storage.gb_hour`: is negative (-0.1); rates are zero or more"]
        );
        let tiers =
            |t: &str| format!("[data_transfer]\neffective = \"2026-01-01\"\nsource = \"s\"\ntiers = [{t}]\n");
        assert!(problems_of(&tiers(""))[0].contains("is empty"));
        assert!(problems_of(&tiers("{ up_to_gb = \"10\", per_gb = \"1\" }, { up_to_gb = \"5\", per_gb = \"1\" }, { per_gb = \"1\" }"))[0].contains("ascend"));
        assert!(
            problems_of(&tiers("{ per_gb = \"1\" }, { per_gb = \"1\" }"))[0].contains("only the last tier")
        );
        assert!(problems_of(&tiers("{ up_to_gb = \"10\", per_gb = \"1\" }"))[0].contains("open-ended"));
        assert!(
            problems_of(&tiers("{ up_to_gb = \"10\", per_gb = \"1\" }, { per_gb = \"0.5\" }")).is_empty()
        );
    }

    #[test]
    fn finds_bad_schema_version_and_region() {
        let table: RateTable =
            toml::from_str("schema_version = 2\nregion = \"Virginia\"\nlocation = \"x\"\n").unwrap();
        let problems = table.problems();
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].key, "schema_version");
        assert_eq!(problems[1].key, "region");
    }
}
