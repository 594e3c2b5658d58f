//! describe-services output (`aws ecs describe-services`) and a task definition for its services.
//! The input is a selector byte, the services JSON, and optionally a NUL byte and a task
//! definition (`describe-task-definition` output). The library reads both and makes each service
//! a task; then the CLI reads them, the services on standard input with the definition as a file,
//! or the other way round, through `estimate` and the `check` gate, with a format and flags the
//! selector picks.
#![no_main]

use libfuzzer_sys::fuzz_target;

const COMMANDS: &[&[&str]] = &[
    &["estimate", "--services", "SERVICES", "--format", "json"],
    &["check", "--services", "SERVICES", "--budget", "100", "--format", "json"],
    &["estimate", "--services", "SERVICES", "--explain"],
    &["estimate", "--services", "SERVICES", "--format", "csv", "--free-data-transfer"],
    &["check", "--services", "SERVICES", "--budget", "1", "--format", "markdown"],
    &["estimate", "--services", "SERVICES", "--format", "markdown", "--region", "eu-west-1"],
    &["check", "--services", "SERVICES", "--budget", "1000", "--allow-unpriced"],
    &["estimate", "--services", "SERVICES", "--reserved-memory", "0", "--format", "json"],
];

fuzz_target!(|data: &[u8]| {
    let (selector, input) = fuzz::selector(data);
    let (services, definition) = match input.iter().position(|&b| b == 0) {
        Some(at) => (&input[..at], Some(&input[at + 1..])),
        None => (input, None),
    };
    let definition_text = definition.map(fuzz::text);
    fuzz::services(&fuzz::text(services), definition_text.as_deref());

    // Bit 3: the services on standard input and the definition as a file, or the other way round.
    let services_on_stdin = selector & 8 == 0 || definition.is_none();
    let (services_arg, stdin) = if services_on_stdin {
        ("-".to_owned(), services)
    } else {
        (fuzz::scratch_file("services.json", services), definition.unwrap_or_default())
    };
    let mut args: Vec<String> = fuzz::pick(selector, COMMANDS)
        .iter()
        .map(|a| if *a == "SERVICES" { services_arg.clone() } else { (*a).to_owned() })
        .collect();
    if let Some(definition) = definition {
        let definition_arg = if services_on_stdin {
            fuzz::scratch_file("definition.json", definition)
        } else {
            "-".to_owned()
        };
        args.extend(["--task-definition".to_owned(), definition_arg]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    fuzz::cost_str(&args, stdin, None);
});
