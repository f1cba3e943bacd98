//! The user's network as a graph: persons as nodes, follows and interactions as weighted edges.

use std::collections::HashSet;

use rapport_graph::hash::FxMap;
use rapport_graph::{BuildOptions, Csr, EdgeList};
use rapport_model::{InteractionKind, Timestamp};

use crate::events::EventSet;

/// The graph of a store as of a moment, and what "me" has shut out.
pub(crate) struct Network {
    pub(crate) csr: Csr,
    /// Nodes "me" blocked, muted or unfollowed: never suggested.
    pub(crate) excluded: HashSet<u32>,
}

/// How much one interaction says about a tie, for edge weights: a follow is the unit.
fn weight(kind: InteractionKind) -> f32 {
    match kind {
        InteractionKind::Dm => 3.0,
        InteractionKind::Reply | InteractionKind::Quote => 2.0,
        InteractionKind::Mention | InteractionKind::Connect => 1.5,
        InteractionKind::Follow | InteractionKind::Repost => 1.0,
        InteractionKind::Like => 0.5,
        InteractionKind::Request => 0.3,
        InteractionKind::Unfollow | InteractionKind::Block | InteractionKind::Mute => 0.0,
    }
}

/// Builds the directed, weighted graph of `set` as of `as_of`. A follow undone by a later
/// unfollow, and any edge of a blocked or muted pair, is left out.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) fn build(set: &EventSet, me: Option<u32>, as_of: Timestamp) -> Network {
    // Keyed by node pairs, which no one chooses: a multiply-rotate hash instead of SipHash, which
    // took half of the build (one lookup per interaction of the store).
    let mut weights: FxMap<(u32, u32), f32> = FxMap::default();
    let mut follows: FxMap<(u32, u32), Option<Timestamp>> = FxMap::default();
    let mut unfollows: FxMap<(u32, u32), Timestamp> = FxMap::default();
    let mut shut: HashSet<(u32, u32)> = HashSet::new();
    for e in &set.events {
        if e.at.is_some_and(|at| at > as_of) || e.source == e.target {
            continue;
        }
        let pair = (e.source, e.target);
        match e.kind {
            InteractionKind::Block | InteractionKind::Mute => {
                shut.insert(pair);
            }
            InteractionKind::Follow => {
                let entry = follows.entry(pair).or_insert(e.at);
                *entry = (*entry).max(e.at);
            }
            InteractionKind::Unfollow => {
                let at = e.at.unwrap_or(Timestamp::MAX);
                let entry = unfollows.entry(pair).or_insert(at);
                *entry = (*entry).max(at);
            }
            kind => *weights.entry(pair).or_insert(0.0) += weight(kind),
        }
    }
    let mut excluded = HashSet::new();
    for (pair, followed) in follows {
        let undone = unfollows.get(&pair).is_some_and(|&u| followed.is_none_or(|f| u >= f));
        if undone {
            if Some(pair.0) == me {
                excluded.insert(pair.1);
            }
            continue;
        }
        *weights.entry(pair).or_insert(0.0) += weight(InteractionKind::Follow);
    }
    for &(a, b) in &shut {
        if Some(a) == me {
            excluded.insert(b);
        }
    }
    let mut edges = Vec::with_capacity(weights.len());
    let mut w = Vec::with_capacity(weights.len());
    for ((a, b), weight) in weights {
        if shut.contains(&(a, b)) || shut.contains(&(b, a)) {
            continue;
        }
        edges.push([a, b]);
        // Repeated interactions count with diminishing returns, so one chatty pair does not
        // dominate a neighbourhood.
        w.push(1.0 + weight.ln_1p());
    }
    let node_count = u32::try_from(set.persons.len()).unwrap_or(u32::MAX);
    let list = EdgeList::weighted(node_count, edges.clone(), w)
        .unwrap_or_else(|_| EdgeList::new(node_count, edges));
    Network { csr: Csr::build(&list, &BuildOptions::default()), excluded }
}
