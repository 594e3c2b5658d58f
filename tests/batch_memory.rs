//! `--batch` streams: its memory does not grow with the input. The real binary prices 100,000
//! lines fed through a pipe; its peak resident memory (`VmHWM`, from `/proc`) after the first 1,000
//! lines and after all 100,000 must be nearly the same. Were it to keep even 100 bytes a line, the
//! peak would rise by about 10 MB. Linux only (it reads /proc); nothing is timed.

#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;

const LINE: &str = r#"{"vcpu": 1, "memory": 2, "count": 3, "minutes": 10, "runs": 30, "data_transfer": 5}"#;

/// Peak resident memory of `pid` in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_hundred_thousand_lines_in_flat_memory() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cost"))
        .args(["estimate", "--batch", "-"])
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    // Count output lines on another thread, reporting progress, so the pipes never fill up.
    let stdout = child.stdout.take().unwrap();
    let (progress, seen) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut count = 0u64;
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            assert!(line.starts_with("{\"name\":\"line "), "{line}");
            count += 1;
            if count.is_multiple_of(100) {
                let _ = progress.send(count);
            }
        }
        count
    });
    let wait_for = |at_least: u64| {
        while seen.recv().expect("the batch ended early") < at_least {}
    };
    let feed = |stdin: &mut std::process::ChildStdin, lines: usize| {
        let chunk = format!("{LINE}\n").repeat(1000);
        for _ in 0..lines / 1000 {
            stdin.write_all(chunk.as_bytes()).unwrap();
        }
        stdin.flush().unwrap();
    };
    // The child's output buffer holds back at most 64 KiB (under 100 lines) until it fills.
    feed(&mut stdin, 1_000);
    wait_for(900);
    let after_first = peak_rss_kib(pid);
    feed(&mut stdin, 99_000);
    wait_for(99_900);
    let after_all = peak_rss_kib(pid);
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success());
    assert_eq!(reader.join().unwrap(), 100_000);
    assert!(
        after_all <= after_first + 2048,
        "peak memory grew from {after_first} KiB after 1,000 lines to {after_all} KiB after 100,000"
    );
}
