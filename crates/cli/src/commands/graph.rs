//! `rapport graph`: network-scale work on edge-list files, no store needed. Each subcommand
//! loads a SNAP-style file (plain or gzip), runs one algorithm of the graph engine, and prints
//! the timings and the result.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use rapport_engine::graph::algo::calibrate::{CalibrationParams, calibrate_circle};
use rapport_engine::graph::algo::community::{
    LabelPropagationParams, LeidenParams, label_propagation, leiden, modularity,
};
use rapport_engine::graph::algo::components::connected_components;
use rapport_engine::graph::algo::linkpred::{adamic_adar, common_neighbors};
use rapport_engine::graph::algo::pagerank::{PageRankParams, pagerank};
use rapport_engine::graph::algo::ppr::{PprParams, personalized_pagerank};
use rapport_engine::graph::algo::salsa::{CircleParams, who_to_follow};
use rapport_engine::graph::generate::{LfrParams, RmatParams, lfr, rmat, simplify_undirected};
use rapport_engine::graph::io::{EdgeFileOptions, read_edge_file, write_edge_list};
use rapport_engine::graph::{BuildOptions, Csr, NodeIds};
use serde_json::json;

use crate::output::{Cell, Format, Listing};

#[derive(Debug, Args)]
pub(crate) struct GraphArgs {
    /// Worker threads [default: all cores]
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    #[command(subcommand)]
    command: GraphCommand,
}

#[derive(Debug, Subcommand)]
enum GraphCommand {
    /// Load an edge list and report its size, load time and memory
    Load(LoadArgs),
    /// Rank nodes by PageRank
    Rank(RankArgs),
    /// Find communities (Leiden or label propagation) and their modularity
    Communities(CommunitiesArgs),
    /// Recommend whom a node should follow (circle-of-trust SALSA or a baseline)
    Recommend(RecommendArgs),
    /// Write a seeded synthetic graph (R-MAT or LFR-style)
    Generate(GenerateArgs),
}

/// The edge-list file and how to read it.
#[derive(Debug, Args)]
struct Input {
    /// Edge-list file: `a b` per line (tab, space or comma; `#` comments; plain or gzip)
    file: PathBuf,
    /// Treat edges as directed (a follows b); otherwise undirected
    #[arg(long)]
    directed: bool,
    /// 0-based column holding an edge weight (2 for `a b w`)
    #[arg(long, value_name = "COLUMN")]
    weight_column: Option<usize>,
}

#[derive(Debug, Args)]
struct LoadArgs {
    #[command(flatten)]
    input: Input,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
struct RankArgs {
    #[command(flatten)]
    input: Input,
    /// Stop when the L1 change between iterations is below this
    #[arg(long, default_value_t = 1e-8)]
    tolerance: f64,
    /// Damping factor
    #[arg(long, default_value_t = 0.85)]
    damping: f64,
    /// How many top nodes to list
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CommunityMethod {
    Leiden,
    LabelPropagation,
}

#[derive(Debug, Args)]
struct CommunitiesArgs {
    #[command(flatten)]
    input: Input,
    /// Algorithm
    #[arg(long, value_enum, default_value = "leiden")]
    method: CommunityMethod,
    /// Modularity resolution (higher gives smaller communities)
    #[arg(long, default_value_t = 1.0)]
    resolution: f64,
    /// Seed (the result is the same for a seed whatever the thread count)
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// How many of the largest communities to list
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Also write `node<TAB>community` for every node to this file
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RecommendMethod {
    /// SALSA on the circle of trust (Who-to-Follow)
    Circle,
    /// Plain personalized PageRank
    Ppr,
    /// Adamic-Adar
    AdamicAdar,
    /// Common neighbours
    CommonNeighbours,
}

#[derive(Debug, Args)]
struct RecommendArgs {
    #[command(flatten)]
    input: Input,
    /// The node to recommend for (its id in the file)
    #[arg(long, value_name = "ID")]
    user: u64,
    /// Ranking method
    #[arg(long, value_enum, default_value = "circle")]
    method: RecommendMethod,
    /// Size of the circle of trust
    #[arg(long, default_value_t = 100)]
    circle: usize,
    /// With the circle method, first choose the blend of its signals from this graph's own edges
    /// (hiding some of 300 sampled users' follows), as `rapport discover` does
    #[arg(long)]
    calibrate: bool,
    /// How many recommendations
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
struct GenerateArgs {
    #[command(subcommand)]
    model: Model,
}

#[derive(Debug, Subcommand)]
enum Model {
    /// R-MAT with Graph500 parameters (a=.57, b=.19, c=.19); written as a simple undirected graph
    Rmat {
        /// 2^scale vertex slots
        #[arg(long)]
        scale: u32,
        /// Edges to draw [default: 16 · 2^scale]
        #[arg(long)]
        edges: Option<u64>,
        /// Random seed
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (`.gz` to compress)
        #[arg(long)]
        output: PathBuf,
    },
    /// LFR-style graph with planted communities
    Lfr {
        /// Nodes
        #[arg(long, default_value_t = 10_000)]
        nodes: u32,
        /// Mixing parameter μ: the share of each node's edges leaving its community
        #[arg(long, default_value_t = 0.3)]
        mixing: f64,
        /// Average degree
        #[arg(long, default_value_t = 20.0)]
        avg_degree: f64,
        /// Random seed
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Output edge list
        #[arg(long)]
        output: PathBuf,
        /// Also write the planted partition as `node<TAB>community`
        #[arg(long, value_name = "FILE")]
        truth: Option<PathBuf>,
    },
}

pub(crate) fn run(args: &GraphArgs) -> anyhow::Result<()> {
    rapport_engine::graph::with_threads(args.threads, || match &args.command {
        GraphCommand::Load(a) => load_command(a),
        GraphCommand::Rank(a) => rank(a),
        GraphCommand::Communities(a) => communities(a),
        GraphCommand::Recommend(a) => recommend(a),
        GraphCommand::Generate(a) => generate(a),
    })?
}

/// A loaded graph and how long each step took.
struct Loaded {
    csr: Csr,
    parse_seconds: f64,
    build_seconds: f64,
}

fn load(input: &Input) -> anyhow::Result<Loaded> {
    let start = Instant::now();
    let options = EdgeFileOptions { weight_column: input.weight_column };
    let list = read_edge_file(&input.file, &options).with_context(|| {
        format!("loading {}; expected an edge list such as `a b` per line", input.file.display())
    })?;
    let parse_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let csr =
        Csr::build(&list, &BuildOptions { directed: input.directed, ..BuildOptions::default() });
    Ok(Loaded { csr, parse_seconds, build_seconds: start.elapsed().as_secs_f64() })
}

fn load_command(args: &LoadArgs) -> anyhow::Result<()> {
    let g = load(&args.input)?;
    let bytes = g.csr.memory_bytes();
    let per_edge = bytes as f64 / g.csr.edge_count().max(1) as f64;
    let components = connected_components(&g.csr);
    let mut out = super::stdout();
    match args.format {
        Format::Json => writeln!(
            out,
            "{}",
            json!({
                "file": args.input.file.display().to_string(),
                "directed": g.csr.is_directed(),
                "nodes": g.csr.node_count(),
                "edges": g.csr.edge_count(),
                "components": components.count,
                "largest_component": components.largest(),
                "parse_seconds": g.parse_seconds,
                "build_seconds": g.build_seconds,
                "memory_bytes": bytes,
                "bytes_per_edge": per_edge,
            })
        )?,
        _ => {
            writeln!(out, "file               {}", args.input.file.display())?;
            writeln!(out, "directed           {}", g.csr.is_directed())?;
            writeln!(out, "nodes              {}", g.csr.node_count())?;
            writeln!(out, "edges              {}", g.csr.edge_count())?;
            writeln!(
                out,
                "components         {} (largest {})",
                components.count,
                components.largest()
            )?;
            writeln!(out, "parse              {:.3} s", g.parse_seconds)?;
            writeln!(out, "build CSR          {:.3} s", g.build_seconds)?;
            writeln!(out, "memory             {bytes} bytes ({per_edge:.2} per edge)")?;
        }
    }
    Ok(())
}

/// Prints a listing after a header of `key value` lines (table) or as one JSON document.
fn print(
    format: Format,
    header: &[(&str, serde_json::Value)],
    listing: &Listing,
) -> anyhow::Result<()> {
    let mut out = super::stdout();
    match format {
        Format::Table => {
            for (key, value) in header {
                let text = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
                writeln!(out, "{key:<18} {text}")?;
            }
            writeln!(out)?;
            listing.print(Format::Table, &mut out)?;
        }
        csv @ (Format::Csv | Format::CsvRaw) => listing.print(csv, &mut out)?,
        Format::Json => {
            let mut rows = Vec::new();
            listing.print(Format::Json, &mut rows)?;
            let mut doc: serde_json::Map<String, serde_json::Value> =
                header.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
            doc.insert("results".to_owned(), serde_json::from_slice(&rows)?);
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
    }
    Ok(())
}

fn ranked_listing(ids: &NodeIds, ranked: &[(u32, f64)]) -> Listing {
    let mut listing = Listing::new(&["rank", "node", "score"]);
    for (i, &(v, s)) in ranked.iter().enumerate() {
        listing.push(vec![Cell::Int(i as i64 + 1), ids.original(v).into(), Cell::Float(s, 6)]);
    }
    listing
}

fn rank(args: &RankArgs) -> anyhow::Result<()> {
    let g = load(&args.input)?;
    let start = Instant::now();
    let params = PageRankParams {
        damping: args.damping,
        tolerance: args.tolerance,
        ..PageRankParams::default()
    };
    let pr = pagerank(&g.csr, &params);
    let seconds = start.elapsed().as_secs_f64();
    let mut ranked: Vec<(u32, f64)> =
        pr.scores.iter().enumerate().map(|(v, &s)| (v as u32, s)).collect();
    ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(args.limit);
    let header = [
        ("load_seconds", json!(g.parse_seconds + g.build_seconds)),
        ("pagerank_seconds", json!(seconds)),
        ("iterations", json!(pr.iterations)),
        ("final_l1_change", json!(pr.delta)),
    ];
    print(args.format, &header, &ranked_listing(g.csr.ids(), &ranked))
}

fn communities(args: &CommunitiesArgs) -> anyhow::Result<()> {
    let g = load(&args.input)?;
    let start = Instant::now();
    let found = match args.method {
        CommunityMethod::Leiden => {
            let params = LeidenParams {
                resolution: args.resolution,
                seed: args.seed,
                ..LeidenParams::default()
            };
            leiden(&g.csr, &params)
        }
        CommunityMethod::LabelPropagation => label_propagation(
            &g.csr,
            &LabelPropagationParams { seed: args.seed, ..LabelPropagationParams::default() },
        ),
    };
    let seconds = start.elapsed().as_secs_f64();
    let q = modularity(&g.csr, &found.membership, args.resolution);
    if let Some(path) = &args.output {
        write_membership(path, g.csr.ids(), &found.membership)?;
    }
    let mut groups = found.groups();
    groups.sort_by_key(|members| std::cmp::Reverse(members.len()));
    let mut listing = Listing::new(&["community", "size", "sample members"]);
    for (i, members) in groups.iter().take(args.limit).enumerate() {
        let sample: Vec<String> =
            members.iter().take(5).map(|&v| g.csr.ids().original(v).to_string()).collect();
        listing.push(vec![
            Cell::Int(i as i64 + 1),
            Cell::Int(members.len() as i64),
            sample.join(" ").into(),
        ]);
    }
    let header = [
        ("load_seconds", json!(g.parse_seconds + g.build_seconds)),
        ("detect_seconds", json!(seconds)),
        ("communities", json!(found.count)),
        ("modularity", json!(q)),
    ];
    print(args.format, &header, &listing)
}

fn write_membership(path: &Path, ids: &NodeIds, membership: &[u32]) -> anyhow::Result<()> {
    let mut text = String::with_capacity(membership.len() * 12);
    for (v, c) in membership.iter().enumerate() {
        text.push_str(&format!("{}\t{c}\n", ids.original(v as u32)));
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn recommend(args: &RecommendArgs) -> anyhow::Result<()> {
    let g = load(&args.input)?;
    let user = g.csr.ids().dense(args.user).with_context(|| {
        format!("node {} does not appear in {}", args.user, args.input.file.display())
    })?;
    let mut params = CircleParams { circle_size: args.circle, ..CircleParams::default() };
    let mut header = vec![("load_seconds", json!(g.parse_seconds + g.build_seconds))];
    if args.calibrate && matches!(args.method, RecommendMethod::Circle) {
        let start = Instant::now();
        params = calibrate_circle(&g.csr, &params, &CalibrationParams::default());
        header.push(("calibrate_seconds", json!(start.elapsed().as_secs_f64())));
        header.push((
            "blend",
            json!({
                "ppr": params.ppr_blend,
                "adamic_adar": params.adamic_adar_blend,
                "resource_allocation": params.resource_allocation_blend,
                "three_step": params.three_step_blend,
                "local_path": params.local_path_blend,
            }),
        ));
    }
    let start = Instant::now();
    let ranked = match args.method {
        RecommendMethod::Circle => who_to_follow(&g.csr, user, &[], &params, args.limit),
        RecommendMethod::Ppr => {
            let followed = g.csr.out_neighbors(user);
            personalized_pagerank(
                &g.csr,
                &[(user, 1.0)],
                &PprParams::default(),
                args.limit + followed.len() + 1,
            )
            .into_iter()
            .filter(|&(v, _)| v != user && followed.binary_search(&v).is_err())
            .take(args.limit)
            .collect()
        }
        RecommendMethod::AdamicAdar => adamic_adar(&g.csr, user, args.limit),
        RecommendMethod::CommonNeighbours => common_neighbors(&g.csr, user, args.limit),
    };
    header.extend([
        ("query_ms", json!(start.elapsed().as_secs_f64() * 1000.0)),
        ("user", json!(args.user)),
        ("follows", json!(g.csr.out_degree(user))),
    ]);
    print(args.format, &header, &ranked_listing(g.csr.ids(), &ranked))
}

fn generate(args: &GenerateArgs) -> anyhow::Result<()> {
    let start = Instant::now();
    let mut out = super::stdout();
    match &args.model {
        Model::Rmat { scale, edges, seed, output } => {
            let mut params = RmatParams::graph500(*scale, *seed);
            params.edges = edges.unwrap_or(params.edges);
            let list = simplify_undirected(rmat(&params));
            write_edge_list(output, list.edges(), list.ids())?;
            writeln!(
                out,
                "wrote {} edges over {} vertex slots to {}",
                list.edge_count(),
                list.node_count(),
                output.display()
            )?;
        }
        Model::Lfr { nodes, mixing, avg_degree, seed, output, truth } => {
            let params = LfrParams {
                nodes: *nodes,
                mixing: *mixing,
                avg_degree: *avg_degree,
                seed: *seed,
                ..LfrParams::default()
            };
            let planted = lfr(&params);
            write_edge_list(output, planted.edges.edges(), planted.edges.ids())?;
            if let Some(path) = truth {
                write_membership(path, planted.edges.ids(), &planted.membership)?;
            }
            let communities = planted.membership.iter().max().map_or(0, |m| m + 1);
            writeln!(
                out,
                "wrote {} edges, {communities} planted communities to {}",
                planted.edges.edge_count(),
                output.display()
            )?;
        }
    }
    writeln!(out, "took {:.3} s", start.elapsed().as_secs_f64())?;
    Ok(())
}
