//! JSON, schema version 1 (`spec/cli.md`): every number is the exact Decimal's digits.
//!
//! All JSON `cost` writes goes through [`Writer`], a `serde` serializer into a byte buffer that
//! writes the same bytes as `serde_json` (compact, or pretty with two-space indents) but faster:
//! each key is written with its quotes, separator and colon in one copy, strings that need no
//! escaping (nearly all) are copied whole, and numbers are formatted on the stack. On a
//! `--batch` line that took writing from about 13,000 instructions to about 2,000. Exact decimals
//! arrive as `serde_json`'s `arbitrary_precision` number token (see [`crate::money::json_number`])
//! and are written as the bare digits. Floating-point values are refused: none are ever written.

// `#[inline(always)]` on the per-field path: measured with callgrind on a 50,000-line batch, plain
// `#[inline]` costs 5% more instructions (the keys stop being constants where they are copied).
#![allow(clippy::inline_always)]

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::{self, Impossible};

use crate::money::{JSON_NUMBER_TOKEN, TextOut, push_plain};
use crate::report::Note;
use crate::report::{Billed, Budget, Item, ItemKind, Line, Report};

pub fn render(report: &Report) -> Result<String, Error> {
    pretty(report)
}

/// Pretty JSON with a final newline: every `--format json` output.
pub(crate) fn pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = Vec::with_capacity(4096);
    value.serialize(&mut Writer::new(&mut out, true))?;
    out.push(b'\n');
    // Only valid UTF-8 is ever written: `str`s whole or split at ASCII bytes, and ASCII.
    String::from_utf8(out).map_err(|_| Error("the JSON written is not UTF-8".into()))
}

/// Appends `value` as compact JSON (one line, no final newline) to `out`.
pub(crate) fn compact<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    value.serialize(&mut Writer::new(out, false))
}

/// A Fargate or EKS task item (what a `--batch` line prices) as compact JSON: the bytes
/// [`compact`] writes for it, written field by field here instead of through serde's calls. The
/// patterns below name every field, so a field added to these types stops the build until it is
/// written here too; a test compares the two on random items. Other items go through [`compact`].
/// Callgrind on a 50,000-line batch: 1,000 M -> 823 M instructions (3,500 fewer a line).
pub(crate) fn compact_item(item: &Item, out: &mut Vec<u8>) -> Result<(), Error> {
    let Item { name, kind, lines, total, notes, budget } = item;
    let ItemKind::Task { launch_type, platform, billed, packing: None } = kind else {
        return compact(item, out);
    };
    let Billed { vcpu, memory_gb, seconds_per_run, runs, count, arch, os, pricing, ephemeral_storage_gb } =
        billed;
    out.extend_from_slice(b"{\"name\":");
    write_string(out, name);
    out.extend_from_slice(b",\"kind\":\"task\",\"launch_type\":");
    variant(out, launch_type.as_str());
    out.extend_from_slice(b",\"platform\":");
    variant(out, platform.as_str());
    out.extend_from_slice(b",\"billed\":{\"vcpu\":");
    push_plain(out, *vcpu);
    out.extend_from_slice(b",\"memory_gb\":");
    push_plain(out, *memory_gb);
    out.extend_from_slice(b",\"seconds_per_run\":");
    push_plain(out, *seconds_per_run);
    out.extend_from_slice(b",\"runs\":");
    write_integer(out, false, *runs);
    out.extend_from_slice(b",\"count\":");
    write_integer(out, false, *count);
    out.extend_from_slice(b",\"arch\":");
    variant(out, arch.as_str());
    out.extend_from_slice(b",\"os\":");
    variant(out, os.as_str());
    out.extend_from_slice(b",\"pricing\":");
    variant(out, pricing.as_str());
    out.extend_from_slice(b",\"ephemeral_storage_gb\":");
    push_plain(out, *ephemeral_storage_gb);
    out.extend_from_slice(b"},\"lines\":[");
    for (i, line) in lines.iter().enumerate() {
        let Line { component, quantity, rate, cost, detail, rates } = line;
        out.extend_from_slice(if i == 0 { b"{\"component\":" } else { b",{\"component\":" });
        variant(out, component.key());
        out.extend_from_slice(b",\"quantity\":");
        push_plain(out, *quantity);
        out.extend_from_slice(b",\"unit\":");
        variant(out, component.unit());
        out.extend_from_slice(b",\"rate\":");
        push_plain(out, *rate);
        out.extend_from_slice(b",\"cost\":");
        push_plain(out, *cost);
        out.extend_from_slice(b",\"detail\":");
        write_string(out, detail);
        out.extend_from_slice(b",\"rates\":");
        match rates {
            Some(section) => write_string(out, section),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"total\":");
    push_plain(out, *total);
    out.extend_from_slice(b",\"notes\":[");
    for (i, note) in notes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match note {
            // Text from outside the crate's own pieces (a library user may build either).
            Note::Text(text) => write_string(out, text),
            Note::Fixed(text) => write_string(out, text),
            note => {
                out.push(b'"');
                note.write_to(&mut Unescaped(out));
                out.push(b'"');
            }
        }
    }
    out.push(b']');
    if let Some(Budget { limit, exceeded }) = budget {
        out.extend_from_slice(b",\"budget\":{\"limit\":");
        push_plain(out, *limit);
        out.extend_from_slice(if *exceeded { b",\"exceeded\":true}" } else { b",\"exceeded\":false}" });
    }
    out.push(b'}');
    Ok(())
}

/// A JSON string's contents written as they come: for a [`Note`]'s own pieces and decimals, which
/// need no escaping (a test writes every kind of note both ways).
struct Unescaped<'a>(&'a mut Vec<u8>);

impl TextOut for Unescaped<'_> {
    fn piece(&mut self, text: &str) {
        debug_assert!(!needs_escape(text.as_bytes()), "{text}");
        self.0.extend_from_slice(text.as_bytes());
    }

    fn plain(&mut self, value: Decimal) {
        push_plain(self.0, value);
    }
}

/// A quoted enum variant name: `as_str` and `key` give the serde names, constants that need no
/// escaping (the property test below checks every variant against serde).
#[inline(always)]
fn variant(out: &mut Vec<u8>, name: &'static str) {
    debug_assert!(!needs_escape(name.as_bytes()), "{name}");
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.push(b'"');
}

/// Why a value could not be written as JSON: a float, raw bytes, or a map key that is not text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

/// The serializer: the output, whether to indent, and where in the document it is.
pub(crate) struct Writer<'o> {
    out: &'o mut Vec<u8>,
    pretty: bool,
    depth: usize,
    /// The next string is a number token's digits, to be written bare.
    bare: bool,
}

impl<'o> Writer<'o> {
    fn new(out: &'o mut Vec<u8>, pretty: bool) -> Self {
        Writer { out, pretty, depth: 0, bare: false }
    }

    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.depth += 1;
    }

    /// Closes an object or array; `any` says whether it had members (an empty one stays `{}`).
    fn close(&mut self, bracket: u8, any: bool) {
        self.depth -= 1;
        if self.pretty && any {
            self.newline();
        }
        self.out.push(bracket);
    }

    /// Before a member or element: the comma after the previous one, then the line break and
    /// indent when pretty.
    #[inline]
    fn separate(&mut self, first: bool) {
        if !first {
            self.out.push(b',');
        }
        if self.pretty {
            self.newline();
        }
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        for _ in 0..self.depth {
            self.out.extend_from_slice(b"  ");
        }
    }

    /// `"key":` (or `"key": ` when pretty), escaped as needed: a map's keys.
    fn key(&mut self, key: &str) {
        write_string(self.out, key);
        self.out.extend_from_slice(if self.pretty { b": " } else { b":" });
    }

    /// The same for a name this crate's own types give (a struct field's or an enum variant's,
    /// constants that never need escaping): written without looking at its bytes, in one copy.
    #[inline(always)]
    fn name(&mut self, name: &'static str) {
        debug_assert!(!needs_escape(name.as_bytes()), "{name}");
        self.out.reserve(name.len() + 4);
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(if self.pretty { b"\": " } else { b"\":" });
    }

    fn integer(&mut self, negative: bool, value: u64) {
        write_integer(self.out, negative, value);
    }
}

/// An integer's digits, with its sign.
fn write_integer(out: &mut Vec<u8>, negative: bool, value: u64) {
    let mut digits = [0u8; 21];
    let mut at = digits.len();
    let mut rest = value;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        digits[at] = b'-';
    }
    out.extend_from_slice(&digits[at..]);
}

/// Whether any byte of `bytes` must be escaped in a JSON string: `"`, `\\` or a control character.
/// Eight bytes at a time: a word has a byte below 0x20 when `(x - 0x20…) & !x & 0x80…` is not
/// zero, and a byte equal to `c` when the same holds for `x ^ c…` below 1. The last few bytes of a
/// text of eight or more are checked as the last eight, overlapping the word before them, rather
/// than one at a time.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH != 0;
    let word = |chunk: &[u8]| {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        let x = u64::from_le_bytes(eight);
        below(x, 0x20) || below(x ^ (ONES * u64::from(b'"')), 1) || below(x ^ (ONES * u64::from(b'\\')), 1)
    };
    if bytes.len() < 8 {
        return bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
    }
    let mut words = bytes.chunks_exact(8);
    if words.any(word) {
        return true;
    }
    !words.remainder().is_empty() && word(&bytes[bytes.len() - 8..])
}

/// `text` as a quoted JSON string, escaped as `serde_json` escapes it.
fn write_string(out: &mut Vec<u8>, text: &str) {
    out.reserve(text.len() + 2);
    out.push(b'"');
    let bytes = text.as_bytes();
    if needs_escape(bytes) {
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0x00..=0x1f => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(&bytes[start..i]);
                    out.extend_from_slice(&[
                        b'\\',
                        b'u',
                        b'0',
                        b'0',
                        HEX[usize::from(b >> 4)],
                        HEX[usize::from(b & 0xf)],
                    ]);
                    start = i + 1;
                    continue;
                }
                _ => continue,
            };
            out.extend_from_slice(&bytes[start..i]);
            out.extend_from_slice(escape);
            start = i + 1;
        }
        out.extend_from_slice(&bytes[start..]);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

fn refuse<T>(what: &str) -> Result<T, Error> {
    Err(Error(format!("{what} cannot be written as exact JSON")))
}

impl<'a, 'o> ser::Serializer for &'a mut Writer<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'o>;
    type SerializeTuple = Compound<'a, 'o>;
    type SerializeTupleStruct = Compound<'a, 'o>;
    type SerializeTupleVariant = Compound<'a, 'o>;
    type SerializeMap = Compound<'a, 'o>;
    type SerializeStruct = Compound<'a, 'o>;
    type SerializeStructVariant = Compound<'a, 'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.integer(v < 0, v.unsigned_abs());
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.integer(false, v);
        Ok(())
    }

    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        refuse("a binary floating-point number")
    }

    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        refuse("a binary floating-point number")
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        if std::mem::take(&mut self.bare) {
            self.out.extend_from_slice(v.as_bytes());
        } else {
            write_string(self.out, v);
        }
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        refuse("raw bytes")
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        debug_assert!(!needs_escape(variant.as_bytes()), "{variant}");
        self.out.reserve(variant.len() + 2);
        self.out.push(b'"');
        self.out.extend_from_slice(variant.as_bytes());
        self.out.push(b'"');
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.open(b'{');
        self.separate(true);
        self.name(variant);
        value.serialize(&mut *self)?;
        self.close(b'}', true);
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a, 'o>, Error> {
        self.open(b'[');
        Ok(Compound { writer: self, first: true, close: b']', outer: None })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'o>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a, 'o>, Error> {
        self.serialize_seq(Some(len))
    }

    /// `{"variant": [...]}`, as `serde_json` writes it.
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a, 'o>, Error> {
        self.open(b'{');
        self.separate(true);
        self.name(variant);
        self.open(b'[');
        Ok(Compound { writer: self, first: true, close: b']', outer: Some(b'}') })
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a, 'o>, Error> {
        self.open(b'{');
        Ok(Compound { writer: self, first: true, close: b'}', outer: None })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'a, 'o>, Error> {
        if name == JSON_NUMBER_TOKEN {
            // Its one field is the number's text, written bare; no brackets.
            return Ok(Compound { writer: self, first: true, close: 0, outer: None });
        }
        self.serialize_map(Some(len))
    }

    /// `{"variant": {...}}`, as `serde_json` writes it.
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a, 'o>, Error> {
        self.open(b'{');
        self.separate(true);
        self.name(variant);
        self.open(b'{');
        Ok(Compound { writer: self, first: true, close: b'}', outer: Some(b'}') })
    }
}

/// An object or array being written: `close` is its closing bracket (0 for a number token),
/// `outer` the bracket of an enclosing `{"variant": ...}`.
pub(crate) struct Compound<'a, 'o> {
    writer: &'a mut Writer<'o>,
    first: bool,
    close: u8,
    outer: Option<u8>,
}

impl Compound<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.writer.separate(self.first);
        self.first = false;
        value.serialize(&mut *self.writer)
    }

    #[inline(always)]
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        if self.close == 0 {
            self.writer.bare = true;
            let written = value.serialize(&mut *self.writer);
            self.writer.bare = false;
            return written;
        }
        self.writer.separate(self.first);
        self.first = false;
        self.writer.name(key);
        value.serialize(&mut *self.writer)
    }

    fn finish(self) {
        if self.close != 0 {
            self.writer.close(self.close, !self.first);
        }
        if let Some(outer) = self.outer {
            self.writer.close(outer, true);
        }
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.writer.separate(self.first);
        self.first = false;
        key.serialize(KeyWriter(&mut *self.writer))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

/// A map key: text (or a character, or an enum's unit variant) written as `"key":`; an integer
/// key is quoted, as `serde_json` does. Anything else is refused.
struct KeyWriter<'a, 'o>(&'a mut Writer<'o>);

impl KeyWriter<'_, '_> {
    fn integer(self, negative: bool, value: u64) {
        self.0.out.push(b'"');
        self.0.integer(negative, value);
        self.0.out.extend_from_slice(if self.0.pretty { b"\": " } else { b"\":" });
    }
}

impl ser::Serializer for KeyWriter<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.0.key(v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.integer(v < 0, v.unsigned_abs());
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.integer(false, v);
        Ok(())
    }

    fn serialize_bool(self, _: bool) -> Result<(), Error> {
        refuse("a map key that is not text")
    }

    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        refuse("a map key that is not text")
    }

    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        refuse("a map key that is not text")
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        refuse("a map key that is not text")
    }

    fn serialize_none(self) -> Result<(), Error> {
        refuse("a map key that is not text")
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        refuse("a map key that is not text")
    }

    fn serialize_unit(self) -> Result<(), Error> {
        refuse("a map key that is not text")
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        refuse("a map key that is not text")
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        refuse("a map key that is not text")
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        refuse("a map key that is not text")
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        refuse("a map key that is not text")
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        refuse("a map key that is not text")
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        refuse("a map key that is not text")
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        refuse("a map key that is not text")
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        refuse("a map key that is not text")
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        refuse("a map key that is not text")
    }
}

#[cfg(test)]
mod tests {
    //! The writer must write what `serde_json` writes, byte for byte, compact and pretty.
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::Serialize;

    use super::*;
    use crate::money::JsonNumber;

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { a: Option<u8>, b: Vec<u8> },
    }

    #[derive(Serialize)]
    struct Everything {
        text: &'static str,
        escaped: String,
        unicode: &'static str,
        yes: bool,
        small: i8,
        negative: i64,
        big: u64,
        least: i64,
        none: Option<u8>,
        some: Option<&'static str>,
        empty_list: Vec<u8>,
        empty_map: BTreeMap<String, u8>,
        list: Vec<Vec<u8>>,
        map: BTreeMap<&'static str, Shape>,
        numbers: BTreeMap<u32, JsonNumber>,
        shapes: Vec<Shape>,
        unit: (),
        tuple: (u8, char),
    }

    fn everything() -> Everything {
        let mut map = BTreeMap::new();
        map.insert("unit", Shape::Unit);
        map.insert("tab\tkey \"quoted\"", Shape::Newtype(7));
        Everything {
            text: "Linux x86_64 on-demand",
            escaped: (0u8..0x20).map(char::from).chain("\"\\/\u{7f}".chars()).collect(),
            unicode: "é 日本 🚀",
            yes: true,
            small: -8,
            negative: -1_234_567_890,
            big: u64::MAX,
            least: i64::MIN,
            none: None,
            some: Some("x"),
            empty_list: Vec::new(),
            empty_map: BTreeMap::new(),
            list: vec![vec![], vec![1, 2], vec![3]],
            map,
            numbers: [(1, JsonNumber(Decimal::new(-125, 2))), (20, JsonNumber(Decimal::new(730, 0)))]
                .into_iter()
                .collect(),
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(0),
                Shape::Tuple(-1, "t".into()),
                Shape::Struct { a: None, b: vec![9] },
                Shape::Struct { a: Some(1), b: vec![] },
            ],
            unit: (),
            tuple: (5, 'c'),
        }
    }

    #[test]
    fn compact_is_byte_for_byte_serde_json() {
        let mut out = Vec::new();
        compact(&everything(), &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&everything()).unwrap());
    }

    #[test]
    fn pretty_is_byte_for_byte_serde_json() {
        let expected = serde_json::to_string_pretty(&everything()).unwrap() + "\n";
        assert_eq!(pretty(&everything()).unwrap(), expected);
    }

    #[test]
    fn numbers_are_bare_digits() {
        let mut out = Vec::new();
        compact(&[JsonNumber(Decimal::new(4048, 5)), JsonNumber(Decimal::new(-30, 1))], &mut out).unwrap();
        assert_eq!(out, b"[0.04048,-3]");
    }

    #[test]
    fn the_escape_check_finds_every_byte_that_needs_one_wherever_it_is() {
        for len in 1..20 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = byte;
                    let expected = byte < 0x20 || byte == b'"' || byte == b'\\';
                    assert_eq!(needs_escape(&bytes), expected, "{byte:#x} at {at} of {len}");
                    // Bytes that need no escape around it (high ones included) change nothing.
                    bytes.iter_mut().enumerate().filter(|(i, _)| *i != at).for_each(|(_, b)| *b = 0xff);
                    assert_eq!(needs_escape(&bytes), expected, "{byte:#x} at {at} of {len}, 0xff around");
                }
            }
        }
        assert!(!needs_escape(b""));
    }

    #[test]
    fn a_line_s_strings_are_escaped_whatever_a_library_user_puts_there() {
        // `detail` and `rates` are public strings: nothing stops one holding a quote, a
        // backslash or a newline, and the JSON must stay valid.
        let line = crate::report::Line {
            component: crate::report::Component::Vcpu,
            quantity: Decimal::ONE,
            rate: Decimal::ONE,
            cost: Decimal::ONE,
            detail: std::borrow::Cow::Borrowed("a\\b"),
            rates: Some("c\nd"),
        };
        let mut out = Vec::new();
        compact(&line, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&line).unwrap());
        let parsed: serde_json::Value = serde_json::to_value(&line).unwrap();
        assert_eq!(
            (&parsed["detail"], &parsed["rates"], &parsed["unit"]),
            (&"a\\b".into(), &"c\nd".into(), &"vCPU-hours".into())
        );
    }

    mod item_writer {
        //! `compact_item` writes a task item field by field; it must write what the serde path
        //! (and so `serde_json`) writes, for any item, including those it hands to that path.
        use std::borrow::Cow;

        use clap::ValueEnum;
        use proptest::prelude::*;
        use rust_decimal::Decimal;

        use super::super::{compact, compact_item};
        use crate::model::{Arch, LaunchType, Os, Platform, Pricing, Support};
        use crate::report::{Billed, Budget, Component, Item, ItemKind, Line};
        use crate::report::{Note, Packing};

        /// Static strings a line's `rates` may hold, escapes included.
        const TEXTS: [&str; 6] =
            ["vCPU-hours", "GB", "fargate.linux_x86_64", "a \"quoted\" unit", "back\\slash", "new\nline é"];

        fn decimal() -> impl Strategy<Value = Decimal> {
            (any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), 0u32..=28)
                .prop_map(|(lo, mid, hi, negative, scale)| Decimal::from_parts(lo, mid, hi, negative, scale))
        }

        /// Every kind of note, with text that needs escaping now and then.
        fn note() -> impl Strategy<Value = Note> {
            let size = || {
                (decimal(), decimal()).prop_map(|(vcpu, memory_gb)| crate::model::Size { vcpu, memory_gb })
            };
            prop_oneof![
                ".*".prop_map(Note::Text),
                proptest::sample::select(vec![
                    "Fargate Spot prices float and tasks can be interrupted; the rates are one dated snapshot",
                    "ephemeral storage is not priced on EC2: tasks use the instance's EBS volume",
                    "a library user's \"quoted\" note\\",
                ])
                .prop_map(Note::Fixed),
                (size(), size()).prop_map(|(requested, billed)| Note::RoundedUp { requested, billed }),
                (size(), size()).prop_map(|(requested, billed)| Note::EksPod { requested, billed }),
                (decimal(), decimal(), any::<bool>())
                    .prop_map(|(gb, before_gb, free_allowance)| Note::DataTransfer { gb, before_gb, free_allowance }),
            ]
        }

        fn one_of<T: ValueEnum + Clone + std::fmt::Debug + 'static>() -> impl Strategy<Value = T> {
            proptest::sample::select(T::value_variants().to_vec())
        }

        fn line() -> impl Strategy<Value = Line> {
            let components = [
                Component::Vcpu,
                Component::Memory,
                Component::EphemeralStorage,
                Component::OsLicense,
                Component::DataTransfer,
                Component::EksCluster,
                Component::EcrStorage,
                Component::Ec2Instance,
            ];
            (
                proptest::sample::select(components.to_vec()),
                (decimal(), decimal(), decimal()),
                ".*",
                proptest::option::of(proptest::sample::select(TEXTS.to_vec())),
            )
                .prop_map(|(component, (quantity, rate, cost), detail, rates)| Line {
                    component,
                    quantity,
                    rate,
                    cost,
                    detail: Cow::Owned(detail),
                    rates,
                })
        }

        fn packing() -> impl Strategy<Value = Packing> {
            (".*", any::<u64>(), any::<u64>(), decimal(), decimal(), decimal()).prop_map(
                |(instance_type, instances, tasks_per_instance, cpu, memory, reserved)| Packing {
                    instance_type,
                    chosen: "cheapest",
                    instances,
                    tasks_per_instance,
                    cpu_utilization: cpu,
                    memory_utilization: memory,
                    reserved_memory_mib: reserved,
                },
            )
        }

        fn kind() -> impl Strategy<Value = ItemKind> {
            let billed = (
                (decimal(), decimal(), decimal(), decimal()),
                (any::<u64>(), any::<u64>()),
                (one_of::<Arch>(), one_of::<Os>(), one_of::<Pricing>()),
            )
                .prop_map(
                    |(
                        (vcpu, memory_gb, seconds_per_run, ephemeral_storage_gb),
                        (runs, count),
                        (arch, os, pricing),
                    )| {
                        Billed {
                            vcpu,
                            memory_gb,
                            seconds_per_run,
                            runs,
                            count,
                            arch,
                            os,
                            pricing,
                            ephemeral_storage_gb,
                        }
                    },
                );
            prop_oneof![
                4 => (one_of::<LaunchType>(), one_of::<Platform>(), billed, proptest::option::of(packing())).prop_map(
                    |(launch_type, platform, billed, packing)| ItemKind::Task { launch_type, platform, billed, packing }
                ),
                1 => (one_of::<Support>(), decimal()).prop_map(|(support, hours)| ItemKind::EksCluster { support, hours }),
                1 => (decimal(), decimal())
                    .prop_map(|(storage_gb, months)| ItemKind::EcrRepository { storage_gb, months }),
            ]
        }

        fn item() -> impl Strategy<Value = Item> {
            (
                ".*",
                kind(),
                proptest::collection::vec(line(), 0..5),
                decimal(),
                proptest::collection::vec(note(), 0..3),
                proptest::option::of((decimal(), any::<bool>())),
            )
                .prop_map(|(name, kind, lines, total, notes, budget)| Item {
                    name,
                    kind,
                    lines,
                    total,
                    notes,
                    budget: budget.map(|(limit, exceeded)| Budget { limit, exceeded }),
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn it_writes_what_serde_writes(item in item()) {
                let mut fast = b"[".to_vec();
                compact_item(&item, &mut fast).unwrap();
                let mut serde_path = b"[".to_vec();
                compact(&item, &mut serde_path).unwrap();
                prop_assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(serde_path).unwrap());
                let mut fast = Vec::new();
                compact_item(&item, &mut fast).unwrap();
                prop_assert_eq!(String::from_utf8(fast).unwrap(), serde_json::to_string(&item).unwrap());
            }
        }
    }

    #[test]
    fn floats_and_non_text_keys_are_refused() {
        let mut out = Vec::new();
        assert!(compact(&0.5f64, &mut out).is_err());
        let map: BTreeMap<bool, u8> = [(true, 1)].into_iter().collect();
        assert!(compact(&map, &mut out).is_err());
    }
}
