//! Each worker reads its own byte range of the edge list, cut at line starts: a line belongs to
//! the worker whose range holds its first byte, so the ranges cover every line exactly once
//! whatever the number of workers.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use rapport_graph::GraphError;
use rapport_graph::io::{EdgeFileOptions, parse_edges_part};

use crate::DistError;

/// The edges of one worker's part of the file, by their ids in the file.
pub(crate) fn read_part(
    path: &Path,
    part: usize,
    parts: usize,
) -> Result<Vec<[u64; 2]>, DistError> {
    let io = |e| DistError::io(path, e);
    let mut file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut magic = [0u8; 2];
    if file.read(&mut magic).map_err(io)? == 2 && magic == [0x1f, 0x8b] {
        return Err(DistError::Unsupported(format!(
            "{} is gzip-compressed, which cannot be split into byte ranges; decompress it for a distributed job (`zcat {0} > edges.txt`)",
            path.display()
        )));
    }
    let start = line_start(&mut file, len * part as u64 / parts as u64).map_err(io)?;
    let end = line_start(&mut file, len * (part as u64 + 1) / parts as u64).map_err(io)?;
    let mut text = vec![0u8; (end - start) as usize];
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    file.read_exact(&mut text).map_err(io)?;
    let list = parse_edges_part(&text, &EdgeFileOptions::default(), start == 0)
        .map_err(|e| locate(e, path, start))?;
    let ids = list.ids();
    Ok(list.edges().iter().map(|&[a, b]| [ids.original(a), ids.original(b)]).collect())
}

/// The first line start at or after `offset` (the file's length if none).
fn line_start(file: &mut File, offset: u64) -> std::io::Result<u64> {
    if offset == 0 {
        return Ok(0);
    }
    // A line starts at `offset` if the byte before it ends a line.
    file.seek(SeekFrom::Start(offset - 1))?;
    let mut pos = offset - 1;
    let mut buf = [0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(pos);
        }
        if let Some(i) = buf[..n].iter().position(|&b| b == b'\n') {
            return Ok(pos + i as u64 + 1);
        }
        pos += n as u64;
    }
}

/// Turns a parse error within a part into one naming the file and the line in the whole file.
fn locate(error: GraphError, path: &Path, start: u64) -> DistError {
    let GraphError::Parse { line, message, .. } = error else { return error.into() };
    let before = count_lines(path, start).unwrap_or(0);
    DistError::Parse { path: path.to_owned(), line: before + line, message }
}

/// The number of newlines in the first `len` bytes of the file (only counted for an error).
fn count_lines(path: &Path, len: u64) -> std::io::Result<u64> {
    let mut reader = File::open(path)?.take(len);
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 0;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(lines);
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
    }
}
