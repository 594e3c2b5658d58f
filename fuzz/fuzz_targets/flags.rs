//! Flag values and whole argument lists. The input is a selector byte, then the arguments: split on
//! NUL when there is one (so an argument can hold a newline), else on newlines; they follow one of
//! a few command prefixes the selector picks. Each argument also goes through the decimal parsers
//! the numeric flags use. Standard input is empty (`-` reads nothing).
#![no_main]

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use libfuzzer_sys::fuzz_target;

/// What the arguments follow: nothing, each command, and commands with a size already given so
/// that the rest of the flags get as far as pricing.
const PREFIXES: &[&[&str]] = &[
    &[],
    &["estimate"],
    &["compare"],
    &["check"],
    &["diff"],
    &["rates"],
    &["estimate", "--vcpu", "1", "--memory", "2"],
    &["compare", "--vcpu", "0.5", "--memory", "1"],
];

/// More than this many arguments adds nothing but time.
const MAX_ARGS: usize = 24;

fuzz_target!(|data: &[u8]| {
    let (selector, rest) = fuzz::selector(data);
    let separator = if rest.contains(&0) { 0 } else { b'\n' };
    let rest = rest.strip_suffix(&[separator]).unwrap_or(rest);
    let tokens: Vec<&[u8]> =
        if rest.is_empty() { Vec::new() } else { rest.split(|&b| b == separator).take(MAX_ARGS).collect() };
    for token in &tokens {
        fuzz::decimal(&fuzz::text(token));
    }
    let mut args = fuzz::args(fuzz::pick(selector, PREFIXES));
    args.extend(tokens.iter().map(|t| OsString::from_vec(t.to_vec())));
    fuzz::cost(&args, b"", None);
});
