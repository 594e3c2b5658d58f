//! JSON Lines for `estimate --batch -`: each line through the parser a batch line goes through (a
//! workload `[[service]]` as JSON) and made a task as it is and on EC2, then the whole input on
//! standard input, with `--keep-going` and other flags the selector byte picks. Whatever is
//! written, even before a bad line, is whole JSON lines; a run that exits 0 wrote one line for each
//! line that is not blank.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FLAGS: &[&[&str]] = &[
    &[],
    &["--region", "eu-west-1"],
    &["--free-data-transfer", "--budget", "10"],
    &["--format", "json", "--reserved-memory", "1024"],
];

fuzz_target!(|data: &[u8]| {
    let (selector, input) = fuzz::selector(data);
    for line in fuzz::text(input).lines() {
        if let Ok(task) = serde_json::from_str::<cost::input::TaskInput>(line) {
            let _ = task.to_task(None);
            let _ = task.on(cost::model::LaunchType::Ec2).to_task(None);
        }
    }
    let mut args = vec!["estimate", "--batch", "-"];
    if selector & 1 == 1 {
        args.push("--keep-going");
    }
    args.extend(fuzz::pick(selector >> 1, FLAGS));
    let ran = fuzz::cost_str(&args, input, None);
    if ran.code == 0 {
        let lines = input.split(|&b| b == b'\n').filter(|l| !fuzz::text(l).trim().is_empty()).count();
        assert_eq!(ran.text().lines().count(), lines, "exit 0 but not one output line per input line");
    }
});
