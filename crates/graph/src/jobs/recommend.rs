//! `rapport graph recommend`: whom one node of a file should follow, by the circle-of-trust
//! ranking (optionally with its blend calibrated on the file's own edges) or a baseline.

use std::time::Instant;

use super::{EdgeInput, Ranked, by_file_id, load, seconds_since};
use crate::GraphError;
use crate::algo::calibrate::{CalibrationParams, calibrate_circle};
use crate::algo::linkpred::{adamic_adar, common_neighbors};
use crate::algo::ppr::{PprParams, personalized_pagerank};
use crate::algo::salsa::{CircleParams, who_to_follow};

/// The ranking method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecommendMethod {
    /// SALSA on the circle of trust (Who-to-Follow), blended with local scores.
    Circle,
    /// Plain personalized PageRank.
    Ppr,
    /// Adamic-Adar.
    AdamicAdar,
    /// Common neighbours.
    CommonNeighbours,
}

/// Whom to recommend for, and how.
#[derive(Clone, Debug)]
pub struct RecommendJob {
    /// The node to recommend for, by its id in the file.
    pub user: u64,
    /// The ranking method.
    pub method: RecommendMethod,
    /// Size of the circle of trust.
    pub circle: usize,
    /// With the circle method, first choose the blend of its signals from the file's own edges.
    pub calibrate: bool,
    /// How many recommendations.
    pub limit: usize,
}

/// The weights of the circle ranking's signals; SALSA takes what they leave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Blend {
    /// Personalized PageRank.
    pub ppr: f64,
    /// Adamic-Adar.
    pub adamic_adar: f64,
    /// Resource allocation.
    pub resource_allocation: f64,
    /// Three-step resource allocation.
    pub three_step: f64,
    /// Local path index.
    pub local_path: f64,
}

/// The blend a calibration chose and how long it took.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibration {
    /// Seconds the calibration took.
    pub seconds: f64,
    /// The blend chosen.
    pub blend: Blend,
}

/// The recommendations and how the run went.
#[derive(Clone, Debug)]
pub struct RecommendResult {
    /// Seconds to read the file and build the graph.
    pub load_seconds: f64,
    /// The calibration, when one was asked for and the method is the circle.
    pub calibration: Option<Calibration>,
    /// Milliseconds the ranking itself took.
    pub query_ms: f64,
    /// The user, by its id in the file.
    pub user: u64,
    /// How many nodes the user already follows.
    pub follows: usize,
    /// The recommended nodes, best first; none of them already followed.
    pub recommended: Vec<Ranked>,
}

/// Loads `input` and recommends whom `job.user` should follow.
pub fn recommend(input: &EdgeInput, job: &RecommendJob) -> Result<RecommendResult, GraphError> {
    let g = load(input)?;
    let csr = &g.csr;
    let user = csr
        .ids()
        .dense(job.user)
        .ok_or_else(|| GraphError::UnknownNode { node: job.user, path: input.file.clone() })?;
    let mut params = CircleParams { circle_size: job.circle, ..CircleParams::default() };
    let mut calibration = None;
    if job.calibrate && job.method == RecommendMethod::Circle {
        let start = Instant::now();
        params = calibrate_circle(csr, &params, &CalibrationParams::default());
        let blend = Blend {
            ppr: params.ppr_blend,
            adamic_adar: params.adamic_adar_blend,
            resource_allocation: params.resource_allocation_blend,
            three_step: params.three_step_blend,
            local_path: params.local_path_blend,
        };
        calibration = Some(Calibration { seconds: seconds_since(start), blend });
    }
    let start = Instant::now();
    let ranked = match job.method {
        RecommendMethod::Circle => who_to_follow(csr, user, &[], &params, job.limit),
        RecommendMethod::Ppr => {
            let followed = csr.out_neighbors(user);
            personalized_pagerank(
                csr,
                &[(user, 1.0)],
                &PprParams::default(),
                job.limit + followed.len() + 1,
            )
            .into_iter()
            .filter(|&(v, _)| v != user && followed.binary_search(&v).is_err())
            .take(job.limit)
            .collect()
        }
        RecommendMethod::AdamicAdar => adamic_adar(csr, user, job.limit),
        RecommendMethod::CommonNeighbours => common_neighbors(csr, user, job.limit),
    };
    Ok(RecommendResult {
        load_seconds: g.load_seconds(),
        calibration,
        query_ms: seconds_since(start) * 1000.0,
        user: job.user,
        follows: csr.out_degree(user),
        recommended: by_file_id(csr.ids(), &ranked),
    })
}
