//! Reading an edge-list file at parse speed: a reader thread fills large blocks (decompressing
//! gzip on the way) while the rayon pool parses the previous block in parallel chunks.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use flate2::read::MultiGzDecoder;
use rayon::prelude::*;

use super::parse::{Parsed, parse_chunk};
use crate::ids::remap;
use crate::{EdgeList, GraphError};

/// How to read an edge-list file.
#[derive(Debug, Clone, Copy, Default)]
pub struct EdgeFileOptions {
    /// The 0-based column holding an edge weight (2 for `a b w`); `None` reads an unweighted
    /// graph and ignores extra columns such as timestamps.
    pub weight_column: Option<usize>,
}

const BLOCK: usize = 32 << 20;

/// Reads a SNAP-style edge list (plain or gzip, detected from the content), skipping `#` and `%`
/// comment lines and a non-numeric header line, and remaps the ids to dense u32.
pub fn read_edge_file(path: &Path, options: &EdgeFileOptions) -> Result<EdgeList, GraphError> {
    let file = File::open(path).map_err(|e| GraphError::io(path, e))?;
    let mut magic = [0u8; 2];
    let gzip = File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .map(|()| magic == [0x1f, 0x8b])
        .unwrap_or(false);
    let reader: Box<dyn Read + Send> = if gzip {
        Box::new(MultiGzDecoder::new(BufReader::with_capacity(1 << 20, file)))
    } else {
        Box::new(file)
    };
    parse_stream(reader, path, options, true)
}

/// Parses edge-list text held in memory (errors name the file as `<memory>`).
pub fn parse_edges(text: &[u8], options: &EdgeFileOptions) -> Result<EdgeList, GraphError> {
    parse_stream(text, Path::new("<memory>"), options, true)
}

/// Parses one part of an edge-list file held in memory, as a distributed job reads its byte
/// range: only a part at the start of the file may open with a header line, so a malformed line
/// at the start of a later part is an error rather than a skipped header. Line numbers in errors
/// count from the part's first line.
pub fn parse_edges_part(
    text: &[u8],
    options: &EdgeFileOptions,
    at_file_start: bool,
) -> Result<EdgeList, GraphError> {
    parse_stream(text, Path::new("<memory>"), options, at_file_start)
}

/// Parses one part of an edge-list file held in memory into its interleaved `(source, target)`
/// ids as they appear in the file, without renumbering them: the distributed jobs stream a file
/// block by block through this and route each edge by its ids. Header and error rules are
/// [`parse_edges_part`]'s (line numbers in errors count from the part's first line; weights are
/// not read).
pub fn parse_ids_part(text: &[u8], at_file_start: bool) -> Result<Vec<u64>, GraphError> {
    parse_chunk(text, None, at_file_start).map(|parsed| parsed.ids).map_err(|e| GraphError::Parse {
        path: PathBuf::from("<memory>"),
        line: e.line,
        message: e.message,
    })
}

fn parse_stream(
    mut reader: impl Read + Send,
    path: &Path,
    options: &EdgeFileOptions,
    at_file_start: bool,
) -> Result<EdgeList, GraphError> {
    let (sender, receiver) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(1);
    let mut total = Parsed::default();
    let mut outcome = Ok(());
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut carry = Vec::new();
            loop {
                let mut block = std::mem::take(&mut carry);
                block.reserve(BLOCK);
                let eof = match fill(&mut reader, &mut block) {
                    Ok(eof) => eof,
                    Err(e) => {
                        let _ = sender.send(Err(e));
                        return;
                    }
                };
                if !eof {
                    // Hand over whole lines only; the partial last line starts the next block.
                    let cut = block.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                    carry = block.split_off(cut);
                }
                if sender.send(Ok(block)).is_err() || eof {
                    return;
                }
            }
        });
        let mut first = at_file_start;
        for block in receiver {
            let block = match block {
                Ok(block) => block,
                Err(e) => {
                    outcome = Err(GraphError::io(path, e));
                    return;
                }
            };
            if let Err(e) = parse_block(&block, first, total.lines, path, options, &mut total) {
                outcome = Err(e);
                return;
            }
            first = false;
        }
    });
    outcome?;
    let (edges, ids) = remap(&total.ids, total.max_id)?;
    let weights = options.weight_column.map(|_| total.weights);
    Ok(EdgeList::with_ids(edges, weights, ids))
}

/// Reads until `block` holds `BLOCK` bytes or the input ends; returns whether it ended.
fn fill(reader: &mut impl Read, block: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut filled = block.len();
    if filled >= BLOCK {
        return Ok(false);
    }
    block.resize(BLOCK, 0);
    while filled < BLOCK {
        match reader.read(&mut block[filled..]) {
            Ok(0) => {
                block.truncate(filled);
                return Ok(true);
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

fn parse_block(
    block: &[u8],
    first: bool,
    lines_before: u64,
    path: &Path,
    options: &EdgeFileOptions,
    total: &mut Parsed,
) -> Result<(), GraphError> {
    let chunks = split_lines(block, rayon::current_num_threads() * 4);
    let results: Vec<_> = chunks
        .par_iter()
        .enumerate()
        .map(|(i, chunk)| parse_chunk(chunk, options.weight_column, first && i == 0))
        .collect();
    let mut line = lines_before;
    for result in results {
        match result {
            Ok(parsed) => {
                line += parsed.lines;
                total.lines += parsed.lines;
                total.max_id = total.max_id.max(parsed.max_id);
                total.ids.extend_from_slice(&parsed.ids);
                total.weights.extend_from_slice(&parsed.weights);
            }
            Err(e) => {
                return Err(GraphError::Parse {
                    path: PathBuf::from(path),
                    line: line + e.line,
                    message: e.message,
                });
            }
        }
    }
    Ok(())
}

/// Cuts `text` into about `parts` pieces, each ending just after a newline (the last piece
/// may end without one).
fn split_lines(text: &[u8], parts: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::with_capacity(parts);
    let mut rest = text;
    let size = text.len() / parts.max(1) + 1;
    while !rest.is_empty() {
        let cut = if rest.len() <= size {
            rest.len()
        } else {
            rest[size..].iter().position(|&b| b == b'\n').map_or(rest.len(), |i| size + i + 1)
        };
        let (piece, tail) = rest.split_at(cut);
        pieces.push(piece);
        rest = tail;
    }
    pieces
}
