//! ECS task definitions (register form, or `describe-task-definition` output): the parser, then
//! the same bytes on standard input to `estimate` or `compare --task-definition -` with flags and a
//! format the selector byte picks.
#![no_main]

use libfuzzer_sys::fuzz_target;

const COMMANDS: &[&[&str]] = &[
    &["estimate", "--task-definition", "-", "--format", "json"],
    &["compare", "--task-definition", "-", "--format", "json"],
    &["estimate", "--task-definition", "-", "--launch-type", "ec2", "--format", "csv"],
    &["estimate", "--task-definition", "-", "--platform", "eks", "--format", "markdown", "--explain"],
    &["estimate", "--task-definition", "-", "--round-up", "--count", "3", "--spot"],
    &["compare", "--task-definition", "-", "--arch", "arm64", "--round-up", "--format", "markdown"],
    &[
        "estimate",
        "--task-definition",
        "-",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--os",
        "windows",
        "--format",
        "json",
    ],
    &["estimate", "--task-definition", "-", "--pricing", "savings-plan-1y", "--hours", "1.5", "--runs", "3"],
];

fuzz_target!(|data: &[u8]| {
    let (selector, input) = fuzz::selector(data);
    let parsed = cost::input::task_definition::parse(&fuzz::text(input));
    let ran = fuzz::cost_str(fuzz::pick(selector, COMMANDS), input, None);
    // What the parser refuses, the CLI refuses too, as input it cannot price.
    if parsed.is_err() {
        assert_eq!(ran.code, 1, "the parser refused the task definition, the CLI did not: {:?}", ran.stderr);
    }
});
