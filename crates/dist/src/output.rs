//! Per-worker output files, written whole or not at all: each worker stages its lines in a
//! temporary file beside the target and renames it only once every worker has staged its own,
//! so a job that fails anywhere leaves no `out.W` file that looks complete.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::DistError;

/// One worker's output, staged until the job commits it.
pub(crate) struct Staged {
    file: NamedTempFile,
    target: PathBuf,
    /// Lines written.
    pub(crate) lines: u64,
}

/// Writes `lines` to a temporary file in `dir`, to become `dir/out.{worker}`.
pub(crate) fn stage(
    dir: &Path,
    worker: usize,
    lines: impl Iterator<Item = String>,
) -> Result<Staged, DistError> {
    let io = |e| DistError::io(dir, e);
    std::fs::create_dir_all(dir).map_err(io)?;
    let file =
        tempfile::Builder::new().prefix(&format!(".out.{worker}.")).tempfile_in(dir).map_err(io)?;
    let mut writer = BufWriter::with_capacity(1 << 20, file.as_file());
    let mut count = 0;
    for line in lines {
        writer.write_all(line.as_bytes()).map_err(io)?;
        writer.write_all(b"\n").map_err(io)?;
        count += 1;
    }
    writer.flush().map_err(io)?;
    drop(writer);
    Ok(Staged { file, target: dir.join(format!("out.{worker}")), lines: count })
}

impl Staged {
    /// Renames the staged file to its target.
    pub(crate) fn commit(self) -> Result<PathBuf, DistError> {
        let target = self.target;
        self.file.persist(&target).map_err(|e| DistError::io(&target, e.error))?;
        Ok(target)
    }
}
