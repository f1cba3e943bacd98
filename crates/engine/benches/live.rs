//! The live tail at scale: how long from a batch of events written by `sync_write` to today's list
//! being current (`refresh_today`, then a read of today, as `sync --follow` does before the audit), and how long the reads a dashboard makes
//! take (`person` for the strongest tie, `today`), in one long-running process as `rapport sync
//! --follow` and `rapport serve` are.
//!
//! The store is a copy of the one given (for instance the `bench/engine/run.sh` store of 10,000
//! contacts), so the original is never written. Each batch is `SIZE` interactions between "me" and
//! its ties (replies, likes, DMs, mentions, both ways), dated a minute after the last batch, so
//! every batch moves the data's "now" as a live tail does.
//!
//! `cargo bench -p rapport-engine --bench live -- STORE [BATCHES] [SIZE] [READS]`; with
//! `RAPPORT_LOG=debug`, the engine's spans and their durations go to stderr, as `rapport` prints
//! them: where each batch's time goes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, reason = "a benchmark")]

use std::path::Path;
use std::time::Instant;

use rapport_engine::model::{Interaction, InteractionKind, Record};
use rapport_engine::{Config, Engine, PeopleQuery, TodayQuery, View};

const KINDS: [InteractionKind; 4] =
    [InteractionKind::Reply, InteractionKind::Like, InteractionKind::Dm, InteractionKind::Mention];

fn main() {
    init_tracing();
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let store = Path::new(args.first().expect("usage: live STORE [BATCHES] [SIZE] [READS]"));
    let number = |i: usize, default: usize| args.get(i).map_or(default, |a| a.parse().unwrap());
    let (batches, size, reads) = (number(1, 10), number(2, 50), number(3, 5));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    std::fs::copy(store, &db).unwrap();

    let engine = Engine::open(&Config::with_db(&db)).unwrap();
    let started = Instant::now();
    engine.refresh_views().unwrap();
    let first = started.elapsed();
    let (me, ties, mut now) = {
        let snapshot = engine.read().unwrap();
        let me = snapshot.me(None).unwrap()[0].clone();
        let people = snapshot.people(&View::default(), &PeopleQuery::default()).unwrap();
        let ties: Vec<String> = people
            .people
            .iter()
            .flat_map(|p| &p.accounts)
            .filter(|a| a.network == me.network)
            .map(|a| a.native_id.clone())
            .take(500)
            .collect();
        (me, ties, people.as_of)
    };

    let mut latencies = Vec::new();
    let mut writes = Vec::new();
    let mut cpu = Vec::new();
    let mut today_cpu = Vec::new();
    for b in 0..batches {
        let records: Vec<Record> = (0..size)
            .map(|i| {
                now += 1;
                let tie = &ties[(b * size + i) % ties.len()];
                let (source, target) = if i % 2 == 0 {
                    (tie.as_str(), me.native_id.as_str())
                } else {
                    (me.native_id.as_str(), tie.as_str())
                };
                let mut interaction = Interaction::new(
                    me.network,
                    Some(now + 60),
                    source,
                    target,
                    KINDS[i % KINDS.len()],
                );
                interaction.text = Some(format!("How did the beans do this year? ({b}/{i})"));
                Record::Interaction(interaction)
            })
            .collect();
        now += 60;
        let (started, cpu_before) = (Instant::now(), cpu_ms());
        engine.sync_write("bench", "live", &records, &b.to_string()).unwrap();
        let written = started.elapsed();
        // As `sync --follow` does: today's list first, then the audit.
        engine.refresh_today().unwrap();
        let today =
            engine.read().unwrap().today(&View::default(), &TodayQuery { limit: 10 }).unwrap();
        assert!(today.as_of >= now, "today is current");
        latencies.push(started.elapsed().as_secs_f64() * 1e3);
        today_cpu.push(cpu_ms() - cpu_before);
        engine.refresh_views().unwrap();
        cpu.push(cpu_ms() - cpu_before);
        writes.push(written.as_secs_f64() * 1e3);
    }

    let strongest = {
        let snapshot = engine.read().unwrap();
        let people = snapshot.people(&View::default(), &PeopleQuery::default()).unwrap();
        people.people[0].accounts[0].native_id.clone()
    };
    let time = |f: &dyn Fn()| {
        let mut ms: Vec<f64> = (0..reads)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        median(&mut ms)
    };
    let person = time(&|| {
        engine.read().unwrap().person(&View::default(), &strongest).unwrap();
    });
    let today = time(&|| {
        engine.read().unwrap().today(&View::default(), &TodayQuery { limit: 10 }).unwrap();
    });
    let today_new_engine = time(&|| {
        let engine = Engine::open(&Config::with_db(&db)).unwrap();
        engine.read().unwrap().today(&View::default(), &TodayQuery { limit: 10 }).unwrap();
    });

    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "store: {}, {batches} batches of {size}, load average {}",
        store.display(),
        load.trim()
    );
    println!("| measure | ms |");
    println!("|---|---:|");
    println!("| first refresh_views in the process | {:.0} |", first.as_secs_f64() * 1e3);
    println!("| batch written to today current, median | {:.0} |", median(&mut latencies.clone()));
    println!(
        "| batch written to today current, max | {:.0} |",
        latencies.iter().copied().fold(0.0, f64::max)
    );
    println!("| of which sync_write, median | {:.1} |", median(&mut writes));
    println!(
        "| CPU time of the process (all threads) to today current, median | {:.0} |",
        median(&mut today_cpu)
    );
    println!(
        "| CPU time of the process (all threads) per batch with the audit, median | {:.0} |",
        median(&mut cpu)
    );
    println!("| person, strongest tie, median of {reads} | {person:.1} |");
    println!("| today, median of {reads} | {today:.2} |");
    println!("| today from a newly opened engine, median of {reads} | {today_new_engine:.1} |");
}

/// The CPU time this process has used, user and system, over all its threads: what a batch costs
/// apart from waiting for a core on a loaded machine.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line: 11 and 12 counted from the state, field 3,
    // the first after the name. The kernel counts them in ticks of 10 ms.
    (ticks(11) + ticks(12)) * 10.0
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Prints the engine's spans with their durations to stderr when `RAPPORT_LOG` names a level or
/// filter, as `rapport` does: where a batch's time goes, without a profiler.
fn init_tracing() {
    use tracing_subscriber::{EnvFilter, fmt::format::FmtSpan};
    let Ok(filter) = EnvFilter::try_from_env("RAPPORT_LOG") else { return };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(std::io::stderr)
        .init();
}
