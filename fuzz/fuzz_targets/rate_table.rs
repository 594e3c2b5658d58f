//! Rate tables (TOML): the parser and what `rates check` and `rates show` do with a table, then the
//! CLI: `rates check -` on standard input (it must agree with the parser), or the table as
//! `--rates FILE` (a file: `--rates` does not read standard input) for `estimate` of flags, of a
//! workload with every kind of item, of a batch, and `compare`.
#![no_main]

use libfuzzer_sys::fuzz_target;

const BATCH: &[u8] = br#"{"name": "api", "vcpu": 1, "memory": 2, "count": 3, "arch": "arm64"}
{"vcpu": 0.25, "memory": 0.5, "hours": 1.5, "runs": 30, "pricing": "spot", "data_transfer": 20000}
{"name": "ec2", "launch_type": "ec2", "vcpu": 1, "memory": 2, "count": 6}
"#;

fuzz_target!(|data: &[u8]| {
    let (selector, input) = fuzz::selector(data);
    let utf8 = std::str::from_utf8(input).is_ok();
    let accepted = fuzz::rate_table(&fuzz::text(input)) && utf8;
    let mode = selector % 7;
    if mode == 0 {
        let ran = fuzz::cost_str(&["rates", "check", "-"], input, None);
        assert!(ran.code <= 1, "rates check exited {}", ran.code);
        if utf8 {
            assert_eq!(ran.code == 0, accepted, "rates check and rates::parse disagree: {:?}", ran.stderr);
        }
        return;
    }
    let rates = fuzz::scratch_file("rates.toml", input);
    let (args, stdin): (Vec<&str>, &[u8]) = match mode {
        1 => (
            vec!["estimate", "--vcpu", "1", "--memory", "2", "--data-transfer", "200000", "--format", "json"],
            b"",
        ),
        2 => (vec!["estimate", "--workload", "-", "--format", "json"], fuzz::FULL_WORKLOAD.as_bytes()),
        3 => (vec!["compare", "--vcpu", "1", "--memory", "2", "--count", "6", "--format", "json"], b""),
        4 => (vec!["estimate", "--vcpu", "2", "--memory", "8", "--os", "windows", "--explain"], b""),
        5 => (
            vec![
                "estimate",
                "--launch-type",
                "ec2",
                "--vcpu",
                "1",
                "--memory",
                "2",
                "--count",
                "10",
                "--format",
                "csv",
            ],
            b"",
        ),
        _ => (vec!["estimate", "--batch", "-", "--keep-going"], BATCH),
    };
    let mut args = args;
    args.extend(["--rates", &rates]);
    let ran = fuzz::cost_str(&args, stdin, None);
    if !accepted {
        assert_eq!(ran.code, 1, "a table the parser refused was used: {:?}", ran.stderr);
    }
});
