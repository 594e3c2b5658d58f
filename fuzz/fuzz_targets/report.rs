//! JSON reports (`cost estimate --format json`): the parser, then the same bytes on standard input
//! as one side of `diff`, against a report of the web-api example, against the example's workload,
//! and against itself (which must change nothing).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (selector, input) = fuzz::selector(data);
    let _ = cost::report::saved::parse(&fuzz::text(input), "fuzz".to_owned());
    let good = fuzz::good_report();
    let example = fuzz::repo("examples/web-api/workload.toml");
    let args: Vec<&str> = match selector % 5 {
        0 => vec!["diff", "-", good, "--format", "json"],
        1 => vec!["diff", good, "-", "--max-increase", "10%"],
        2 => vec!["diff", "-", &example, "--format", "markdown"],
        3 => vec!["diff", good, "-", "--format", "csv", "--max-increase", "0"],
        _ => {
            let itself = fuzz::scratch_file("report.json", input);
            let ran = fuzz::cost_str(&["diff", &itself, "-", "--format", "json"], input, None);
            fuzz::no_change(&ran);
            return;
        }
    };
    fuzz::cost_str(&args, input, None);
});
