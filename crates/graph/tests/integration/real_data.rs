//! The real-data suite (`--features real-data`): reads the public datasets in `RAPPORT_DATA`
//! (default `<workspace>/../shared/data`) and checks counts published in their SOURCE.md files.

use std::path::PathBuf;

use rapport_graph::algo::community::{LeidenParams, leiden, modularity};
use rapport_graph::algo::pagerank::{PageRankParams, pagerank};
use rapport_graph::eval::nmi;
use rapport_graph::io::{EdgeFileOptions, read_communities_json, read_edge_file};
use rapport_graph::{BuildOptions, Csr, EdgeList};

use crate::reference_pagerank;

fn data(relative: &str) -> PathBuf {
    let root = std::env::var_os("RAPPORT_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    assert!(
        root.is_dir(),
        "real-data suite: data folder {} is missing; set RAPPORT_DATA",
        root.display()
    );
    root.join(relative)
}

#[test]
fn com_dblp_counts() {
    let list = read_edge_file(
        &data("snap-com-dblp-cdlib/com-dblp.ungraph.cdlib.txt.gz"),
        &EdgeFileOptions::default(),
    )
    .unwrap();
    let csr = Csr::build(&list, &BuildOptions::undirected());
    assert_eq!((csr.node_count(), csr.edge_count()), (317_080, 1_049_866));
    let truth = read_communities_json(&data("snap-com-dblp-cdlib/com-dblp.all.cmty.cdlib.json.gz"))
        .unwrap();
    assert_eq!(truth.len(), 13_477);
}

#[test]
fn slashdot_counts() {
    let list = read_edge_file(
        &data("snap-soc-slashdot0902/soc-Slashdot0902.txt.gz"),
        &EdgeFileOptions::default(),
    )
    .unwrap();
    assert_eq!((list.node_count(), list.edge_count()), (82_168, 948_464));
    let csr = Csr::build(&list, &BuildOptions::default());
    assert_eq!(csr.edge_count(), 948_464 - 78_303);
}

#[test]
fn lfr_planted_partition_is_recovered() {
    let list = read_edge_file(
        &data("lfr-benchmark-cdlib/networks/LFR_N10000_ad5_mc50_mu0.1.csv.gz"),
        &EdgeFileOptions::default(),
    )
    .unwrap();
    let csr = Csr::build(&list, &BuildOptions::undirected());
    let truth = read_communities_json(&data(
        "lfr-benchmark-cdlib/ground_truth/LFR_N10000_ad5_mc50_mu0.1.json.gz",
    ))
    .unwrap();
    let mut planted = vec![0u32; csr.node_count() as usize];
    for (c, members) in truth.iter().enumerate() {
        for &id in members {
            planted[csr.ids().dense(id).unwrap() as usize] = c as u32;
        }
    }
    let found = leiden(&csr, &LeidenParams::default());
    assert!(nmi(&found.membership, &planted) > 0.8);
}

/// Slashdot's simple arcs with a synthetic weight in 1..1001 from each pair: about 100,000
/// distinct values, so the CSR rounds them to its one-byte table (relative error at most 1.4%).
fn slashdot_weighted(directed: bool) -> (u32, Vec<(u32, u32, f32)>) {
    let list = read_edge_file(
        &data("snap-soc-slashdot0902/soc-Slashdot0902.txt.gz"),
        &EdgeFileOptions::default(),
    )
    .unwrap();
    let options = BuildOptions { directed, ..BuildOptions::default() };
    let simple = Csr::build(&list, &options);
    let weight = |u: u32, v: u32| {
        let (a, b) = (u64::from(u.min(v)), u64::from(u.max(v)));
        1.0 + ((a * 7919 + b * 104_729) % 100_000) as f32 / 100.0
    };
    let arcs = simple.arcs().filter(|&(u, v)| directed || u < v).map(|(u, v)| (u, v, weight(u, v)));
    (simple.node_count(), arcs.collect())
}

fn weighted_csr(n: u32, arcs: &[(u32, u32, f32)], directed: bool) -> Csr {
    let list = EdgeList::weighted(
        n,
        arcs.iter().map(|&(u, v, _)| [u, v]).collect(),
        arcs.iter().map(|a| a.2).collect(),
    )
    .unwrap();
    Csr::build(&list, &BuildOptions { directed, ..BuildOptions::default() })
}

#[test]
fn rounded_weights_keep_pagerank_on_slashdot() {
    let (n, arcs) = slashdot_weighted(true);
    let csr = weighted_csr(n, &arcs, true);
    assert!(!csr.out().weights_exact());
    let params = PageRankParams { tolerance: 1e-10, ..PageRankParams::default() };
    let got = pagerank(&csr, &params).scores;
    let want = reference_pagerank(n as usize, &arcs, params.damping);
    let l1: f64 = got.iter().zip(&want).map(|(a, b)| (a - b).abs()).sum();
    eprintln!("slashdot PageRank, one-byte weights vs exact: L1 {l1:.2e}");
    // Measured 1.2e-3: rounding moves about a thousandth of the rank mass.
    assert!(l1 < 5e-3, "L1 distance {l1}");
}

#[test]
fn rounded_weights_keep_modularity_on_slashdot() {
    let (n, arcs) = slashdot_weighted(false);
    let csr = weighted_csr(n, &arcs, false);
    let found = leiden(&csr, &LeidenParams::default()).membership;
    // Modularity of the same partition with the exact weights.
    let (mut inside, mut total) = (0.0f64, 0.0f64);
    let mut strength = vec![0.0f64; found.iter().max().map_or(0, |&m| m as usize + 1)];
    for &(u, v, w) in &arcs {
        let w = f64::from(w);
        total += 2.0 * w;
        strength[found[u as usize] as usize] += w;
        strength[found[v as usize] as usize] += w;
        if found[u as usize] == found[v as usize] {
            inside += 2.0 * w;
        }
    }
    let exact = inside / total - strength.iter().map(|s| (s / total).powi(2)).sum::<f64>();
    let rounded = modularity(&csr, &found, 1.0);
    eprintln!("slashdot Leiden modularity, one-byte weights {rounded:.5} vs exact {exact:.5}");
    assert!((rounded - exact).abs() < 0.01 * exact.abs(), "{rounded} vs {exact}");
}
