//! The real-data suite (`--features real-data`): reads the public datasets in `RAPPORT_DATA`
//! (default `<workspace>/../shared/data`) and checks counts published in their SOURCE.md files.

use std::path::PathBuf;

use rapport_graph::algo::community::{LeidenParams, leiden};
use rapport_graph::eval::nmi;
use rapport_graph::io::{EdgeFileOptions, read_communities_json, read_edge_file};
use rapport_graph::{BuildOptions, Csr};

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
