//! Streams: an empty batch, `--keep-going` on a bad first line, and broken pipes (a reader that
//! stops early is not an error).

use super::*;

/// An empty stream is zero tasks: no output, exit 0 (README, "Streams": blank lines are skipped).
#[test]
fn an_empty_batch_prints_nothing_and_succeeds() {
    let files = Files::new();
    for (args, stdin) in [
        (vec!["estimate".to_owned(), "--batch".to_owned(), "-".to_owned()], ""),
        (vec!["estimate".to_owned(), "--batch".to_owned(), "-".to_owned()], "\n\n   \n"),
        (vec!["estimate".to_owned(), "--batch".to_owned(), files.write("empty.jsonl", "")], ""),
    ] {
        let out = cost().args(&args).write_stdin(stdin).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{args:?}: {out:?}");
    }
}

/// `--keep-going` puts a bad first line's error in the stream and still exits 1 with one line.
#[test]
fn keep_going_reports_a_bad_first_line_in_place() {
    let out = cost()
        .args(["estimate", "--batch", "-", "--keep-going"])
        .write_stdin("{\"vcpu\": NaN}\n{\"vcpu\": 1, \"memory\": 2}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0]["line"], 1);
    assert!(lines[0]["error"].is_string());
    assert_eq!(lines[1]["name"], "line 2");
    assert_eq!(String::from_utf8(out.stderr).unwrap().lines().count(), 1);
}

// ---------------------------------------------------------------------------------------------
// Broken pipes: a reader that stops early is not an error.
// ---------------------------------------------------------------------------------------------

/// Runs `cost args` with its stdout already closed (the shell waits for a line on stdin before it
/// becomes `cost`); it must exit 0 and say nothing.
fn assert_quiet_on_closed_stdout(args: &[&str]) {
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"read _go; exec "$0" "$@""#)
        .arg(assert_cmd::cargo::cargo_bin!("cost"))
        .args(args)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env("COST_NO_STALE_WARNING", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.stdin.take().unwrap().write_all(b"go\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{args:?}: {output:?}");
    assert!(output.stderr.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// `(cost args; echo exit=$? >&2) | head -c 1`: the reader takes one byte and leaves mid-stream.
fn assert_quiet_under_head(args: &[&str]) {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"("$0" "$@"; echo "exit=$?" >&2) | head -c 1 >/dev/null"#)
        .arg(assert_cmd::cargo::cargo_bin!("cost"))
        .args(args)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env("COST_NO_STALE_WARNING", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "exit=0\n", "{args:?}");
}

fn many_lines(files: &Files) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    for i in 0..20_000 {
        writeln!(text, "{{\"name\": \"t{i}\", \"vcpu\": 1, \"memory\": 2, \"data_transfer\": {i}}}").unwrap();
    }
    files.write("many.jsonl", text)
}

#[test]
fn a_batch_of_many_lines_into_a_closed_pipe_exits_0_quietly() {
    let files = Files::new();
    let batch = many_lines(&files);
    assert_quiet_on_closed_stdout(&["estimate", "--batch", &batch]);
    assert_quiet_under_head(&["estimate", "--batch", &batch]);
    assert_quiet_under_head(&["estimate", "--batch", &batch, "--keep-going"]);
}

#[test]
fn rates_show_into_a_closed_pipe_exits_0_quietly() {
    assert_quiet_on_closed_stdout(&["rates", "show", "us-east-1"]);
    assert_quiet_under_head(&["rates", "show", "us-east-1"]);
    assert_quiet_under_head(&["rates", "show", "us-east-1", "--format", "json"]);
    assert_quiet_under_head(&["rates", "list"]);
}

#[test]
fn a_batch_read_from_a_pipe_into_a_closed_pipe_exits_0_quietly() {
    // Both ends are pipes: `cost` reads lines as they come and stops at the first failed write.
    let files = Files::new();
    let batch = many_lines(&files);
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"(cat "$1" | "$0" estimate --batch -; echo "exit=$?" >&2) | head -c 1 >/dev/null"#)
        .arg(assert_cmd::cargo::cargo_bin!("cost"))
        .arg(&batch)
        .env("COST_NO_STALE_WARNING", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    // `cat` may itself complain of the broken pipe; cost's own exit code is what matters.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.ends_with("exit=0\n"), "{stderr}");
}
