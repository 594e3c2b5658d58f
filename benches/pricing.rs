//! Criterion benchmarks of the pricing pipeline, stage by stage and whole.
//!
//! - `price_task/*`: the pricing core alone, the rate table parsed once outside the loop;
//! - `rates/parse_embedded_us-east-1`: parsing and validating the embedded us-east-1 table;
//! - `render/*`: a finished report to JSON and to the (pipe-style) table;
//! - `cli/run_estimate`: `cost estimate --vcpu 1 --memory 2` in-process, environment empty,
//!   stdout not a terminal (everything but process start-up and the write to stdout).
//!
//! Run with `cargo bench --bench pricing` (`-- --quick` for a fast pass). Whole-process wall time
//! is measured by `benches/whole-process.sh`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;

use cost::cli::{self, Context};
use cost::model::{Os, RunTime, Size, Task};
use cost::pricing::{Options, price_task};
use cost::rates::{self, Origin, RateTable};
use cost::render::{self, Format, TableStyle};
use cost::report::{RatesInfo, Report};

const REGION: &str = "us-east-1";

/// `cost estimate --vcpu 1 --memory 2`: 1 vCPU / 2 GB, Linux `x86_64` on-demand, one task for 730 h.
fn typical_task() -> Task {
    Task::new("typical", Size { vcpu: Decimal::ONE, memory_gb: Decimal::TWO })
}

/// Every line kind at once: Windows (OS licence line), 4 vCPU / 16 GB × 10 tasks for 730 h,
/// 200 GB ephemeral storage (180 GB billed) and 200 000 GB out, which crosses all four
/// us-east-1 data transfer tiers; priced with the free allowance applied (one more line).
fn heavy_task() -> (Task, Options) {
    let task = Task {
        count: 10,
        run_time: RunTime::Hours(Decimal::from(730)),
        os: Os::Windows,
        ephemeral_storage_gb: Decimal::from(200),
        data_transfer_gb: Decimal::from(200_000),
        ..Task::new("heavy", Size { vcpu: Decimal::from(4), memory_gb: Decimal::from(16) })
    };
    (task, Options { free_data_transfer: true, ..Options::default() })
}

fn table() -> (RateTable, Origin) {
    rates::embedded(REGION).expect("the embedded us-east-1 table parses")
}

fn report(task: &Task, options: Options, table: &RateTable, origin: &Origin) -> Report {
    let item = price_task(task, table, options).expect("the task prices");
    let items = vec![item];
    let rates = RatesInfo::new(table, origin, &items);
    Report::new(rates, items, None).expect("no overflow")
}

fn bench_price_task(c: &mut Criterion) {
    let (table, _) = table();
    let typical = typical_task();
    let (heavy, heavy_options) = heavy_task();
    // Check once, outside the timing, that the heavy task really exercises every line kind:
    // vCPU, memory, OS licence, storage, the free allowance and the four transfer tiers.
    let heavy_item = price_task(&heavy, &table, heavy_options).expect("the heavy task prices");
    assert_eq!(heavy_item.lines.len(), 9, "{:#?}", heavy_item.lines);

    let mut group = c.benchmark_group("price_task");
    group.bench_function("typical_linux_1vcpu_2gb_730h", |b| {
        b.iter(|| price_task(black_box(&typical), black_box(&table), black_box(Options::default())));
    });
    group.bench_function("heavy_windows_storage_transfer_tiers", |b| {
        b.iter(|| price_task(black_box(&heavy), black_box(&table), black_box(heavy_options)));
    });
    group.finish();
}

fn bench_parse(c: &mut Criterion) {
    c.bench_function("rates/parse_embedded_us-east-1", |b| {
        b.iter(|| rates::embedded(black_box(REGION)));
    });
}

fn bench_render(c: &mut Criterion) {
    let (table, origin) = table();
    let typical = report(&typical_task(), Options::default(), &table, &origin);
    let (heavy_task, heavy_options) = heavy_task();
    let heavy = report(&heavy_task, heavy_options, &table, &origin);
    // What `cost estimate` uses when stdout is a pipe or a file: ASCII, no colour, no wrapping.
    let style = TableStyle::default();

    let mut group = c.benchmark_group("render");
    for (name, report) in [("typical", &typical), ("heavy", &heavy)] {
        for (format_name, format) in [("json", Format::Json), ("table", Format::Table)] {
            group.bench_function(format!("{format_name}/{name}"), |b| {
                b.iter(|| render::render(black_box(report), black_box(format), black_box(style)));
            });
        }
    }
    group.finish();
}

fn bench_cli_run(c: &mut Criterion) {
    let var = |_: &str| -> Option<String> { None };
    // Standard input is only read for `-` in place of a file, which this run does not use.
    let stdin = || Box::new(std::io::empty()) as Box<dyn std::io::BufRead>;
    let context = Context {
        var: &var,
        stdin: &stdin,
        stdout_is_terminal: false,
        today: None,
        warn: &|_| {},
        color: cost::cli::ColorChoice::Auto,
        quiet: false,
    };
    let args = ["cost", "estimate", "--vcpu", "1", "--memory", "2"];
    let mut out = Vec::with_capacity(4096);
    let exit = cli::run(args, &context, &mut out);
    assert_eq!(exit.code, cli::exit::SUCCESS, "{exit:?}");

    c.bench_function("cli/run_estimate_vcpu1_mem2", |b| {
        b.iter(|| {
            out.clear();
            cli::run(black_box(args), black_box(&context), &mut out)
        });
    });
}

criterion_group!(benches, bench_price_task, bench_parse, bench_render, bench_cli_run);
criterion_main!(benches);
