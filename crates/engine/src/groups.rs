//! `groups`: the communities of the user's network, named by what they talk about.

use std::collections::HashMap;

use crate::network::build;
use crate::{Result, Snapshot, View};
use rapport_graph::algo::community::{LeidenParams, leiden};
use rapport_graph::{BuildOptions, Csr, EdgeList};
use rapport_score::interests::Term;

/// One community of the user's network.
#[derive(Clone, Debug)]
pub struct Group {
    /// A name from its most distinctive hashtags and words.
    pub name: String,
    /// The terms the name comes from.
    pub terms: Vec<String>,
    /// How many people it holds.
    pub size: usize,
    /// The members the user is closest to, strongest first.
    pub closest: Vec<String>,
    /// The mean strength of the user's relationships with its members, 0 to 1.
    pub engagement: f64,
    /// How many of its members the user has a conversation with (engaged or closer).
    pub talking_with: usize,
    /// The members' person ids (an unmerged account's is minus its account id).
    pub members: Vec<i64>,
}

/// Smaller communities are listed together as "others".
const MIN_SIZE: usize = 3;

impl Snapshot<'_> {
    /// The communities among the people the view's account has history with, largest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn groups(&self, view: &View) -> Result<Vec<Group>> {
        let events = self.events(&self.seen(view)?)?;
        let (set, me, as_of) = (&events.set, events.me, events.as_of);
        let people = self.all_people(view)?;
        let network = build(set, Some(me), as_of);
        // The listing names persons; the graph knows them as this event set's nodes.
        let relationships: Vec<rapport_score::Relationship> = people
            .people
            .iter()
            .filter_map(|p| {
                let other = set.node_of(p.person)?;
                Some(rapport_score::Relationship { other, ..p.relationship.clone() })
            })
            .collect();
        // The user's own network: everyone with history, without the user, who would tie them all
        // into one community.
        let members: Vec<u32> = relationships.iter().map(|r| r.other).collect();
        let local: HashMap<u32, u32> =
            members.iter().enumerate().map(|(i, v)| (*v, i as u32)).collect();
        let mut edges = Vec::new();
        for (&v, &i) in &local {
            for &w in network.csr.out_neighbors(v) {
                if let Some(&j) = local.get(&w) {
                    edges.push([i, j]);
                }
            }
        }
        let list = EdgeList::new(members.len() as u32, edges);
        let csr = Csr::build(&list, &BuildOptions::undirected());
        let communities = leiden(&csr, &LeidenParams::default());
        let interests = self.interests(set, as_of)?;
        let by_node: HashMap<u32, &rapport_score::Relationship> =
            relationships.iter().map(|r| (r.other, r)).collect();
        let mut groups = Vec::new();
        for group in communities.groups() {
            if group.len() < MIN_SIZE {
                continue;
            }
            let nodes: Vec<u32> = group.iter().map(|&i| members[i as usize]).collect();
            let terms: Vec<String> =
                interests.group_terms(&nodes, 3).iter().map(Term::label).collect();
            let mut ranked: Vec<&rapport_score::Relationship> =
                nodes.iter().filter_map(|v| by_node.get(v).copied()).collect();
            ranked.sort_by(|a, b| b.strength.total_cmp(&a.strength).then(a.other.cmp(&b.other)));
            let closest = ranked
                .iter()
                .take(3)
                .filter_map(|r| {
                    self.node_accounts(set, r.other).ok()?.first().map(crate::AccountRow::label)
                })
                .collect();
            let engagement =
                ranked.iter().map(|r| r.strength).sum::<f64>() / ranked.len().max(1) as f64;
            let talking_with =
                ranked.iter().filter(|r| r.stage >= rapport_score::Stage::Engaged).count();
            groups.push(Group {
                name: if terms.is_empty() {
                    "people with no posts".into()
                } else {
                    terms.join(" · ")
                },
                terms,
                size: nodes.len(),
                closest,
                engagement,
                talking_with,
                members: nodes.iter().map(|&v| set.persons[v as usize]).collect(),
            });
        }
        groups.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.name.cmp(&b.name)));
        Ok(groups)
    }
}
