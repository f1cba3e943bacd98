//! Which edges a worker reads, streamed block by block so a worker never holds its share of
//! the text or of the parsed edges.
//!
//! One file is cut into byte ranges at line starts, one per worker: a line belongs to the worker
//! whose range holds its first byte, so the ranges cover every line exactly once whatever the
//! number of workers. Input already split into parts ([`crate::parts`]) is shared out whole:
//! process `I` of `N` reads parts `I`, `I + N`, `I + 2N`, ..., and its workers share those in
//! turn.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use rapport_graph::GraphError;
use rapport_graph::io::parse_ids_part;

use crate::{DistError, JobInput};

/// Bytes read and parsed at a time.
const BLOCK: usize = 8 << 20;

/// The highest node id a distributed job takes: ids travel as 32-bit numbers, which halves
/// every record exchanged and every row kept.
pub(crate) const MAX_ID: u64 = u32::MAX as u64 - 1;

/// Calls `edge(a, b)` for every edge of worker `worker`'s share of the input, where `peers`
/// workers run `workers_per_process` to a process.
pub(crate) fn for_each_edge(
    input: &JobInput,
    worker: usize,
    peers: usize,
    workers_per_process: usize,
    mut edge: impl FnMut(u32, u32),
) -> Result<(), DistError> {
    let Some(parts) = crate::parts::list(&input.file)? else {
        return read_range(&input.file, worker, peers, &mut edge);
    };
    let processes = peers / workers_per_process;
    let (process, local) = (worker / workers_per_process, worker % workers_per_process);
    let mine = parts.iter().skip(process).step_by(processes);
    for part in mine.skip(local).step_by(workers_per_process) {
        read_range(part, 0, 1, &mut edge)?;
    }
    Ok(())
}

/// Reads the `part`-th of `parts` byte ranges of the file at `path`.
fn read_range(
    path: &Path,
    part: usize,
    parts: usize,
    edge: &mut impl FnMut(u32, u32),
) -> Result<(), DistError> {
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
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    let mut reader = file.take(end - start);
    let mut block: Vec<u8> = Vec::with_capacity(BLOCK);
    let mut offset = start;
    loop {
        let kept = block.len();
        block.resize(BLOCK.max(kept * 2), 0);
        let n = fill(&mut reader, &mut block[kept..]).map_err(io)?;
        block.truncate(kept + n);
        let done = n == 0;
        // Whole lines only; the partial last line opens the next block.
        let cut = if done {
            block.len()
        } else {
            block.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
        };
        if cut > 0 {
            let ids =
                parse_ids_part(&block[..cut], offset == 0).map_err(|e| locate(e, path, offset))?;
            for pair in ids.chunks_exact(2) {
                edge(narrow(pair[0], path)?, narrow(pair[1], path)?);
            }
            offset += cut as u64;
            block.drain(..cut);
        }
        if done {
            return Ok(());
        }
    }
}

/// Reads until `buf` is full or the input ends; the bytes read.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn narrow(id: u64, path: &Path) -> Result<u32, DistError> {
    if id > MAX_ID {
        return Err(DistError::Unsupported(format!(
            "{}: node id {id} is above {MAX_ID}, the largest a distributed job takes (ids travel as 32-bit numbers); renumber the nodes, or run the job in memory without --processes/--workers",
            path.display()
        )));
    }
    Ok(id as u32)
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

/// Turns a parse error within a block into one naming the file and the line in the whole file.
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
