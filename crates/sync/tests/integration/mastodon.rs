//! Connecting with OAuth and PKCE, and syncing everything, against the stand-in.

use std::time::Duration;

use rapport_sync::http::Limits;
use rapport_sync::mastodon::{self, App};
use rapport_sync::{Connection, Options, Quiet, SyncError};
use rapport_test_support::mastodon::{Fault, StandIn};

use crate::memory::Memory;

/// Limits for loopback: short backoff so retries do not slow the tests.
pub(crate) fn limits() -> Limits {
    Limits { backoff: Duration::from_millis(20), ..Limits::default() }
}

pub(crate) fn options() -> Options {
    Options { limits: limits(), ..Options::default() }
}

/// Connects the stand-in's `me` the way `rapport connect mastodon` does.
pub(crate) fn connect(server: &StandIn) -> App {
    let auth = mastodon::authorize(&server.url, limits()).unwrap();
    let code = server.approve(&auth.url);
    mastodon::finish(auth, &code, limits()).unwrap()
}

#[test]
fn connects_with_pkce_and_syncs_both_sides() {
    let server = StandIn::start();
    server.scenario();
    let app = connect(&server);
    let host = server.url.trim_start_matches("http://").to_owned();
    assert_eq!(app.actor, format!("https://{host}/users/me"));
    assert_eq!(app.acct, format!("me@{host}"));
    let mut target =
        Memory { circle: vec!["https://far.example/users/bo".into()], ..Memory::default() };
    let mut connection = Connection::Mastodon(app);
    let summary = rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    let edges: Vec<String> = target.edges().into_iter().collect();
    assert_eq!(
        edges,
        [
            "block me spam",
            "dm me bo",
            "follow bo dee",
            "follow dee me",
            "follow me bo",
            "follow me cy",
            "like cy me",
            "like me bo",
            "mention bo me",
            "mute me loud",
            "reply bo me",
            "reply me bo",
            "repost cy me",
            "repost me bo",
        ],
        "{summary:#?}"
    );
    let notifications = summary.phases.iter().find(|p| p.phase == "notifications").unwrap();
    assert_eq!((notifications.read, notifications.skipped), (6, 1), "{notifications:?}");
    assert!(notifications.reasons[0].contains("'poll'"));

    // A second sync reads only what is new: one more reply.
    server.with(|s| {
        let fresh = s.status(2, "@me one more", None, &[1], "public", "2025-03-04T09:00:00.000Z");
        s.notify("mention", 2, Some(fresh), "2025-03-04T09:00:00.000Z");
    });
    let before = target.records.len();
    let again = rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    let read: Vec<(String, u64)> = again.phases.iter().map(|p| (p.phase.clone(), p.read)).collect();
    assert!(read.contains(&("notifications".to_owned(), 1)), "{read:?}");
    assert!(read.contains(&("statuses".to_owned(), 0)), "{read:?}");
    assert!(target.records.len() > before);
}

#[test]
fn a_sync_stopped_at_any_write_finishes_with_the_same_records() {
    let server = StandIn::start();
    server.scenario();
    let app = connect(&server);
    let mut whole =
        Memory { circle: vec!["https://far.example/users/bo".into()], ..Memory::default() };
    rapport_sync::sync(&mut Connection::Mastodon(app.clone()), &mut whole, &options(), &mut Quiet)
        .unwrap();
    let mut stops = 0;
    for stop in 0..200 {
        let mut target =
            Memory { circle: whole.circle.clone(), fail_in: Some(stop), ..Memory::default() };
        let first = rapport_sync::sync(
            &mut Connection::Mastodon(app.clone()),
            &mut target,
            &options(),
            &mut Quiet,
        );
        target.fail_in = None;
        rapport_sync::sync(
            &mut Connection::Mastodon(app.clone()),
            &mut target,
            &options(),
            &mut Quiet,
        )
        .unwrap();
        assert_eq!(target.distinct(), whole.distinct(), "stopped at write {stop}");
        if first.is_ok() {
            break;
        }
        stops += 1;
    }
    // Every write of the sync was a stopping point once.
    assert!(stops > 10, "only {stops} writes");
}

// Issue 13: grouped notifications. Twelve accounts favourite one status: the group names eight,
// the rest are read from the group's accounts, and every favourite is one like, as version 1
// gives them; a server without version 2 (404) is read through version 1 with the same result.
#[test]
fn grouped_notifications_give_every_account_and_old_servers_fall_back() {
    let likes = |v1_only: bool| {
        let server = StandIn::start();
        server.scenario();
        server.with(|s| {
            s.v1_only = v1_only;
            let post = s.status(1, "popular", None, &[], "public", "2025-04-01T09:00:00.000Z");
            s.own(post);
            for i in 0..12 {
                let fan = s.account(&format!("fan{i}"), Some("fans.example"), "Fan");
                s.notify("favourite", fan, Some(post), &format!("2025-04-01T10:{i:02}:00.000Z"));
            }
        });
        let mut target = Memory::default();
        let app = connect(&server);
        rapport_sync::sync(&mut Connection::Mastodon(app), &mut target, &options(), &mut Quiet)
            .unwrap();
        let log = server.with(|s| s.log.clone());
        let fans: Vec<String> =
            target.edges().into_iter().filter(|e| e.starts_with("like fan")).collect();
        (fans, target.edges(), log)
    };
    let (grouped, all_grouped, log) = likes(false);
    assert_eq!(grouped.len(), 12, "{grouped:?}");
    assert!(
        log.iter()
            .any(|l| l.starts_with("GET /api/v2/notifications/favourite-")
                && l.contains("/accounts?")),
        "{log:?}"
    );
    assert!(!log.iter().any(|l| l.starts_with("GET /api/v1/notifications")), "{log:?}");
    let (flat, all_flat, log) = likes(true);
    assert_eq!(flat, grouped);
    assert_eq!(all_flat, all_grouped);
    assert!(log.iter().any(|l| l.starts_with("GET /api/v1/notifications")), "{log:?}");
}

// Issue 13: the circle's relationships are read on every sync: a block of a member of the
// circle, made after a sync, ends the relationship at the next one, although the own list of
// blocks is read whole only once an hour.
#[test]
fn a_block_in_the_circle_is_seen_at_the_next_sync() {
    let server = StandIn::start();
    server.scenario();
    let mut connection = Connection::Mastodon(connect(&server));
    let mut target =
        Memory { circle: vec!["https://far.example/users/bo".into()], ..Memory::default() };
    rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    assert!(!target.edges().contains("block me bo"));
    server.with(|s| {
        let block = s.id();
        let bo = s.accounts[&2].clone();
        s.blocks.insert(block, bo);
    });
    let again = rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    let blocks = again.phases.iter().find(|p| p.phase == "blocks").unwrap();
    assert_eq!(blocks.read, 0, "the list of blocks was not read again: {blocks:?}");
    assert!(target.edges().contains("block me bo"), "{again:#?}");
    assert!(target.edges().contains("follow me bo"));
    // Unblocked and unfollowed: both are taken back at the next sync.
    server.with(|s| {
        s.blocks.clear();
        s.follows.retain(|_, f| *f != (1, 2));
    });
    let third = rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    let edges = target.edges();
    assert!(!edges.contains("block me bo") && !edges.contains("follow me bo"), "{third:#?}");
    let relationships = third.phases.iter().find(|p| p.phase == "relationships").unwrap();
    // The memory target counts every copy it kept of the two (a store keeps each once).
    assert!(relationships.deleted >= 2, "{relationships:?}");
}

/// The scenario's status of mine whose text contains `text`.
fn own_status(server: &StandIn, text: &str) -> u64 {
    server.with(|s| {
        let found = s.statuses.iter().find(|(_, v)| v["content"].as_str().unwrap().contains(text));
        *found.unwrap().0
    })
}

/// After the first sync of the scenario (no circle, so the relationships phase reads no one):
/// I delete my reply to bo, take back my favourite of bo's shout, and unfollow cy, and dee
/// unfollows me, all while no stream runs. Returns the edges those four leave.
fn undo_four(server: &StandIn) -> [&'static str; 4] {
    let answer = own_status(server, "welcome");
    server.with(|s| {
        s.delete(answer);
        let shout = s.all_statuses.iter().find(|(_, v)| v["content"] == "<p>hello @me</p>");
        let shout = *shout.unwrap().0;
        s.unfavourite(shout);
        s.unfollow(1, 3);
        s.unfollow(4, 1);
    });
    ["reply me bo", "like me bo", "follow me cy", "follow dee me"]
}

/// Forgets when the own followers and following were read whole, as if an hour had passed.
fn an_hour_later(target: &mut Memory) {
    target.cursors.retain(|(_, phase), _| phase != "followers" && phase != "following");
}

/// The phase named `name` of `summary`.
fn phase<'s>(summary: &'s rapport_sync::Summary, name: &str) -> &'s rapport_sync::PhaseSummary {
    summary.phases.iter().find(|p| p.phase == name).unwrap()
}

// Issue 13: a plain sync learns what was deleted or undone while no --follow ran: a status gone
// from the window of my newest statuses, a favourite gone from that of my favourites, and the
// follows my whole lists of followers and following no longer name.
#[test]
fn deletions_while_no_stream_ran_reach_the_next_sync() {
    let server = StandIn::start();
    server.scenario();
    let mut connection = Connection::Mastodon(connect(&server));
    let mut target = Memory::default();
    rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    let undone = undo_four(&server);
    for edge in undone {
        assert!(target.edges().contains(edge), "{edge} before");
    }
    an_hour_later(&mut target);
    let again = rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    let edges = target.edges();
    for edge in undone {
        assert!(!edges.contains(edge), "{edge} after: {again:#?}");
    }
    // What still holds stays: my follow of bo, my boost of bo's shout, dee's follow of bo… of me.
    for edge in ["follow me bo", "repost me bo", "dm me bo", "reply bo me", "like cy me"] {
        assert!(edges.contains(edge), "{edge}: {edges:?}");
    }
    for (name, deleted) in
        [("statuses:window", 1), ("favourites:window", 1), ("following", 1), ("followers", 1)]
    {
        assert!(phase(&again, name).deleted >= deleted, "{name}: {again:#?}");
    }
    // Within the hour the lists are not read again, and nothing more is deleted.
    let third = rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    assert_eq!(third.phases.iter().map(|p| p.deleted).sum::<u64>(), 0, "{third:#?}");
    assert_eq!(target.edges(), edges);
}

// Issue 13: a server that answers an empty list of followers by fault (a list that would take
// back more than half of those stored, at once) removes nothing, and the summary says why.
#[test]
fn a_list_that_loses_more_than_half_at_once_removes_nothing() {
    let server = StandIn::start();
    server.scenario();
    server.with(|s| {
        for i in 0..12 {
            let fan = s.account(&format!("fan{i}"), Some("near.example"), "Fan");
            s.follow(fan, 1);
        }
    });
    let mut connection = Connection::Mastodon(connect(&server));
    let mut target = Memory::default();
    rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    let before = target.edges();
    assert!(before.iter().filter(|e| e.starts_with("follow fan")).count() == 12, "{before:?}");
    server.with(|s| s.follows.retain(|_, (_, followed)| *followed != 1));
    an_hour_later(&mut target);
    let again = rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    let followers = phase(&again, "followers");
    assert_eq!(followers.deleted, 0, "{again:#?}");
    assert!(followers.reasons.iter().any(|r| r.contains("nothing removed")), "{followers:#?}");
    assert_eq!(target.edges(), before);
}

// Issue 13: a window or a list whose page fails half-way deletes nothing; the next sync that
// reads it whole does.
#[test]
fn a_page_that_fails_mid_reconciliation_deletes_nothing() {
    let server = StandIn::start();
    server.scenario();
    // One more favourite and one more follower, so that both lists keep a first page.
    server.with(|s| {
        let eve = s.account("eve", Some("near.example"), "Eve");
        s.follow(eve, 1);
        let hello = s.status(eve, "hello", None, &[], "public", "2025-03-02T12:00:00.000Z");
        s.favourite(hello);
    });
    let mut connection = Connection::Mastodon(connect(&server));
    let mut target = Memory::default();
    rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    undo_four(&server);
    an_hour_later(&mut target);
    // The favourites window's second page, then the followers' second page, are malformed.
    let window = target.cursors.clone();
    let fault = |prefix: &str| {
        server.with(|s| s.faults.push_back((prefix.to_owned(), Fault::Malformed)));
    };
    fault("/api/v1/favourites?limit=40&max_id=");
    let err = rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet);
    assert!(matches!(err, Err(SyncError::Json { .. })), "{err:?}");
    assert!(target.edges().contains("like me bo"));
    let key = |phase: &str| (format!("mastodon:{}", own_actor(&server)), phase.to_owned());
    assert_eq!(
        target.cursors.get(&key("favourites:window")),
        window.get(&key("favourites:window"))
    );

    fault("/api/v1/accounts/1/followers?limit=80&max_id=");
    let err = rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet);
    assert!(matches!(err, Err(SyncError::Json { .. })), "{err:?}");
    assert!(!target.edges().contains("like me bo"), "the window was read whole this time");
    assert!(target.edges().contains("follow dee me"), "the followers' walk failed half-way");
    // Resumed from its second page, the walk did not read the list whole in one run: it waits.
    rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    assert!(target.edges().contains("follow dee me"));
    an_hour_later(&mut target);
    let whole = rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    assert!(!target.edges().contains("follow dee me"), "{whole:#?}");
}

/// The actor URI of the stand-in's `me`.
fn own_actor(server: &StandIn) -> String {
    format!("https://{}/users/me", server.url.trim_start_matches("http://"))
}

// Issue 13: a group larger than a page of accounts is read page by page, once in a sync however
// many pages of groups it spans, and the next sync reads only the accounts new since.
#[test]
fn a_large_group_is_read_page_by_page_once_per_sync() {
    let server = StandIn::start();
    let post = server.with(|s| {
        let post = s.status(1, "popular", None, &[], "public", "2025-04-01T09:00:00.000Z");
        s.own(post);
        post
    });
    let fans = |from: usize, to: usize| {
        server.with(|s| {
            for i in from..to {
                let fan = s.account(&format!("fan{i}"), Some("fans.example"), "Fan");
                let at = format!("2025-04-01T{:02}:{:02}:00.000Z", 10 + i / 60, i % 60);
                s.notify("favourite", fan, Some(post), &at);
            }
            s.log.clear();
        });
    };
    let group = format!("GET /api/v2/notifications/favourite-{post}/accounts");
    let mut connection = Connection::Mastodon(connect(&server));
    let mut target = Memory::default();
    fans(0, 100);
    rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    let likes =
        |target: &Memory| target.edges().iter().filter(|e| e.starts_with("like fan")).count();
    assert_eq!(likes(&target), 100);
    let read =
        |server: &StandIn| server.with(|s| s.log.iter().filter(|l| l.starts_with(&group)).count());
    // 80, then 20, then an empty page; the group's second page of notifications reads none.
    assert_eq!(read(&server), 3, "{:#?}", server.with(|s| s.log.clone()));
    // Nothing new: the notifications' cursor is past the group, whose accounts are not read.
    fans(100, 100);
    rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    assert_eq!(read(&server), 0, "{:#?}", server.with(|s| s.log.clone()));
    fans(100, 105);
    rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    assert_eq!(likes(&target), 105);
    assert_eq!(read(&server), 2, "{:#?}", server.with(|s| s.log.clone()));
}
