//! CloudFormation templates (JSON or YAML) and `--parameter` values. The input is a selector byte,
//! the template, and optionally a NUL byte and `KEY=VALUE` lines. The library reads the template
//! with those parameters and makes each service a task as it is and on EC2; then the CLI reads it
//! on standard input through `estimate` and `check`, in each output format.
#![no_main]

use libfuzzer_sys::fuzz_target;

const COMMANDS: &[&[&str]] = &[
    &["estimate", "--cloudformation", "-", "--format", "json"],
    &["check", "--cloudformation", "-", "--budget", "100", "--format", "json"],
    &["estimate", "--cloudformation", "-", "--explain"],
    &["estimate", "--cloudformation", "-", "--format", "csv"],
    &["check", "--cloudformation", "-", "--budget", "1", "--format", "markdown"],
];

fuzz_target!(|data: &[u8]| {
    let (selector, input) = fuzz::selector(data);
    let (template, parameters) = match input.iter().position(|&b| b == 0) {
        Some(at) => (&input[..at], fuzz::text(&input[at + 1..])),
        None => (input, std::borrow::Cow::Borrowed("")),
    };
    let today = fuzz::today(selector >> 4);
    fuzz::cloudformation(&fuzz::text(template), &parameters, today);
    let mut args: Vec<String> = fuzz::pick(selector, COMMANDS).iter().map(|a| (*a).to_owned()).collect();
    for line in parameters.lines().take(8) {
        args.extend(["--parameter".to_owned(), line.to_owned()]);
    }
    if today.is_some() {
        args.push("--no-stale-warning".to_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    fuzz::cost_str(&args, template, today);
});
