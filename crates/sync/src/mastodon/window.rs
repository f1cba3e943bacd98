//! Deletions of the own statuses and favourites that no stream told of (a status deleted, a
//! favourite undone while no `--follow` ran). No list shows what is gone, and both lists grow
//! without end, so each sync reads the newest [`PAGES`] pages of each again (newest first) and
//! holds them against the same window of the sync before, which is the phase's cursor. An item of
//! the last window that is not listed now is gone when the new window reached the list's end, or
//! when an item older than it in the last window is still listed (so it cannot have slid out of
//! the window); the rest wait for a window that can tell. Older items are not reconciled: the
//! bound is the newest `PAGES × LIMIT` items of each list.

use std::collections::HashSet;

use rapport_model::Network;
use serde::{Deserialize, Serialize};

use super::Run;
use super::api::Status;
use crate::walk::Phase;
use crate::{Deletion, PhaseSummary, Progress, Result, Target};

/// How many pages of each list are read again on every sync.
pub(super) const PAGES: usize = 2;

/// Items per page: the endpoints' documented maximum.
const LIMIT: u32 = 40;

/// The window of one sync, newest first: the phase's cursor.
#[derive(Default, Serialize, Deserialize)]
struct Window {
    items: Vec<Item>,
}

/// One status of a window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Item {
    /// The status's URI: its id in the store.
    uri: String,
    /// Its author's actor URI, for a favourite (the like's other end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    author: Option<String>,
}

/// The items of `before` that `now` shows are gone: all those missing when `now` reached the
/// list's end (`whole`), else those missing that are newer than an item of `before` still listed.
fn gone<'a>(before: &'a [Item], now: &[Item], whole: bool) -> Vec<&'a Item> {
    let listed: HashSet<&str> = now.iter().map(|i| i.uri.as_str()).collect();
    let known = if whole {
        before.len()
    } else {
        before.iter().rposition(|i| listed.contains(i.uri.as_str())).unwrap_or(0)
    };
    before[..known].iter().filter(|i| !listed.contains(i.uri.as_str())).collect()
}

impl Run<'_, '_> {
    /// The window of `path` (own statuses, or `favourites`), held against the last one: what is
    /// gone is removed in the transaction that saves the new window, after every page is read,
    /// so a page that fails removes nothing.
    pub(super) fn window(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
        name: &str,
        path: &str,
    ) -> Result<PhaseSummary> {
        let favourites = name == "favourites";
        let mut phase =
            Phase::new(target, progress, account, &format!("{name}:window"), path, PAGES);
        let before: Window =
            phase.saved()?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
        let (mut now, mut cursor, mut whole) = (Vec::new(), None, false);
        for _ in 0..PAGES {
            let page = self.older_page::<Status>(path, cursor.as_deref(), LIMIT)?;
            if page.items.is_empty() {
                whole = true;
                break;
            }
            for s in page.items {
                phase.summary.read += 1;
                let author = match favourites {
                    true => super::map::account(&s.account, &self.me.home).map(|a| a.id),
                    false => None,
                };
                now.push(Item { uri: s.uri, author });
            }
            match page.next {
                Some(next) => {
                    phase.next_page(&next)?;
                    cursor = Some(next);
                }
                None => {
                    whole = true;
                    break;
                }
            }
        }
        let deleted: Vec<Deletion> = gone(&before.items, &now, whole)
            .into_iter()
            .filter_map(|item| match (favourites, &item.author) {
                // The like as the favourites phase wrote it, and nothing else: the status itself
                // is the author's, and stays.
                (true, Some(author)) => {
                    Some(Deletion::Undone(self.favourite(&item.uri, author.as_str())))
                }
                (true, None) => None,
                (false, _) => Some(Deletion::Id(Network::Mastodon, item.uri.clone())),
            })
            .collect();
        let window = serde_json::to_string(&Window { items: now }).unwrap_or_default();
        phase.apply(&[], &deleted, &window)?;
        Ok(phase.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(uris: &[&str]) -> Vec<Item> {
        uris.iter().map(|u| Item { uri: (*u).to_owned(), author: None }).collect()
    }

    #[test]
    fn what_is_gone_is_told_from_what_slid_out_of_the_window() {
        let uris = |found: Vec<&Item>| found.iter().map(|i| i.uri.clone()).collect::<Vec<_>>();
        let before = items(&["e", "d", "c", "b", "a"]);
        let cases: [(&str, &[&str], bool, &[&str]); 6] = [
            ("nothing changed", &["e", "d", "c", "b", "a"], true, &[]),
            ("d deleted, the list read to its end", &["e", "c", "b", "a"], true, &["d"]),
            ("d deleted, b still listed below it", &["f", "e", "c", "b"], false, &["d"]),
            ("new items pushed b and a out", &["g", "f", "e", "d", "c"], false, &[]),
            ("a missing at the end of a cut window", &["e", "d", "c", "b"], false, &[]),
            ("every old item pushed out", &["k", "j", "i", "h", "g"], false, &[]),
        ];
        for (name, now, whole, expected) in cases {
            assert_eq!(uris(gone(&before, &items(now), whole)), expected, "{name}");
        }
        assert!(gone(&[], &items(&["a"]), true).is_empty(), "a first window removes nothing");
    }
}
