//! Ground-truth communities: CDlib JSON (`{"communities": [[ids…], …]}`, plain or gzip) and
//! SNAP ego-network circle files.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::GraphError;

fn read_all(path: &Path) -> Result<Vec<u8>, GraphError> {
    let mut bytes = Vec::new();
    let mut file = BufReader::new(File::open(path).map_err(|e| GraphError::io(path, e))?);
    file.read_to_end(&mut bytes).map_err(|e| GraphError::io(path, e))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut plain = Vec::new();
        MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut plain)
            .map_err(|e| GraphError::io(path, e))?;
        return Ok(plain);
    }
    Ok(bytes)
}

/// Reads CDlib ground truth: a JSON object whose `communities` field lists communities as
/// arrays of original node ids.
pub fn read_communities_json(path: &Path) -> Result<Vec<Vec<u64>>, GraphError> {
    let bad = |message: String| GraphError::Format { path: path.to_path_buf(), message };
    let value: serde_json::Value = serde_json::from_slice(&read_all(path)?)
        .map_err(|e| bad(format!("not valid JSON: {e}")))?;
    let list = value
        .get("communities")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| bad("expected an object with a `communities` array".to_owned()))?;
    list.iter()
        .enumerate()
        .map(|(i, community)| {
            community
                .as_array()
                .ok_or_else(|| bad(format!("community {i} is not an array")))?
                .iter()
                .map(|id| {
                    id.as_u64()
                        .ok_or_else(|| bad(format!("community {i} holds a non-integer id {id}")))
                })
                .collect()
        })
        .collect()
}

/// Reads every `*.circles` file in a SNAP ego-network folder: one circle per line, a name then
/// tab-separated member ids.
pub fn read_circles(dir: &Path) -> Result<Vec<Vec<u64>>, GraphError> {
    let entries = std::fs::read_dir(dir).map_err(|e| GraphError::io(dir, e))?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "circles"))
        .collect();
    files.sort();
    let mut circles = Vec::new();
    for file in files {
        let text = read_all(&file)?;
        let text = String::from_utf8_lossy(&text);
        for (n, line) in text.lines().enumerate() {
            let members: Result<Vec<u64>, _> =
                line.split_whitespace().skip(1).map(str::parse).collect();
            let members = members.map_err(|_| GraphError::Parse {
                path: file.clone(),
                line: n as u64 + 1,
                message: "expected a circle name followed by integer member ids".to_owned(),
            })?;
            if !members.is_empty() {
                circles.push(members);
            }
        }
    }
    Ok(circles)
}
