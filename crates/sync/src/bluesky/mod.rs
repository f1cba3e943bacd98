//! Bluesky: connecting with an app password, and syncing an account through XRPC.
//!
//! Phases, in order: the own profile (`app.bsky.actor.getProfile`); the own repository, one
//! collection at a time, oldest first (`com.atproto.repo.listRecords` with `reverse`: posts,
//! replies, quotes, likes, reposts, follows, blocks); what others did (`listNotifications`: likes,
//! reposts, replies, quotes, mentions, follows, each mapped from the record that did it, with the
//! parents of replies and mentions from `getPostThread`); followers and follows of me
//! (`getFollowers`, `getFollows`), each whole reading held against the AT URIs of the last one to
//! find the follows undone; the accounts I mute (`getMutes`); and the follows of the circle.
//! Every page also names the accounts it mentions that are not yet named (`getProfiles`), so no
//! one stays a bare DID.

mod firehose;
mod jetstream;
mod post;
mod views;
mod xrpc;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use rapport_import::bluesky::{Mapped, map_json};
use rapport_model::{Account, Interaction, InteractionKind, Network, Record};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::http::{self, Body, Http, Limits, Request};
use crate::walk::{self, Page, Phase};
use crate::{Deletion, Options, PhaseSummary, Progress, Result, Summary, SyncError, Target};
pub use post::post;
use views::{
    Followers, Follows, Notification, Notifications, Profile, Profiles, RecordList, Thread,
};
use xrpc::{Tokens, Xrpc};

pub(crate) use firehose::follow;

/// A connected Bluesky account: its server and its session's tokens.
#[derive(Clone, Serialize, Deserialize)]
pub struct Session {
    /// The server the session is with, without a trailing `/`.
    pub service: String,
    /// The account's DID.
    pub did: String,
    /// The account's handle.
    pub handle: String,
    /// The access token (short-lived).
    pub access: String,
    /// The refresh token.
    pub refresh: String,
}

/// The collections of the own repository that sync reads, in order.
const COLLECTIONS: [&str; 6] = [
    "app.bsky.actor.profile",
    "app.bsky.feed.post",
    "app.bsky.feed.like",
    "app.bsky.feed.repost",
    "app.bsky.graph.follow",
    "app.bsky.graph.block",
];

/// The notification reasons that are interactions; the others (a starter pack joined, a
/// verification) say nothing about a relationship.
const INTERACTIONS: [&str; 6] = ["like", "repost", "follow", "mention", "reply", "quote"];

/// How often followers and follows of me are read whole again, in seconds: new follows arrive as
/// notifications in between.
const RELIST_MINE: i64 = 3600;

/// How often a circle member's follows are read again, in seconds.
const RELIST_CIRCLE: i64 = 86_400;

/// The most parent chains read per sync for the context of replies and mentions.
const MAX_THREADS: usize = 500;

/// Logs in with an app password (`com.atproto.server.createSession`) and returns the session.
pub fn connect(service: &str, identifier: &str, password: &str, limits: Limits) -> Result<Session> {
    const METHOD: &str = "com.atproto.server.createSession";
    let service = service.trim().trim_end_matches('/');
    if !(service.starts_with("http://") || service.starts_with("https://")) {
        return Err(SyncError::Input(format!(
            "the service '{service}' is not an http:// or https:// address; pass --service https://…"
        )));
    }
    let identifier = identifier.trim().trim_start_matches('@');
    let mut http = Http::new(limits);
    let url = format!("{service}/xrpc/{METHOD}");
    let body = json!({ "identifier": identifier, "password": password });
    let answer = http.call(&Request {
        endpoint: METHOD,
        url: &url,
        query: &[],
        bearer: None,
        body: Body::Json(&body),
    });
    let answer = match answer {
        Err(SyncError::Status { status: 400 | 401, code, message, .. }) => {
            return Err(SyncError::Input(format!(
                "{service} refused {identifier} with this password ({code}: {message}); use an app password (Settings, Privacy and security, App passwords)"
            )));
        }
        other => other?,
    };
    let tokens: Tokens = http::json(METHOD, &answer.body)?;
    if !rapport_import::bluesky::valid_did(&tokens.did) {
        return Err(SyncError::Input(format!(
            "{service} answered {METHOD} with '{}', which is not a DID",
            crate::quote(&tokens.did)
        )));
    }
    // The handle is printed and listed: one the server makes up is not trusted.
    let handle = Some(tokens.handle.to_ascii_lowercase())
        .filter(|h| rapport_import::bluesky::valid_handle(h))
        .unwrap_or_else(|| tokens.did.clone());
    Ok(Session {
        service: service.to_owned(),
        did: tokens.did,
        handle,
        access: tokens.access_jwt,
        refresh: tokens.refresh_jwt,
    })
}

/// Syncs the account of `session` into `target`.
pub(crate) fn sync(
    session: &mut Session,
    target: &mut dyn Target,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Summary> {
    let account = format!("bluesky:{}", session.did);
    let did = session.did.clone();
    let run = Run {
        xrpc: RefCell::new(Xrpc { session, http: Http::new(options.limits.clone()) }),
        named: RefCell::new(HashSet::from([did.clone()])),
        threads: RefCell::new(0),
        did,
        options,
    };
    // Rounds of --follow leave out the profile: rewriting it every few seconds would make every
    // kept view stale for nothing.
    let mut phases = Vec::new();
    if !options.recent_only {
        phases.push(run.me(target, progress, &account)?);
    }
    for collection in COLLECTIONS {
        phases.push(run.repo(target, progress, &account, collection)?);
    }
    phases.push(run.notifications(target, progress, &account)?);
    if !options.recent_only {
        phases.push(run.mine(target, progress, &account, true)?);
        phases.push(run.mine(target, progress, &account, false)?);
        phases.push(run.mutes(target, progress, &account)?);
        let circle = target
            .circle(Network::Bluesky, options.circle)
            .map_err(|e| SyncError::Store { phase: "circle".into(), why: e.to_string() })?;
        for member in circle.iter().filter(|m| **m != run.did && m.starts_with("did:")) {
            phases.push(run.circle(target, progress, &account, member)?);
        }
    }
    let (requests, waited) = {
        let xrpc = run.xrpc.borrow();
        (xrpc.http.requests, xrpc.http.waited)
    };
    drop(run);
    if options.replay && !options.recent_only {
        phases.push(firehose::replay(session, target, options)?);
    }
    Ok(Summary { account, phases, requests, waited_secs: waited.as_secs_f64() })
}

/// One sync's state: the client (shared by the fetching and the mapping of each page), and the
/// accounts already named in this sync.
struct Run<'s, 'o> {
    xrpc: RefCell<Xrpc<'s>>,
    named: RefCell<HashSet<String>>,
    threads: RefCell<usize>,
    did: String,
    options: &'o Options,
}

impl Run<'_, '_> {
    fn query<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        params: &[(&str, &str)],
    ) -> Result<T> {
        self.xrpc.borrow_mut().query(method, params)
    }

    fn me_account(&self) -> Account {
        Account::new(Network::Bluesky, &self.did)
    }

    /// The own profile: "me", with handle and display name.
    fn me(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
    ) -> Result<PhaseSummary> {
        const METHOD: &str = "app.bsky.actor.getProfile";
        let profile: Profile = self.query(METHOD, &[("actor", &self.did)])?;
        let mut phase = Phase::new(target, progress, account, "profile", METHOD, 1);
        phase.summary.read = 1;
        let me = Account {
            url: Some(format!("https://bsky.app/profile/{}", self.did)),
            ..profile.account()
        };
        if let Some(handle) = &me.handle {
            self.xrpc.borrow_mut().session.handle.clone_from(handle);
        }
        phase.write(&[Record::Me(me)], "")?;
        Ok(phase.finish())
    }

    /// One collection of the own repository, oldest first from where the last sync stopped.
    fn repo(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
        collection: &str,
    ) -> Result<PhaseSummary> {
        const METHOD: &str = "com.atproto.repo.listRecords";
        let name = format!("repo:{collection}");
        let mut phase =
            Phase::new(target, progress, account, &name, METHOD, self.options.max_pages);
        let me = self.me_account();
        let mut fetch = |cursor: Option<&str>| -> Result<Page<views::RepoRecord>> {
            let mut params = vec![("repo", self.did.as_str()), ("collection", collection)];
            params.extend([("limit", "100"), ("reverse", "true")]);
            params.extend(cursor.map(|c| ("cursor", c)));
            let list: RecordList = self.query(METHOD, &params)?;
            // Without a cursor in the answer, the last record's key is where the next page starts.
            let last =
                list.records.last().and_then(|r| r.uri.rsplit('/').next()).map(str::to_owned);
            Ok(Page { next: list.cursor.or(last), items: list.records })
        };
        let mut map = |items: Vec<views::RepoRecord>, summary: &mut PhaseSummary| {
            let mut records = Vec::new();
            for item in items {
                summary.read += 1;
                take(map_json(&me, &item.uri, &item.value, true), &mut records, summary);
            }
            self.name(records)
        };
        walk::forward(&mut phase, &mut fetch, &mut map)?;
        Ok(phase.finish())
    }

    /// What others did: each notification mapped from the record that did it, newest first back
    /// to where the last sync began.
    fn notifications(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
    ) -> Result<PhaseSummary> {
        const METHOD: &str = "app.bsky.notification.listNotifications";
        let mut phase =
            Phase::new(target, progress, account, "notifications", METHOD, self.options.max_pages);
        let mut fetch = |cursor: Option<&str>| -> Result<Page<Notification>> {
            let mut params = vec![("limit", "100")];
            params.extend(cursor.map(|c| ("cursor", c)));
            let list: Notifications = self.query(METHOD, &params)?;
            Ok(Page { next: list.cursor, items: list.notifications })
        };
        let mut map = |items: Vec<Notification>, summary: &mut PhaseSummary| {
            let mut records = Vec::new();
            for n in items {
                summary.read += 1;
                if !INTERACTIONS.contains(&n.reason.as_str()) {
                    summary.skip(format!(
                        "a '{}' notification says nothing about a relationship",
                        n.reason
                    ));
                    continue;
                }
                let author = n.author.account();
                self.named.borrow_mut().insert(author.id.clone());
                records.push(Record::Account(author.clone()));
                take(map_json(&author, &n.uri, &n.record, false), &mut records, summary);
                if matches!(n.reason.as_str(), "reply" | "mention" | "quote") {
                    records.extend(self.context(&n.uri, summary)?);
                }
            }
            self.name(records)
        };
        walk::newest_first(&mut phase, &mut fetch, &|n: &Notification| n.uri.clone(), &mut map)?;
        Ok(phase.finish())
    }

    /// The parents of a reply or mention (`getPostThread`), so the conversation waiting for an
    /// answer is whole even where the parents are not mine.
    fn context(&self, uri: &str, summary: &mut PhaseSummary) -> Result<Vec<Record>> {
        const METHOD: &str = "app.bsky.feed.getPostThread";
        {
            let mut threads = self.threads.borrow_mut();
            if *threads >= MAX_THREADS {
                return Ok(Vec::new());
            }
            *threads += 1;
        }
        let thread: Thread =
            match self.query(METHOD, &[("uri", uri), ("depth", "0"), ("parentHeight", "3")]) {
                Ok(t) => t,
                // A post deleted since its notification has no thread; the notification stays.
                Err(SyncError::Status { status: 400, code, .. }) if code == "NotFound" => {
                    summary.skip(format!("{uri}: deleted before its thread could be read"));
                    return Ok(Vec::new());
                }
                Err(e) => return Err(e),
            };
        let mut records = Vec::new();
        let mut node = thread.thread.parent;
        while let Some(parent) = node {
            if let Some(post) = parent.post {
                let author = post.author.account();
                self.named.borrow_mut().insert(author.id.clone());
                records.push(Record::Account(author.clone()));
                // Parents are context: what cannot be mapped is left out without a count.
                if let Mapped::Records(found) = map_json(&author, &post.uri, &post.record, false) {
                    records.extend(found);
                }
            }
            node = parent.parent;
        }
        Ok(records)
    }

    /// The accounts I mute (`app.bsky.graph.getMutes`): private, so in no repository, but to be
    /// honoured all the same. Undated, without ids, as the other networks' mute lists.
    fn mutes(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
    ) -> Result<PhaseSummary> {
        const METHOD: &str = "app.bsky.graph.getMutes";
        let mut phase =
            Phase::new(target, progress, account, "mutes", METHOD, self.options.max_pages);
        let mut fetch = |cursor: Option<&str>| -> Result<Page<Profile>> {
            let mut params = vec![("limit", "100")];
            params.extend(cursor.map(|c| ("cursor", c)));
            let list: views::Mutes = self.query(METHOD, &params)?;
            Ok(Page { next: list.cursor, items: list.mutes })
        };
        let mut map = |items: Vec<Profile>, summary: &mut PhaseSummary| {
            let mut records = Vec::new();
            for profile in items {
                summary.read += 1;
                let them = profile.account();
                let mute = Interaction::new(
                    Network::Bluesky,
                    None,
                    &self.did,
                    &them.id,
                    InteractionKind::Mute,
                );
                self.named.borrow_mut().insert(them.id.clone());
                records.push(Record::Account(them));
                records.push(Record::Interaction(mute));
            }
            Ok(records)
        };
        walk::full(&mut phase, RELIST_MINE, &mut fetch, &mut map, None)?;
        Ok(phase.finish())
    }

    /// Followers (`getFollowers`) or follows (`getFollows`) of me, with the AT URIs of the follow
    /// records as ids, as a repository import has them.
    fn mine(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
        followers: bool,
    ) -> Result<PhaseSummary> {
        let (name, method) = if followers {
            ("followers", "app.bsky.graph.getFollowers")
        } else {
            ("follows", "app.bsky.graph.getFollows")
        };
        // The follows the last whole reading listed (the follow's AT URI, the other end's DID):
        // the store keeps no record ids to list them back, so the list keeps them, in a phase of
        // its own written once a reading is whole.
        let kept = format!("{name}:listed");
        let mut phase = Phase::new(target, progress, account, name, method, self.options.max_pages);
        let listed: RefCell<HashMap<String, Option<String>>> = RefCell::new(HashMap::new());
        let mut whole = false;
        let mut fetch =
            |cursor: Option<&str>| self.follow_page(method, &self.did, cursor, followers);
        let mut map = |items: Vec<Profile>, summary: &mut PhaseSummary| {
            let mut records = Vec::new();
            for profile in items {
                summary.read += 1;
                let them = profile.account();
                let viewer = profile.viewer.unwrap_or_default();
                let (source, target, uri) = if followers {
                    (&them.id, &self.did, viewer.followed_by)
                } else {
                    (&self.did, &them.id, viewer.following)
                };
                listed.borrow_mut().insert(them.id.clone(), uri.clone());
                let mut follow = Interaction::new(
                    Network::Bluesky,
                    None,
                    source,
                    target,
                    InteractionKind::Follow,
                );
                follow.native_id = uri;
                self.named.borrow_mut().insert(them.id.clone());
                records.push(Record::Account(them));
                records.push(Record::Interaction(follow));
            }
            Ok(records)
        };
        // A follow the last whole reading listed and this one does not was undone: by whom
        // follows me from another server, whose deletion no replay of my server's firehose shows.
        let mut unlisted = |target: &dyn Target| {
            whole = true;
            let before: Vec<(String, String)> = target
                .cursor(account, &kept)
                .map_err(|e| SyncError::Store { phase: kept.clone(), why: e.to_string() })?
                .and_then(|c| serde_json::from_str(&c).ok())
                .unwrap_or_default();
            let now = listed.borrow();
            // Gone: the other end is no longer listed, or listed with another follow (undone
            // and made again); one listed without its follow's URI is left alone.
            let gone = before.into_iter().filter(|(uri, did)| match now.get(did) {
                None => true,
                Some(listed) => listed.as_ref().is_some_and(|l| l != uri),
            });
            Ok(gone.map(|(uri, _)| Deletion::Id(Network::Bluesky, uri)).collect())
        };
        walk::full(&mut phase, RELIST_MINE, &mut fetch, &mut map, Some(&mut unlisted))?;
        if whole {
            // Written after the list's last page: killed between the two, the next whole reading
            // holds the list against the reading before, and still removes only what is gone.
            // In order, so that an unchanged list saves the same text, which writes nothing.
            let mut listing: Vec<(String, String)> = listed
                .into_inner()
                .into_iter()
                .filter_map(|(did, uri)| Some((uri?, did)))
                .collect();
            listing.sort_unstable();
            phase.write_phase(&kept, &serde_json::to_string(&listing).unwrap_or_default())?;
        }
        Ok(phase.finish())
    }

    /// The follows of one member of the circle: the graph discover and groups work on.
    fn circle(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
        member: &str,
    ) -> Result<PhaseSummary> {
        const METHOD: &str = "app.bsky.graph.getFollows";
        let name = format!("circle:{member}");
        let mut phase =
            Phase::new(target, progress, account, &name, METHOD, self.options.max_pages);
        let mut pages = 0;
        let mut gone = None;
        let mut fetch = |cursor: Option<&str>| {
            pages += 1;
            let mut page = match self.follow_page(METHOD, member, cursor, false) {
                // An account deleted, taken down or never known (a follow of a DID that does not
                // resolve) has no follows to read: the rest of the sync goes on.
                Err(SyncError::Status { status: 400 | 404, code, message, .. }) => {
                    gone = Some(crate::quote(&format!("{code} {message}")));
                    Page { items: Vec::new(), next: None }
                }
                other => other?,
            };
            // The rate budget bounds how much of a big account's follows is worth reading.
            if pages >= self.options.circle_pages {
                page.next = None;
            }
            Ok(page)
        };
        let mut map = |items: Vec<Profile>, summary: &mut PhaseSummary| {
            let mut records = Vec::new();
            for profile in items {
                summary.read += 1;
                let them = profile.account();
                // A follow of me is read with its record's URI from my followers; without it here
                // it would be a second follow.
                if them.id == self.did {
                    continue;
                }
                let follow = Interaction::new(
                    Network::Bluesky,
                    None,
                    member,
                    &them.id,
                    InteractionKind::Follow,
                );
                records.push(Record::Account(them));
                records.push(Record::Interaction(follow));
            }
            Ok(records)
        };
        walk::full(&mut phase, RELIST_CIRCLE, &mut fetch, &mut map, None)?;
        if let Some(why) = gone {
            phase.summary.skip(format!("{member}: its follows cannot be read ({why})"));
        }
        Ok(phase.finish())
    }

    fn follow_page(
        &self,
        method: &str,
        actor: &str,
        cursor: Option<&str>,
        followers: bool,
    ) -> Result<Page<Profile>> {
        let mut params = vec![("actor", actor), ("limit", "100")];
        params.extend(cursor.map(|c| ("cursor", c)));
        if followers {
            let list: Followers = self.query(method, &params)?;
            Ok(Page { next: list.cursor, items: list.followers })
        } else {
            let list: Follows = self.query(method, &params)?;
            Ok(Page { next: list.cursor, items: list.follows })
        }
    }

    /// Puts before `records` the accounts they name that this sync has not named yet, with their
    /// handles and display names from `getProfiles` (25 at a time, the method's limit).
    fn name(&self, records: Vec<Record>) -> Result<Vec<Record>> {
        const METHOD: &str = "app.bsky.actor.getProfiles";
        let mut wanted: Vec<String> = Vec::new();
        {
            let named = self.named.borrow();
            let mut want = |did: &str| {
                if did.starts_with("did:")
                    && !named.contains(did)
                    && !wanted.iter().any(|w| w == did)
                {
                    wanted.push(did.to_owned());
                }
            };
            for record in &records {
                match record {
                    Record::Interaction(i) => {
                        want(&i.source);
                        want(&i.target);
                    }
                    Record::Post(p) => p.mentions.iter().for_each(|m| want(m)),
                    Record::Account(a) if a.handle.is_none() => want(&a.id),
                    _ => {}
                }
            }
        }
        let mut named_records = Vec::with_capacity(wanted.len() + records.len());
        for chunk in wanted.chunks(25) {
            let params: Vec<(&str, &str)> = chunk.iter().map(|d| ("actors", d.as_str())).collect();
            let found: Profiles = self.query(METHOD, &params)?;
            for profile in found.profiles {
                named_records.push(Record::Account(profile.account()));
            }
            self.named.borrow_mut().extend(chunk.iter().cloned());
        }
        named_records.extend(records);
        Ok(named_records)
    }
}

/// Adds what one record mapped to, or counts why it was skipped. A record the server holds but
/// the mapping finds malformed is skipped with its reason: refusing it would stop every later
/// sync at the same record.
fn take(mapped: Mapped, records: &mut Vec<Record>, summary: &mut PhaseSummary) {
    match mapped {
        Mapped::Records(found) => records.extend(found),
        Mapped::Skipped(why) => summary.skip(why),
        Mapped::Invalid(why) => summary.skip(format!("malformed: {why}")),
    }
}
