//! Embeds every rate table in `pricing/` into the binary, sorted by region, so adding a table is
//! adding a file. Each is converted here from TOML to JSON of the same values: at run time only the
//! table a run needs is parsed, and JSON parses in a fraction of the time TOML takes (callgrind,
//! `cost estimate --vcpu 1 --memory 2`: the us-east-1 table took 424,000 instructions as TOML, about
//! 30% of the whole run). The embedded tables hold only strings, integers, tables and arrays of
//! tables (rates are quoted decimal strings, dates quoted too), so the conversion is exact; a float
//! or a TOML date in one stops the build.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let dir =
        Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("pricing");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut tables: Vec<(String, String)> = fs::read_dir(&dir)
        .expect("pricing/ holds the rate tables")
        .map(|entry| entry.expect("readable pricing/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .map(|path| {
            println!("cargo:rerun-if-changed={}", path.display());
            let region = path.file_stem().expect("a file name").to_string_lossy().into_owned();
            (region, path.display().to_string())
        })
        .collect();
    tables.sort();
    // The newest `effective` date of any table, for `cost --version`.
    let newest = tables
        .iter()
        .filter_map(|(_, path)| fs::read_to_string(path).ok())
        .flat_map(|text| {
            text.lines()
                .filter_map(|l| {
                    l.trim().strip_prefix("effective = \"").and_then(|r| r.get(..10)).map(str::to_owned)
                })
                .collect::<Vec<_>>()
        })
        .max()
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=COST_RATES_NEWEST={newest}");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut code = String::from(
        "/// Embedded rate tables: (region, file name, the table as JSON), sorted by region.\npub static TABLES: &[(&str, &str, &str)] = &[\n",
    );
    for (region, path) in &tables {
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        exact(&value, path);
        let json = Path::new(&out_dir).join(format!("{region}.json"));
        fs::write(&json, serde_json::to_string(&value).expect("TOML values convert to JSON"))
            .expect("OUT_DIR is writable");
        writeln!(code, "    ({region:?}, \"pricing/{region}.toml\", include_str!({:?})),", json.display())
            .expect("writing to a String");
    }
    code.push_str("];\n");
    fs::write(Path::new(&out_dir).join("embedded_tables.rs"), code).expect("OUT_DIR is writable");
}

/// Stops the build if `value` holds a float or a date, which would not convert to JSON exactly.
fn exact(value: &toml::Value, path: &str) {
    match value {
        toml::Value::String(_) | toml::Value::Integer(_) | toml::Value::Boolean(_) => {}
        toml::Value::Float(f) => {
            panic!("{path}: the embedded tables write numbers as quoted decimal strings, found the float {f}")
        }
        toml::Value::Datetime(d) => {
            panic!("{path}: the embedded tables write dates as quoted strings, found the TOML date {d}")
        }
        toml::Value::Array(items) => items.iter().for_each(|v| exact(v, path)),
        toml::Value::Table(table) => table.values().for_each(|v| exact(v, path)),
    }
}
