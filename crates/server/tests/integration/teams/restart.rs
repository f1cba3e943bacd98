//! PostgreSQL restarted while requests run: the server reconnects, requests after the restart
//! succeed, and none hangs (every request gets an HTTP answer; errors are allowed only while the
//! database is down).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rapport_engine::team::rules::Role;
use rapport_test_support::postgres::{Cluster, database_on};

use super::support::Team;

#[test]
fn the_server_reconnects_after_postgresql_restarts_and_no_request_hangs() {
    let cluster = Cluster::start();
    let team = Arc::new(Team::start_in(database_on(&cluster)));
    let user = Arc::new(team.user("ann", team.a, Role::Editor));
    assert_eq!(team.as_user(&user, "GET", "/api/people?limit=5", None).status, 200);

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|i| {
            let (team, user, stop) = (Arc::clone(&team), Arc::clone(&user), Arc::clone(&stop));
            std::thread::spawn(move || {
                let path = if i % 2 == 0 { "/api/people?limit=5" } else { "/api/team/me" };
                let mut statuses = Vec::new();
                // Bounded: at most 2,000 requests each, and each has the client's time limit.
                for _ in 0..2000 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    statuses.push(team.as_user(&user, "GET", path, None).status);
                }
                statuses
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    cluster.restart();
    // After the restart, requests succeed again (a few may still meet a connection the restart
    // broke before the pool replaces it).
    let mut recovered = false;
    for _ in 0..100 {
        if team.as_user(&user, "GET", "/api/people?limit=5", None).status == 200 {
            recovered = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(recovered, "the server did not recover after PostgreSQL restarted");
    for path in ["/api/people?limit=5", "/api/team/me", "/api/today", "/people"] {
        let answer = team.as_user(&user, "GET", path, None);
        assert_eq!(answer.status, 200, "{path} after the restart: {}", answer.body);
    }
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        // `Served::answer` panics when a request gets no HTTP answer (a hang ends in the client's
        // time limit): every request of every worker was answered.
        let statuses = worker.join().expect("a worker got no answer");
        assert!(statuses.iter().all(|s| *s == 200 || *s >= 500), "{statuses:?}");
        assert!(statuses.contains(&200));
    }
}
