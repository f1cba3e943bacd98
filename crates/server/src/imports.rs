//! Imports started from the page: the upload is streamed to a private temporary folder (capped in
//! size), then imported exactly as `rapport import` would (format detected from content, archives
//! through the same path-checked reader, one transaction), as a job whose progress pages follow.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use futures_util::StreamExt;
use rapport_engine::{FileSummary, Format, ImportOptions, Progress};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

use crate::error::{ApiError, Kind};
use crate::events::Change;
use crate::state::AppState;

/// How many finished jobs are remembered for pages that ask late.
const KEPT_JOBS: usize = 20;
/// How many skipped records a summary lists, as the CLI does without --verbose.
const SHOWN_SKIPS: usize = 20;

/// The import jobs, newest last; one import runs at a time.
#[derive(Clone, Default)]
pub(crate) struct Jobs {
    jobs: Arc<Mutex<BTreeMap<u64, Job>>>,
    next: Arc<AtomicU64>,
    running: Arc<tokio::sync::Mutex<()>>,
}

/// One import from the page, as `/api/import/{id}` shows it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Job {
    pub(crate) id: u64,
    /// The uploaded file's name.
    pub(crate) name: String,
    /// `queued`, `importing`, `done` or `failed`.
    pub(crate) state: &'static str,
    pub(crate) bytes_total: u64,
    pub(crate) bytes_done: u64,
    /// The summary, file by file, as `rapport import` prints it.
    pub(crate) files: Vec<FileDto>,
    /// Why it failed; the store is unchanged.
    pub(crate) error: Option<String>,
}

/// What importing one file did.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FileDto {
    pub(crate) name: String,
    pub(crate) format: String,
    pub(crate) read: u64,
    pub(crate) new: u64,
    pub(crate) known: u64,
    pub(crate) skipped: u64,
    pub(crate) skipped_records: Vec<SkipDto>,
}

/// One skipped record and why.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct SkipDto {
    pub(crate) file: String,
    pub(crate) location: String,
    pub(crate) reason: String,
}

impl Jobs {
    fn add(&self, name: &str, bytes: u64) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Job {
            id,
            name: name.to_owned(),
            state: "queued",
            bytes_total: bytes,
            bytes_done: 0,
            files: Vec::new(),
            error: None,
        };
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.insert(id, job);
            while jobs.len() > KEPT_JOBS {
                jobs.pop_first();
            }
        }
        id
    }

    fn update(&self, id: u64, f: impl FnOnce(&mut Job)) {
        if let Ok(mut jobs) = self.jobs.lock()
            && let Some(job) = jobs.get_mut(&id)
        {
            f(job);
        }
    }

    pub(crate) fn get(&self, id: u64) -> Option<Job> {
        self.jobs.lock().ok()?.get(&id).cloned()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UploadQuery {
    /// The file's name: its extension helps tell tables apart.
    name: Option<String>,
    /// Read it as this format instead of detecting it.
    format: Option<String>,
    /// Skip malformed records (each listed with its reason) instead of stopping at the first.
    #[serde(default)]
    skip_invalid: bool,
}

/// `POST /api/import?name=FILE`: the body is the export; answers 202 with the job.
pub(crate) async fn upload(
    State(state): State<AppState>,
    query: Result<Query<UploadQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Job>), ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let format = match query.format.as_deref().filter(|f| !f.is_empty()) {
        Some(f) => Some(f.parse::<Format>().map_err(|e| ApiError::bad_request(e.to_string()))?),
        None => None,
    };
    let limit = state.upload_limit;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let name = safe_name(query.name.as_deref().unwrap_or(""));
    let dir = tempfile::Builder::new()
        .prefix("rapport-upload-")
        .tempdir()
        .map_err(|e| ApiError::internal(format!("cannot make a temporary folder: {e}")))?;
    let path = dir.path().join(&name);
    let bytes = receive(body, &path, limit).await?;
    if bytes == 0 {
        return Err(ApiError::bad_request("the upload is empty; choose an export to import"));
    }
    let id = state.jobs.add(&name, bytes);
    let options = ImportOptions {
        format,
        skip_invalid: query.skip_invalid,
        keep_skipped: SHOWN_SKIPS,
        ..ImportOptions::default()
    };
    // The import commits after this answer: its audit entry (team mode) goes with it.
    let audit = crate::teams::pending::hand_off();
    tokio::spawn(crate::teams::pending::within(audit, run(state.clone(), id, dir, path, options)));
    let job = state.jobs.get(id).ok_or_else(|| ApiError::internal("the job vanished"))?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// `GET /api/import/{id}`: how a job stands.
pub(crate) async fn status(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<Job>, ApiError> {
    let id: u64 =
        id.parse().map_err(|_| ApiError::bad_request(format!("'{id}' is not a job id")))?;
    state.jobs.get(id).map(Json).ok_or_else(|| ApiError::not_found(format!("no import job {id}")))
}

fn too_large(limit: u64) -> ApiError {
    ApiError::new(
        Kind::TooLarge,
        format!(
            "the upload is larger than the server's cap of {} MiB; import it with `rapport import` or start the server with a larger --max-upload-mib",
            limit / (1024 * 1024)
        ),
    )
}

/// Streams the body into `path`, refusing it once it passes `limit` bytes.
async fn receive(body: Body, path: &Path, limit: u64) -> Result<u64, ApiError> {
    let failed = |e: std::io::Error| ApiError::internal(format!("cannot keep the upload: {e}"));
    let mut file = tokio::fs::File::create(path).await.map_err(failed)?;
    let mut stream = body.into_data_stream();
    let mut total: u64 = 0;
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(format!("the upload broke off: {e}")))?;
        total += chunk.len() as u64;
        if total > limit {
            return Err(too_large(limit));
        }
        file.write_all(&chunk).await.map_err(failed)?;
    }
    file.flush().await.map_err(failed)?;
    Ok(total)
}

/// A name that is safe as a file name in the temporary folder: the last path component, plain
/// characters only.
fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(100)
        .collect();
    let clean = clean.trim_start_matches('.');
    if clean.is_empty() { "upload".to_owned() } else { clean.to_owned() }
}

/// Imports the uploaded file on an engine worker, one import at a time, then brings the kept
/// views up to date as `rapport import` does and tells open pages.
async fn run(
    state: AppState,
    id: u64,
    dir: tempfile::TempDir,
    path: PathBuf,
    options: ImportOptions,
) {
    let _one_at_a_time = state.jobs.running.lock().await;
    state.jobs.update(id, |j| j.state = "importing");
    let _ = state.changes.send(Change::Import(id));
    let progress =
        JobProgress { jobs: state.jobs.clone(), id, changes: state.changes.clone(), shown: 0 };
    let folder = dir.path().to_path_buf();
    let result = state
        .engines
        .call(move |engine| {
            let mut progress = progress;
            let summary = engine.import(&[path], &options, &mut progress)?;
            if let Err(err) = engine.refresh_views() {
                // The import is committed; the next read computes the views instead.
                tracing::warn!(%err, "could not bring the kept views up to date");
            }
            Ok(summary)
        })
        .await;
    let hide = |text: &str| text.replace(&format!("{}/", folder.display()), "");
    state.jobs.update(id, |job| match result {
        Ok(files) => {
            job.state = "done";
            job.bytes_done = job.bytes_total;
            job.files = files.iter().map(|f| file_dto(f, &folder)).collect();
        }
        Err(err) => {
            job.state = "failed";
            job.error = Some(hide(&err.message));
        }
    });
    drop(dir);
    let _ = state.changes.send(Change::Import(id));
    let _ = state.changes.send(Change::Data);
}

fn file_dto(f: &FileSummary, folder: &Path) -> FileDto {
    let relative = |p: &Path| p.strip_prefix(folder).unwrap_or(p).display().to_string();
    FileDto {
        name: relative(&f.path),
        format: f.format.name().to_owned(),
        read: f.counts.read,
        new: f.counts.new,
        known: f.counts.known,
        skipped: f.counts.skipped,
        skipped_records: f
            .skipped
            .iter()
            .map(|s| SkipDto {
                file: relative(&s.file),
                location: s.location.to_string(),
                reason: s.reason.clone(),
            })
            .collect(),
    }
}

/// Hears the importer's progress and passes it to the job, telling pages every few percent.
struct JobProgress {
    jobs: Jobs,
    id: u64,
    changes: tokio::sync::broadcast::Sender<Change>,
    shown: u64,
}

impl Progress for JobProgress {
    fn start(&mut self, _file: &Path, total: u64) {
        self.jobs.update(self.id, |j| j.bytes_total = total.max(j.bytes_total));
    }

    fn advance(&mut self, done: u64) {
        self.jobs.update(self.id, |j| j.bytes_done = done);
        let total = self.jobs.get(self.id).map_or(1, |j| j.bytes_total.max(1));
        if (done - self.shown.min(done)) * 50 >= total {
            self.shown = done;
            let _ = self.changes.send(Change::Import(self.id));
        }
    }

    fn finish(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn names_stay_in_the_folder() {
        for (given, expected) in [
            ("twitter-2024.zip", "twitter-2024.zip"),
            ("../../etc/passwd", "passwd"),
            ("C:\\Users\\ada\\export.csv", "export.csv"),
            ("..", "upload"),
            (".hidden.csv", "hidden.csv"),
            ("<script>.csv", "script.csv"),
            ("", "upload"),
        ] {
            assert_eq!(safe_name(given), expected, "{given}");
        }
    }
}
