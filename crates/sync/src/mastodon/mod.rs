//! Mastodon: connecting with OAuth, and syncing an account through the REST API.
//!
//! Phases, in order: the own account (`verify_credentials`); own statuses, favourites and
//! notifications, each read oldest first from where the last sync stopped (`min_id`, then the
//! `min_id` of each answer's `Link: rel="prev"`); the windows of the newest statuses and
//! favourites, read again to find what was deleted while no stream ran (`window.rs`);
//! conversations (direct messages); followers and following of me, each whole reading held
//! against the follows stored to find the unfollows; the accounts I block and mute; and the
//! following of the circle (found with `accounts/lookup`). Pagination cursors are taken from the
//! `Link` header's parameters only, and every URL is built on the instance itself, so a `Link` to
//! another host can never receive the token.

mod api;
mod callback;
mod grouped;
mod map;
mod oauth;
mod post;
mod relationships;
mod stream;
mod window;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use rapport_model::{Interaction, InteractionKind, Network, Record};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use callback::Approval;
pub use oauth::{Authorization, authorize, authorize_loopback, finish, instance_url};
pub use post::post;
pub(crate) use stream::follow;

use crate::http::{self, Body, Http, Request};
use crate::walk::{self, Page, Phase};
use crate::{Deletion, Options, PhaseSummary, Progress, Result, Summary, SyncError, Target};
use api::{ApiAccount, Conversation, Notification, Status};
use map::Me;

/// The scopes Rapport asks for: reading, and posting statuses (the dashboard's replies, each sent
/// only after the user's click).
const SCOPES: &str = "read write:statuses";

/// The endpoint that checks a token and names its account.
const VERIFY: &str = "/api/v1/accounts/verify_credentials";

/// How often followers and following of me are read whole again, in seconds.
const RELIST_MINE: i64 = 3600;

/// How often a circle member's following is read again, in seconds.
const RELIST_CIRCLE: i64 = 86_400;

/// The most parents of replies looked up per sync: each costs a request of a budget of 300 per
/// five minutes, and without it only the reply's `reply_to` is missing, not the reply.
const MAX_PARENTS: usize = 100;

/// A connected Mastodon account: its instance, its app and its token.
#[derive(Clone, Serialize, Deserialize)]
pub struct App {
    /// The instance's base URL.
    pub instance: String,
    /// The app's client id.
    pub client_id: String,
    /// The app's client secret.
    pub client_secret: String,
    /// The user's access token.
    pub token: String,
    /// The account's server-local id.
    pub account_id: String,
    /// The account's actor URI: its id in the store.
    pub actor: String,
    /// `user@instance`.
    pub acct: String,
}

/// A client of one app: GETs on the instance with the token.
struct Client<'a> {
    app: &'a App,
    http: &'a mut Http,
}

impl Client<'_> {
    /// GETs `path` on the instance and decodes it; returns it with the `Link` header's `max_id`
    /// (older) and `min_id` (newer) cursors. A refused token means connecting again.
    fn get<T: DeserializeOwned>(
        &mut self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<(T, Option<String>, Option<String>)> {
        let url = format!("{}{path}", self.app.instance);
        let endpoint = format!("GET {path}");
        let answer = self.http.call(&Request {
            endpoint: &endpoint,
            url: &url,
            query,
            bearer: Some(&self.app.token),
            body: Body::None,
        });
        let answer = match answer {
            Err(SyncError::Status { status: 401 | 403, code, message, .. }) => {
                return Err(SyncError::Unauthorized {
                    endpoint,
                    account: self.app.instance.clone(),
                    network: "mastodon",
                    code,
                    message,
                });
            }
            other => other?,
        };
        let value = http::json(&endpoint, &answer.body)?;
        let older = answer.next.and_then(|l| http::query_param(&l, "max_id"));
        let newer = answer.prev.and_then(|l| http::query_param(&l, "min_id"));
        Ok((value, older, newer))
    }
}

/// Syncs the account of `app` into `target`.
pub(crate) fn sync(
    app: &mut App,
    target: &mut dyn Target,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Summary> {
    let account = format!("mastodon:{}", app.actor);
    let mut http = Http::new(options.limits.clone());
    let home = rapport_import::mastodon::host(&app.instance).unwrap_or("").to_owned();
    let run = Run {
        client: RefCell::new(Client { app: &*app, http: &mut http }),
        me: Me { home, local_id: app.account_id.clone(), actor: app.actor.clone() },
        parents: RefCell::new(HashMap::new()),
        expanded: RefCell::new(HashSet::new()),
        options,
    };
    // Rounds of --follow leave out the profile: rewriting it every few seconds would make every
    // kept view stale for nothing.
    let mut phases = Vec::new();
    if !options.recent_only {
        phases.push(run.profile(target, progress, &account)?);
    }
    let statuses = format!("/api/v1/accounts/{}/statuses", app.account_id);
    phases.push(run.statuses(target, progress, &account, "statuses", &statuses)?);
    phases.push(run.statuses(target, progress, &account, "favourites", "/api/v1/favourites")?);
    phases.push(run.notifications(target, progress, &account)?);
    if options.recent_only {
        drop(run);
        let waited_secs = http.waited.as_secs_f64();
        return Ok(Summary { account, phases, requests: http.requests, waited_secs });
    }
    // What was deleted or undone among the newest statuses and favourites (a round of --follow
    // hears deletions from the stream instead).
    phases.push(run.window(target, progress, &account, "statuses", &statuses)?);
    phases.push(run.window(target, progress, &account, "favourites", "/api/v1/favourites")?);
    phases.push(run.conversations(target, progress, &account)?);
    phases.push(run.follows(
        target,
        progress,
        &account,
        "followers",
        &app.account_id,
        &app.actor,
        true,
    )?);
    phases.push(run.follows(
        target,
        progress,
        &account,
        "following",
        &app.account_id,
        &app.actor,
        false,
    )?);
    for (name, kind) in [("blocks", InteractionKind::Block), ("mutes", InteractionKind::Mute)] {
        phases.push(run.refusals(target, progress, &account, name, kind)?);
    }
    let circle = target
        .circle(Network::Mastodon, options.circle)
        .map_err(|e| SyncError::Store { phase: "circle".into(), why: e.to_string() })?;
    let mut known = Vec::new();
    for member in circle.iter().filter(|m| **m != app.actor) {
        let (phase, local) = run.circle(target, progress, &account, member)?;
        phases.push(phase);
        known.extend(local.map(|id| (id, member.clone())));
    }
    phases.push(run.relationships(target, progress, &account, &known)?);
    drop(run);
    Ok(Summary { account, phases, requests: http.requests, waited_secs: http.waited.as_secs_f64() })
}

/// One sync's state.
struct Run<'a, 'o> {
    client: RefCell<Client<'a>>,
    me: Me,
    /// Parent status URIs by local id, looked up in this sync.
    parents: RefCell<HashMap<String, Option<String>>>,
    /// The notification groups whose accounts this sync has read.
    expanded: RefCell<HashSet<String>>,
    options: &'o Options,
}

impl Run<'_, '_> {
    fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<(T, Option<String>, Option<String>)> {
        self.client.borrow_mut().get(path, query)
    }

    fn profile(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
    ) -> Result<PhaseSummary> {
        let (me, _, _): (ApiAccount, _, _) = self.get(VERIFY, &[])?;
        let mut phase = Phase::new(target, progress, account, "profile", VERIFY, 1);
        phase.summary.read = 1;
        let Some(mut record) = map::account(&me, &self.me.home) else {
            return Err(SyncError::Input(format!(
                "{VERIFY} names an account '{}' that is not an address",
                me.acct
            )));
        };
        // The token's account is the one connected: its id is fixed at connect time.
        record.id.clone_from(&self.me.actor);
        phase.write(&[Record::Me(record)], "")?;
        Ok(phase.finish())
    }

    /// A list of statuses read oldest first from the saved `min_id`: own statuses (posts,
    /// replies, boosts, DMs) or favourites (undated likes, as the archive has them).
    fn statuses(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
        name: &str,
        path: &str,
    ) -> Result<PhaseSummary> {
        let mut phase = Phase::new(target, progress, account, name, path, self.options.max_pages);
        let favourites = name == "favourites";
        let mut fetch =
            |cursor: Option<&str>| self.forward_page::<Status>(path, cursor, 40, |s| s.id.clone());
        let mut map = |items: Vec<Status>, summary: &mut PhaseSummary| {
            let mut records = Vec::new();
            for s in items {
                summary.read += 1;
                if favourites {
                    match map::account(&s.account, &self.me.home) {
                        Some(author) => {
                            let like = self.favourite(&s.uri, &author.id);
                            records.push(Record::Account(author));
                            records.push(Record::Interaction(like));
                        }
                        None => summary.skip(format!(
                            "like of {}: its author is not an account address",
                            s.uri
                        )),
                    }
                } else {
                    self.status(&s, &mut records, summary)?;
                }
            }
            Ok(records)
        };
        walk::forward(&mut phase, &mut fetch, &mut map)?;
        Ok(phase.finish())
    }

    /// My favourite of the status `uri` by `author`: an undated like, as the archive has them,
    /// whose id is the status's (nothing in the API names the favourite itself).
    fn favourite(&self, uri: &str, author: &str) -> Interaction {
        Interaction {
            native_id: Some(uri.to_owned()),
            post_id: Some(uri.to_owned()),
            ..Interaction::new(
                Network::Mastodon,
                None,
                &self.me.actor,
                author,
                InteractionKind::Like,
            )
        }
    }

    /// What others did, oldest first from the saved `min_id`.
    fn notifications(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
    ) -> Result<PhaseSummary> {
        const PATH: &str = "/api/v1/notifications";
        let mut phase = Phase::new(
            target,
            progress,
            account,
            "notifications",
            grouped::PATH,
            self.options.max_pages,
        );
        // Grouped first; a server that predates them says 404, and version 1 reads the same
        // notification ids, so the phase's cursor serves both.
        let mut grouped = true;
        // Groups' accounts are read from where this sync began, once each.
        let start = phase.saved()?;
        let mut fetch = |cursor: Option<&str>| {
            if grouped {
                match self.grouped_page(cursor, start.as_deref()) {
                    Err(SyncError::Status { status: 404, .. }) => grouped = false,
                    other => return other,
                }
            }
            self.forward_page::<Notification>(PATH, cursor, 80, |n| n.id.clone())
        };
        let mut map = |items: Vec<Notification>, summary: &mut PhaseSummary| {
            let mut records = Vec::new();
            for n in items {
                summary.read += 1;
                self.notification(n, &mut records, summary)?;
            }
            Ok(records)
        };
        walk::forward(&mut phase, &mut fetch, &mut map)?;
        Ok(phase.finish())
    }

    fn notification(
        &self,
        n: Notification,
        records: &mut Vec<Record>,
        summary: &mut PhaseSummary,
    ) -> Result<()> {
        let Some(who) = map::account(&n.account, &self.me.home) else {
            summary.skip(format!(
                "notification {}: the account '{}' is not an address",
                n.id, n.account.acct
            ));
            return Ok(());
        };
        let at = rapport_model::time::parse(&n.created_at);
        let on_status = |kind: InteractionKind, what: &str| {
            n.status.as_ref().map(|s| Interaction {
                // Nothing in the API names the like or boost itself: its id is the status and who.
                native_id: Some(format!("{}#{what}#{}", s.uri, who.id)),
                post_id: Some(s.uri.clone()),
                ..Interaction::new(Network::Mastodon, at, &who.id, &self.me.actor, kind)
            })
        };
        let interaction = match n.kind.as_str() {
            "mention" => {
                if let Some(s) = &n.status {
                    self.status(s, records, summary)?;
                }
                return Ok(());
            }
            "favourite" => on_status(InteractionKind::Like, "favourite"),
            "reblog" => on_status(InteractionKind::Repost, "reblog"),
            // Undated and without an id, as the archive's follow lists have follows.
            "follow" => Some(Interaction::new(
                Network::Mastodon,
                None,
                &who.id,
                &self.me.actor,
                InteractionKind::Follow,
            )),
            other => {
                summary.skip(format!("a '{other}' notification says nothing about a relationship"));
                return Ok(());
            }
        };
        match interaction {
            Some(i) => {
                records.push(Record::Account(who));
                records.push(Record::Interaction(i));
            }
            None => summary.skip(format!("notification {} of type {} has no status", n.id, n.kind)),
        }
        Ok(())
    }

    /// Direct messages: the last status of each conversation (earlier ones are in the own
    /// statuses and in mention notifications).
    fn conversations(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
    ) -> Result<PhaseSummary> {
        const PATH: &str = "/api/v1/conversations";
        let mut phase =
            Phase::new(target, progress, account, "conversations", PATH, self.options.max_pages);
        let mut fetch = |cursor: Option<&str>| self.older_page::<Conversation>(PATH, cursor, 40);
        let mut map = |items: Vec<Conversation>, summary: &mut PhaseSummary| {
            let mut records = Vec::new();
            for c in items {
                summary.read += 1;
                match &c.last_status {
                    Some(s) => self.status(s, &mut records, summary)?,
                    None => summary.skip("a conversation without a status".into()),
                }
            }
            Ok(records)
        };
        walk::full(&mut phase, RELIST_MINE, &mut fetch, &mut map, None)?;
        Ok(phase.finish())
    }

    /// Followers or following of an account (`local_id`, actor `who`): undated follows without
    /// ids, as the archive's follow lists have them.
    #[expect(clippy::too_many_arguments, reason = "one phase's parameters, each used once")]
    fn follows(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
        name: &str,
        local_id: &str,
        who: &str,
        followers: bool,
    ) -> Result<PhaseSummary> {
        let path = format!(
            "/api/v1/accounts/{local_id}/{}",
            if followers { "followers" } else { "following" }
        );
        let mut phase = Phase::new(target, progress, account, name, &path, self.options.max_pages);
        let circle = name.starts_with("circle:");
        // The other ends the list names, to find the follows it no longer holds.
        let listed = RefCell::new(HashSet::new());
        let mut pages = 0;
        let mut fetch = |cursor: Option<&str>| {
            pages += 1;
            let mut page = self.older_page::<ApiAccount>(&path, cursor, 80)?;
            if circle && pages >= self.options.circle_pages {
                page.next = None;
            }
            Ok(page)
        };
        let mut map = |items: Vec<ApiAccount>, summary: &mut PhaseSummary| {
            let mut records = Vec::new();
            for a in items {
                summary.read += 1;
                let Some(them) = map::account(&a, &self.me.home) else {
                    summary.skip(format!("'{}' is not an account address", a.acct));
                    continue;
                };
                listed.borrow_mut().insert(them.id.clone());
                let (source, target) =
                    if followers { (them.id.as_str(), who) } else { (who, them.id.as_str()) };
                let follow = Interaction::new(
                    Network::Mastodon,
                    None,
                    source,
                    target,
                    InteractionKind::Follow,
                );
                records.push(Record::Account(them.clone()));
                records.push(Record::Interaction(follow));
            }
            Ok(records)
        };
        // A follow of mine or of me the whole list no longer names was undone; the circle's
        // lists are cut at `circle_pages`, so they are never known whole.
        let mut unlisted = |target: &dyn Target| {
            let stored = target
                .listed_follows(Network::Mastodon, who)
                .map_err(|e| SyncError::Store { phase: name.to_owned(), why: e.to_string() })?;
            let listed = listed.borrow();
            Ok(stored
                .into_iter()
                .filter(|f| {
                    let (end, other) =
                        if followers { (&f.target, &f.source) } else { (&f.source, &f.target) };
                    end == who && !listed.contains(other)
                })
                .map(Deletion::Undone)
                .collect())
        };
        let refresh = if circle { RELIST_CIRCLE } else { RELIST_MINE };
        let unlisted: Option<&mut walk::Unlisted<'_>> =
            if circle { None } else { Some(&mut unlisted) };
        walk::full(&mut phase, refresh, &mut fetch, &mut map, unlisted)?;
        Ok(phase.finish())
    }

    /// The accounts I block or mute (`/api/v1/blocks`, `/api/v1/mutes`): undated blocks and mutes
    /// without ids, as the archive's lists have them, so that they are honoured everywhere.
    fn refusals(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
        name: &str,
        kind: InteractionKind,
    ) -> Result<PhaseSummary> {
        let path = format!("/api/v1/{name}");
        let mut phase = Phase::new(target, progress, account, name, &path, self.options.max_pages);
        let mut fetch = |cursor: Option<&str>| self.older_page::<ApiAccount>(&path, cursor, 80);
        let mut map = |items: Vec<ApiAccount>, summary: &mut PhaseSummary| {
            let mut records = Vec::new();
            for a in items {
                summary.read += 1;
                let Some(them) = map::account(&a, &self.me.home) else {
                    summary.skip(format!("'{}' is not an account address", a.acct));
                    continue;
                };
                let refusal =
                    Interaction::new(Network::Mastodon, None, &self.me.actor, &them.id, kind);
                records.push(Record::Account(them));
                records.push(Record::Interaction(refusal));
            }
            Ok(records)
        };
        walk::full(&mut phase, RELIST_MINE, &mut fetch, &mut map, None)?;
        Ok(phase.finish())
    }

    /// The following of one member of the circle, found by address, and the member's local id
    /// when the instance knows it.
    fn circle(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
        member: &str,
    ) -> Result<(PhaseSummary, Option<String>)> {
        const LOOKUP: &str = "/api/v1/accounts/lookup";
        let name = format!("circle:{member}");
        let Some(acct) = map::acct_of_actor(member) else {
            let mut phase = Phase::new(target, progress, account, &name, LOOKUP, 1);
            phase
                .summary
                .skip(format!("{member} is not an actor URI of the form https://host/users/name"));
            return Ok((phase.finish(), None));
        };
        let found: Result<(ApiAccount, _, _)> = self.get(LOOKUP, &[("acct", &acct)]);
        let local = match found {
            Ok((a, _, _)) => a.id,
            Err(SyncError::Status { status: 404, .. }) => {
                let mut phase = Phase::new(target, progress, account, &name, LOOKUP, 1);
                phase.summary.skip(format!("{acct} is not known to the instance"));
                return Ok((phase.finish(), None));
            }
            Err(e) => return Err(e),
        };
        let phase = self.follows(target, progress, account, &name, &local, member, false)?;
        Ok((phase, Some(local)))
    }

    /// Maps a status, looking up the URI of the status it replies to (within the budget).
    fn status(
        &self,
        s: &Status,
        records: &mut Vec<Record>,
        summary: &mut PhaseSummary,
    ) -> Result<()> {
        let parent = match &s.in_reply_to_id {
            Some(id) => self.parent(id)?,
            None => None,
        };
        match map::status(s, &self.me, parent.as_deref()) {
            Ok(found) => records.extend(found),
            Err(why) => summary.skip(format!("malformed: {why}")),
        }
        Ok(())
    }

    fn parent(&self, id: &str) -> Result<Option<String>> {
        if let Some(known) = self.parents.borrow().get(id) {
            return Ok(known.clone());
        }
        if self.parents.borrow().len() >= MAX_PARENTS
            || !id.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Ok(None);
        }
        #[derive(Deserialize)]
        struct Uri {
            uri: String,
        }
        let uri = match self.get::<Uri>(&format!("/api/v1/statuses/{id}"), &[]) {
            Ok((found, _, _)) => Some(found.uri),
            // Deleted, or not visible to this account: the reply stays, without its parent.
            Err(SyncError::Status { status: 404, .. }) => None,
            Err(e) => return Err(e),
        };
        self.parents.borrow_mut().insert(id.to_owned(), uri.clone());
        Ok(uri)
    }

    /// A page of at most `limit` items (the endpoint's documented maximum) newer than `cursor`
    /// (or the oldest page), with the cursor after it: the `min_id` of the `Link` header, or else
    /// the newest id of the page.
    fn forward_page<T: DeserializeOwned>(
        &self,
        path: &str,
        cursor: Option<&str>,
        limit: u32,
        id: impl Fn(&T) -> String,
    ) -> Result<Page<T>> {
        let limit = limit.to_string();
        let (items, _, newer): (Vec<T>, _, _) =
            self.get(path, &[("min_id", cursor.unwrap_or("0")), ("limit", &limit)])?;
        let newest = items.iter().map(&id).max_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
        Ok(Page { next: newer.or(newest), items })
    }

    /// A page of items older than `cursor` (or the newest page), with the `max_id` of the `Link`
    /// header as the cursor of the next.
    fn older_page<T: DeserializeOwned>(
        &self,
        path: &str,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<T>> {
        let limit = limit.to_string();
        let mut query = vec![("limit", limit.as_str())];
        query.extend(cursor.map(|c| ("max_id", c)));
        let (items, older, _): (Vec<T>, _, _) = self.get(path, &query)?;
        Ok(Page { next: older, items })
    }
}
