//! Mutations: what gets inserted, where, and how a seed is mutated; arbitrary text.

use super::*;

/// What gets inserted: the characters that break JSON and TOML, numbers no parser should accept,
/// and bytes that are not UTF-8.
pub(super) const TOKENS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b"-",
    b"1e999",
    b"-1e999",
    b"NaN",
    b"nan",
    b"inf",
    b"-inf",
    b"Infinity",
    b",",
    b":",
    b"=",
    b"\n",
    b"0",
    b"-0",
    b"99999999999999999999999999999",
    b"79228162514264337593543950335",
    b"18446744073709551616",
    b"0.1",
    b"0.0000000000000000000000000001",
    b"null",
    b"true",
    b"\\",
    b"\\u0000",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    "é".as_bytes(),
    b"[[service]]\n",
    b"name = \"x\"\n",
    b"\"cpu\": ",
    b"#",
    b"'''",
    b"\"\"\"",
];

/// A position in the text being mutated, taken modulo its length (so it shrinks towards the start).
#[derive(Debug, Clone, Copy)]
pub(super) struct Pos(usize);

impl Pos {
    fn index(self, len: usize) -> usize {
        self.0 % len
    }
}

pub(super) fn pos() -> impl Strategy<Value = Pos> {
    any::<usize>().prop_map(Pos)
}

#[derive(Debug, Clone)]
pub(super) enum Mutation {
    /// Flip one bit of one byte.
    Flip(Pos, u8),
    /// Set one byte to any value.
    Set(Pos, u8),
    /// Cut the text short.
    Truncate(Pos),
    /// Insert a token.
    Insert(Pos, &'static [u8]),
    /// Repeat the line at a position (a duplicated key).
    DuplicateLine(Pos),
    /// Delete a range of up to 64 bytes.
    Delete(Pos, usize),
}

pub(super) fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (pos(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip(at, bit)),
        (pos(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set(at, byte)),
        pos().prop_map(Mutation::Truncate),
        (pos(), select(TOKENS)).prop_map(|(at, token)| Mutation::Insert(at, token)),
        pos().prop_map(Mutation::DuplicateLine),
        (pos(), 1usize..64).prop_map(|(at, len)| Mutation::Delete(at, len)),
    ]
}

pub(super) fn mutate(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for m in mutations {
        if bytes.is_empty() {
            if let Mutation::Insert(_, token) = m {
                bytes.extend_from_slice(token);
            }
            continue;
        }
        let len = bytes.len();
        match m {
            Mutation::Flip(at, bit) => bytes[at.index(len)] ^= 1 << bit,
            Mutation::Set(at, byte) => bytes[at.index(len)] = *byte,
            Mutation::Truncate(at) => bytes.truncate(at.index(len)),
            Mutation::Insert(at, token) => {
                let at = at.index(len + 1);
                bytes.splice(at..at, token.iter().copied());
            }
            Mutation::DuplicateLine(at) => {
                let at = at.index(len);
                let start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                let end = bytes[at..].iter().position(|&b| b == b'\n').map_or(len, |p| at + p + 1);
                let mut line = bytes[start..end].to_vec();
                if !line.ends_with(b"\n") {
                    line.push(b'\n');
                }
                bytes.splice(end..end, line);
            }
            Mutation::Delete(at, n) => {
                let at = at.index(len);
                bytes.drain(at..(at + n).min(len));
            }
        }
    }
    bytes
}

/// One of `seeds`, mutated one to three times.
pub(super) fn mutated(seeds: &'static [Vec<u8>]) -> impl Strategy<Value = Vec<u8>> {
    (any::<Index>(), prop::collection::vec(mutation(), 1..4))
        .prop_map(move |(which, ms)| mutate(which.get::<Vec<u8>>(seeds), &ms))
}

/// Arbitrary text: any characters, and text made of the tokens that matter to JSON and TOML.
pub(super) fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\[\\]{}\"',:=.#\\-+0-9a-z_ \n\t]{0,200}",
        prop::collection::vec(select(TOKENS), 0..40)
            .prop_map(|tokens| String::from_utf8_lossy(&tokens.concat()).into_owned()),
    ]
}

pub(super) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_mutations_do_what_they_say() {
    let seed = b"a = 1\nb = 2\n";
    let at = Pos;
    assert_eq!(mutate(seed, &[Mutation::Truncate(at(0))]), b"");
    assert_eq!(mutate(seed, &[Mutation::Insert(at(0), b"{")]), b"{a = 1\nb = 2\n");
    assert_eq!(mutate(seed, &[Mutation::DuplicateLine(at(0))]), b"a = 1\na = 1\nb = 2\n");
    assert_eq!(mutate(seed, &[Mutation::Delete(at(0), 6)]), b"b = 2\n");
    assert_eq!(mutate(seed, &[Mutation::Flip(at(0), 5)]), b"A = 1\nb = 2\n");
    assert_eq!(mutate(b"", &[Mutation::Flip(at(0), 5), Mutation::Insert(at(3), b"]")]), b"]");
}
