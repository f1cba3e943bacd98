//! Paging through a server's lists, resumably and without looping.
//!
//! Each phase of a sync walks one list in one of three ways, and saves where it is after every
//! page, in the same transaction as the page's records:
//! - [`forward`]: lists that can be read oldest first from a cursor (`listRecords` with `reverse`,
//!   Mastodon's `min_id`); the cursor only moves on, and the next sync starts from it.
//! - [`newest_first`]: lists that can only be read newest first (`listNotifications`); a walk goes
//!   back until it meets the newest items of the walk before it, and remembers the newest items of
//!   its own first page for the next one.
//! - [`full`]: lists read whole (followers, follows of the circle), again only once they are older
//!   than a refresh period.
//!
//! A cursor the server hands out twice, or more pages than [`crate::Options::max_pages`], stops the
//! walk with an error: a server lying about cursors cannot keep sync going forever.

use std::collections::HashSet;

use rapport_model::Record;
use serde::{Deserialize, Serialize};

use crate::{Deletion, PhaseSummary, Progress, Result, SyncError, Target};

/// One page of a list: its items and the cursor of the page after it, if any.
pub(crate) struct Page<I> {
    pub(crate) items: Vec<I>,
    pub(crate) next: Option<String>,
}

/// The phase being walked: where its pages go and what it has done so far.
pub(crate) struct Phase<'a> {
    pub(crate) target: &'a mut dyn Target,
    pub(crate) progress: &'a mut dyn Progress,
    pub(crate) account: &'a str,
    pub(crate) summary: PhaseSummary,
    endpoint: String,
    seen: HashSet<String>,
    pages: usize,
    max_pages: usize,
}

impl<'a> Phase<'a> {
    pub(crate) fn new(
        target: &'a mut dyn Target,
        progress: &'a mut dyn Progress,
        account: &'a str,
        name: &str,
        endpoint: &str,
        max_pages: usize,
    ) -> Phase<'a> {
        progress.phase(name);
        Phase {
            target,
            progress,
            account,
            summary: PhaseSummary::new(name),
            endpoint: endpoint.to_owned(),
            seen: HashSet::new(),
            pages: 0,
            max_pages,
        }
    }

    /// The cursor saved for this phase.
    pub(crate) fn saved(&self) -> Result<Option<String>> {
        self.target
            .cursor(self.account, &self.summary.phase)
            .map_err(|e| SyncError::Store { phase: self.summary.phase.clone(), why: e.to_string() })
    }

    /// Writes one page's records and the phase's cursor together.
    pub(crate) fn write(&mut self, records: &[Record], cursor: &str) -> Result<()> {
        self.apply(records, &[], cursor)
    }

    /// Writes one page's records, removes what the network deleted, and saves the phase's cursor,
    /// all together.
    pub(crate) fn apply(
        &mut self,
        records: &[Record],
        deleted: &[Deletion],
        cursor: &str,
    ) -> Result<()> {
        let written = self
            .target
            .write(self.account, &self.summary.phase, records, deleted, cursor)
            .map_err(|e| SyncError::Store {
                phase: self.summary.phase.clone(),
                why: e.to_string(),
            })?;
        self.summary.new += written.new;
        self.summary.known += written.known;
        self.summary.deleted += written.deleted;
        for reason in written.refused {
            self.summary.skip(reason);
        }
        Ok(())
    }

    /// Saves `cursor` as the cursor of another phase, `name`, of the same account, alone: what
    /// a phase keeps beside its own cursor.
    pub(crate) fn write_phase(&mut self, name: &str, cursor: &str) -> Result<()> {
        self.target
            .write(self.account, name, &[], &[], cursor)
            .map_err(|e| SyncError::Store { phase: name.to_owned(), why: e.to_string() })?;
        Ok(())
    }

    /// Accepts the cursor of the next page, refusing one seen before in this walk and a walk
    /// longer than the page limit.
    pub(crate) fn next_page(&mut self, cursor: &str) -> Result<()> {
        self.pages += 1;
        if self.pages > self.max_pages {
            return Err(SyncError::Cursor {
                endpoint: self.endpoint.clone(),
                why: format!("kept handing out further pages past {} pages", self.max_pages),
            });
        }
        if !self.seen.insert(cursor.to_owned()) {
            return Err(SyncError::Cursor {
                endpoint: self.endpoint.clone(),
                why: format!("handed out the cursor '{}' twice", crate::quote(cursor)),
            });
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> PhaseSummary {
        self.progress.finish();
        self.summary
    }
}

/// Maps one page's items to records, counting reads and skips in the phase's summary.
pub(crate) type MapPage<'m, I> = dyn FnMut(Vec<I>, &mut PhaseSummary) -> Result<Vec<Record>> + 'm;

/// Walks a list oldest first from the saved cursor. `fetch` gets the cursor to start after (none
/// at first) and returns a page whose `next` is the cursor after its last item; an empty page or
/// one without `next` ends the walk.
pub(crate) fn forward<I>(
    phase: &mut Phase<'_>,
    fetch: &mut dyn FnMut(Option<&str>) -> Result<Page<I>>,
    map: &mut MapPage<'_, I>,
) -> Result<()> {
    let mut cursor = phase.saved()?;
    loop {
        let page = fetch(cursor.as_deref())?;
        if page.items.is_empty() {
            return Ok(());
        }
        let count = page.items.len();
        let records = map(page.items, &mut phase.summary)?;
        let Some(next) = page.next else {
            // The server gave no cursor past this page: the items are stored, and the next sync
            // reads this page again (idempotently) rather than lose the position.
            phase.write(&records, cursor.as_deref().unwrap_or(""))?;
            phase.progress.page(count);
            return Ok(());
        };
        if cursor.as_deref() == Some(next.as_str()) {
            return Err(SyncError::Cursor {
                endpoint: phase.endpoint.clone(),
                why: format!("answered the cursor '{}' with itself", crate::quote(&next)),
            });
        }
        phase.next_page(&next)?;
        phase.write(&records, &next)?;
        phase.progress.page(count);
        cursor = Some(next);
    }
}

/// Where a newest-first walk stands.
#[derive(Default, Serialize, Deserialize)]
struct Backfill {
    /// The newest keys of the last finished walk: meeting one ends this walk.
    stop: Vec<String>,
    /// The newest keys of this walk's first page: the next walk's `stop`.
    top: Vec<String>,
    /// The cursor of the page to read next, while a walk is under way.
    next: Option<String>,
}

/// How many of the newest keys are remembered: enough that deleting a few items cannot make the
/// next walk miss its stopping point.
const TOP: usize = 20;

/// Walks a list that is read newest first, back to where the last walk began.
pub(crate) fn newest_first<I>(
    phase: &mut Phase<'_>,
    fetch: &mut dyn FnMut(Option<&str>) -> Result<Page<I>>,
    key: &dyn Fn(&I) -> String,
    map: &mut MapPage<'_, I>,
) -> Result<()> {
    let mut state: Backfill =
        phase.saved()?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
    loop {
        let starting = state.next.is_none();
        let page = fetch(state.next.as_deref())?;
        if starting {
            state.top = page.items.iter().take(TOP).map(key).collect();
        }
        let count = page.items.len();
        let mut fresh = Vec::with_capacity(count);
        let mut reached = false;
        for item in page.items {
            if state.stop.contains(&key(&item)) {
                reached = true;
                break;
            }
            fresh.push(item);
        }
        let records = map(fresh, &mut phase.summary)?;
        let done = reached || count == 0 || page.next.is_none();
        if done {
            if !state.top.is_empty() {
                state.stop = std::mem::take(&mut state.top);
            }
            state.next = None;
        } else if let Some(next) = page.next {
            phase.next_page(&next)?;
            state.next = Some(next);
        }
        let cursor = serde_json::to_string(&state).unwrap_or_default();
        phase.write(&records, &cursor)?;
        phase.progress.page(count);
        if done {
            return Ok(());
        }
    }
}

/// Where a whole-list walk stands.
#[derive(Default, Serialize, Deserialize)]
struct Relist {
    /// The cursor of the page to read next, while a walk is under way.
    next: Option<String>,
    /// When the last walk finished.
    done: Option<i64>,
}

/// Holds a list read whole against what the target stores: given the target, what the list no
/// longer holds (a follow it does not name was undone), removed with the list's last page.
pub(crate) type Unlisted<'u> = dyn FnMut(&dyn Target) -> Result<Vec<Deletion>> + 'u;

/// A whole list that would take back more than half of what was listed before, and more than a
/// few: what a server that answers an empty or cut list by fault looks like, rather than a user's
/// day. Nothing is removed then, and the summary says why.
fn implausible(listed: usize, removed: usize) -> bool {
    removed > 10 && removed > listed
}

/// Reads a whole list, unless the last complete reading is younger than `refresh` seconds. With
/// `unlisted`, a list read from its first page to its last in this run is held against the store,
/// and what it no longer holds is removed in the last page's transaction: a page that fails
/// before removes nothing. A walk resumed half-way (a sync killed before) read its first pages in
/// another run, so it removes nothing, and the next whole reading does.
pub(crate) fn full<I>(
    phase: &mut Phase<'_>,
    refresh: i64,
    fetch: &mut dyn FnMut(Option<&str>) -> Result<Page<I>>,
    map: &mut MapPage<'_, I>,
    mut unlisted: Option<&mut Unlisted<'_>>,
) -> Result<()> {
    let state: Relist =
        phase.saved()?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
    if state.next.is_none() && state.done.is_some_and(|d| crate::now() - d < refresh) {
        phase.summary.skip(format!("read less than {} minutes ago", refresh / 60));
        return Ok(());
    }
    let whole = state.next.is_none();
    let mut next = state.next;
    let mut listed = 0;
    loop {
        let page = fetch(next.as_deref())?;
        let count = page.items.len();
        listed += count;
        let records = map(page.items, &mut phase.summary)?;
        let done = count == 0 || page.next.is_none();
        let state = if done {
            Relist { next: None, done: Some(crate::now()) }
        } else {
            let cursor = page.next.unwrap_or_default();
            phase.next_page(&cursor)?;
            Relist { next: Some(cursor), done: None }
        };
        let mut deleted = match &mut unlisted {
            Some(unlisted) if done && whole => unlisted(&*phase.target)?,
            _ => Vec::new(),
        };
        if implausible(listed, deleted.len()) {
            phase.summary.skip(format!(
                "the list names {listed} and would take back {} stored at once: more than half, \
                 as a server's fault would (an empty answer); nothing removed",
                deleted.len()
            ));
            deleted.clear();
        }
        phase.apply(&records, &deleted, &serde_json::to_string(&state).unwrap_or_default())?;
        phase.progress.page(count);
        if done {
            return Ok(());
        }
        next = state.next;
    }
}
