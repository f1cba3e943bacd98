//! One engine shared by many threads: reads run side by side while imports commit, and each sees
//! the store as of one moment.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rapport_engine::sample::SampleSpec;
use rapport_engine::{
    Config, DiscoverQuery, Engine, ImportOptions, PeopleQuery, Progress, TodayQuery, View,
};

struct Quiet;

impl Progress for Quiet {
    fn start(&mut self, _: &Path, _: u64) {}
    fn advance(&mut self, _: u64) {}
    fn finish(&mut self) {}
}

/// The reads the threads mix, each as one comparable string.
const READS: [&str; 3] = ["people", "today", "discover"];
/// How many imports commit while the threads read.
const IMPORTS: usize = 4;

fn read(engine: &Engine, which: usize) -> String {
    let snapshot = engine.read().unwrap();
    let view = View::default();
    match READS[which] {
        "people" => {
            format!("{:?}", snapshot.people(&view, &PeopleQuery::default()).unwrap().people)
        }
        "today" => {
            format!("{:?}", snapshot.today(&view, &TodayQuery { limit: 20 }).unwrap().actions)
        }
        _ => {
            let query = DiscoverQuery { limit: 20, ..DiscoverQuery::default() };
            format!("{:?}", snapshot.discover(&view, &query).unwrap())
        }
    }
}

fn sample(path: &Path) -> Engine {
    let engine = Engine::open(&Config::with_db(path)).unwrap();
    engine.load_sample(&SampleSpec { people: 120, ..SampleSpec::default() }).unwrap();
    engine
}

/// Small imports that each change every read: "me" and someone new talk, and the strongest tie
/// asks "me" something in a DM.
fn imports(engine: &Engine, dir: &Path) -> Vec<PathBuf> {
    let snapshot = engine.read().unwrap();
    let me = snapshot.me(None).unwrap()[0].native_id.clone();
    let people = snapshot.people(&View::default(), &PeopleQuery::default()).unwrap().people;
    (0..IMPORTS)
        .map(|k| {
            let tie = &people[k].accounts[0].native_id;
            let file = dir.join(format!("more-{k}.csv"));
            std::fs::write(
                &file,
                format!(
                    "timestamp,source,target,kind,network,text\n\
                     2026-10-31T19:0{k}:00Z,newcomer{k},{me},reply,mastodon,Loved your post on compost bins\n\
                     2026-10-31T19:3{k}:00Z,{me},newcomer{k},reply,mastodon,Thank you! How is your garden\n\
                     2026-10-31T20:0{k}:00Z,{tie},{me},dm,mastodon,Can you help me find good seed potatoes?\n"
                ),
            )
            .unwrap();
            file
        })
        .collect()
}

/// Every read of every thread equals the same read computed alone at one of the moments the store
/// went through (before the imports, or after any one of them): never a mix of two.
#[test]
fn reads_beside_imports_each_see_one_moment() {
    let dir = tempfile::tempdir().unwrap();
    // The moments, computed alone on a store of their own that takes the imports one by one.
    let reference = sample(&dir.path().join("reference.db"));
    let files = imports(&reference, dir.path());
    let mut moments: Vec<Vec<String>> = Vec::new();
    for file in std::iter::once(None).chain(files.iter().map(Some)) {
        if let Some(file) = file {
            reference
                .import(std::slice::from_ref(file), &ImportOptions::default(), &mut Quiet)
                .unwrap();
        }
        moments.push((0..READS.len()).map(|r| read(&reference, r)).collect());
    }
    for pair in moments.windows(2) {
        for r in 0..READS.len() {
            assert_ne!(pair[0][r], pair[1][r], "every import must change the {} read", READS[r]);
        }
    }

    let engine = Arc::new(sample(&dir.path().join("shared.db")));
    let (reads_done, imported) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let seen: Vec<(usize, String)> = std::thread::scope(|s| {
        let readers: Vec<_> = (0..8)
            .map(|t| {
                let (engine, reads_done, imported) = (&engine, &reads_done, &imported);
                s.spawn(move || {
                    let mut out = Vec::new();
                    // Reads go on until the last import has committed, and two rounds after.
                    let mut after = 0;
                    for round in 0..200 {
                        let which = (t + round) % READS.len();
                        out.push((which, read(engine, which)));
                        reads_done.fetch_add(1, Ordering::AcqRel);
                        if imported.load(Ordering::Acquire) == IMPORTS {
                            after += 1;
                            if after > 2 {
                                break;
                            }
                        }
                    }
                    out
                })
            })
            .collect();
        for file in &files {
            // Spread the commits over the reads: each lands while several reads are under way.
            let from = reads_done.load(Ordering::Acquire);
            for _ in 0..2_000 {
                if reads_done.load(Ordering::Acquire) >= from + 4 {
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            engine
                .import(std::slice::from_ref(file), &ImportOptions::default(), &mut Quiet)
                .unwrap();
            imported.fetch_add(1, Ordering::AcqRel);
        }
        readers.into_iter().flat_map(|r| r.join().unwrap()).collect()
    });

    let mut at = vec![0usize; moments.len()];
    for (which, got) in &seen {
        let Some(k) = moments.iter().position(|m| m[*which] == *got) else {
            panic!("a {} read is none of the moments the store went through", READS[*which]);
        };
        at[k] += 1;
    }
    assert!(at[IMPORTS] > 0, "reads after the last import see it: {at:?}");
}
