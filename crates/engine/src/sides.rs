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
use rapport_score::{OneSided, Relationship};
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

    /// Marks a relationship whose other side no source shows (see [`Sides::unseen`]): its stage,
    /// strength and reciprocity become the one-sided ones. The one-sided reading is then spent:
    /// a kept relationship does not keep it, so a fresh one drops it too (kept equals fresh).
    pub(crate) fn mark(&self, accounts: &[AccountRow], r: &mut Relationship) {
        if self.unseen(accounts, r) {
            r.other_side_unseen();
        }
        r.one_sided = OneSided::default();
    }

    /// Whether no source shows the other side of `r`: every network of the person's `accounts`
    /// is read from one-sided exports only, and (where those show messages) the two never
    /// exchanged one.
    pub(crate) fn unseen(&self, accounts: &[AccountRow], r: &Relationship) -> bool {
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
        !seen && !accounts.is_empty()
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
    use rapport_model::time::DAY;
    use rapport_score::{Event, OtherSide as Seen, ScoreParams};
    use rapport_store::{ImportCounts, ImportMeta};

    use super::*;

    fn import(format: &str, path: &str) -> ImportRow {
        let meta = ImportMeta {
            path: path.into(),
            format: format.into(),
            checksum: String::new(),
            bytes: 0,
            started_at: 0,
        };
        ImportRow { id: 1, meta, finished_at: 0, counts: ImportCounts::default() }
    }

    fn account(network: Network) -> AccountRow {
        AccountRow {
            id: 2,
            network,
            native_id: "ada".into(),
            handle: None,
            display_name: None,
            url: None,
            bot: false,
            person: -2,
            is_me: false,
            description: None,
            kind: None,
        }
    }

    /// "me" (0) replied to them (1), and with `dm` they exchanged a DM too.
    fn relationship(dm: bool) -> Relationship {
        let mut events = vec![Event::new(0, 1, InteractionKind::Reply, DAY)];
        if dm {
            events.push(Event::new(1, 0, InteractionKind::Dm, 2 * DAY));
        }
        rapport_score::relationships(&events, 0, 3 * DAY, &ScoreParams::default()).remove(0)
    }

    #[test]
    fn which_relationships_have_an_unseen_other_side() {
        let x = [import("x", "archive.zip")];
        let mastodon = [import("mastodon", "m.zip")];
        let synced = [import("mastodon", "m.zip"), import("sync", "sync mastodon:https://h/me n")];
        for (name, imports, network, dm, want) in [
            ("an X archive, no DM", &x[..], Network::X, false, Seen::Unseen),
            ("an X archive shows both sides of DMs", &x[..], Network::X, true, Seen::Seen),
            ("a Mastodon archive", &mastodon[..], Network::Mastodon, true, Seen::Unseen),
            ("a sync turns it known", &synced[..], Network::Mastodon, false, Seen::Seen),
            ("another network's archive", &x[..], Network::Mastodon, false, Seen::Seen),
        ] {
            let mut r = relationship(dm);
            let (one_sided, seen) = (r.one_sided, r.clone());
            Sides::of(imports).mark(&[account(network)], &mut r);
            assert_eq!(r.other_side, want, "{name}");
            // An unseen side is read by the one-sided stage and model, a seen one as it was.
            let (strength, stage) = match want {
                Seen::Unseen => (one_sided.strength[0], one_sided.stage),
                Seen::Seen => (seen.strength, seen.stage),
            };
            assert_eq!((r.strength, r.stage), (strength, stage), "{name}");
            assert_eq!(r.reciprocity_seen().is_none(), want == Seen::Unseen, "{name}");
        }
    }

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
