//! Files in and out. Every file read whole (task definitions, workloads, plans,
//! usage files, reports, rate tables) goes through [`read_input`]: a regular file, or standard
//! input for `-` where the input allows it, at most [`MAX_INPUT_BYTES`]. The price lists
//! `rates import` streams and the `--batch` input are opened by the same [`open`], which refuses,
//! by name and before opening, what each does not accept: a named pipe without a writer would
//! block the open forever, and a device such as `/dev/zero` never ends. The one file written,
//! `rates import --out`, is written by [`write_atomically`].

use std::fs::{self, File, FileType, Metadata};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use anyhow::anyhow;

use super::Failure;

/// Inputs read whole are at most this large (256 MiB): a larger one is almost certainly the wrong
/// file (a disk image, a log), and reading it would only exhaust memory. A `--batch` line has the
/// same bound.
pub(super) const MAX_INPUT_BYTES: u64 = 256 << 20;

/// What opens standard input (`Context::stdin`): the only part of the context reading a file needs.
pub(super) type Stdin<'a> = &'a dyn Fn() -> Box<dyn io::BufRead + 'a>;

/// What an input may be, besides a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kinds {
    /// Nothing else: the input is read to its end, which a regular file has.
    Regular,
    /// A stream read as it comes (`--batch`): a named pipe, or a terminal.
    Stream,
}

/// Opens `path` to read, with its metadata. What `kinds` does not accept is refused before it is
/// opened (opening a named pipe waits for a writer, and opening a device may act on it), and
/// again once it is open, in case the path was replaced in between. Errors name the file by
/// `label` and end with `accepted`, which says what is read.
pub(super) fn open(
    path: &Path,
    label: &str,
    kinds: Kinds,
    accepted: &str,
) -> Result<(File, Metadata), Failure> {
    let failed = |e: io::Error| Failure::unpriceable(anyhow!("could not read {label}: {e}"));
    let refused = |what: &str| Failure::unpriceable(anyhow!("{label} is {what}: {accepted}"));
    let before = fs::metadata(path).map_err(failed)?;
    if let Some(what) = refusal(before.file_type(), kinds) {
        return Err(refused(what));
    }
    let file = File::open(path).map_err(failed)?;
    let metadata = file.metadata().map_err(failed)?;
    if let Some(what) = refusal(metadata.file_type(), kinds) {
        return Err(refused(what));
    }
    // A device read as a stream must be a terminal: `/dev/zero` or `/dev/urandom` never end.
    let (what, stream) = describe(metadata.file_type());
    if stream == AsStream::IfTerminal && !io::IsTerminal::is_terminal(&file) {
        return Err(refused(&format!("{what} that is not a terminal")));
    }
    Ok((file, metadata))
}

/// Whether a file that is not a regular one can be read as a stream of lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AsStream {
    No,
    Yes,
    /// A device: only a terminal (another, such as `/dev/zero`, may never end).
    IfTerminal,
}

/// What a file of this type is, when `kinds` does not accept it.
fn refusal(kind: FileType, kinds: Kinds) -> Option<&'static str> {
    let (what, stream) = describe(kind);
    let accepted = kind.is_file() || (kinds == Kinds::Stream && stream != AsStream::No);
    (!accepted).then_some(what)
}

/// What a file is (when it is not a regular one), and whether it can be read as a stream.
fn describe(kind: FileType) -> (&'static str, AsStream) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return ("a named pipe (FIFO)", AsStream::Yes);
        }
        if kind.is_char_device() {
            return ("a character device", AsStream::IfTerminal);
        }
        if kind.is_block_device() {
            return ("a block device", AsStream::No);
        }
        if kind.is_socket() {
            return ("a socket", AsStream::No);
        }
    }
    let what = if kind.is_dir() { "a directory" } else { "not a regular file" };
    (what, AsStream::No)
}

/// The whole text of `path`, or of standard input for `-` when `stdin` is given (otherwise `-` is
/// a file name); `label` names it in errors.
pub(super) fn read_input(path: &Path, label: &str, stdin: Option<Stdin<'_>>) -> Result<String, Failure> {
    let too_large = || {
        Failure::unpriceable(anyhow!(
            "{label} is larger than {} MiB; is it the right file?",
            MAX_INPUT_BYTES >> 20
        ))
    };
    let reader: Box<dyn Read> = match stdin {
        Some(stdin) if path == Path::new("-") => Box::new(stdin()),
        _ => {
            let accepted = if stdin.is_some() {
                "give a regular file, or - for standard input"
            } else {
                "give a regular file"
            };
            let (file, metadata) = open(path, label, Kinds::Regular, accepted)?;
            if metadata.len() > MAX_INPUT_BYTES {
                return Err(too_large());
            }
            Box::new(file)
        }
    };
    let mut bytes = Vec::new();
    // The file may grow after its size was read, and standard input has none.
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow!("could not read {label}: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    text_of(bytes).map_err(|why| Failure::unpriceable(anyhow!("{label} {why}")))
}

/// At most this many files are read from one folder (`--task-definition DIR`).
pub(super) const MAX_FOLDER_FILES: usize = 1000;

/// The regular files named `*.json` in the folder `dir` (or links to them), by name: at most
/// [`MAX_FOLDER_FILES`], together at most [`MAX_INPUT_BYTES`]. Anything else in it (other files,
/// folders, devices, named pipes, links that lead nowhere) is left alone; `label` names the folder.
pub(super) fn json_files(dir: &Path, label: &str) -> Result<Vec<PathBuf>, Failure> {
    let failed = |e: io::Error| Failure::unpriceable(anyhow!("could not read {label}: {e}"));
    let (mut found, mut bytes) = (Vec::new(), 0u64);
    for entry in fs::read_dir(dir).map_err(failed)? {
        let path = entry.map_err(failed)?.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let Ok(metadata) = fs::metadata(&path) else { continue };
        if !metadata.is_file() {
            continue;
        }
        bytes = bytes.saturating_add(metadata.len());
        if found.len() == MAX_FOLDER_FILES || bytes > MAX_INPUT_BYTES {
            return Err(Failure::unpriceable(anyhow!(
                "{label} has more than {MAX_FOLDER_FILES} *.json files or {} MiB of them; give the ones the \
                 services use",
                MAX_INPUT_BYTES >> 20
            )));
        }
        found.push(path);
    }
    if found.is_empty() {
        return Err(Failure::unpriceable(anyhow!(
            "{label} has no *.json file: save each task definition as NAME.json \
             (aws ecs describe-task-definition --task-definition FAMILY:REV > NAME.json)"
        )));
    }
    found.sort();
    Ok(found)
}

/// The text of a file's bytes: UTF-8, with a leading byte-order mark dropped (PowerShell and
/// Notepad write one); UTF-16 (what PowerShell's `>` writes) is named, not misread.
fn text_of(mut bytes: Vec<u8>) -> Result<String, String> {
    const BOM: &[u8] = b"\xef\xbb\xbf";
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return Err("is UTF-16 text (as PowerShell's `>` writes it): save it as UTF-8, e.g. with `Out-File -Encoding utf8`".into());
    }
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!("is not UTF-8 text (byte {} is not valid UTF-8)", e.utf8_error().valid_up_to() + 1)
    })
}

/// A file's identity (its device and inode), to tell that two paths name the same file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    /// The identity of a file from its metadata, where the platform gives one.
    #[allow(clippy::unnecessary_wraps, reason = "`None` where the platform has no inodes")]
    pub(super) fn of(metadata: &Metadata) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Some(FileId { device: metadata.dev(), inode: metadata.ino() })
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            None
        }
    }

    /// The identity of the file `path` names (through symbolic links), if it can be seen.
    pub(super) fn at(path: &Path) -> Option<FileId> {
        fs::metadata(path).ok().as_ref().and_then(FileId::of)
    }

    /// The identity of standard input, as `/dev/stdin` names it.
    pub(super) fn stdin() -> Option<FileId> {
        FileId::at(Path::new("/dev/stdin"))
    }
}

/// Writes `bytes` to the file `path` whole or not at all: to a new temporary file beside it
/// (`.cost-XXXXXX.tmp`), synced, then renamed over it. A symbolic link is written through: its
/// final target is replaced and the link kept. What exists and is not a regular file (a
/// directory, a device, a named pipe) is refused, as is a link that leads nowhere. The file
/// keeps its permissions; a new one gets those of any new file (0666 less the umask). On any
/// failure, and on SIGINT or SIGTERM before the rename, the temporary file is removed
/// and `path` is as it was.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let shown = path.display();
    let failed = |e: io::Error| Failure::unpriceable(anyhow!("could not write `{shown}`: {e}"));
    let refused = |what: &str| {
        Failure::unpriceable(anyhow!(
            "`{shown}` {what}: --out writes a regular file (replacing it whole), or a new one"
        ))
    };
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = if is_link {
        fs::canonicalize(path)
            .map_err(|e| refused(&format!("is a symbolic link that leads nowhere ({e})")))?
    } else {
        path.to_path_buf()
    };
    let existing = match fs::metadata(&target) {
        Ok(metadata) => Some(metadata),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(failed(e)),
    };
    if let Some(metadata) = &existing
        && !metadata.is_file()
    {
        return Err(refused(&format!("is {}", describe(metadata.file_type()).0)));
    }
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    #[cfg(unix)]
    remove_on_signals().map_err(failed)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".cost-").suffix(".tmp").rand_bytes(6);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temporary = {
        // Held from the file's creation until a signal would find its path.
        let mut pending = pending();
        let temporary = builder.tempfile_in(dir).map_err(failed)?;
        *pending = Some(temporary.path().to_path_buf());
        temporary
    };
    let written = (|| {
        if let Some(metadata) = &existing {
            temporary.as_file().set_permissions(metadata.permissions())?;
        }
        temporary.write_all(bytes)?;
        temporary.as_file().sync_all()
    })();
    // Held through the rename: a signal now waits for it, and then finds nothing to remove.
    let mut pending = pending();
    *pending = None;
    // On an error the temporary file is removed as it is dropped.
    written.and_then(|()| temporary.persist(&target).map(drop).map_err(|e| e.error)).map_err(failed)
}

/// The temporary file `write_atomically` is writing, until it is renamed into place.
static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

fn pending() -> MutexGuard<'static, Option<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes the temporary file being written, if any, and returns the lock on it: held until the
/// process ends, so that no rename follows.
#[cfg(unix)]
fn remove_pending() -> MutexGuard<'static, Option<PathBuf>> {
    let mut pending = pending();
    if let Some(path) = pending.take() {
        let _ = fs::remove_file(path);
    }
    pending
}

/// From now on, SIGINT and SIGTERM remove the temporary file being written (if any) and then end
/// the process as they would have by default. (Not SIGHUP: `nohup` ignores it, and a handler
/// would undo that.)
#[cfg(unix)]
fn remove_on_signals() -> io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _held = remove_pending();
            // Ends the process by the signal itself; should that fail, by its exit code.
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_signal_removes_the_temporary_file_being_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".cost-abcdef.tmp");
        fs::write(&path, "half a table").unwrap();
        *pending() = Some(path.clone());
        let held = remove_pending();
        assert!(held.is_none());
        assert!(!path.exists());
    }

    #[test]
    fn text_is_utf8_with_or_without_a_byte_order_mark() {
        assert_eq!(text_of(b"\xef\xbb\xbf{\"a\": 1}".to_vec()), Ok("{\"a\": 1}".to_owned()));
        assert_eq!(text_of(b"plain".to_vec()), Ok("plain".to_owned()));
        // A mark anywhere else is the file's own text.
        assert_eq!(text_of(b"a\xef\xbb\xbf".to_vec()), Ok("a\u{feff}".to_owned()));
        for utf16 in [&b"\xff\xfe{\0"[..], &b"\xfe\xff\0{"[..]] {
            assert!(text_of(utf16.to_vec()).unwrap_err().contains("UTF-16"), "{utf16:?}");
        }
        assert_eq!(
            text_of(b"ab\xffc".to_vec()),
            Err("is not UTF-8 text (byte 3 is not valid UTF-8)".to_owned())
        );
    }
}
