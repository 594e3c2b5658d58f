//! Sizes Fargate does not offer: refused, or billed as the smallest that fits with `--round-up`;
//! and EKS pods (`--platform eks`) sized as AWS documents. Worked out by hand from the published
//! us-east-1 rates.

use crate::common::*;

#[test]
fn round_up_bills_the_smallest_size_that_fits() {
    // 1 vCPU / 1.5 GB is not offered; --round-up bills 1 vCPU / 2 GB (= 36.0401 for a month).
    fails(&["estimate", "--vcpu", "1", "--memory", "1.5"], None, 1, &["1.5 GB", "--round-up"]);
    let report = json(&["estimate", "--vcpu", "1", "--memory", "1.5", "--round-up"], None);
    assert_eq!(number(&report["items"][0]["billed"]["memory_gb"]), d("2"));
    assert_eq!(number(&report["total"]), d("36.0401"));
}

#[test]
fn eks_pods_are_sized_as_aws_documents() {
    // 0.25 vCPU / 0.5 GB requested + 0.25 GB → 0.25 vCPU / 1 GB; 4 pods for 730 h:
    // 4 × 0.25 × 730 × 0.04048 = 29.5504; 4 × 1 × 730 × 0.004445 = 12.9794.
    let report =
        json(&["estimate", "--platform", "eks", "--vcpu", "0.25", "--memory", "0.5", "--count", "4"], None);
    let item = &report["items"][0];
    assert_eq!(item["platform"], "eks");
    assert_eq!((number(&item["billed"]["vcpu"]), number(&item["billed"]["memory_gb"])), (d("0.25"), d("1")));
    assert_eq!(number(&report["total"]), d("29.5504") + d("12.9794"));
    // No requests: 0.25 vCPU / 0.5 GB.
    let report = json(&["estimate", "--platform", "eks"], None);
    assert_eq!(number(&report["items"][0]["billed"]["memory_gb"]), d("0.5"));
    for refused in [["--arch", "arm64"], ["--os", "windows"], ["--spot", "--spot"]] {
        let mut args = vec!["estimate", "--platform", "eks", "--vcpu", "1", "--memory", "2"];
        args.extend(refused.iter().take(if refused[0] == "--spot" { 1 } else { 2 }));
        fails(&args, None, 1, &["EKS on Fargate does not offer"]);
    }
}
