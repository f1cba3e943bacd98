//! Writing an edge list as text (`a b` per line, original ids), formatted in parallel blocks, and
//! a partition as `node<TAB>community` lines.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use rayon::prelude::*;

use crate::{GraphError, NodeIds};

fn push_number(buf: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// Writes `edges` with their original ids, tab-separated, one per line; a path ending in
/// `.gz` is gzip-compressed (at the fast level, since these files are large and transient).
pub fn write_edge_list(path: &Path, edges: &[[u32; 2]], ids: &NodeIds) -> Result<(), GraphError> {
    let io = |e| GraphError::io(path, e);
    let file = BufWriter::with_capacity(1 << 20, File::create(path).map_err(io)?);
    if path.extension().is_some_and(|x| x == "gz") {
        let mut gz = GzEncoder::new(file, Compression::fast());
        write_text(&mut gz, edges, ids).map_err(io)?;
        gz.finish().and_then(|mut f| f.flush()).map_err(io)
    } else {
        let mut file = file;
        write_text(&mut file, edges, ids).map_err(io)?;
        file.flush().map_err(io)
    }
}

/// Writes `node<TAB>community` for every node, by original id, one per line.
pub fn write_membership(path: &Path, ids: &NodeIds, membership: &[u32]) -> Result<(), GraphError> {
    let mut text = Vec::with_capacity(membership.len() * 12);
    for (v, &c) in membership.iter().enumerate() {
        push_number(&mut text, ids.original(v as u32));
        text.push(b'\t');
        push_number(&mut text, u64::from(c));
        text.push(b'\n');
    }
    std::fs::write(path, text).map_err(|e| GraphError::io(path, e))
}

fn write_text(sink: &mut impl Write, edges: &[[u32; 2]], ids: &NodeIds) -> std::io::Result<()> {
    for batch in edges.chunks(1 << 24) {
        let texts: Vec<Vec<u8>> = batch
            .par_chunks(1 << 16)
            .map(|chunk| {
                let mut buf = Vec::with_capacity(chunk.len() * 18);
                for &[a, b] in chunk {
                    push_number(&mut buf, ids.original(a));
                    buf.push(b'\t');
                    push_number(&mut buf, ids.original(b));
                    buf.push(b'\n');
                }
                buf
            })
            .collect();
        for text in texts {
            sink.write_all(&text)?;
        }
    }
    Ok(())
}
