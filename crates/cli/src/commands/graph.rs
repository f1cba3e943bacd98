//! `rapport graph`: network-scale work on edge-list files, no store needed. Each subcommand
//! hands its options to one of the graph engine's jobs (load a SNAP-style file, plain or gzip,
//! and run one algorithm) and prints the timings and the result.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use rapport_engine::distributed::{LabelPropagationParams, RankParams, RecommendAllParams};
use rapport_engine::graph::{
    self as jobs, CommunitiesJob, EdgeInput, GraphError, LfrJob, RankJob, Ranked, RecommendJob,
    RmatJob,
};
use serde_json::json;

use super::graph_dist::{self as distributed, DistArgs};
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
    /// Find connected components (weakly connected when directed), on timely dataflow
    Components(ComponentsArgs),
    /// Recommend whom to follow for every node (or a list) by the circle of trust, on timely
    /// dataflow, written as `user<TAB>candidate<TAB>score` lines
    RecommendAll(RecommendAllArgs),
    /// Write a seeded synthetic graph (R-MAT or LFR-style)
    Generate(GenerateArgs),
}

/// The edge-list file and how to read it.
#[derive(Debug, Args)]
struct Input {
    /// Edge-list file: `a b` per line (tab, space or comma; `#` comments; plain or gzip). A
    /// distributed job also takes a directory or pattern of parts (`edges/part-*`): process I of
    /// N reads parts I, I+N, ... in name order
    file: PathBuf,
    /// Treat edges as directed (a follows b); otherwise undirected
    #[arg(long)]
    directed: bool,
    /// 0-based column holding an edge weight (2 for `a b w`)
    #[arg(long, value_name = "COLUMN")]
    weight_column: Option<usize>,
}

impl Input {
    fn edges(&self) -> EdgeInput {
        EdgeInput {
            file: self.file.clone(),
            directed: self.directed,
            weight_column: self.weight_column,
        }
    }

    /// A job's error, with what a failure to read the file most likely means.
    fn explain(&self, error: GraphError) -> anyhow::Error {
        match &error {
            GraphError::Parse { path, .. } | GraphError::Io { path, .. } if *path == self.file => {
                anyhow::Error::new(error).context(format!(
                    "loading {}; expected an edge list such as `a b` per line",
                    self.file.display()
                ))
            }
            _ => error.into(),
        }
    }
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
    /// Iterations of a distributed job (the in-memory path stops at --tolerance instead)
    #[arg(long, default_value_t = 20)]
    iterations: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    dist: DistArgs,
}

#[derive(Debug, Args)]
struct ComponentsArgs {
    #[command(flatten)]
    input: Input,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    dist: DistArgs,
}

#[derive(Debug, Args)]
struct RecommendAllArgs {
    #[command(flatten)]
    input: Input,
    /// File of user ids, one per line [default: every node]
    #[arg(long, value_name = "FILE")]
    users: Option<PathBuf>,
    /// Size of the circle of trust
    #[arg(long, default_value_t = 100)]
    circle: usize,
    /// Recommendations per user
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    dist: DistArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CommunityMethod {
    Leiden,
    LabelPropagation,
}

impl From<CommunityMethod> for jobs::CommunityMethod {
    fn from(method: CommunityMethod) -> Self {
        match method {
            CommunityMethod::Leiden => jobs::CommunityMethod::Leiden,
            CommunityMethod::LabelPropagation => jobs::CommunityMethod::LabelPropagation,
        }
    }
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
    #[command(flatten)]
    dist: DistArgs,
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

impl From<RecommendMethod> for jobs::RecommendMethod {
    fn from(method: RecommendMethod) -> Self {
        match method {
            RecommendMethod::Circle => jobs::RecommendMethod::Circle,
            RecommendMethod::Ppr => jobs::RecommendMethod::Ppr,
            RecommendMethod::AdamicAdar => jobs::RecommendMethod::AdamicAdar,
            RecommendMethod::CommonNeighbours => jobs::RecommendMethod::CommonNeighbours,
        }
    }
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
    jobs::with_threads(args.threads, || match &args.command {
        GraphCommand::Load(a) => load(a),
        GraphCommand::Rank(a) => rank(a),
        GraphCommand::Communities(a) => communities(a),
        GraphCommand::Recommend(a) => recommend(a),
        GraphCommand::Components(a) => {
            distributed::components(&a.dist, &a.input.file, a.input.directed, a.format)
        }
        GraphCommand::RecommendAll(a) => recommend_all(a),
        GraphCommand::Generate(a) => generate(a),
    })?
}

fn load(args: &LoadArgs) -> anyhow::Result<()> {
    let g = jobs::summarize(&args.input.edges()).map_err(|e| args.input.explain(e))?;
    let mut out = super::stdout();
    match args.format {
        Format::Json => writeln!(
            out,
            "{}",
            json!({
                "file": args.input.file.display().to_string(),
                "directed": g.directed,
                "nodes": g.nodes,
                "edges": g.edges,
                "components": g.components,
                "largest_component": g.largest_component,
                "parse_seconds": g.parse_seconds,
                "build_seconds": g.build_seconds,
                "memory_bytes": g.memory_bytes,
                "bytes_per_edge": g.bytes_per_edge,
            })
        )?,
        _ => {
            writeln!(out, "file               {}", args.input.file.display())?;
            writeln!(out, "directed           {}", g.directed)?;
            writeln!(out, "nodes              {}", g.nodes)?;
            writeln!(out, "edges              {}", g.edges)?;
            writeln!(out, "components         {} (largest {})", g.components, g.largest_component)?;
            writeln!(out, "parse              {:.3} s", g.parse_seconds)?;
            writeln!(out, "build CSR          {:.3} s", g.build_seconds)?;
            writeln!(
                out,
                "memory             {} bytes ({:.2} per edge)",
                g.memory_bytes, g.bytes_per_edge
            )?;
        }
    }
    Ok(())
}

/// Prints a listing after a header of `key value` lines (table) or as one JSON document.
pub(super) fn print(
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

pub(super) fn ranked_listing(ranked: &[Ranked]) -> Listing {
    let mut listing = Listing::new(&["rank", "node", "score"]);
    for (i, r) in ranked.iter().enumerate() {
        listing.push(vec![Cell::Int(i as i64 + 1), r.node.into(), Cell::Float(r.score, 6)]);
    }
    listing
}

fn rank(args: &RankArgs) -> anyhow::Result<()> {
    if args.dist.requested() {
        let params =
            RankParams { damping: args.damping, iterations: args.iterations, limit: args.limit };
        return distributed::rank(
            &args.dist,
            &args.input.file,
            args.input.directed,
            &params,
            args.format,
        );
    }
    let job = RankJob { damping: args.damping, tolerance: args.tolerance, limit: args.limit };
    let r = jobs::rank(&args.input.edges(), &job).map_err(|e| args.input.explain(e))?;
    let header = [
        ("load_seconds", json!(r.load_seconds)),
        ("pagerank_seconds", json!(r.pagerank_seconds)),
        ("iterations", json!(r.iterations)),
        ("final_l1_change", json!(r.final_l1_change)),
    ];
    print(args.format, &header, &ranked_listing(&r.top))
}

fn communities(args: &CommunitiesArgs) -> anyhow::Result<()> {
    if args.dist.requested() {
        if matches!(args.method, CommunityMethod::Leiden) {
            anyhow::bail!(
                "a distributed job runs label propagation only; add --method label-propagation (Leiden runs in memory, without --processes and --workers)"
            );
        }
        let params = LabelPropagationParams {
            seed: args.seed,
            resolution: args.resolution,
            ..LabelPropagationParams::default()
        };
        return distributed::communities(
            &args.dist,
            &args.input.file,
            args.input.directed,
            &params,
            args.format,
        );
    }
    let job = CommunitiesJob {
        method: args.method.into(),
        resolution: args.resolution,
        seed: args.seed,
        limit: args.limit,
        membership_file: args.output.clone(),
    };
    let r = jobs::communities(&args.input.edges(), &job).map_err(|e| args.input.explain(e))?;
    let mut listing = Listing::new(&["community", "size", "sample members"]);
    for (i, c) in r.largest.iter().enumerate() {
        let sample: Vec<String> = c.sample.iter().map(u64::to_string).collect();
        listing.push(vec![
            Cell::Int(i as i64 + 1),
            Cell::Int(c.size as i64),
            sample.join(" ").into(),
        ]);
    }
    let header = [
        ("load_seconds", json!(r.load_seconds)),
        ("detect_seconds", json!(r.detect_seconds)),
        ("communities", json!(r.count)),
        ("modularity", json!(r.modularity)),
    ];
    print(args.format, &header, &listing)
}

fn recommend(args: &RecommendArgs) -> anyhow::Result<()> {
    let job = RecommendJob {
        user: args.user,
        method: args.method.into(),
        circle: args.circle,
        calibrate: args.calibrate,
        limit: args.limit,
    };
    let r = jobs::recommend(&args.input.edges(), &job).map_err(|e| args.input.explain(e))?;
    let mut header = vec![("load_seconds", json!(r.load_seconds))];
    if let Some(c) = &r.calibration {
        header.push(("calibrate_seconds", json!(c.seconds)));
        header.push((
            "blend",
            json!({
                "ppr": c.blend.ppr,
                "adamic_adar": c.blend.adamic_adar,
                "resource_allocation": c.blend.resource_allocation,
                "three_step": c.blend.three_step,
                "local_path": c.blend.local_path,
            }),
        ));
    }
    header.extend([
        ("query_ms", json!(r.query_ms)),
        ("user", json!(r.user)),
        ("follows", json!(r.follows)),
    ]);
    print(args.format, &header, &ranked_listing(&r.recommended))
}

fn recommend_all(args: &RecommendAllArgs) -> anyhow::Result<()> {
    let params =
        RecommendAllParams { users: args.users.clone(), circle: args.circle, limit: args.limit };
    distributed::recommend_all(
        &args.dist,
        &args.input.file,
        args.input.directed,
        &params,
        args.format,
    )
}

fn generate(args: &GenerateArgs) -> anyhow::Result<()> {
    let mut out = super::stdout();
    let seconds = match &args.model {
        Model::Rmat { scale, edges, seed, output } => {
            let job = RmatJob { scale: *scale, edges: *edges, seed: *seed, output: output.clone() };
            let g = jobs::generate_rmat(&job)?;
            writeln!(
                out,
                "wrote {} edges over {} vertex slots to {}",
                g.edges,
                g.nodes,
                output.display()
            )?;
            g.seconds
        }
        Model::Lfr { nodes, mixing, avg_degree, seed, output, truth } => {
            let job = LfrJob {
                nodes: *nodes,
                mixing: *mixing,
                avg_degree: *avg_degree,
                seed: *seed,
                output: output.clone(),
                truth: truth.clone(),
            };
            let g = jobs::generate_lfr(&job)?;
            writeln!(
                out,
                "wrote {} edges, {} planted communities to {}",
                g.edges,
                g.communities.unwrap_or_default(),
                output.display()
            )?;
            g.seconds
        }
    };
    writeln!(out, "took {seconds:.3} s")?;
    Ok(())
}
