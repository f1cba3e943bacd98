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
    let mut staging = Staging::create(dir, worker)?;
    for line in lines {
        staging.line(&line)?;
    }
    staging.finish()
}

/// A worker's output being written line by line, for jobs whose lines come out over many rounds.
pub(crate) struct Staging {
    writer: BufWriter<NamedTempFile>,
    dir: PathBuf,
    target: PathBuf,
    lines: u64,
}

impl Staging {
    /// Opens a temporary file in `dir`, to become `dir/out.{worker}`.
    pub(crate) fn create(dir: &Path, worker: usize) -> Result<Self, DistError> {
        let io = |e| DistError::io(dir, e);
        std::fs::create_dir_all(dir).map_err(io)?;
        let file = tempfile::Builder::new()
            .prefix(&format!(".out.{worker}."))
            .tempfile_in(dir)
            .map_err(io)?;
        Ok(Self {
            writer: BufWriter::with_capacity(1 << 20, file),
            dir: dir.to_owned(),
            target: dir.join(format!("out.{worker}")),
            lines: 0,
        })
    }

    /// Appends one line.
    pub(crate) fn line(&mut self, line: &str) -> Result<(), DistError> {
        let io = |e| DistError::io(&self.dir, e);
        self.writer.write_all(line.as_bytes()).map_err(io)?;
        self.writer.write_all(b"\n").map_err(io)?;
        self.lines += 1;
        Ok(())
    }

    /// Flushes the lines, ready to be committed.
    pub(crate) fn finish(self) -> Result<Staged, DistError> {
        let file =
            self.writer.into_inner().map_err(|e| DistError::io(&self.dir, e.into_error()))?;
        Ok(Staged { file, target: self.target, lines: self.lines })
    }
}

impl Staged {
    /// Renames the staged file to its target.
    pub(crate) fn commit(self) -> Result<PathBuf, DistError> {
        let target = self.target;
        self.file.persist(&target).map_err(|e| DistError::io(&target, e.error))?;
        Ok(target)
    }
}
