//! Large and hostile inputs are read right: every reader is linear in its input, and memory is
//! bounded by the largest single item. Nothing here is timed (speed is measured by
//! `benches/scale.sh`, not asserted); each test checks what is read. Expected totals are worked
//! out by hand from the us-east-1 rates: Fargate x86 0.04048 per vCPU-hour and 0.004445 per
//! GB-hour, Spot x86 0.01288871 / 0.00141527; 730 hours a month.

mod common;

use common::*;

use std::fmt::Write as _;

/// `count` entries of 1 vCPU / 2 GB, five lines each: entry `i` (from 0) starts on line 5i + 1.
fn workload(count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        let _ = write!(text, "[[service]]\nname = \"s{i}\"\nvcpu = 1\nmemory = 2\n\n");
    }
    text
}

#[test]
fn a_workload_of_twenty_thousand_entries_is_read_with_the_lines_of_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    let path_text = path.display().to_string();
    // 20,000 × 36.0401 (1 vCPU / 2 GB for a month) = 720,802.
    std::fs::write(&path, workload(20_000)).unwrap();
    let report = json(&["estimate", "--workload", &path_text], None);
    assert_eq!(report["items"].as_array().unwrap().len(), 20_000);
    assert_eq!(number(&report["total"]), d("720802"));
    // The last entry reuses the name of entry 10,000 (index 9,999, on line 5 × 9,999 + 1 =
    // 49,996); it starts on line 5 × 20,000 + 1 = 100,001.
    let text = workload(20_000) + "[[service]]\nname = \"s9999\"\nvcpu = 1\nmemory = 2\n";
    std::fs::write(&path, text).unwrap();
    fails(
        &["estimate", "--workload", &path_text],
        None,
        1,
        &["[[service]] \"s9999\" (line 100001): the name is already used on line 49996"],
    );
}
