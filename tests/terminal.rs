//! Colour and layout rules, run in process so stdout can claim to be a terminal: colour and box
//! drawing on a terminal, never colour with `NO_COLOR` set and non-empty, plain ASCII when piped.

use cost::cli::{Context, Outcome, run};

fn estimate(terminal: bool, no_color: Option<&str>) -> Outcome {
    let var = |name: &str| if name == "NO_COLOR" { no_color.map(str::to_owned) } else { None };
    let read_stdin = || Ok(String::new());
    let context = Context { var: &var, read_stdin: &read_stdin, stdout_is_terminal: terminal };
    run(["cost", "estimate", "--vcpu", "1", "--memory", "2"], &context)
}

const ESCAPE: char = '\u{1b}';

#[test]
fn a_terminal_gets_colour_and_box_drawing() {
    let out = estimate(true, None);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains(ESCAPE), "no ANSI styling on a terminal");
    assert!(out.stdout.contains('│') || out.stdout.contains('┆'), "no box drawing on a terminal");
}

#[test]
fn no_color_turns_colour_off_but_an_empty_one_does_not() {
    let out = estimate(true, Some("1"));
    assert!(!out.stdout.contains(ESCAPE));
    let out = estimate(true, Some(""));
    assert!(out.stdout.contains(ESCAPE), "an empty NO_COLOR counts as unset");
}

#[test]
fn a_pipe_gets_plain_ascii() {
    let out = estimate(false, None);
    assert!(out.stdout.is_ascii(), "piped tables are plain ASCII");
    assert!(!out.stdout.contains(ESCAPE));
}
