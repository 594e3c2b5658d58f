//! Fitting in: completions for every shell, the man page, `--explain`, `--color`, `--quiet`,
//! `--version`, and the shipped examples priced by hand.

mod common;

use common::*;
use rust_decimal::Decimal;

#[test]
fn completions_name_every_subcommand_in_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = cost().args(["completions", shell]).assert().success().get_output().stdout.clone();
        let script = String::from_utf8(out).unwrap();
        for subcommand in ["estimate", "check", "diff", "compare", "rates", "completions"] {
            assert!(script.contains(subcommand), "{shell} completions lack {subcommand}");
        }
    }
    fails(&["completions", "tcsh"], None, 2, &["tcsh", "bash"]);
}

#[test]
fn the_man_page_is_roff_with_the_usual_sections() {
    let out = cost().arg("man").assert().success().get_output().stdout.clone();
    let page = String::from_utf8(out).unwrap();
    assert!(page.starts_with(".ie") || page.starts_with(".TH") || page.contains("\n.TH "), "{}", &page[..80]);
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH \"EXIT STATUS\"", ".SH ENVIRONMENT"] {
        assert!(page.contains(section), "the man page lacks {section}");
    }
    assert!(page.contains("over budget"));
}

#[test]
fn version_names_the_newest_rate_date() {
    let out = cost().arg("--version").assert().success().get_output().stdout.clone();
    let version = String::from_utf8(out).unwrap();
    // The newest `effective` in pricing/ is Seoul's 2026-10-01.
    assert_eq!(
        version.trim(),
        format!("cost {} (embedded rate tables up to 2026-10-01)", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn explain_gives_each_formula_with_the_tables_amounts() {
    // The spec's example with storage and data transfer: 5 tasks × 1 vCPU × 600 s × 30 runs.
    let args = [
        "estimate",
        "--vcpu",
        "1",
        "--memory",
        "2",
        "--count",
        "5",
        "--minutes",
        "10",
        "--runs",
        "30",
        "--ephemeral-storage",
        "30",
        "--data-transfer",
        "100",
        "--explain",
    ];
    let out = cost().args(args).assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    // 25 vCPU-h × 0.04048 = 1.012 → $1.01; 50 GB-h × 0.004445 = 0.22225 → $0.22;
    // 5 × 10 GB × 600 s × 30 / 3600 = 250 GB-h × 0.000111 = 0.02775 → $0.03; 100 GB × 0.09 = $9.00.
    for formula in [
        "vCPU: 5 tasks × 1 vCPU × 600 s × 30 runs × $0.04048/h ÷ 3600 = $1.01",
        "memory: 5 tasks × 2 GB × 600 s × 30 runs × $0.004445/h ÷ 3600 = $0.22",
        "storage above 20 GB: 5 tasks × 10 GB × 600 s × 30 runs × $0.000111/h ÷ 3600 = $0.03",
        "data transfer, first 10 TB: 100 GB × $0.09/GB = $9.00",
    ] {
        assert!(text.contains(formula), "missing `{formula}` in\n{text}");
    }
    let explained = &text[text.find("how each line is computed").unwrap()..];
    insta::assert_snapshot!("explain_spec_example", explained);
    // Every amount a formula ends with is one the table shows.
    let table = text.split("how each line is computed").next().unwrap();
    for line in text.lines().filter(|l| l.contains(" = $")) {
        let amount = line.rsplit(" = ").next().unwrap();
        assert!(table.contains(amount), "{amount} is not in the table");
    }
    // EC2 and the cluster fee: 4 × t3.medium; 730 h × $0.10 = $73.00.
    let out = cost()
        .args(["compare", "--vcpu", "0.5", "--memory", "1", "--count", "10", "--explain"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(
            "EC2 instances: 4 instances (t3.medium) × 2,628,000 s × 1 run × $0.0416/h ÷ 3600 = $121.47"
        ),
        "{text}"
    );
    let out = cost()
        .args(["estimate", "--workload", &example("eks-platform/workload.toml"), "--explain"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("EKS cluster: 730 h × $0.10/h = $73.00"));
}

#[test]
fn colour_follows_the_flag_then_no_color_then_clicolor_force() {
    let escapes = |extra: &[&str], env: &[(&str, &str)]| {
        let mut cmd = cost();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd
            .args(["estimate", "--vcpu", "1", "--memory", "2"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        out.contains(&0x1b)
    };
    assert!(!escapes(&[], &[]), "a pipe gets no colour");
    assert!(escapes(&["--color", "always"], &[]));
    assert!(escapes(&["--color", "always"], &[("NO_COLOR", "1")]), "the flag beats the environment");
    assert!(!escapes(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(escapes(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(
        !escapes(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]),
        "NO_COLOR wins over CLICOLOR_FORCE"
    );
    assert!(!escapes(&[], &[("CLICOLOR_FORCE", "0")]));
    fails(
        &["estimate", "--vcpu", "1", "--memory", "2", "--color", "sometimes"],
        None,
        2,
        &["--color", "always"],
    );
}

#[test]
fn quiet_prints_only_the_amount() {
    let quiet = |args: &[&str]| {
        let out = cost().args(args).assert().get_output().stdout.clone();
        String::from_utf8(out).unwrap()
    };
    // 730 × 0.04048 + 1460 × 0.004445 = 36.0401 → 36.04.
    assert_eq!(quiet(&["-q", "estimate", "--vcpu", "1", "--memory", "2"]), "36.04\n");
    assert_eq!(quiet(&["estimate", "--vcpu", "1", "--memory", "2", "--quiet"]), "36.04\n");
    // The web-api example: 148.8231525 → 148.82.
    assert_eq!(quiet(&["check", &example("web-api/workload.toml"), "-q"]), "148.82\n");
    // Over budget, the amount is still all stdout holds (exit 3, one stderr line).
    let out = cost()
        .args(["check", &example("web-api/workload.toml"), "-q", "--budget", "100"])
        .assert()
        .code(3)
        .get_output()
        .clone();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "148.82\n");
    assert_eq!(String::from_utf8(out.stderr).unwrap().lines().count(), 1);
}

#[test]
fn the_eks_platform_example() {
    // web: 6 pods of 0.5 vCPU / 1 GB + 0.25 GB → 0.5 vCPU / 2 GB, 730 h:
    //      6 × 0.5 × 730 × 0.04048 = 88.6512; 6 × 2 × 730 × 0.004445 = 38.9382.
    // jobs: 2 pods of 1 vCPU / 3 GB + 0.25 → 1 vCPU / 4 GB, 30 min × 60 runs = 30 h each:
    //      60 vCPU-h × 0.04048 = 2.4288; 240 GB-h × 0.004445 = 1.0668.
    // clusters: prod 730 × 0.10 = 73; staging 200 × 0.60 (extended) = 120.
    // ECR: 30 × 0.10 = 3; 5 × 0.10 = 0.5.
    let report = json(&["estimate", "--workload", &example("eks-platform/workload.toml")], None);
    let totals: Vec<Decimal> =
        report["items"].as_array().unwrap().iter().map(|i| number(&i["total"])).collect();
    assert_eq!(
        totals,
        [d("88.6512") + d("38.9382"), d("2.4288") + d("1.0668"), d("73"), d("120"), d("3"), d("0.5")]
    );
    assert_eq!(number(&report["total"]), d("327.585"));
    assert_eq!(report["budget"]["exceeded"], false);
}

#[test]
fn the_fargate_versus_ec2_example() {
    // ingest on Fargate: 8 × 1 × 730 × 0.04048 = 236.4032; 8 × 2 × 730 × 0.004445 = 51.9176.
    // cache on EC2: r5.large holds 2 tasks of 1 vCPU / 6 GB (CPU 2/1; memory (16384 − 512) / 6144 → 2):
    //      1 instance × 730 × 0.126 = 91.98.
    let ingest = d("236.4032") + d("51.9176");
    let report = json(&["estimate", "--workload", &example("fargate-vs-ec2/workload.toml")], None);
    assert_eq!(number(&report["total"]), ingest + d("91.98"));
    // compare: cache on Fargate 2 × 730 × 0.04048 + 2 × 6 × 730 × 0.004445 = 59.1008 + 38.9382;
    // ingest on EC2: t3.medium holds 1 (memory (4096 − 512) / 2048 → 1) at 0.0416, the cheapest
    // fleet: 8 × 730 × 0.0416 = 242.944 (m5.large: 4 × 0.096 = 0.384/h > 8 × 0.0416 = 0.3328/h).
    let c = json(&["compare", "--workload", &example("fargate-vs-ec2/workload.toml")], None);
    let fargate = ingest + d("59.1008") + d("38.9382");
    let ec2 = d("242.944") + d("91.98");
    assert_eq!((number(&c["fargate"]["total"]), number(&c["ec2"]["total"])), (fargate, ec2));
    assert_eq!(c["cheaper"], "ec2");
    assert_eq!(number(&c["difference"]), fargate - ec2);
}
