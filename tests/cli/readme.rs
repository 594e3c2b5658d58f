//! The README stays true: its first example is what `cost estimate --vcpu 1 --memory 2` prints
//! (checked by hand too: 730 h × $0.04048 = $29.55, 1,460 GB-h × $0.004445 = $6.49, $36.04).

use assert_cmd::Command;

#[test]
fn the_readme_example_is_what_the_binary_prints() {
    let readme = include_str!("../../README.md");
    let start = readme.find("$ cost estimate --vcpu 1 --memory 2\n").expect("the README shows the example");
    let block = &readme[start..];
    let shown = &block[block.find('\n').unwrap() + 1..block.find("```").unwrap()];
    let out = Command::cargo_bin("cost")
        .unwrap()
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .args(["estimate", "--vcpu", "1", "--memory", "2"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap(), shown);
}
