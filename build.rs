//! Embeds every rate table in `pricing/` into the binary, sorted by region, so adding a table is
//! adding a file. Only the table a run needs is parsed, at run time.

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
    let mut code = String::from(
        "/// Embedded rate tables: (region, file name, TOML text), sorted by region.\npub static TABLES: &[(&str, &str, &str)] = &[\n",
    );
    for (region, path) in &tables {
        writeln!(code, "    ({region:?}, \"pricing/{region}.toml\", include_str!({path:?})),")
            .expect("writing to a String");
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_tables.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
