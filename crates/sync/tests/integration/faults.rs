//! What a misbehaving server cannot do: make sync loop, take it over with a huge body, slip
//! malformed JSON past it, or keep it failing on a 429 or 503; and what an expired token says.

use rapport_sync::{Connection, SyncError};
use rapport_test_support::mastodon::{Fault, StandIn};

use crate::mastodon::{connect, options};
use crate::memory::Memory;

fn sync(server: &StandIn) -> Result<Memory, SyncError> {
    let app = connect(server);
    let mut target = Memory::default();
    rapport_sync::sync(
        &mut Connection::Mastodon(app),
        &mut target,
        &options(),
        &mut rapport_sync::Quiet,
    )
    .map(|_| target)
}

#[test]
fn retries_429_and_503_then_goes_on() {
    let server = StandIn::start();
    server.scenario();
    server.with(|s| {
        s.faults.push_back(("/api/v1/notifications".into(), Fault::TooMany));
        s.faults.push_back(("/api/v1/favourites".into(), Fault::Unavailable));
        s.faults.push_back(("/api/v1/favourites".into(), Fault::Unavailable));
    });
    let target = sync(&server).unwrap();
    assert!(target.edges().contains("reply bo me"));
    let log = server.with(|s| s.log.clone());
    // Two refused and retried, then the two pages of the favourites phase (the window of the
    // newest favourites, read after, asks without `min_id`).
    assert_eq!(
        log.iter().filter(|l| l.starts_with("GET /api/v1/favourites?min_id")).count(),
        4,
        "{log:#?}"
    );
}

#[test]
fn an_expired_token_says_to_connect_again() {
    let server = StandIn::start();
    server.scenario();
    let app = connect(&server);
    server.with(|s| s.expired = true);
    let err = rapport_sync::sync(
        &mut Connection::Mastodon(app),
        &mut Memory::default(),
        &options(),
        &mut rapport_sync::Quiet,
    )
    .unwrap_err();
    assert!(matches!(err, SyncError::Unauthorized { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("run `rapport connect mastodon"), "{message}");
    assert!(!message.contains("stand-in-token"), "{message}");
}

#[test]
fn a_repeated_cursor_stops_the_walk() {
    let server = StandIn::start();
    server.scenario();
    server.with(|s| s.lying_cursor = Some("1".into()));
    let err = sync(&server).unwrap_err();
    assert!(matches!(err, SyncError::Cursor { .. }), "{err:?}");
    let log = server.with(|s| s.log.len());
    assert!(log < 20, "{log} requests before stopping");
}

#[test]
fn huge_and_malformed_bodies_are_refused_with_the_endpoint() {
    let server = StandIn::start();
    server.scenario();
    server.with(|s| s.faults.push_back(("/api/v2/notifications".into(), Fault::Huge)));
    let err = sync(&server).unwrap_err();
    assert!(matches!(err, SyncError::TooLarge { size: 1_073_741_824, .. }), "{err:?}");
    assert!(err.to_string().contains("/api/v2/notifications"));
    server.with(|s| s.faults.push_back(("/api/v2/notifications".into(), Fault::Malformed)));
    let err = sync(&server).unwrap_err().to_string();
    assert!(
        err.starts_with("GET /api/v2/notifications sent malformed JSON at line 1, column"),
        "{err}"
    );
}
