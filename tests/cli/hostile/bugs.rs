//! Bugs found by this catalogue, written for the right behaviour.

use super::*;

#[test]
#[cfg(unix)]
fn a_value_that_is_not_utf8_names_its_flag() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"\xff\xfe");
    for flag in ["--name", "--region", "--task-definition"] {
        let out = cost().args(["estimate", "--vcpu", "1", "--memory", "2", flag]).arg(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("the value of {flag} is not valid UTF-8")), "{stderr}");
    }
}

#[test]
fn a_size_error_says_its_reason_once() {
    let out = cost().args(["estimate", "--vcpu", "4", "--memory", "3"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.matches("Fargate does not offer 4 vCPU with 3 GB").count(), 1, "{stderr}");
    assert!(stderr.contains("--round-up to bill the smallest size that fits: 4 vCPU / 8 GB"), "{stderr}");
}

#[test]
fn a_budget_under_a_cent_is_shown_with_its_digits() {
    // 0.1 GB of ECR storage for a month: 0.1 × 0.10 = 0.01, over a budget of 0.001 by 0.009.
    let files = Files::new();
    let path = files.write(
        "tiny.toml",
        "[budget]\nlimit = \"0.001\"\n[[ecr_repository]]\nname = \"r\"\nstorage_gb = \"0.1\"\n",
    );
    let out = cost().args(["check", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("exceeds the budget of $0.001"), "{stderr}");
    assert!(String::from_utf8(out.stdout).unwrap().contains("budget $0.001: exceeded by $0.01"));
}

#[test]
fn the_manual_names_only_pages_that_exist_and_explain_names_pods() {
    let page = String::from_utf8(cost().arg("man").output().unwrap().stdout).unwrap();
    assert!(!page.contains("cost\\-estimate(1)") && page.contains("cost estimate"), "{page}");
    let explain = cost()
        .args([
            "estimate",
            "--platform",
            "eks",
            "--vcpu",
            "0.25",
            "--memory",
            "0.5",
            "--count",
            "4",
            "--explain",
        ])
        .output()
        .unwrap();
    let explain = String::from_utf8(explain.stdout).unwrap();
    assert!(explain.contains("vCPU: 4 pods × 0.25 vCPU") && !explain.contains("4 tasks"), "{explain}");
}

#[test]
fn sizes_between_offered_ones_are_refused() {
    let files = Files::new();
    let td = files.write("td-fraction.json", r#"{"cpu": 256.5, "memory": "512"}"#);
    let batch = files.write("fraction.jsonl", "{\"vcpu\": 0.2500001, \"memory\": 0.5}\n");
    let wl = files.write("wl-fraction.toml", "[[service]]\nname = \"a\"\nvcpu = 1\nmemory = \"2.0004\"\n");
    verify(&[
        case(&["estimate", "--vcpu", "0.2500001", "--memory", "0.5"], 1, &["0.2500001 vCPU", "--round-up"]),
        case(&["estimate", "--vcpu", "1", "--memory", "2.0004"], 1, &["2.0004 GB", "--round-up"]),
        case(&["estimate", "--vcpu", "1.0009", "--memory", "2"], 1, &["1.0009 vCPU"]),
        case(&["estimate", "--task-definition", &td], 1, &["0.25048828125 vCPU"]),
        // In an input of many items, such an item is unpriced: a budget cannot pass.
        incomplete(&["estimate", "--batch", &batch, "--budget", "1000"], &["line 1", "0.2500001 vCPU"]),
        incomplete(&["check", &wl, "--budget", "1000"], &["a could not be priced", "2.0004 GB"]),
    ]);
}

#[test]
fn diff_reads_workloads_that_start_with_a_table_header() {
    let files = Files::new();
    let service = files.write("service-first.toml", SERVICE);
    let budget = files.write("budget-first.toml", format!("[budget]\nlimit = 100\n\n{SERVICE}"));
    for (old, new) in [(&service, &service), (&budget, &service), (&service, &budget)] {
        let out = cost().args(["diff", old, new]).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "cost diff {old} {new}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = cost().args(["diff", "-", &service]).write_stdin(SERVICE).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_negative_storage_in_a_task_definition_names_the_file_and_field() {
    let files = Files::new();
    let td = files.write(
        "td-storage-negative.json",
        r#"{"cpu": "256", "memory": "512", "ephemeralStorage": {"sizeInGiB": -5}}"#,
    );
    fails(
        &["estimate", "--task-definition", &td],
        None,
        1,
        &["td-storage-negative.json", "ephemeralStorage.sizeInGiB"],
    );
    fails(
        &["estimate", "--task-definition", "-"],
        Some(r#"{"cpu": "256", "memory": "512", "ephemeralStorage": {"sizeInGiB": -5}}"#),
        1,
        &["standard input", "ephemeralStorage.sizeInGiB"],
    );
}

#[test]
#[ignore = "BUG: `--vcpu -inf` (and -inf after any numeric flag) fails with \"unexpected argument '-i' found\", \
            naming neither the flag nor the value typed"]
fn minus_inf_as_a_separate_word_names_the_flag() {
    for flag in ["--vcpu", "--memory", "--hours", "--budget", "--data-transfer"] {
        let args = estimate_with(flag, "-inf");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails(&args, None, 2, &[flag, "-inf"]);
    }
}

#[test]
fn overflow_from_flags_names_the_flags() {
    fails(
        &[
            "estimate",
            "--vcpu",
            "1",
            "--memory",
            "2",
            "--count",
            MAX,
            "--runs",
            MAX,
            "--hours",
            "99999999999",
        ],
        None,
        1,
        &["too large", "--count", "--runs", "--hours"],
    );
    fails(&["estimate", "--vcpu", "1", "--memory", "2", "--hours", HUGE], None, 1, &["too large", "--hours"]);
}

#[test]
fn overflow_from_a_rate_table_names_the_table() {
    let files = Files::new();
    let table = embedded_table().replacen("vcpu_hour = \"0.04048\"", &format!("vcpu_hour = \"{HUGE}\""), 1);
    let path = files.write("rt-huge-rate.toml", table);
    fails(
        &["estimate", "--vcpu", "1", "--memory", "2", "--rates", &path],
        None,
        1,
        &["too large", "rt-huge-rate.toml"],
    );
}

#[test]
fn an_import_without_prices_names_the_file() {
    let files = Files::new();
    let path = files.write("imp-no-prices.json", r#"{"products": {}, "terms": {}}"#);
    fails(&["rates", "import", &path], None, 1, &["imp-no-prices.json"]);
}

#[test]
fn non_finite_toml_floats_are_not_told_to_be_quoted() {
    let files = Files::new();
    for (name, value) in [("nan.toml", "nan"), ("inf.toml", "inf"), ("e30.toml", "1e30")] {
        let path = files.write(name, format!("{SERVICE}hours = {value}\n"));
        let out = cost().args(["estimate", "--workload", &path]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stderr.contains("write it as a quoted decimal"), "{stderr}");
    }
}

#[test]
fn large_integers_are_described_as_what_they_are() {
    let files = Files::new();
    let path = files.write("big.toml", format!("{SERVICE}data_transfer = {HUGE}\n"));
    let out = cost().args(["estimate", "--workload", &path]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("as i128"), "{stderr}");
    let out = cost()
        .args(["estimate", "--batch", "-"])
        .write_stdin("{\"vcpu\": 1, \"memory\": 2, \"count\": 18446744073709551616}\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("18446744073709551616"), "{stderr}");
}

#[test]
fn an_unknown_region_in_a_workload_names_the_file() {
    let files = Files::new();
    let mars = files.write("wl-region-mars.toml", format!("region = \"mars-1\"\n{SERVICE}"));
    fails(&["estimate", "--workload", &mars], None, 1, &["mars-1", "wl-region-mars.toml"]);
    fails(&["diff", &example("web-api/workload.toml"), &mars], None, 1, &["mars-1", "wl-region-mars.toml"]);
}

#[test]
fn a_negative_budget_on_a_batch_line_is_refused() {
    fails(
        &["estimate", "--batch", "-"],
        Some("{\"vcpu\": 1, \"memory\": 2, \"budget\": -1}\n"),
        1,
        &["standard input", "line 1", "`budget`"],
    );
}

#[test]
fn a_float_tier_rate_names_per_gb() {
    let files = Files::new();
    for bad in ["per_gb = 0.09", "per_gb = 1e999"] {
        let path = files.write("rt-float-tier.toml", embedded_table().replacen("per_gb = \"0.09\"", bad, 1));
        fails(
            &["estimate", "--vcpu", "1", "--memory", "2", "--rates", &path],
            None,
            1,
            &["rt-float-tier.toml", "per_gb"],
        );
        let out =
            cost().args(["estimate", "--vcpu", "1", "--memory", "2", "--rates", &path]).output().unwrap();
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("`{"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
