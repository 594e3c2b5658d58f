//! The house's rule: a module of `src/` uses only the modules below it in the flow, so there are
//! no import cycles (docs/development.md, "Source layout"). Each file's code before its
//! `#[cfg(test)]` part is read for `crate::MODULE` paths.

use std::path::Path;

/// Bottom to top.
const LAYERS: [&str; 8] = ["money", "model", "input", "rates", "report", "pricing", "render", "cli"];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|m| *m == module)
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_the_modules_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for layer in LAYERS {
        let mut paths = Vec::new();
        let dir = src.join(layer);
        assert!(dir.is_dir(), "no src/{layer}/");
        files(&dir, &mut paths);
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (at, _) in code.match_indices("crate::") {
                let used: String =
                    code[at + 7..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if let (Some(user), Some(used_rank)) = (rank(layer), rank(&used))
                    && used_rank > user
                {
                    found.push(format!("{} uses crate::{used}", path.strip_prefix(&src).unwrap().display()));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    assert!(found.is_empty(), "modules that use a module above them:\n{}", found.join("\n"));
    // Nothing but the layers, the binary and the library's root at the top of src/.
    for entry in std::fs::read_dir(&src).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let module = name.trim_end_matches(".rs");
        assert!(
            rank(module).is_some() || name == "main.rs" || name == "lib.rs",
            "src/{name} is outside the layers"
        );
    }
}

/// clap stays at the edge: the library's types take plain values, and only `cli/` knows flags.
#[test]
fn only_the_cli_uses_clap() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&src, &mut paths);
    let mut found: Vec<String> = paths
        .iter()
        .filter(|path| !path.starts_with(src.join("cli")))
        .filter(|path| std::fs::read_to_string(path).unwrap().contains("clap::"))
        .map(|path| path.strip_prefix(&src).unwrap().display().to_string())
        .collect();
    found.sort();
    assert!(found.is_empty(), "files outside src/cli/ that use clap: {}", found.join(", "));
}
