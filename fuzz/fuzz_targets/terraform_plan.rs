//! Terraform plans (`terraform show -json`) and usage files. The input is a selector byte, the
//! plan, and optionally a NUL byte and a usage file (TOML). The library reads both (on a date the
//! selector picks, which decides EKS support tiers) and makes each service a task as it is and on
//! EC2; then the CLI reads them, the plan on standard input with the usage file as a file, or the
//! other way round, through `estimate`, `check`, `diff` (either side) and `compare`.
#![no_main]

use libfuzzer_sys::fuzz_target;

const COMMANDS: &[&[&str]] = &[
    &["estimate", "--terraform-plan", "PLAN", "--format", "json"],
    &["check", "--terraform-plan", "PLAN", "--budget", "100", "--format", "json"],
    &["diff", "GOOD", "PLAN", "--format", "json", "--max-increase", "10%"],
    &["diff", "PLAN", "GOOD", "--format", "markdown"],
    &["compare", "--terraform-plan", "PLAN", "--format", "json"],
    &["estimate", "--terraform-plan", "PLAN", "--explain"],
    &["estimate", "--terraform-plan", "PLAN", "--format", "csv", "--free-data-transfer"],
    &["check", "--terraform-plan", "PLAN", "--format", "markdown"],
];

fuzz_target!(|data: &[u8]| {
    let (selector, input) = fuzz::selector(data);
    let (plan, usage) = match input.iter().position(|&b| b == 0) {
        Some(at) => (&input[..at], Some(&input[at + 1..])),
        None => (input, None),
    };
    let today = fuzz::today(selector >> 4);
    let usage_text = usage.map(fuzz::text);
    fuzz::terraform(&fuzz::text(plan), usage_text.as_deref(), today);

    // Bit 3: the plan on standard input and the usage file as a file, or the other way round.
    let plan_on_stdin = selector & 8 == 0 || usage.is_none();
    let (plan_arg, stdin) = if plan_on_stdin {
        ("-".to_owned(), plan)
    } else {
        (fuzz::scratch_file("plan.json", plan), usage.unwrap_or_default())
    };
    let good = fuzz::good_plan();
    let mut args: Vec<String> = fuzz::pick(selector, COMMANDS)
        .iter()
        .map(|a| match *a {
            "PLAN" => plan_arg.clone(),
            "GOOD" => good.to_owned(),
            a => a.to_owned(),
        })
        .collect();
    if let Some(usage) = usage {
        let usage_arg = if plan_on_stdin { fuzz::scratch_file("usage.toml", usage) } else { "-".to_owned() };
        args.extend(["--usage".to_owned(), usage_arg]);
    }
    if today.is_some() {
        args.push("--no-stale-warning".to_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    fuzz::cost_str(&args, stdin, today);
});
