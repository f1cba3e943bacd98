//! Grouped notifications (`GET /api/v2/notifications`, Mastodon 4.3 and later): favourites,
//! boosts and follows of one status come as one group naming a sample of its accounts, with the
//! accounts and statuses of a page listed once beside the groups. Each group is turned back into
//! one notification per account, as `/api/v1/notifications` gives them, so that both versions
//! map to the same records with the same ids; a group with more accounts than its sample has the
//! rest read from `GET /api/v2/notifications/:group_key/accounts`, paged from the cursor the sync
//! started at (only the accounts whose notifications are new), once per group in a sync however
//! many pages the group spans. A server without the endpoint (404) is read through version 1.

use std::collections::HashMap;

use serde::Deserialize;

use super::Run;
use super::api::{ApiAccount, Notification, Status};
use crate::Result;
use crate::walk::Page;

/// The endpoint.
pub(super) const PATH: &str = "/api/v2/notifications";

/// The types asked to be grouped: those Mastodon groups, each of which names its accounts.
const GROUPED_TYPES: [&str; 3] = ["favourite", "reblog", "follow"];

/// `GroupedNotificationsResults`.
#[derive(Deserialize)]
struct Grouped {
    #[serde(default)]
    accounts: Vec<ApiAccount>,
    #[serde(default)]
    statuses: Vec<Status>,
    #[serde(default)]
    notification_groups: Vec<Group>,
}

/// `NotificationGroup`: the fields read.
#[derive(Deserialize)]
struct Group {
    group_key: String,
    #[serde(default)]
    notifications_count: u64,
    #[serde(rename = "type")]
    kind: String,
    most_recent_notification_id: String,
    #[serde(default)]
    page_max_id: Option<String>,
    #[serde(default)]
    latest_page_notification_at: Option<String>,
    #[serde(default)]
    sample_account_ids: Vec<String>,
    #[serde(default)]
    status_id: Option<String>,
}

impl Run<'_, '_> {
    /// One page of grouped notifications newer than `cursor`, as version 1 notifications, with
    /// the newest notification id (or the `Link` header's `min_id`) as the next cursor; the
    /// accounts of a group beyond its sample are those newer than `start`, where the sync began.
    pub(super) fn grouped_page(
        &self,
        cursor: Option<&str>,
        start: Option<&str>,
    ) -> Result<Page<Notification>> {
        let mut query = vec![("min_id", cursor.unwrap_or("0")), ("limit", "80")];
        query.extend(GROUPED_TYPES.iter().map(|t| ("grouped_types[]", *t)));
        let (page, _, newer): (Grouped, _, _) = self.get(PATH, &query)?;
        let accounts: HashMap<&str, &ApiAccount> =
            page.accounts.iter().map(|a| (a.id.as_str(), a)).collect();
        let statuses: HashMap<&str, &Status> =
            page.statuses.iter().map(|s| (s.id.as_str(), s)).collect();
        let mut items = Vec::new();
        for group in &page.notification_groups {
            let mut members: Vec<ApiAccount> = group
                .sample_account_ids
                .iter()
                .filter_map(|id| accounts.get(id.as_str()).map(|a| (*a).clone()))
                .collect();
            // Read once in a sync: every account new since it began is then known, and the
            // group's later pages give their sample (known already), which moves the cursor on.
            if group.notifications_count > members.len() as u64
                && self.expanded.borrow_mut().insert(group.group_key.clone())
            {
                members = self.group_accounts(&group.group_key, start)?.unwrap_or(members);
            }
            let status = group.status_id.as_deref().and_then(|id| statuses.get(id));
            for account in members {
                items.push(Notification {
                    id: format!("{}:{}", group.most_recent_notification_id, account.id),
                    kind: group.kind.clone(),
                    created_at: group.latest_page_notification_at.clone().unwrap_or_default(),
                    account,
                    status: status.map(|s| (*s).clone()),
                });
            }
        }
        let newest = page
            .notification_groups
            .iter()
            .flat_map(|g| [Some(&g.most_recent_notification_id), g.page_max_id.as_ref()])
            .flatten()
            .max_by(|a, b| (a.len(), a).cmp(&(b.len(), b)))
            .cloned();
        Ok(Page { next: newer.or(newest), items })
    }

    /// The accounts of the group `key` whose notifications are newer than `since` (all without
    /// it), oldest first page by page (`min_id`, then each answer's `Link: rel="prev"`), at most
    /// [`Options::max_pages`](crate::Options) pages; or `None` when its key cannot be put in a
    /// path as it is (keys are opaque; Mastodon's are letters, digits and dashes): the sample
    /// then stands.
    fn group_accounts(&self, key: &str, since: Option<&str>) -> Result<Option<Vec<ApiAccount>>> {
        if key.is_empty()
            || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Ok(None);
        }
        let path = format!("{PATH}/{key}/accounts");
        let (mut all, mut cursor) = (Vec::new(), since.unwrap_or("0").to_owned());
        for _ in 0..self.options.max_pages {
            let (accounts, _, newer): (Vec<ApiAccount>, _, _) =
                self.get(&path, &[("min_id", &cursor), ("limit", "80")])?;
            let done = accounts.is_empty();
            all.extend(accounts);
            // A server that gives no newer cursor, or the same one again, has no more.
            match newer {
                Some(newer) if !done && newer != cursor => cursor = newer,
                _ => break,
            }
        }
        Ok(Some(all))
    }
}
