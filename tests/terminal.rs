//! Colour and layout rules, run in process so stdout can claim to be a terminal: colour and box
//! drawing on a terminal, never colour with `NO_COLOR` set and non-empty, plain ASCII when piped.

use cost::cli::{Context, run};

/// What `cost estimate --vcpu 1 --memory 2` prints, with its exit code.
fn estimate(terminal: bool, no_color: Option<&str>) -> (u8, String) {
    let var = |name: &str| if name == "NO_COLOR" { no_color.map(str::to_owned) } else { None };
    let stdin = || Box::new(std::io::empty()) as Box<dyn std::io::BufRead>;
    let context = Context {
        var: &var,
        stdin: &stdin,
        stdout_is_terminal: terminal,
        today: None,
        warn: &|_| {},
        color: cost::cli::ColorChoice::Auto,
        quiet: false,
    };
    let mut out = Vec::new();
    let exit = run(["cost", "estimate", "--vcpu", "1", "--memory", "2"], &context, &mut out);
    (exit.code, String::from_utf8(out).unwrap())
}

const ESCAPE: char = '\u{1b}';

#[test]
fn a_terminal_gets_colour_and_box_drawing() {
    let (code, out) = estimate(true, None);
    assert_eq!(code, 0);
    assert!(out.contains(ESCAPE), "no ANSI styling on a terminal");
    assert!(out.contains('│') || out.contains('┆'), "no box drawing on a terminal");
}

#[test]
fn no_color_turns_colour_off_but_an_empty_one_does_not() {
    let (_, out) = estimate(true, Some("1"));
    assert!(!out.contains(ESCAPE));
    let (_, out) = estimate(true, Some(""));
    assert!(out.contains(ESCAPE), "an empty NO_COLOR counts as unset");
}

#[test]
fn a_pipe_gets_plain_ascii() {
    let (_, out) = estimate(false, None);
    assert!(out.is_ascii(), "piped tables are plain ASCII");
    assert!(!out.contains(ESCAPE));
}
