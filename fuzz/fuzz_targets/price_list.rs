//! AWS price lists, both shapes (`aws pricing get-products` output and bulk offer files): the
//! streaming reader and the table an import writes, then `rates import FILE` (a file: `import`
//! does not read standard input). A table it imports must pass `rates check` and is then used as
//! `--rates` for an estimate.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (selector, input) = fuzz::selector(data);
    let region = (selector & 1 == 1).then_some("us-east-1");
    let _ = fuzz::price_list(input, region);
    let file = fuzz::scratch_file("prices.json", input);
    let mut args = vec!["rates", "import", &file];
    if let Some(region) = region {
        args.extend(["--region", region]);
    }
    let ran = fuzz::cost_str(&args, b"", None);
    assert!(ran.code <= 1, "rates import exited {}", ran.code);
    if ran.code != 0 {
        return;
    }
    let checked = fuzz::cost_str(&["rates", "check", "-"], &ran.out, None);
    assert_eq!(checked.code, 0, "an imported table fails rates check: {}\n{}", checked.text(), ran.text());
    let rates = fuzz::scratch_file("imported.toml", &ran.out);
    let args: &[&str] = if selector & 2 == 0 {
        &[
            "estimate",
            "--vcpu",
            "1",
            "--memory",
            "2",
            "--data-transfer",
            "20000",
            "--format",
            "json",
            "--rates",
            &rates,
        ]
    } else {
        &["compare", "--vcpu", "1", "--memory", "2", "--count", "4", "--format", "json", "--rates", &rates]
    };
    fuzz::cost_str(args, b"", None);
});
