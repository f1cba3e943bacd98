//! One person across networks: merging accounts, splitting them, and suggesting merges with the
//! evidence for each.

use std::collections::{BTreeMap, HashMap};

use rapport_model::Network;
use rapport_store::{AccountRow, Read, Store};

use crate::{Engine, Error, Result, Snapshot};

/// Two accounts that may be one person, and why.
#[derive(Clone, Debug)]
pub struct MergeSuggestion {
    /// One account.
    pub a: AccountRow,
    /// The other, on another network.
    pub b: AccountRow,
    /// How sure the evidence is, from 0 to 1.
    pub confidence: f64,
    /// What matched, in words.
    pub evidence: Vec<String>,
}

/// More accounts than this sharing one key (a common first name) are not evidence of anything.
const MAX_BUCKET: usize = 12;

impl Engine {
    /// Makes the accounts `handles` name one person; returns every account of that person.
    pub fn merge(&self, handles: &[String]) -> Result<Vec<AccountRow>> {
        if handles.len() < 2 {
            return Err(Error::MergeNeedsTwo);
        }
        let accounts = {
            let snapshot = self.read()?;
            handles.iter().map(|h| snapshot.one_account(h)).collect::<Result<Vec<_>>>()?
        };
        let ids: Vec<i64> = accounts.iter().map(|a| a.id).collect();
        let person = self.store.merge_accounts(&ids)?;
        let described = self.read()?.store.described_accounts()?;
        Ok(described.into_iter().filter(|a| a.person == person).collect())
    }

    /// Detaches the account `handle` names from the person it was merged into.
    pub fn split(&self, handle: &str) -> Result<AccountRow> {
        let account = self.read()?.one_account(handle)?;
        if account.person < 0 {
            return Err(Error::NotMerged { account: account.label() });
        }
        self.store.split_account(account.id)?;
        Ok(account)
    }
}

impl Snapshot<'_> {
    /// Pairs of accounts on different networks that look like one person, most certain first.
    pub fn suggest_merges(&self) -> Result<Vec<MergeSuggestion>> {
        let accounts = self.store.described_accounts()?;
        let mut buckets: HashMap<(u8, String), Vec<usize>> = HashMap::new();
        for (i, a) in accounts.iter().enumerate() {
            for key in keys(a) {
                buckets.entry(key).or_default().push(i);
            }
        }
        let mut evidence: BTreeMap<(usize, usize), Vec<(f64, String)>> = BTreeMap::new();
        for ((kind, key), members) in &buckets {
            if members.len() > MAX_BUCKET {
                continue;
            }
            for (x, &i) in members.iter().enumerate() {
                for &j in &members[x + 1..] {
                    let (a, b) = (&accounts[i], &accounts[j]);
                    if a.network == b.network || a.person == b.person || (a.is_me && b.is_me) {
                        continue;
                    }
                    let (weight, why) = match kind {
                        0 => (0.45, format!("same handle '{key}'")),
                        1 => (0.4, format!("same display name '{key}'")),
                        _ => (0.7, format!("profile link {key}")),
                    };
                    evidence.entry((i.min(j), i.max(j))).or_default().push((weight, why));
                }
            }
        }
        let mut out: Vec<MergeSuggestion> = evidence
            .into_iter()
            .map(|((i, j), mut why)| {
                why.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(&y.1)));
                why.dedup_by(|x, y| x.1 == y.1);
                // Independent pieces of evidence: the chance all of them are coincidences.
                let coincidence: f64 = why.iter().map(|(w, _)| 1.0 - w).product();
                MergeSuggestion {
                    a: accounts[i].clone(),
                    b: accounts[j].clone(),
                    confidence: 1.0 - coincidence,
                    evidence: why.into_iter().map(|(_, w)| w).collect(),
                }
            })
            .collect();
        out.sort_by(|x, y| {
            y.confidence.total_cmp(&x.confidence).then_with(|| x.a.label().cmp(&y.a.label()))
        });
        Ok(out)
    }

    /// The one account `handle` names: `network:handle` picks among networks.
    fn one_account(&self, handle: &str) -> Result<AccountRow> {
        let (network, name) = match handle.split_once(':') {
            Some((n, rest)) => match n.parse::<Network>() {
                Ok(network) if !n.is_empty() => (Some(network), rest),
                _ => (None, handle),
            },
            None => (None, handle),
        };
        let found: Vec<AccountRow> = self
            .store
            .find_accounts(name)?
            .into_iter()
            .filter(|a| network.is_none_or(|n| n == a.network))
            .collect();
        match found.as_slice() {
            [] => Err(Error::UnknownAccount { query: handle.to_owned() }),
            [one] => Ok(one.clone()),
            many => Err(Error::AmbiguousAccount {
                query: handle.to_owned(),
                candidates: many
                    .iter()
                    .map(|a| {
                        format!("{}:{}", a.network, a.handle.as_deref().unwrap_or(&a.native_id))
                    })
                    .collect(),
            }),
        }
    }
}

/// The keys an account is bucketed under: (0, handle stem), (1, display name), (2, profile link).
fn keys(a: &AccountRow) -> Vec<(u8, String)> {
    let mut keys = Vec::new();
    if let Some(stem) = a.handle.as_deref().map(handle_stem).filter(|s| s.len() >= 3) {
        keys.push((0, stem));
    }
    if let Some(name) = a.display_name.as_deref().map(normalize_name) {
        // A single short word ("Ada") is too common to be evidence.
        if name.contains(' ') || name.len() >= 8 {
            keys.push((1, name));
        }
    }
    if let Some(url) = a.url.as_deref() {
        let link =
            url.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/');
        if !link.is_empty() {
            keys.push((2, link.to_lowercase()));
        }
    }
    keys
}

/// "Ada_Moss@town.example" and "adamoss.bsky.social" both give "adamoss".
fn handle_stem(handle: &str) -> String {
    let local = handle.trim_start_matches('@');
    let local = local.split('@').next().unwrap_or(local);
    let local = local.split('.').next().unwrap_or(local);
    local.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase()
}

fn normalize_name(name: &str) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_names() {
        assert_eq!(handle_stem("@Ada_Moss@town.example"), "adamoss");
        assert_eq!(handle_stem("adamoss.bsky.social"), "adamoss");
        assert_eq!(handle_stem("adamoss"), "adamoss");
        assert_eq!(normalize_name("  Ada  Moss 🌱 "), "ada moss");
    }
}
