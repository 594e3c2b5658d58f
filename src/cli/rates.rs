//! `cost rates list | show REGION | check FILE`: what the embedded tables hold, and whether a
//! table file is sound.

use std::io::{self, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::anyhow;

use super::files::{self, Kinds, read_input, write_atomically};
use super::load::table_style;
use super::{Context, Exit, Failure, RatesCommand, exit, write_out};
use crate::rates::import::{self, Collected};
use crate::rates::{self, Origin, TableError};
use crate::render;

pub fn run(command: &RatesCommand, context: &Context<'_>, out: &mut dyn Write) -> Result<Exit, Failure> {
    let style = table_style(context);
    let text = match command {
        RatesCommand::List { format } => {
            let mut tables = Vec::new();
            for region in rates::embedded_regions() {
                tables.push(rates::embedded(region)?.0);
            }
            render::render(&render::rates::list(&tables), *format, style)?
        }
        RatesCommand::Show { region, format } => {
            let (table, origin) = rates::embedded(region)?;
            render::render(&render::rates::show(&table, &origin), *format, style)?
        }
        RatesCommand::Check { file } => return check(file, context, out),
        RatesCommand::Import { files, region, out: path } => {
            return import(files, region.as_deref(), path.as_deref(), out);
        }
    };
    write_out(out, text.as_bytes())?;
    Ok(Exit { code: exit::SUCCESS, stderr: None })
}

/// Every problem on its own line on stdout (`key: message`), and one line on stderr saying how
/// many; or `FILE: ok, ...` and exit 0.
fn check(file: &Path, context: &Context<'_>, out: &mut dyn Write) -> Result<Exit, Failure> {
    let shown = if file == Path::new("-") { "standard input".to_owned() } else { file.display().to_string() };
    let text = read_input(file, &format!("rate table `{shown}`"), Some(context.stdin))?;
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
                    "{shown}: ok: {} ({}), {} rate(s) in {sections} section(s), effective {}\n",
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

/// Reads every file into one collection, writes the region's table to `target` (atomically) or
/// stdout, after checking it parses back as a valid table.
fn import(
    files: &[PathBuf],
    region: Option<&str>,
    target: Option<&Path>,
    out: &mut dyn Write,
) -> Result<Exit, Failure> {
    let locations: Vec<(String, String)> = rates::embedded_regions()
        .filter_map(|code| rates::embedded(code).ok().map(|(t, _)| (t.location, code.to_owned())))
        .collect();
    let region_of = |location: &str| locations.iter().find(|(l, _)| l == location).map(|(_, c)| c.clone());
    let mut collected = Collected::default();
    for file in files {
        let shown = file.display().to_string();
        // Streamed, so no size bound; but read to its end, so a regular file only.
        let (opened, metadata) = files::open(
            file,
            &format!("`{shown}`"),
            Kinds::Regular,
            "give a price list file (a regular file)",
        )?;
        let size = metadata.len();
        let reader = Progress::new(BufReader::with_capacity(256 * 1024, opened), &shown, size);
        import::read_price_list(reader, &shown, &region_of, &mut collected)?;
    }
    let named = files.iter().map(|f| format!("`{}`", f.display())).collect::<Vec<_>>().join(", ");
    let (code, found) = collected.choose(region).map_err(|e| anyhow!("{named}: {e}"))?;
    let fallback = locations.iter().find(|(_, c)| c == code).map(|(l, _)| l.as_str());
    let text = import::to_toml(code, found, fallback)?;
    let origin = Origin::File("the imported table".into());
    let table = rates::parse(&text, &origin).map_err(|e| anyhow!("the imported table is not valid: {e}"))?;
    match target {
        None => write_out(out, text.as_bytes())?,
        Some(path) => {
            write_atomically(path, text.as_bytes())?;
            let summary = format!(
                "wrote {}: {} ({}), {} rate(s) in {} section(s)\n",
                path.display(),
                table.region,
                table.location,
                table.entries().len(),
                table.provenances().len()
            );
            write_out(out, summary.as_bytes())?;
        }
    }
    Ok(Exit { code: exit::SUCCESS, stderr: None })
}

/// Passes reads through, and on a terminal shows how far through a large file the import is.
struct Progress<R> {
    inner: R,
    name: String,
    size: u64,
    read: u64,
    shown: u64,
    on_terminal: bool,
}

impl<R> Progress<R> {
    /// Progress shows for files over 64 MB when stderr is a terminal.
    fn new(inner: R, name: &str, size: u64) -> Self {
        let on_terminal = size > 64 << 20 && io::stderr().is_terminal();
        Progress { inner, name: name.to_owned(), size, read: 0, shown: 0, on_terminal }
    }
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.on_terminal && (self.read - self.shown >= 16 << 20 || (n == 0 && self.shown != self.read)) {
            self.shown = self.read;
            let mb = |b: u64| b >> 20;
            let _ =
                write!(io::stderr(), "\rimporting {}: {} of {} MB", self.name, mb(self.read), mb(self.size));
            if n == 0 {
                let _ = writeln!(io::stderr());
            }
        }
        Ok(n)
    }
}
