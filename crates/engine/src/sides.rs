//! Which relationships' other side no source can see, from the formats of the imports that
//! brought the data (see [`rapport_import::OtherSide`]).
//!
//! Kept where the data comes from: every import row records its format, and a sync records the
//! account it read (`sync <network>:<id> <phase>`), so a later sync of a network whose archive was
//! one-sided turns its relationships "known" without any flag to keep in step.

use std::collections::HashMap;
use std::str::FromStr;

use rapport_import::{Format, OtherSide};
use rapport_model::{Direction, InteractionKind, Network};
use rapport_score::Relationship;
use rapport_store::{AccountRow, ImportRow, Read};

use crate::{Result, Snapshot};

/// How much of the other side the sources of each network show, at best.
pub(crate) struct Sides(HashMap<Network, OtherSide>);

impl Sides {
    /// The sides seen on each network, from the imports so far.
    pub(crate) fn of(imports: &[ImportRow]) -> Sides {
        let mut seen: HashMap<Network, OtherSide> = HashMap::new();
        for import in imports {
            let (network, side) = source_of(&import.meta.format, &import.meta.path);
            let entry = seen.entry(network).or_insert(side);
            *entry = (*entry).max(side);
        }
        Sides(seen)
    }

    /// Marks a relationship whose other side no source shows: every network of the person's
    /// `accounts` is read from one-sided exports only, and (where those show messages) the two
    /// never exchanged one.
    pub(crate) fn mark(&self, accounts: &[AccountRow], r: &mut Relationship) {
        let messaged = r.counts.get(InteractionKind::Dm, Direction::Out)
            + r.counts.get(InteractionKind::Dm, Direction::In)
            > 0;
        let seen = accounts.iter().any(|a| {
            match self.0.get(&a.network).copied().unwrap_or(OtherSide::Both) {
                OtherSide::Both => true,
                OtherSide::Messages => messaged,
                OtherSide::OwnerOnly => false,
            }
        });
        if !seen && !accounts.is_empty() {
            r.other_side_unseen();
        }
    }
}

/// The network an import row covers and how much of the other side it shows. A sync reads
/// notifications (the other side); a table names its networks row by row, so it counts as a
/// two-sided table; a format this build does not know is taken as two-sided, so nothing is
/// called unknown without a reason.
fn source_of(format: &str, path: &str) -> (Network, OtherSide) {
    if format == "sync" {
        let network = path
            .strip_prefix("sync ")
            .and_then(|rest| rest.split(':').next())
            .and_then(|name| Network::from_str(name).ok())
            .unwrap_or(Network::Table);
        return (network, OtherSide::Both);
    }
    match Format::from_str(format) {
        Ok(f) => (f.network().unwrap_or(Network::Table), f.other_side()),
        Err(_) => (Network::Table, OtherSide::Both),
    }
}

impl Snapshot<'_> {
    /// The sides seen on each network, from the store's imports.
    pub(crate) fn sides(&self) -> Result<Sides> {
        Ok(Sides::of(&self.store.imports()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_of_import_rows() {
        for (format, path, want) in [
            ("x", "archive.zip", (Network::X, OtherSide::Messages)),
            ("mastodon", "m.tar.gz", (Network::Mastodon, OtherSide::OwnerOnly)),
            ("bluesky", "repo.car", (Network::Bluesky, OtherSide::OwnerOnly)),
            (
                "sync",
                "sync mastodon:https://h/users/me notifications",
                (Network::Mastodon, OtherSide::Both),
            ),
            ("sync", "sync bluesky:did:plc:me follows", (Network::Bluesky, OtherSide::Both)),
            ("csv", "t.csv", (Network::Table, OtherSide::Both)),
            ("a future format", "f", (Network::Table, OtherSide::Both)),
        ] {
            assert_eq!(source_of(format, path), want, "{format} {path}");
        }
    }
}
