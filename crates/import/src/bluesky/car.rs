//! CAR framing: the header with its roots, then blocks, each checked against its CID. A CAR v2
//! file is a v1 payload behind a fixed pragma and a header that says where the payload lies (and an
//! optional index after it, which is not needed to read every block once), so v2 is read by
//! finding its payload and reading that as v1, with offsets still counted from the file's start.
//!
//! The framing is three fields (a LEB128 length, a binary CID, the block's bytes), so it is read
//! here rather than through the async CAR crates, which neither verify CIDs nor report offsets.
//! CIDs are parsed by the `cid` crate (through `ipld-core`), headers decoded by
//! `serde_ipld_dagcbor`, and every block hashed with `sha2` before anything trusts it.

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;

use ipld_core::cid::Cid;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The multicodec of DAG-CBOR blocks: commits, MST nodes and records.
pub(crate) const DAG_CBOR: u64 = 0x71;

/// The multicodec of raw blocks, which a repository may carry (blobs); they are hashed, not decoded.
const RAW: u64 = 0x55;

/// The multihash code of SHA-256, the only hash the AT Protocol uses.
const SHA2_256: u64 = 0x12;

/// No real header comes near this (one root CID is 36 bytes).
const MAX_HEADER: u64 = 64 * 1024;

/// The first bytes of every CAR v2 file: a v1-style header `{version: 2}`.
const V2_PRAGMA: [u8; 11] = *b"\x0a\xa1\x67version\x02";

/// The CAR v2 header after the pragma: 16 bytes of characteristics, then the payload's offset and
/// size and the index's offset, each a little-endian u64.
const V2_HEADER: usize = 40;

/// A CAR v1 file split into its roots and its verified blocks.
pub(crate) struct Car<'a> {
    /// The roots the header names; a repository has one, its signed commit.
    pub(crate) roots: Vec<Cid>,
    /// Every block, by CID, with where it starts in the file.
    pub(crate) blocks: HashMap<Cid, Block<'a>>,
    /// The blocks in file order, for the records the repository tree does not reach.
    pub(crate) order: Vec<Cid>,
}

/// One block whose bytes hash to its CID.
#[derive(Clone, Copy)]
pub(crate) struct Block<'a> {
    /// The block's position in [`Car::order`].
    pub(crate) index: usize,
    /// The byte offset of the block's section (its length prefix) in the file.
    pub(crate) offset: u64,
    /// The block's codec (DAG-CBOR or raw).
    pub(crate) codec: u64,
    /// The block's content, after the CID.
    pub(crate) data: &'a [u8],
}

/// Why a file is not a sound CAR v1 file, and where.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct CarError {
    /// The byte offset of the problem.
    pub(crate) offset: u64,
    /// What is wrong, for the user.
    pub(crate) why: String,
}

impl CarError {
    fn at(offset: u64, why: impl Into<String>) -> CarError {
        CarError { offset, why: why.into() }
    }
}

impl fmt::Display for CarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "byte {}: {}", self.offset, self.why)
    }
}

/// The CAR v1 header: `{roots: [CID], version: 1}`.
#[derive(Deserialize)]
struct Header {
    version: u64,
    #[serde(default)]
    roots: Vec<Cid>,
}

/// True when `head` (the first bytes of a file) starts with the CAR v2 pragma or like a v1 header: a small length, then a
/// DAG-CBOR map whose first key is `roots` (keys sort by length, so `roots` precedes `version`).
pub(crate) fn looks_like_car(head: &[u8]) -> bool {
    if head.starts_with(&V2_PRAGMA) {
        return true;
    }
    let Ok((len, used)) = varint(head) else { return false };
    let rest = &head[used..];
    (8..=MAX_HEADER).contains(&len)
        && rest.first().is_some_and(|b| b & 0xe0 == 0xa0)
        && rest.get(1..7) == Some(b"\x65roots".as_slice())
}

/// Where the v1 payload of `bytes` lies: all of it for a v1 file, the range the header gives for v2.
fn payload(bytes: &[u8]) -> Result<(usize, usize), CarError> {
    if !bytes.starts_with(&V2_PRAGMA) {
        return Ok((0, bytes.len()));
    }
    let header = bytes.get(V2_PRAGMA.len()..V2_PRAGMA.len() + V2_HEADER).ok_or_else(|| {
        CarError::at(11, "the file ends inside its CAR v2 header; the file is truncated")
    })?;
    let number = |at: usize| {
        let mut le = [0u8; 8];
        le.copy_from_slice(&header[at..at + 8]);
        u64::from_le_bytes(le)
    };
    let (offset, size) = (number(16), number(24));
    let first = (V2_PRAGMA.len() + V2_HEADER) as u64;
    let end = offset.checked_add(size).filter(|end| *end <= bytes.len() as u64);
    match end {
        Some(end) if offset >= first && size > 0 => {
            // Both fit: they are at most the length of an in-memory slice.
            Ok((usize::try_from(offset).unwrap_or(usize::MAX), usize::try_from(end).unwrap_or(0)))
        }
        _ => Err(CarError::at(
            27,
            format!(
                "the CAR v2 header puts its payload at bytes {offset} to {}, outside the file's {} bytes; the file is truncated or corrupt",
                offset.saturating_add(size),
                bytes.len()
            ),
        )),
    }
}

/// Splits `bytes` (a CAR v1 or v2 file) into a header and verified blocks; `progress` hears the
/// offset as blocks are read.
pub(crate) fn parse<'a>(
    bytes: &'a [u8],
    progress: &mut dyn FnMut(u64),
) -> Result<Car<'a>, CarError> {
    let (start, end) = payload(bytes)?;
    // Sections are read from `payload` with offsets counted from the file's start.
    let payload = &bytes[..end];
    let (header_len, used) =
        varint(&payload[start..]).map_err(|why| CarError::at(start as u64, why))?;
    if header_len == 0 || header_len > MAX_HEADER {
        return Err(CarError::at(
            start as u64,
            format!("the header length {header_len} is not that of a CAR file header"),
        ));
    }
    let header_end = section_end(payload, start, used, header_len, "header")?;
    let header: Header = serde_ipld_dagcbor::from_slice(&payload[start + used..header_end])
        .map_err(|e| {
            CarError::at(
                (start + used) as u64,
                format!("the CAR header is not a valid DAG-CBOR map ({e})"),
            )
        })?;
    if header.version != 1 {
        return Err(CarError::at(
            (start + used) as u64,
            format!(
                "this is a CAR version {} file; Bluesky repositories are CAR version 1 (or 2)",
                header.version
            ),
        ));
    }
    if header.roots.is_empty() {
        return Err(CarError::at((start + used) as u64, "the CAR header names no root"));
    }
    let mut car = Car { roots: header.roots, blocks: HashMap::new(), order: Vec::new() };
    let mut at = header_end;
    let mut reported = 0;
    while at < payload.len() {
        let offset = at as u64;
        let (len, used) = varint(&payload[at..]).map_err(|why| CarError::at(offset, why))?;
        let end = section_end(payload, at, used, len, "block")?;
        let section = &payload[at + used..end];
        let (cid, data) = split_block(section).map_err(|why| CarError::at(offset, why))?;
        verify(&cid, data).map_err(|why| CarError::at(offset, why))?;
        car.blocks.entry(cid).or_insert_with(|| {
            car.order.push(cid);
            Block { index: car.order.len() - 1, offset, codec: cid.codec(), data }
        });
        at = end;
        if at - reported >= 1 << 20 {
            reported = at;
            progress(at as u64);
        }
    }
    Ok(car)
}

/// The end of a section of `len` bytes whose length prefix (of `used` bytes) starts at `at`.
fn section_end(
    bytes: &[u8],
    at: usize,
    used: usize,
    len: u64,
    what: &str,
) -> Result<usize, CarError> {
    let start = at + used;
    let remaining = (bytes.len() - start) as u64;
    if len > remaining {
        return Err(CarError::at(
            at as u64,
            format!(
                "the file ends inside the {what} that starts here ({len} bytes declared, {remaining} present); the file is truncated, download or export it again"
            ),
        ));
    }
    if len == 0 {
        return Err(CarError::at(at as u64, format!("an empty {what} section")));
    }
    // `len` fits: it is at most the remaining length of an in-memory slice.
    Ok(start + usize::try_from(len).unwrap_or(usize::MAX))
}

/// Splits a block section into its CID and content.
fn split_block(section: &[u8]) -> Result<(Cid, &[u8]), String> {
    let mut cursor = Cursor::new(section);
    let cid =
        Cid::read_bytes(&mut cursor).map_err(|e| format!("the block's CID is malformed ({e})"))?;
    let used = usize::try_from(cursor.position()).unwrap_or(section.len());
    Ok((cid, &section[used..]))
}

/// Checks that `data` hashes to `cid` and has a codec a repository holds.
fn verify(cid: &Cid, data: &[u8]) -> Result<(), String> {
    if cid.codec() != DAG_CBOR && cid.codec() != RAW {
        return Err(format!(
            "block {cid} has codec 0x{:x}; a Bluesky repository holds DAG-CBOR (0x71) and raw (0x55) blocks",
            cid.codec()
        ));
    }
    let hash = cid.hash();
    if hash.code() != SHA2_256 {
        return Err(format!(
            "block {cid} uses hash 0x{:x}; Bluesky repositories use SHA-256 (0x12)",
            hash.code()
        ));
    }
    if Sha256::digest(data).as_slice() != hash.digest() {
        return Err(format!(
            "block {cid} does not match its CID: its content was altered or corrupted; download or export the repository again"
        ));
    }
    Ok(())
}

/// Reads an unsigned LEB128 varint (at most 9 bytes, as the multiformats spec allows), returning
/// the value and the number of bytes it took.
fn varint(bytes: &[u8]) -> Result<(u64, usize), String> {
    let mut value = 0u64;
    for (i, byte) in bytes.iter().take(9).enumerate() {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            if i > 0 && *byte == 0 {
                return Err("a length is not minimally encoded".into());
            }
            return Ok((value, i + 1));
        }
    }
    if bytes.len() < 9 {
        Err("the file ends inside a length prefix; the file is truncated".into())
    } else {
        Err("a length prefix is longer than 9 bytes".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_varints() {
        assert_eq!(varint(&[0x3a]), Ok((0x3a, 1)));
        assert_eq!(varint(&[0xac, 0x02]), Ok((300, 2)));
        assert!(varint(&[0x80]).is_err());
        assert!(varint(&[0x80, 0x00]).is_err());
        assert!(varint(&[0xff; 12]).is_err());
    }

    #[test]
    fn recognises_a_car_header() {
        let head = b"\x3a\xa2\x65roots\x81\xd8\x2a";
        assert!(looks_like_car(head));
        assert!(looks_like_car(&V2_PRAGMA));
        assert!(!looks_like_car(b"source,target\n"));
        assert!(!looks_like_car(b""));
    }
}
