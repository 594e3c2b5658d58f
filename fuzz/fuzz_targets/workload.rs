//! Workload files (TOML): the parser, then the same bytes on standard input to `estimate`,
//! `check`, `compare` and `diff` (against the web-api example, and against itself, which must
//! change nothing) in a format the selector byte picks. A `task_definition` path in the workload is
//! relative to the current folder: run from the repository's root (the seeds name
//! `examples/web-api/api.json`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (selector, input) = fuzz::selector(data);
    let parsed = cost::input::workload::parse(&fuzz::text(input));
    let example = fuzz::repo("examples/web-api/workload.toml");
    let args: Vec<&str> = match selector % 9 {
        0 => vec!["estimate", "--workload", "-", "--format", "json"],
        1 => vec!["check", "-", "--format", "json"],
        2 => vec!["diff", &example, "-", "--format", "json"],
        3 => vec!["diff", "-", &example, "--max-increase", "10%"],
        4 => vec!["compare", "--workload", "-", "--format", "json"],
        5 => vec!["estimate", "--workload", "-", "--format", "markdown", "--explain", "--free-data-transfer"],
        6 => vec!["check", "-", "--budget", "100", "--format", "csv"],
        7 => vec!["estimate", "--workload", "-", "--region", "eu-west-1", "--reserved-memory", "1024"],
        _ => {
            let itself = fuzz::scratch_file("workload.toml", input);
            let ran = fuzz::cost_str(&["diff", "-", &itself, "--format", "json"], input, None);
            fuzz::no_change(&ran);
            return;
        }
    };
    let reads_a_workload = matches!(args[0], "estimate" | "check" | "compare");
    let ran = fuzz::cost_str(&args, input, None);
    if parsed.is_err() && reads_a_workload {
        assert!(
            matches!(ran.code, 1 | 2),
            "the parser refused the workload, the CLI did not: exit {}",
            ran.code
        );
    }
});
