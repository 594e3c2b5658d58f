//! The `--batch` input cut into chunks of whole lines, numbered from 1. Each byte is searched
//! for a newline once, and at most one block and the start of one line are held: a line longer
//! than `MAX_LINE_BYTES` is not kept but ends the input with its error, or with `--keep-going` is
//! handed out as its fault while the rest of it is read past; so is a line that is not UTF-8.

use std::io::{self, BufRead};

use anyhow::anyhow;

use super::{CHUNK_LINES, Chunk, Failure};

/// The longest line read, in bytes before its newline: 1 MiB. A task line is a few hundred bytes
/// (its longest values are a name and a task definition path), so a line a thousand times that is
/// no task but the wrong input; and the cap bounds memory: what is read and not yet handed out is
/// at most one block (`READ_BYTES`) and the start of one line of at most this. A longer line is an
/// error naming it; with `--keep-going` its error object, and the rest of it is read past, not
/// kept.
const MAX_LINE_BYTES: usize = 1 << 20;

/// Why a line of input could not be read as a line of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fault {
    TooLong,
    NotUtf8,
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::TooLong => write!(f, "the line is longer than {} MiB", MAX_LINE_BYTES >> 20),
            Fault::NotUtf8 => f.write_str("stream did not contain valid UTF-8"),
        }
    }
}

/// With `--keep-going`, where the reader is with a line too long to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overlong {
    No,
    /// Line N is too long: its fault is handed out next, and the rest of it read past.
    Found(u64),
    /// Its fault is handed out; the rest of it is read past, up to its newline.
    Skipping,
}

/// The input, cut into chunks of whole lines.
pub(super) struct Lines<'a> {
    input: Box<dyn BufRead + 'a>,
    /// Whether a read may wait for the input's writer (a stream, not a regular file).
    waits: bool,
    /// `--keep-going`: a line that cannot be read is handed out as its fault, not an error.
    keep_going: bool,
    label: &'a str,
    /// Bytes read; those from `start` on are not yet handed out and begin at line `number`.
    pending: Vec<u8>,
    start: usize,
    /// How far the search for the next newline has got: `pending[start..searched]` has none.
    searched: usize,
    number: u64,
    seq: usize,
    overlong: Overlong,
    /// An error to return once the lines before it have been handed out.
    error: Option<Failure>,
    ended: bool,
}

impl<'a> Lines<'a> {
    /// `waits`: whether a read may wait for the input's writer; `keep_going`: `--keep-going`.
    pub(super) fn new(
        input: Box<dyn BufRead + 'a>,
        (waits, keep_going): (bool, bool),
        label: &'a str,
    ) -> Self {
        Lines {
            input,
            waits,
            keep_going,
            label,
            pending: Vec::new(),
            start: 0,
            searched: 0,
            number: 1,
            seq: 0,
            overlong: Overlong::No,
            error: None,
            ended: false,
        }
    }

    /// Whether the next chunk needs a read that may wait for the input's writer.
    pub(super) fn may_wait(&mut self) -> bool {
        self.waits && !self.has_whole_line()
    }

    /// Whether a whole line is waiting (else the next chunk needs a read, which may wait for the
    /// input's writer), or, once the input has ended, anything at all. Searches on from where the
    /// last search stopped.
    fn has_whole_line(&mut self) -> bool {
        if let Overlong::Found(_) = self.overlong {
            return true;
        }
        if let Some(at) = memchr::memchr(b'\n', &self.pending[self.searched..]) {
            self.searched += at;
            true
        } else {
            self.searched = self.pending.len();
            self.ended && self.start < self.pending.len()
        }
    }

    /// The next up to `CHUNK_LINES` lines, reading more only when no whole line is waiting;
    /// `None` at the end.
    pub(super) fn next_chunk(&mut self, mut chunk: Chunk) -> Result<Option<Chunk>, Failure> {
        while !self.has_whole_line() {
            if self.ended {
                return self.error.take().map_or(Ok(None), Err);
            }
            self.read();
        }
        if let Overlong::Found(number) = self.overlong {
            chunk.lines.push((number, Err(Fault::TooLong)));
            self.overlong = Overlong::Skipping;
        } else {
            self.cut(&mut chunk);
        }
        self.number += chunk.lines.len() as u64;
        chunk.seq = self.seq;
        self.seq += 1;
        Ok(Some(chunk))
    }

    /// Moves the whole lines waiting, up to `CHUNK_LINES`, into `chunk` (the last line of the
    /// input may lack its newline). Without `--keep-going`, a line that cannot be read ends the
    /// input there, with its error.
    fn cut(&mut self, chunk: &mut Chunk) {
        let Chunk { text, lines, .. } = chunk;
        while lines.len() < CHUNK_LINES && self.start < self.pending.len() {
            let end = match memchr::memchr(b'\n', &self.pending[self.searched..]) {
                Some(at) => self.searched + at + 1,
                None if self.ended => self.pending.len(),
                None => {
                    self.searched = self.pending.len();
                    break;
                }
            };
            let number = self.number + lines.len() as u64;
            let bytes = &self.pending[self.start..end];
            let line = if bytes.strip_suffix(b"\n").unwrap_or(bytes).len() > MAX_LINE_BYTES {
                Err(Fault::TooLong)
            } else if let Ok(line) = std::str::from_utf8(bytes) {
                let at = text.len();
                text.push_str(line);
                Ok(at..text.len())
            } else {
                Err(Fault::NotUtf8)
            };
            if let Err(fault) = line
                && !self.keep_going
            {
                self.fail(number, &fault.to_string());
                self.discard();
                break;
            }
            lines.push((number, line));
            self.start = end;
            self.searched = end;
        }
    }

    /// Appends what the input has next to `pending` (while reading past the rest of a line too
    /// long to keep, only what follows its newline); at the end or on an error, marks it ended.
    /// Called only when no whole line is pending (so never with an `Overlong::Found`).
    fn read(&mut self) {
        // What was handed out goes; what is left is at most a part of one line.
        self.pending.drain(..self.start);
        self.searched -= self.start;
        self.start = 0;
        let bytes = match self.input.fill_buf() {
            Ok([]) => {
                self.ended = true;
                return;
            }
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return,
            Err(e) => {
                // What is pending is at most the start of line `number`, which is lost.
                self.fail(self.number, &e.to_string());
                self.discard();
                return;
            }
        };
        let read = bytes.len();
        if self.overlong == Overlong::No {
            self.pending.extend_from_slice(bytes);
        } else if let Some(at) = memchr::memchr(b'\n', bytes) {
            self.overlong = Overlong::No;
            self.pending.extend_from_slice(&bytes[at + 1..]);
        }
        self.input.consume(read);
        if self.pending.len() > MAX_LINE_BYTES && !self.has_whole_line() {
            // The line is already too long, and not yet over: it is not kept.
            self.discard();
            if self.keep_going {
                self.overlong = Overlong::Found(self.number);
            } else {
                self.fail(self.number, &Fault::TooLong.to_string());
            }
        }
    }

    /// Drops what is pending and not yet handed out.
    fn discard(&mut self) {
        self.pending.truncate(self.start);
        self.searched = self.start;
    }

    /// Ends the input at line `number` with an error.
    fn fail(&mut self, number: u64, message: &str) {
        let error = anyhow!("could not read batch {} line {number}: {message}", self.label);
        self.error = Some(Failure::unpriceable(error));
        self.ended = true;
    }
}
