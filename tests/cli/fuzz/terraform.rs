//! Terraform plans and their usage files: arbitrary, mutated and generated plans, read by the
//! library and through every command that takes a plan.

use super::*;

/// How long one case may run before the harness calls it a hang: `FUZZ_HANG_SECONDS`, else 60.
fn hang_limit() -> Duration {
    let seconds = std::env::var("FUZZ_HANG_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    Duration::from_secs(seconds)
}

/// Runs `f` on a thread of its own and returns what it returns; its panic is the caller's. A run
/// that outlasts [`hang_limit`] is a hang: `input()` is printed and the process exits 1 (a hung
/// thread cannot be stopped, so there is no shrinking; the printed input is the reproduction).
fn watched<T: Send + 'static>(input: impl FnOnce() -> String, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = channel();
    let worker = std::thread::spawn(move || {
        let _ = send.send(f());
    });
    match receive.recv_timeout(hang_limit()) {
        Ok(value) => {
            let _ = worker.join();
            value
        }
        Err(RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker ended with neither a result nor a panic"),
        },
        Err(RecvTimeoutError::Timeout) => {
            // Straight to the process's standard error: what the test harness captures of
            // `eprintln!` is lost on `exit`.
            let message = format!(
                "HANG: still running after {:?} on this input; stopping here:\n{}\n",
                hang_limit(),
                input()
            );
            let _ = std::io::Write::write_all(&mut std::io::stderr(), message.as_bytes());
            std::process::exit(1);
        }
    }
}

/// [`shared::terraform`] (what `cost` does with a plan and a usage file) under the hang watch.
fn read_plan_watched(plan: String, usage: Option<String>, today: Option<Date>) {
    let shown = format!("plan:\n{plan}\nusage:\n{usage:?}\ntoday: {today:?}");
    watched(|| shown, move || shared::terraform(&plan, usage.as_deref(), today));
}

/// No date, or one of a few around the EKS support calendar's edges.
fn today() -> impl Strategy<Value = Option<Date>> {
    prop_oneof![
        Just(None),
        select(&[(2024, 1, 1), (2026, 3, 22), (2026, 3, 23), (2026, 10, 1), (2030, 12, 31)][..])
            .prop_map(|(y, m, d)| Date::new(y, m, d)),
    ]
}

/// One of the usage seeds, or none.
fn usage_seed() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop::option::of(any::<Index>().prop_map(|i| i.get(&seeds().usages).clone()))
}

const FORMATS: &[&str] = &["table", "json", "csv", "markdown"];

/// Runs a command that reads a plan on `plan` (through standard input or a file), with `usage` as
/// `--usage`: estimate, check against a budget, diff against the first plan seed either way, or
/// compare.
fn plan_through_the_cli(
    plan: &[u8],
    usage: Option<&[u8]>,
    command: usize,
    format: &str,
    stdin: bool,
    today: Option<Date>,
) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    };
    let good = write("good.json", &seeds().plans[0]);
    let side = if stdin { "-".to_owned() } else { write("plan.json", plan) };
    let mut args = match command {
        0 => strings(&["estimate", "--terraform-plan", &side, "--format", format]),
        1 => strings(&["check", "--terraform-plan", &side, "--budget", "100", "--format", format]),
        2 => strings(&["diff", &good, &side, "--format", format, "--max-increase", "10%"]),
        3 => strings(&["diff", &side, &good, "--format", format]),
        _ => strings(&["compare", "--terraform-plan", &side, "--format", format]),
    };
    if let Some(usage) = usage {
        args.extend(["--usage".to_owned(), write("usage.toml", usage)]);
    }
    if today.is_some() {
        args.push("--no-stale-warning".to_owned());
    }
    let input = if stdin { plan.to_vec() } else { Vec::new() };
    let shown =
        || format!("cost {args:?}\nplan:\n{}\nusage:\n{}", lossy(plan), lossy(usage.unwrap_or_default()));
    let ran = {
        let args = args.clone();
        watched(shown, move || cli_on(&args, &input, today))
    };
    contract(&args, &ran, false)
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn terraform_plan_parse_never_panics(text in text(), today in today()) {
        read_plan_watched(text, None, today);
    }

    #[test]
    fn usage_file_parse_never_panics(text in text(), plan in any::<Index>()) {
        let _ = cost::input::terraform::usage::parse(&text);
        read_plan_watched(lossy(plan.get::<Vec<u8>>(&seeds().plans)), Some(text), None);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn mutated_plans_never_panic(bytes in mutated(&seeds().plans), usage in usage_seed(), today in today()) {
        read_plan_watched(lossy(&bytes), usage.as_deref().map(lossy), today);
    }

    #[test]
    fn mutated_usage_files_never_panic(bytes in mutated(&seeds().usages), plan in any::<Index>(), today in today()) {
        read_plan_watched(lossy(plan.get::<Vec<u8>>(&seeds().plans)), Some(lossy(&bytes)), today);
    }

    #[test]
    fn generated_plans_never_panic(plan in tf_generated_plan(), usage in usage_seed(), today in today()) {
        read_plan_watched(plan, usage.as_deref().map(lossy), today);
    }

    #[test]
    fn mutated_plans_through_the_cli(
        bytes in mutated(&seeds().plans),
        usage in usage_seed(),
        command in 0usize..5,
        format in select(FORMATS),
        stdin in any::<bool>(),
        today in today(),
    ) {
        plan_through_the_cli(&bytes, usage.as_deref(), command, format, stdin, today)?;
    }

    #[test]
    fn mutated_usage_files_through_the_cli(
        bytes in mutated(&seeds().usages),
        plan in any::<Index>(),
        command in 0usize..5,
        format in select(FORMATS),
        today in today(),
    ) {
        plan_through_the_cli(plan.get::<Vec<u8>>(&seeds().plans), Some(&bytes), command, format, false, today)?;
    }

    #[test]
    fn generated_plans_through_the_cli(
        plan in tf_generated_plan(),
        usage in usage_seed(),
        command in 0usize..5,
        format in select(FORMATS),
        stdin in any::<bool>(),
        today in today(),
    ) {
        plan_through_the_cli(plan.as_bytes(), usage.as_deref(), command, format, stdin, today)?;
    }
}
