//! Help and version go to stdout with exit 0, and every subcommand's help opens with its own
//! description.

use super::*;

#[test]
fn help_and_version_go_to_stdout_with_exit_0() {
    let help = ok(cost().arg("--help"));
    assert!(help.contains("estimate"), "{help}");
    assert!(help.contains("Usage"), "{help}");
    let short = ok(cost().arg("-h"));
    assert!(short.contains("estimate"), "{short}");

    let help = ok(cost().args(["estimate", "--help"]));
    for flag in [
        "--vcpu",
        "--memory",
        "--count",
        "--minutes",
        "--hours",
        "--runs",
        "--region",
        "--arch",
        "--os",
        "--spot",
        "--ephemeral-storage",
        "--data-transfer",
        "--rates",
        "--format",
        "--budget",
    ] {
        assert!(help.contains(flag), "`{flag}` not in help:\n{help}");
    }
    let help = ok(cost().args(["help", "estimate"]));
    assert!(help.contains("--vcpu"), "{help}");

    // Subcommands are built only when used (`#[command(defer = true)]`, for start-up time); each
    // one's help must still open with its own description, not a flattened argument group's.
    for (args, heading) in [
        (&["estimate"][..], "Price one task description (flags or a task definition), a workload file"),
        (&["check"], "Estimate a workload file (or a Terraform plan) and enforce its budget"),
        (&["diff"], "The cost change between two workload files, Terraform plans or JSON reports"),
        (&["compare"], "The same tasks on Fargate and on the EC2 launch type, side by side"),
        (&["rates"], "The rate tables: what ships, what one holds, checking a table"),
        (&["rates", "list"], "Every embedded region, with its dates and the components it prices"),
        (&["rates", "show"], "Every rate of one region's embedded table, with its unit, source and date"),
        (&["completions"], "A shell completion script on stdout"),
    ] {
        let help = ok(cost().args(args).arg("--help"));
        assert!(help.starts_with(heading), "`cost {} --help` opens with:\n{help}", args.join(" "));
    }

    let version = ok(cost().arg("--version"));
    assert!(
        version.starts_with(&format!("cost {} (embedded rate tables up to ", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    let version = ok(cost().arg("-V"));
    assert!(version.contains(env!("CARGO_PKG_VERSION")));
}
