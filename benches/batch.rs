//! `--batch` throughput against the floor: parsing the same JSON Lines with `serde_json` and doing
//! nothing else. Run with `cargo bench --bench batch` (LINES=1000000 by default).
//!
//! Four passes over one generated file, each timed `RUNS` times (default 3; the first run of each
//! warms the page cache and the allocator), reporting the median:
//! - floor (Value): every line parsed into a `serde_json::Value`;
//! - floor (TaskInput): every line parsed into the struct `--batch` reads (the real parse floor);
//! - parse and price: each line parsed, made a task and priced by the library, nothing written,
//!   on one thread (what is left of `--batch`'s time is writing the JSON, and the threads);
//! - batch: `cost estimate --batch FILE` in process, output to a sink, on every core.
//!
//! `taskset -c 0 cargo bench --bench batch` gives the same on one core.

// Ratios of timings, not money.
#![allow(clippy::float_arithmetic)]

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader};
use std::time::{Duration, Instant};

use cost::cli::{self, Context};
use cost::input::TaskInput;
use cost::pricing::Options;

const SHAPES: [&str; 8] = [
    r#"{"vcpu": 1, "memory": 2}"#,
    r#"{"name": "worker", "vcpu": 0.5, "memory": 1, "count": 3, "spot": true}"#,
    r#"{"vcpu": 2, "memory": 4, "arch": "arm64", "hours": 100}"#,
    r#"{"vcpu": 4, "memory": 8, "minutes": 45, "runs": 30, "ephemeral_storage": 100}"#,
    r#"{"vcpu": 1, "memory": 2, "os": "windows", "count": 2, "hours": 12}"#,
    r#"{"vcpu": 0.25, "memory": 0.5, "data_transfer": 20000}"#,
    r#"{"vcpu": 1, "memory": 1.5, "round_up": true, "count": 10}"#,
    r#"{"platform": "eks", "vcpu": 0.5, "memory": 1, "count": 4}"#,
];

fn main() {
    let lines: usize = std::env::var("LINES").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
    let mut text = String::with_capacity(lines * 80);
    for i in 0..lines {
        let _ = writeln!(text, "{}", SHAPES[i % SHAPES.len()]);
    }
    let dir = std::env::temp_dir().join(format!("cost-batch-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("tasks.jsonl");
    std::fs::write(&path, &text).unwrap();
    println!("{lines} lines, {} MB: {}", text.len() / 1_000_000, path.display());

    let floor_value = time(|| parse_all::<serde_json::Value>(&path));
    let floor_struct = time(|| parse_all::<TaskInput>(&path));
    let (table, _) = cost::rates::embedded("us-east-1").unwrap();
    let priced = time(|| {
        each_line(&path, |line| {
            let input: TaskInput = serde_json::from_str(line).unwrap();
            let task = input.to_task(None).unwrap();
            std::hint::black_box(cost::pricing::price_task(&task, &table, Options::default()).unwrap());
        });
    });
    let batch = time(|| {
        let var = |_: &str| None;
        let stdin = || Box::new(io::empty()) as Box<dyn BufRead>;
        let context = Context {
            var: &var,
            stdin: &stdin,
            stdout_is_terminal: false,
            today: None,
            warn: &|_| {},
            color: cost::cli::ColorChoice::Auto,
            quiet: false,
        };
        let args = ["cost", "estimate", "--batch", path.to_str().unwrap()];
        let exit = cli::run(args, &context, &mut io::sink());
        assert_eq!(exit.code, 0, "{exit:?}");
    });
    let rate = |d: Duration| u64::try_from(lines as u128 * 1000 / d.as_millis().max(1)).unwrap_or(u64::MAX);
    println!(
        "floor, serde_json::Value   {:>8.3} s  {:>10} lines/s",
        floor_value.as_secs_f64(),
        rate(floor_value)
    );
    println!(
        "floor, TaskInput           {:>8.3} s  {:>10} lines/s",
        floor_struct.as_secs_f64(),
        rate(floor_struct)
    );
    println!("parse and price, no output {:>8.3} s  {:>10} tasks/s", priced.as_secs_f64(), rate(priced));
    println!("cost estimate --batch      {:>8.3} s  {:>10} tasks/s", batch.as_secs_f64(), rate(batch));
    println!("batch / floor (Value):     {:.2}x the time", batch.as_secs_f64() / floor_value.as_secs_f64());
    println!("batch / floor (TaskInput): {:.2}x the time", batch.as_secs_f64() / floor_struct.as_secs_f64());
    std::fs::remove_dir_all(&dir).unwrap();
}

fn parse_all<T: serde::de::DeserializeOwned>(path: &std::path::Path) {
    each_line(path, |line| {
        let parsed: T = serde_json::from_str(line).unwrap();
        std::hint::black_box(parsed);
    });
}

fn each_line(path: &std::path::Path, mut f: impl FnMut(&str)) {
    let mut reader = BufReader::with_capacity(64 * 1024, std::fs::File::open(path).unwrap());
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap() > 0 {
        f(&line);
        line.clear();
    }
}

/// The median of `RUNS` (default 3) timings of `f`.
fn time(f: impl Fn()) -> Duration {
    let runs: usize = std::env::var("RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(3).max(1);
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}
