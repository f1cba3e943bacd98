//! Benchmark driver for `bench/graph/run.sh`: times load, PageRank, Leiden, label propagation,
//! connected components and single who-to-follow queries on one edge-list file, printing one
//! JSON object per measurement. It also writes the seeded R-MAT files the benchmark uses.
//!
//! Usage:
//!   bench run FILE [--directed] [--weight-column C] [--threads N] [--ops load,pagerank,leiden,lpa,components,query,users]
//!             [--tolerance T] [--queries Q] [--iterations I] [--settled F] [--users FILE --circle C --limit L]
//!   bench rmat OUT --scale S --edges M [--seed X]
//!   bench clean IN OUT      (a simple undirected copy: each edge once, no loops or duplicates)

use std::path::Path;
use std::time::Instant;

use rapport_graph::algo::community::{
    LabelPropagationParams, LeidenParams, label_propagation, leiden, modularity,
};
use rapport_graph::algo::components::connected_components;
use rapport_graph::algo::pagerank::{PageRankParams, pagerank};
use rapport_graph::algo::salsa::{CircleParams, who_to_follow};
use rapport_graph::generate::{RmatParams, rmat, simplify_undirected};
use rapport_graph::io::{EdgeFileOptions, read_edge_file, write_edge_list};
use rapport_graph::{BuildOptions, Csr};

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn number<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    flag(args, name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds (user + system, all threads) used by this process so far, from /proc; on a
/// shared machine this is steadier than wall time.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let fields: Vec<f64> =
                s.rsplit_once(')')?.1.split_whitespace().filter_map(|f| f.parse().ok()).collect();
            // After the command name the state is not numeric, so utime and stime (fields 14
            // and 15 of proc(5)) are the 11th and 12th numbers.
            Some((fields.get(10)? + fields.get(11)?) / 100.0)
        })
        .unwrap_or(0.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let threads = number(&args, "--threads", 0usize);
    rayon::ThreadPoolBuilder::new().num_threads(threads).build_global()?;
    match args.first().map(String::as_str) {
        Some("rmat") => {
            let out = args.get(1).ok_or("rmat needs an output path")?;
            let params = RmatParams {
                edges: number(&args, "--edges", 16u64 << 20),
                ..RmatParams::graph500(number(&args, "--scale", 20), number(&args, "--seed", 1))
            };
            let t = Instant::now();
            let list = simplify_undirected(rmat(&params));
            let generated = t.elapsed().as_secs_f64();
            write_edge_list(Path::new(out), list.edges(), list.ids())?;
            println!(
                "{{\"op\":\"rmat\",\"edges\":{},\"generate_s\":{generated:.3},\"total_s\":{:.3}}}",
                list.edge_count(),
                t.elapsed().as_secs_f64()
            );
        }
        Some("clean") => {
            let (input, out) = (
                args.get(1).ok_or("clean needs IN OUT")?,
                args.get(2).ok_or("clean needs IN OUT")?,
            );
            let list =
                simplify_undirected(read_edge_file(Path::new(input), &EdgeFileOptions::default())?);
            write_edge_list(Path::new(out), list.edges(), list.ids())?;
            println!("{{\"op\":\"clean\",\"edges\":{}}}", list.edge_count());
        }
        Some("run") => run(&args)?,
        _ => return Err("usage: bench run FILE ... | bench rmat OUT ...".into()),
    }
    Ok(())
}

fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let file = args.get(1).ok_or("run needs a file")?;
    let directed = args.iter().any(|a| a == "--directed");
    let ops = flag(args, "--ops").unwrap_or_else(|| "load,pagerank,leiden,components".to_owned());
    let t = Instant::now();
    let cpu = cpu_seconds();
    let file_options = EdgeFileOptions {
        weight_column: flag(args, "--weight-column").and_then(|c| c.parse().ok()),
    };
    let list = read_edge_file(Path::new(file), &file_options)?;
    let parsed = t.elapsed().as_secs_f64();
    let options = BuildOptions { directed, ..BuildOptions::default() };
    let csr = Csr::build(&list, &options);
    drop(list);
    println!(
        "{{\"op\":\"load\",\"seconds\":{:.3},\"cpu_s\":{:.2},\"parse_s\":{parsed:.3},\"nodes\":{},\"edges\":{},\"bytes\":{},\"bytes_per_edge\":{:.2},\"weighted\":{},\"weights_exact\":{},\"peak_rss_mb\":{:.0}}}",
        t.elapsed().as_secs_f64(),
        cpu_seconds() - cpu,
        csr.node_count(),
        csr.edge_count(),
        csr.memory_bytes(),
        csr.memory_bytes() as f64 / csr.edge_count().max(1) as f64,
        csr.is_weighted(),
        csr.out().weights_exact(),
        peak_rss_mb()
    );
    for op in ops.split(',') {
        let t = Instant::now();
        let cpu = cpu_seconds();
        match op {
            "load" => {}
            "pagerank" => {
                let params = PageRankParams {
                    tolerance: number(args, "--tolerance", 1e-8),
                    ..PageRankParams::default()
                };
                let pr = pagerank(&csr, &params);
                println!(
                    "{{\"op\":\"pagerank\",\"seconds\":{:.3},\"iterations\":{},\"sum\":{:.9}}}",
                    t.elapsed().as_secs_f64(),
                    pr.iterations,
                    pr.scores.iter().sum::<f64>()
                );
            }
            "leiden" => {
                let defaults = LeidenParams::default();
                let params = LeidenParams {
                    iterations: number(args, "--iterations", defaults.iterations),
                    settled_fraction: number(args, "--settled", defaults.settled_fraction),
                    ..defaults
                };
                let c = leiden(&csr, &params);
                let secs = t.elapsed().as_secs_f64();
                println!(
                    "{{\"op\":\"leiden\",\"seconds\":{secs:.3},\"communities\":{},\"modularity\":{:.6}}}",
                    c.count,
                    modularity(&csr, &c.membership, 1.0)
                );
            }
            "lpa" => {
                let c = label_propagation(&csr, &LabelPropagationParams::default());
                let secs = t.elapsed().as_secs_f64();
                println!(
                    "{{\"op\":\"lpa\",\"seconds\":{secs:.3},\"communities\":{},\"modularity\":{:.6}}}",
                    c.count,
                    modularity(&csr, &c.membership, 1.0)
                );
            }
            "components" => {
                let c = connected_components(&csr);
                println!(
                    "{{\"op\":\"components\",\"seconds\":{:.3},\"count\":{},\"largest\":{}}}",
                    t.elapsed().as_secs_f64(),
                    c.count,
                    c.largest()
                );
            }
            "query" => query(args, &csr),
            "users" => users(args, &csr)?,
            other => return Err(format!("unknown op {other}").into()),
        }
        if op != "load" && op != "query" {
            println!("{{\"op\":\"{op}-cpu\",\"cpu_s\":{:.2}}}", cpu_seconds() - cpu);
        }
    }
    Ok(())
}

/// Who-to-follow for every user listed in `--users` (one id per line), the in-memory side of
/// `rapport graph recommend-all`: the same ranking, over the rayon pool's threads.
fn users(args: &[String], csr: &Csr) -> Result<(), Box<dyn std::error::Error>> {
    use rayon::prelude::*;
    let path = flag(args, "--users").ok_or("the users op needs --users FILE")?;
    let users: Vec<u32> = std::fs::read_to_string(&path)?
        .lines()
        .filter_map(|l| l.trim().parse().ok().and_then(|id| csr.ids().dense(id)))
        .collect();
    let params = CircleParams { circle_size: number(args, "--circle", 100), ..Default::default() };
    let limit = number(args, "--limit", 20);
    let t = Instant::now();
    let lines: usize =
        users.par_iter().map(|&u| who_to_follow(csr, u, &[], &params, limit).len()).sum();
    println!(
        "{{\"op\":\"users\",\"seconds\":{:.3},\"users\":{},\"lines\":{lines}}}",
        t.elapsed().as_secs_f64(),
        users.len()
    );
    Ok(())
}

/// Latency of single who-to-follow queries for random users with at least one out-edge.
fn query(args: &[String], csr: &Csr) {
    let count = number(args, "--queries", 100usize);
    let mut params = CircleParams::default();
    params.ppr.epsilon = number(args, "--epsilon", params.ppr.epsilon);
    params.circle_size = number(args, "--circle", params.circle_size);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut times = Vec::with_capacity(count);
    let mut results = 0;
    while times.len() < count {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let user = (state % u64::from(csr.node_count())) as u32;
        if csr.out_degree(user) == 0 {
            continue;
        }
        let t = Instant::now();
        results += who_to_follow(csr, user, &[], &params, 20).len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let pick = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{{\"op\":\"query\",\"queries\":{count},\"p50_ms\":{:.2},\"p99_ms\":{:.2},\"max_ms\":{:.2},\"mean_results\":{:.1}}}",
        pick(0.5),
        pick(0.99),
        pick(1.0),
        results as f64 / count as f64
    );
}
