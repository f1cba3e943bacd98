//! Times strength for every pair of the whole Higgs activity data, plus the fit and the evaluation.
//!
//! Run with `cargo bench -p rapport-score --features real-data --bench higgs`; the data folder is
//! `$RAPPORT_DATA` or `../shared/data` beside the workspace.

use std::io::BufReader;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rapport_score::{
    DatasetFormat, ScoreParams, ScoreWeights, TIES_SUITE, evaluate, fit, observe_pairs,
    parse_events, relationships,
};

fn main() {
    let data = std::env::var_os("RAPPORT_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    // The SNAP datasets only: the X archive needs the importer, which this crate does not use.
    let snap: Vec<_> = TIES_SUITE.iter().filter_map(|e| Some((e, e.snap_format()?))).collect();
    let load = |&(entry, format): &(&rapport_score::SuiteEntry, rapport_score::DatasetFormat)| {
        let path = data.join(entry.path);
        let file = std::fs::File::open(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (set RAPPORT_DATA)", path.display()));
        if entry.path.ends_with(".gz") {
            parse_events(format, BufReader::new(flate2::read::GzDecoder::new(file)))
        } else {
            parse_events(format, BufReader::new(file))
        }
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let higgs = TIES_SUITE[1];
    let started = Instant::now();
    let events = load(&(&higgs, DatasetFormat::HiggsActivity));
    println!("load: {} events in {:.2?}", events.len(), started.elapsed());

    let weights = ScoreWeights::default();
    let as_of = events.iter().filter_map(|e| e.at).max().unwrap_or(0);
    let mut times = Vec::new();
    let mut pairs = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let observed = observe_pairs(&events, as_of, &weights);
        times.push(started.elapsed());
        pairs = observed.len();
    }
    report(&format!("strength for all {pairs} pairs"), &mut times);

    // `rapport people` for the account with the most contacts: every relationship with its trend
    // and its strength now, 30 and 90 days ago.
    let mut degree = std::collections::HashMap::<u32, std::collections::HashSet<u32>>::new();
    for e in events.iter().filter(|e| e.source != e.target) {
        degree.entry(e.source).or_default().insert(e.target);
        degree.entry(e.target).or_default().insert(e.source);
    }
    let (me, contacts) =
        degree.iter().map(|(v, n)| (*v, n.len())).max_by_key(|&(v, n)| (n, v)).unwrap_or((0, 0));
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let listed = relationships(&events, me, as_of, &ScoreParams::default());
        times.push(started.elapsed());
        assert_eq!(listed.len(), contacts);
    }
    report(&format!("relationships of the busiest account ({contacts} contacts)"), &mut times);

    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let e = evaluate(
            &events,
            higgs.eval_cutoff,
            higgs.horizon,
            &weights,
            &ScoreWeights::one_sided(),
        );
        times.push(started.elapsed());
        pairs = e.pairs;
    }
    report(&format!("evaluate ({pairs} labelled pairs, 4 scores)"), &mut times);

    let suite: Vec<_> = snap.iter().map(load).collect();
    let sets: Vec<_> = snap
        .iter()
        .zip(&suite)
        .flat_map(|((entry, _), events)| entry.training_sets(events))
        .collect();
    let started = Instant::now();
    let _ = fit(&sets);
    println!("fit on the SNAP datasets of the suite: {:.2?}", started.elapsed());
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    println!(
        "{what}: min {:.3?}, median {:.3?} over {} runs",
        times[0],
        times[times.len() / 2],
        times.len()
    );
}
