//! Live updates: `/api/events` streams server-sent events when the store changes, whether the
//! change came through this server (an import, done, a merge) or from outside it (`rapport import`
//! in a terminal, a sync), which a watcher notices from the data's generation.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::broadcast;

use crate::state::AppState;

/// How often the watcher asks the store whether its data changed.
const WATCH_EVERY: Duration = Duration::from_secs(2);

/// Something open pages should know.
#[derive(Clone, Debug)]
pub(crate) enum Change {
    /// The data changed (an import, a merge, a split): every view may differ.
    Data,
    /// An action was marked done or snoozed.
    Actions,
    /// An import job moved on.
    Import(u64),
    /// The server is stopping: streams end so it can.
    Shutdown,
}

impl Change {
    fn event(&self) -> Event {
        match self {
            Change::Data => Event::default().event("data").data("changed"),
            Change::Actions => Event::default().event("actions").data("changed"),
            Change::Import(job) => Event::default().event("import").data(job.to_string()),
            Change::Shutdown => Event::default().event("bye").data(""),
        }
    }
}

/// `GET /api/events`: the stream.
pub(crate) async fn stream(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.changes.subscribe();
    let events = futures_util::stream::unfold(Some(receiver), |receiver| async move {
        let mut receiver = receiver?;
        match receiver.recv().await {
            Ok(Change::Shutdown) | Err(broadcast::error::RecvError::Closed) => {
                Some((Ok(Change::Shutdown.event()), None))
            }
            Ok(change) => Some((Ok(change.event()), Some(receiver))),
            // A slow reader missed some: one "data" tells it to reload everything.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                Some((Ok(Change::Data.event()), Some(receiver)))
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::default())
}

/// Watches the data's generation (one small query every two seconds) and tells listening pages
/// when it moves.
pub(crate) async fn watch(state: AppState) {
    let mut known: Option<i64> = None;
    let mut ticker = tokio::time::interval(WATCH_EVERY);
    loop {
        ticker.tick().await;
        let Ok(generation) = state.engines.call(|engine| Ok(engine.read()?.generation()?)).await
        else {
            continue;
        };
        if known.is_some_and(|k| k != generation) {
            let _ = state.changes.send(Change::Data);
        }
        known = Some(generation);
    }
}
