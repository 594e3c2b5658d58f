//! The manual: completions for every shell, the man page, `--version`.

use crate::common::*;

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
