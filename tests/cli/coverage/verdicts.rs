//! `cost diff` and `cost compare` with something unpriced, and a closed pipe never changes the
//! verdict.

use super::*;

#[test]
fn diff_shows_an_unpriced_item_as_unpriced_and_its_gate_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.toml", "[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\ncount = 2\n");
    let new = write(dir.path(), "new.toml", SERVICES);
    let out = run(&["diff", &old, &new, "--format", "json"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    one_line(&out, &["warning:", "odd"]);
    let diff = json_of(&out);
    assert_eq!(diff["items"][1], json!({ "name": "odd", "status": "unpriced", "old": null, "new": null }));
    assert_eq!(diff["new"]["unpriced"][0]["name"], "odd");
    assert_eq!(diff["old"]["unpriced"], json!([]));
    let table = run(&["diff", &old, &new], None).stdout;
    assert!(
        table.lines().any(|l| l.starts_with("| odd ") && l.contains("unpriced") && l.contains("n/a")),
        "{table}"
    );
    assert!(
        table.contains(
            "coverage: old: 1 item priced, none unpriced; new: 1 of 2 items priced; 1 unpriced: odd"
        ),
        "{table}"
    );
    // The gate: --max-increase cannot be checked on what was not priced.
    let out = run(&["diff", &old, &new, "--max-increase", "100"], None);
    assert_eq!(out.code, 4, "{}", out.stderr);
    one_line(&out, &["incomplete: --max-increase cannot be checked", "odd", "--allow-unpriced"]);
    assert_eq!(run(&["diff", &old, &new, "--max-increase", "100", "--allow-unpriced"], None).code, 0);
    // A rise over the limit is 3 either way: old 36.0401 (1 task), new 72.0802.
    let one = write(dir.path(), "one.toml", "[[service]]\nname = \"api\"\nvcpu = 1\nmemory = 2\n");
    assert_eq!(run(&["diff", &one, &new, "--max-increase", "10"], None).code, 3);
}

#[test]
fn compare_leaves_out_what_one_side_cannot_price_on_both_sides() {
    // `odd` (4 vCPU / 3 GB) is no Fargate size but fits an m5.xlarge: compared on neither side,
    // so both totals cover `api` alone.
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "w.toml", SERVICES);
    let out = run(&["compare", "--workload", &path, "--format", "json"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    one_line(&out, &["warning:", "left out of the comparison", "odd"]);
    let comparison = json_of(&out);
    for side in ["fargate", "ec2"] {
        let names: Vec<&str> = comparison[side]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["api"], "{side}");
        assert_eq!(comparison[side]["unpriced"][0]["name"], "odd", "{side}");
    }
    assert_eq!(number(&comparison["fargate"]["total"]), d("72.0802"));
}

// ---------------------------------------------------------------------------------------------
// A closed pipe never changes the verdict
// ---------------------------------------------------------------------------------------------

#[test]
fn the_exit_code_is_the_verdict_when_the_reader_has_gone() {
    let dir = tempfile::tempdir().unwrap();
    let incomplete = write(dir.path(), "incomplete.toml", &workload(Some("100")));
    let over = write(
        dir.path(),
        "over.toml",
        &workload(Some("50")).replace("vcpu = 4\nmemory = 3", "vcpu = 4\nmemory = 8"),
    );
    let batch = write(dir.path(), "batch.jsonl", BATCH);
    for (args, code) in [
        (vec!["check", &over], 3),
        (vec!["check", &incomplete], 4),
        (vec!["estimate", "--workload", &over, "--format", "json"], 3),
        (vec!["estimate", "--batch", &batch, "--budget", "50"], 3),
        (vec!["estimate", "--batch", &batch, "--budget", "100"], 4),
        (vec!["check", &incomplete, "--allow-unpriced"], 0),
    ] {
        let output = common::with_stdout_closed(&args);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        // The verdict's own line is still on stderr; the closed pipe adds nothing.
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(!stderr.contains("pipe"), "{stderr}");
    }
}

#[test]
fn over_budget_piped_to_head_exits_3_under_pipefail() {
    // Enough services that the report is far larger than a pipe holds, so `head -1` goes away
    // while `cost` is still writing (GitHub Actions runs steps with `set -eo pipefail`).
    let dir = tempfile::tempdir().unwrap();
    let services = "[[service]]\nname = \"sN\"\nvcpu = 1\nmemory = 2\n";
    let services: String = (0..600).map(|i| services.replace('N', &i.to_string())).collect();
    let path = write(dir.path(), "big.toml", &format!("[budget]\nlimit = 1\n{services}"));
    let status = Process::new("bash")
        .arg("-c")
        .arg(r#"set -o pipefail; "$0" check "$1" | head -1 > /dev/null"#)
        .arg(assert_cmd::cargo::cargo_bin!("cost"))
        .arg(&path)
        .env("COST_NO_STALE_WARNING", "1")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .output()
        .expect("bash runs");
    assert_eq!(status.status.code(), Some(3), "{}", String::from_utf8_lossy(&status.stderr));
}
