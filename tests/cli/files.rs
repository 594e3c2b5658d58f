//! Files in and out, where the hostile catalogue's contract (exit code, nothing on stdout, one
//! line on stderr) is not the whole story: `rates import --out` writes through a symbolic link,
//! keeps the table's mode, refuses what is not a regular file, takes a 255-byte name and leaves no
//! temporary file when stopped by a signal; a batch line naming the batch's own input is refused
//! and the lines after it still priced; a failed write on stdout is exit 1. Unix only (modes,
//! named pipes, signals, `/dev/full`). Every run has a time limit, so a wait on a named pipe fails
//! the test instead of hanging it.

#![cfg(target_os = "linux")]

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::data;

/// Not a timing: long enough for any run here, short enough that a hang fails the test.
const LIMIT: Duration = Duration::from_secs(60);

/// The `cost` binary, with no region or stale-rates warning from the environment.
fn cost() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("cost"));
    cmd.env_remove("AWS_REGION").env_remove("AWS_DEFAULT_REGION").env("COST_NO_STALE_WARNING", "1");
    cmd
}

/// Runs `cmd` (its stdin as set) to the end, capturing its output, or kills it after `LIMIT`
/// and fails.
fn run(cmd: &mut Command) -> Output {
    run_into(cmd, Stdio::piped())
}

/// [`run`], with stdout going to `stdout`.
fn run_into(cmd: &mut Command, stdout: Stdio) -> Output {
    let mut child = cmd.stdout(stdout).stderr(Stdio::piped()).spawn().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            panic!("{cmd:?} still running after {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

/// Runs `cost rates import SAMPLE --out out`.
fn import_to(out: &Path) -> Output {
    run(cost().args(["rates", "import", &data(SAMPLE), "--out"]).arg(out).stdin(Stdio::null()))
}

const SAMPLE: &str = "get-products-AmazonECS-us-east-1-2022-11-25.json";

/// The table `rates import` makes of the sample, as it prints it on stdout.
fn imported_table() -> String {
    let out = run(cost().args(["rates", "import", &data(SAMPLE)]).stdin(Stdio::null()));
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Exit 1, nothing on stdout, one line on stderr holding every needle.
fn assert_refused(out: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{stderr:?} lacks {needle:?}");
    }
}

/// What is in `dir` besides `keep`: a temporary file left behind would be here.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    let names = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned());
    names.filter(|n| !keep.contains(&n.as_str())).collect()
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().expect("mkfifo (coreutils)").success());
}

#[test]
fn out_writes_through_a_symbolic_link_and_keeps_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("rates.toml");
    let link = dir.path().join("current.toml");
    fs::write(&table, "# the old table\n").unwrap();
    fs::set_permissions(&table, fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink("rates.toml", &link).unwrap();
    let out = import_to(&link);
    assert!(out.status.success(), "{out:?}");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    assert_eq!(fs::read_link(&link).unwrap(), PathBuf::from("rates.toml"));
    assert_eq!(fs::read_to_string(&table).unwrap(), imported_table());
    assert_eq!(mode(&table), 0o600);
    assert!(others(dir.path(), &["rates.toml", "current.toml"]).is_empty());
    // Any mode is kept, not only the owner's bits.
    fs::set_permissions(&table, fs::Permissions::from_mode(0o640)).unwrap();
    assert!(import_to(&table).status.success());
    assert_eq!(mode(&table), 0o640);
}

#[test]
fn a_new_table_gets_the_mode_of_any_new_file() {
    let dir = tempfile::tempdir().unwrap();
    for (umask, expected) in [("022", 0o644), ("077", 0o600)] {
        let table = dir.path().join(format!("new-{umask}.toml"));
        let out = run(Command::new("sh")
            .arg("-c")
            .arg(format!(r#"umask {umask}; exec "$0" "$@""#))
            .arg(assert_cmd::cargo::cargo_bin!("cost"))
            .args(["rates", "import", &data(SAMPLE), "--out"])
            .arg(&table)
            .env("COST_NO_STALE_WARNING", "1")
            .stdin(Stdio::null()));
        assert!(out.status.success(), "{out:?}");
        assert_eq!(mode(&table), expected, "umask {umask}");
    }
}

#[test]
fn out_refuses_what_is_not_a_regular_file_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    // A device through a link (never `/dev/null` itself: a regression run as root would replace it).
    let device = dir.path().join("device.toml");
    std::os::unix::fs::symlink("/dev/null", &device).unwrap();
    assert_refused(&import_to(&device), &["device.toml", "character device", "regular file"]);
    assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    assert!(fs::symlink_metadata(&device).unwrap().file_type().is_symlink());
    let fifo = dir.path().join("pipe.toml");
    mkfifo(&fifo);
    assert_refused(&import_to(&fifo), &["pipe.toml", "named pipe", "regular file"]);
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    let folder = dir.path().join("folder.toml");
    fs::create_dir(&folder).unwrap();
    assert_refused(&import_to(&folder), &["folder.toml", "directory"]);
    let dangling = dir.path().join("dangling.toml");
    std::os::unix::fs::symlink("nowhere.toml", &dangling).unwrap();
    assert_refused(&import_to(&dangling), &["dangling.toml", "symbolic link that leads nowhere"]);
    assert!(!dir.path().join("nowhere.toml").exists());
    assert!(others(dir.path(), &["device.toml", "pipe.toml", "folder.toml", "dangling.toml"]).is_empty());
}

#[test]
fn a_table_name_of_255_bytes_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{}.toml", "r".repeat(250));
    assert_eq!(name.len(), 255);
    let table = dir.path().join(&name);
    let out = import_to(&table);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(fs::read_to_string(&table).unwrap(), imported_table());
    assert!(others(dir.path(), &[&name]).is_empty());
}

/// SIGTERM at moments spread over the whole run (before, during and after the write): the table
/// is the old one or the whole new one, and no temporary file is ever left behind. Where the
/// signal lands is not controlled, so this checks what must hold wherever it does; the removal
/// itself is also tested directly (`cli::files` unit tests).
#[test]
fn a_signal_during_an_import_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("rates.toml");
    let new = imported_table();
    let started = Instant::now();
    assert!(import_to(&table).status.success());
    let whole_run = started.elapsed();
    for step in 0..40u32 {
        fs::write(&table, "# the old table\n").unwrap();
        let mut child = cost()
            .args(["rates", "import", &data(SAMPLE), "--out"])
            .arg(&table)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole_run * step / 30);
        // The child is not waited for yet, so its process ID cannot have been reused.
        let kill =
            Command::new("sh").arg("-c").arg(format!("kill -TERM {} 2>/dev/null", child.id())).status();
        assert!(kill.is_ok());
        let _ = child.wait().unwrap();
        let text = fs::read_to_string(&table).unwrap();
        assert!(text == "# the old table\n" || text == new, "a partial table after step {step}: {text}");
        assert!(others(dir.path(), &["rates.toml"]).is_empty(), "left behind after step {step}");
    }
}

/// A batch reading standard input whose line names `/dev/stdin` as its task definition: reading
/// it would take the rest of the stream (from a pipe) or the whole batch again (from a file).
#[test]
fn a_batch_line_naming_the_batch_input_is_refused_and_the_next_lines_priced() {
    let dir = tempfile::tempdir().unwrap();
    let lines =
        "{\"vcpu\": 1, \"memory\": 2}\n{\"task_definition\": \"/dev/stdin\"}\n{\"vcpu\": 2, \"memory\": 4}\n";
    let batch = dir.path().join("batch.jsonl");
    fs::write(&batch, lines).unwrap();
    let args = ["estimate", "--batch", "-", "--keep-going"];
    let from_file = run(cost().args(args).stdin(fs::File::open(&batch).unwrap()));
    let from_pipe = run(Command::new("sh")
        .arg("-c")
        .arg(r#"head -c 1000000 "$1" | "$0" estimate --batch - --keep-going"#)
        .arg(assert_cmd::cargo::cargo_bin!("cost"))
        .arg(&batch)
        .env("COST_NO_STALE_WARNING", "1"));
    for out in [from_file, from_pipe] {
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let items: Vec<serde_json::Value> =
            stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(items.len(), 3, "{stdout}");
        assert_eq!(items[0]["name"], "line 1");
        assert_eq!(items[1]["line"], 2);
        assert!(items[1]["error"].as_str().unwrap().contains("the batch's own input"), "{stdout}");
        assert_eq!(items[2]["name"], "line 3");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("the first: line 2"), "{stderr}");
    }
}

/// A write that fails on stdout (a full disk: `/dev/full`) is exit 1 with one line, for a report,
/// a listing, a stream and the help alike.
#[test]
fn a_failed_write_on_stdout_is_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("batch.jsonl");
    fs::write(&batch, "{\"vcpu\": 1, \"memory\": 2}\n".repeat(3)).unwrap();
    for args in [
        &["estimate", "--vcpu", "1", "--memory", "2"][..],
        &["rates", "show", "us-east-1"],
        &["rates", "import", &data(SAMPLE)],
        &["estimate", "--batch", "-"],
        &["--help"],
    ] {
        let full = fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = run_into(cost().args(args).stdin(fs::File::open(&batch).unwrap()), full.into());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains("could not write the output"), "{args:?}: {stderr}");
    }
}
