//! Opening what the commands read. Every file read whole (task definitions, workloads, plans,
//! usage files, reports, rate tables) goes through [`read_input`]: a regular file, or standard
//! input for `-` where the input allows it, at most [`MAX_INPUT_BYTES`]. The price lists
//! `rates import` streams and the `--batch` input are opened by the same [`open`], which refuses,
//! by name and before opening, what each does not accept: a named pipe without a writer would
//! block the open forever, and a device such as `/dev/zero` never ends.

use std::fs::{self, File, FileType, Metadata};
use std::io::{self, Read};
use std::path::Path;

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
    let mut text = String::new();
    // The file may grow after its size was read, and standard input has none.
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| Failure::unpriceable(anyhow!("could not read {label}: {e}")))?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    Ok(text)
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
