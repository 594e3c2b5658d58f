//! `--batch` streams: its memory does not grow with the input. The real binary prices 100,000
//! lines fed through a pipe; its peak resident memory (`VmHWM`, from `/proc`) after the first 1,000
//! lines and after all 100,000 must be nearly the same. Were it to keep even 100 bytes a line, the
//! peak would rise by about 10 MB. And a named pipe given as the batch file is answered line by
//! line, like standard input; lines over the per-line cap are read past, not kept. Linux only (it
//! reads /proc, and makes a FIFO); nothing is timed.

#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

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

/// With `--keep-going`, a line over the 1 MiB per-line cap becomes its error object and the rest
/// of it is read past, never kept: four lines of 32 MiB between short lines leave the peak resident
/// memory under 40 MB (keeping one of them whole, as a copy beside what was read, would take over
/// 64 MB).
#[test]
fn lines_over_the_cap_are_read_past_not_kept() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cost"))
        .args(["estimate", "--batch", "-", "--keep-going"])
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (answer, answers) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = answer.send(line.unwrap());
        }
    });
    let long = vec![b'x'; 32 << 20];
    for _ in 0..4 {
        writeln!(stdin, "{LINE}").unwrap();
        stdin.write_all(br#"{"vcpu": 1, "memory": 2, "name": ""#).unwrap();
        stdin.write_all(&long).unwrap();
        stdin.write_all(b"\"}\n").unwrap();
    }
    writeln!(stdin, "{LINE}").unwrap();
    stdin.flush().unwrap();
    // All nine lines answered (the input still open), then the peak so far.
    let lines: Vec<String> = (0..9).map(|_| answers.recv().expect("the batch ended early")).collect();
    let peak = peak_rss_kib(pid);
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(1));
    reader.join().unwrap();
    for (i, line) in lines.iter().enumerate() {
        let number = i + 1;
        if number % 2 == 0 {
            assert_eq!(line, &format!(r#"{{"line":{number},"error":"the line is longer than 1 MiB"}}"#));
        } else {
            assert!(line.starts_with(&format!(r#"{{"name":"line {number}","#)), "{line}");
        }
    }
    assert!(peak < 40 * 1024, "peak memory {peak} KiB");
}

/// A named pipe is a stream, not a regular file: each line written to it is answered before the
/// writer sends the next, though the pipe stays open (a regular file's reads never wait, so the
/// batch does not stop to write out what it has before each one; a pipe's may wait forever).
#[test]
fn a_named_pipe_is_answered_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("tasks");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo (coreutils)");
    assert!(made.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_cost"))
        .args(["estimate", "--batch"])
        .arg(&fifo)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (answer, answers) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = answer.send(line.unwrap());
        }
    });
    // Opening the FIFO for writing waits for the batch to open it for reading.
    let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    for (n, vcpu) in [(1, "1"), (2, "2")] {
        writeln!(writer, r#"{{"vcpu": {vcpu}, "memory": 4}}"#).unwrap();
        writer.flush().unwrap();
        // Not a timing: a generous bound so that a batch waiting for more input fails the test
        // instead of hanging it.
        let line = answers.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("no answer to line {n} while the pipe stayed open")
        });
        assert!(line.starts_with(&format!(r#"{{"name":"line {n}","#)), "{line}");
        assert!(line.contains(&format!(r#""billed":{{"vcpu":{vcpu},"memory_gb":4,"#)), "{line}");
    }
    drop(writer);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
}
