//! `cost estimate --batch FILE|-`: JSON Lines in, one priced item per line out, in input order.
//! Memory stays flat: the input is read in blocks, cut into chunks of lines, and each chunk is
//! priced and written before the reading gets far ahead; the rate table is loaded once.
//!
//! Chunks are priced on every core the machine offers (each line is independent), and written in
//! input order as they complete. When the input is a stream (standard input, a pipe), whenever no
//! whole line is left in what was read, everything read so far is priced, written and flushed
//! before reading on (a read may wait for the stream's writer), so a stream written a little at a
//! time gets each answer as soon as its line is in. A regular file's reads never wait, so its
//! chunks keep flowing to the pricing threads across reads. The input is read in blocks of up to
//! 1 MiB; a pipe gives at most 64 KiB a read.
//!
//! Each line is its own estimate (its data transfer starts at the first tier). A bad line (not a
//! task, not UTF-8, or longer than 1 MiB: `lines::MAX_LINE_BYTES`) stops the run with an error
//! naming its line number (what was written before stays valid), or with `--keep-going` becomes
//! `{"line": N, "error": "..."}` and the run goes on, exiting 1 at the end. A task that cannot be
//! priced becomes `{"line": N, "unpriced": {...}}` and the run goes on; the exit is then the
//! verdict of `docs/coverage.md`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::ops::Range;
use std::path::Path;
use std::sync::{Mutex, mpsc};

use anyhow::anyhow;
use rust_decimal::Decimal;

use super::files::{self, FileId, Kinds};
use super::load::{self, load_table};
use super::{Context, EstimateArgs, Exit, Failure, exit, write_out};
use crate::model::Unpriced;
use crate::money;
use crate::render::{self, Format};
use crate::report::Overrun;
use lines::{Fault, Lines};
use price::Pricer;

mod lines;
mod price;

/// Lines per chunk: small enough that the cores finish a block of input together (a 1 MiB block
/// holds thousands of lines), large enough that handing chunks between threads costs little.
/// Interleaved whole-process runs on 1 M lines (min/median ms): 128 lines 760/805 and 804/829,
/// 512 lines 707/747 and 747/758; 2,048 lines gained 2% more for four times the memory. With the
/// lines priced faster, handing over 512 at a time cost more: 512 lines 493/502, 1,024 lines
/// 483/489, 2,048 lines 482/498 (peak resident memory 10.0 MB at 512 lines, 13.5 MB at 1,024).
const CHUNK_LINES: usize = 1024;

/// The most the input is read at a time.
const READ_BYTES: usize = 1 << 20;

/// Chunks being priced at once, per pricing thread: bounds the memory a fast reader can use.
const IN_FLIGHT_PER_THREAD: usize = 4;

/// Input being priced or waiting to be written at once, in bytes: with long lines, a chunk holds
/// up to a block and a line (2 MiB), and the chunk count alone would let memory grow with the
/// number of threads. Short lines never reach it (1,024 lines of 80 bytes are 80 KiB a chunk).
const IN_FLIGHT_BYTES: usize = 8 << 20;

pub fn run(
    path: &Path,
    args: &EstimateArgs,
    context: &Context<'_>,
    out: &mut dyn Write,
) -> Result<Exit, Failure> {
    if args.format.is_some_and(|f| f != Format::Json) {
        return Err(Failure::usage("--batch writes JSON Lines; drop --format or use --format json"));
    }
    let region = args.pricing.region.as_deref().map(|r| (r, "--region"));
    let (table, origin) = load_table(region, args.pricing.rates.as_deref(), context)?;
    let label =
        if path == Path::new("-") { "standard input".to_owned() } else { format!("`{}`", path.display()) };
    // Read in large blocks (a pipe gives up to 64 KiB a read): the pricing threads wait for
    // each other only where a block ends.
    // What the input is, so that no line reads it as its task definition.
    let (input, waits, input_id): (Box<dyn BufRead>, bool, _) = if path == Path::new("-") {
        (Box::new(BufReader::with_capacity(READ_BYTES, (context.stdin)())), true, FileId::stdin())
    } else {
        let accepted = "give a regular file, a named pipe, a terminal, or - for standard input";
        let (file, metadata) = files::open(path, &format!("batch {label}"), Kinds::Stream, accepted)?;
        // A named pipe or a terminal may wait for its writer; only a regular file never does.
        let waits = !metadata.is_file();
        (Box::new(BufReader::with_capacity(READ_BYTES, file)), waits, FileId::of(&metadata))
    };
    let pricer = Pricer {
        table: &table,
        origin: &origin,
        options: load::options(&args.pricing),
        keep_going: args.keep_going,
        input: input_id,
    };
    let mut batch = Batch {
        lines: Lines::new(input, (waits, args.keep_going), &label),
        out,
        tally: Tally::default(),
        label: &label,
        spare: Vec::new(),
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
    if threads == 1 {
        loop {
            if batch.lines.may_wait() {
                batch.flush()?;
            }
            let spare = batch.spare.pop().unwrap_or_default();
            let Some(mut chunk) = batch.lines.next_chunk(spare)? else { break };
            pricer.price_chunk(&mut chunk);
            batch.write(chunk)?;
        }
    } else {
        batch.run_parallel(&pricer, threads)?;
    }
    batch.flush()?;
    Ok(batch.tally.exit(args.budget, args.allow_unpriced))
}

/// The run's reading, writing and tally, on the calling thread.
struct Batch<'a> {
    lines: Lines<'a>,
    out: &'a mut dyn Write,
    tally: Tally,
    label: &'a str,
    /// Chunks written, kept for their buffers: in a long run nothing is allocated per chunk.
    spare: Vec<Chunk>,
}

impl Batch<'_> {
    /// Reads chunks and hands them to `threads` pricing threads through one queue, each thread
    /// taking the next chunk when it is free (cores may run at different speeds: on this 2-vCPU
    /// VM one ran a batch 40% slower than the other, and handing chunks out in turn made the
    /// faster thread wait for the slower), writing the priced chunks in input order. At most
    /// `IN_FLIGHT_PER_THREAD × threads` chunks are out at once; before a read that may wait,
    /// everything out is waited for, written and flushed.
    fn run_parallel(&mut self, pricer: &Pricer<'_>, threads: usize) -> Result<(), Failure> {
        let (done, finished) = mpsc::channel::<Chunk>();
        let (work, todo) = mpsc::channel::<Chunk>();
        let todo = Mutex::new(todo);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                let done = done.clone();
                let todo = &todo;
                // Ends when the reading side hangs up (all read, or stopped by an error).
                scope.spawn(move || {
                    loop {
                        // The lock is held only while taking a chunk (or waiting for one).
                        let next = todo.lock().map(|queue| queue.recv());
                        let Ok(Ok(mut chunk)) = next else { break };
                        pricer.price_chunk(&mut chunk);
                        if done.send(chunk).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(done);
            let result = self.feed(&work, &finished, threads * IN_FLIGHT_PER_THREAD);
            // Hanging up stops the threads after at most the chunks already taken.
            drop(work);
            drop(finished);
            result
        })
    }

    fn feed(
        &mut self,
        work: &mpsc::Sender<Chunk>,
        priced: &mpsc::Receiver<Chunk>,
        limit: usize,
    ) -> Result<(), Failure> {
        let lost = || Failure::unpriceable(anyhow!("a pricing thread stopped unexpectedly"));
        let mut next = 0; // the sequence number of the next chunk to write
        let mut waiting = BTreeMap::new(); // chunks priced out of order
        let mut sent = 0;
        let mut out_bytes = 0; // the input text of the chunks sent and not yet written
        // Receives a priced chunk and writes every chunk now next in order.
        let mut receive =
            |batch: &mut Self, next: &mut usize, out_bytes: &mut usize| -> Result<(), Failure> {
                let chunk = priced.recv().map_err(|_| lost())?;
                waiting.insert(chunk.seq, chunk);
                while let Some(chunk) = waiting.remove(next) {
                    *out_bytes -= chunk.text.len();
                    batch.write(chunk)?;
                    *next += 1;
                }
                Ok(())
            };
        loop {
            let wait_all = self.lines.may_wait();
            // Wait when too much is out, or for all of it before a read that may wait.
            while next < sent && (sent - next >= limit || out_bytes >= IN_FLIGHT_BYTES || wait_all) {
                receive(self, &mut next, &mut out_bytes)?;
            }
            if wait_all {
                self.flush()?;
            }
            let spare = self.spare.pop().unwrap_or_default();
            let read = self.lines.next_chunk(spare);
            let Ok(Some(chunk)) = read else {
                // All read, or the input failed: what is still out comes first (the lines before
                // a failure are written, and a bad line among them stops the run there).
                while next < sent {
                    receive(self, &mut next, &mut out_bytes)?;
                }
                return read.map(|_| ());
            };
            out_bytes += chunk.text.len();
            work.send(chunk).map_err(|_| lost())?;
            sent += 1;
        }
    }

    fn flush(&mut self) -> Result<(), Failure> {
        self.out.flush().map_err(|e| super::write_failure(&e))
    }

    /// Tallies a priced chunk line by line and writes it; at a line that stops the run, writes
    /// the lines before it and returns the error. The chunk is then kept for its buffers.
    fn write(&mut self, mut chunk: Chunk) -> Result<(), Failure> {
        let mut written = 0;
        for line in chunk.priced.drain(..) {
            let stop = match line.outcome {
                Outcome::Priced { total, budget, over_budget } => {
                    self.tally.has_budget |= budget;
                    self.tally.add(total, over_budget).err().map(Into::into)
                }
                Outcome::Unpriced(entry) => {
                    self.tally.has_budget |= entry.budget.is_some();
                    self.tally.unpriced += 1;
                    self.tally.first_unpriced.get_or_insert(entry);
                    None
                }
                Outcome::Skipped => {
                    self.tally.errors += 1;
                    self.tally.first_error.get_or_insert(line.number);
                    None
                }
                Outcome::Stop(error) => Some(error),
            };
            if let Some(error) = stop {
                write_out(self.out, &chunk.json[..written])?;
                let at = format!("batch {} line {}", self.label, line.number);
                return Err(error.context(at).into());
            }
            written = line.end;
        }
        write_out(self.out, &chunk.json)?;
        chunk.text.clear();
        chunk.lines.clear();
        chunk.json.clear();
        self.spare.push(chunk);
        Ok(())
    }
}

/// Whole lines of input, numbered from 1, and once priced, their JSON.
#[derive(Default)]
struct Chunk {
    seq: usize,
    text: String,
    /// Each line's number and where it is in `text`, or why it could not be read (only with
    /// `--keep-going`: without, such a line ends the input).
    lines: Vec<(u64, Result<Range<usize>, Fault>)>,
    /// The priced lines' JSON, one per line, each with its newline.
    json: Vec<u8>,
    /// What each line came to (blank lines have no entry).
    priced: Vec<PricedLine>,
}

/// A priced line: where its JSON ends in the chunk's, and what it came to.
struct PricedLine {
    number: u64,
    /// Where the line's JSON ends in `json`.
    end: usize,
    outcome: Outcome,
}

enum Outcome {
    /// The line's total, whether it has its own budget, and its name, total and limit when over it.
    Priced { total: Decimal, budget: bool, over_budget: Option<(String, Decimal, Decimal)> },
    /// A task that could not be priced, written as an `unpriced` object.
    Unpriced(Unpriced),
    /// A bad line written as an error object (`--keep-going`).
    Skipped,
    /// A bad line that stops the run; nothing is written for it or after it.
    Stop(anyhow::Error),
}

/// The running total, the first line over its own budget, the bad lines, and the unpriced ones.
#[derive(Default)]
struct Tally {
    total: Decimal,
    over_budget: Option<(String, Decimal, Decimal)>,
    errors: u64,
    first_error: Option<u64>,
    /// Lines priced; with `unpriced`, every task line.
    priced: u64,
    unpriced: u64,
    first_unpriced: Option<Unpriced>,
    /// Whether any line has its own budget.
    has_budget: bool,
}

impl Tally {
    fn add(
        &mut self,
        total: Decimal,
        over_budget: Option<(String, Decimal, Decimal)>,
    ) -> Result<(), money::Overflow> {
        self.total = money::sum("the batch total", [self.total, total])?;
        self.priced += 1;
        if self.over_budget.is_none() {
            self.over_budget = over_budget;
        }
        Ok(())
    }

    /// Exit 1 if any line was bad; else 3 if the total or a line is over budget; else 4 if a
    /// budget applies and a line is unpriced (unless `allow_unpriced`); else 0, with a warning
    /// when a line is unpriced. The same verdict as a report's.
    fn exit(&self, budget: Option<Decimal>, allow_unpriced: bool) -> Exit {
        if let Some(first) = self.first_error {
            let line =
                format!("error: {} line(s) could not be priced (the first: line {first})", self.errors);
            return Exit { code: exit::UNPRICEABLE, stderr: Some(line) };
        }
        let whole = budget.filter(|limit| self.total > *limit).map(|limit| Overrun {
            item: None,
            total: self.total,
            limit,
            excess: self.total - limit,
        });
        let line = self.over_budget.as_ref().map(|(name, total, limit)| Overrun {
            item: Some(name),
            total: *total,
            limit: *limit,
            excess: *total - *limit,
        });
        let all = self.priced + self.unpriced;
        if let Some(overrun) = whole.or(line) {
            let gap = match self.unpriced {
                0 => String::new(),
                n => format!("; {n} of {all} lines unpriced, which can only add to it"),
            };
            let line = format!("over budget: {}{gap}", render::overrun_sentence(&overrun));
            return Exit { code: exit::OVER_BUDGET, stderr: Some(line) };
        }
        let Some(first) = &self.first_unpriced else { return Exit { code: exit::SUCCESS, stderr: None } };
        let (n, what) = (self.unpriced, format!("{} ({}); fix: {}", first.name, first.reason, first.fix));
        if (budget.is_some() || self.has_budget) && !allow_unpriced {
            let line = format!(
                "incomplete: {n} of {all} lines could not be priced, so the budget cannot be checked; the first: \
                 {what}; or accept the gap with --allow-unpriced"
            );
            Exit { code: exit::INCOMPLETE, stderr: Some(line) }
        } else {
            let line =
                format!("warning: {n} of {all} lines not priced (written as `unpriced` lines): {what}");
            Exit { code: exit::SUCCESS, stderr: Some(line) }
        }
    }
}
