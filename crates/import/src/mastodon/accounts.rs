//! Mastodon's account-list CSV exports: follows (`Account address,Show boosts,…`), blocks (a bare list
//! of addresses in older versions) and mutes (`Account address,Hide notifications`). All undated.

use rapport_model::{Account, Interaction, InteractionKind, Network};

use super::{actor_of_address, host};
use crate::export::{Export, base};
use crate::rows::{self, Row};
use crate::{FieldReport, ImportError};

pub(super) fn read(ex: &mut Export<'_, '_>, name: &str, bytes: &[u8]) -> Result<(), ImportError> {
    let kind = match base(name) {
        "blocked_accounts.csv" => InteractionKind::Block,
        "muted_accounts.csv" => InteractionKind::Mute,
        _ => InteractionKind::Follow,
    };
    let all = rows::parse(ex, name, bytes)?;
    // Newer exports have a header row; older block lists are bare addresses.
    let (header, body): (Option<&Row>, &[Row]) = match all.split_first() {
        Some((first, rest)) if first.get(Some(0)).eq_ignore_ascii_case("account address") => {
            (Some(first), rest)
        }
        _ => (None, &all),
    };
    let me = ex.me().to_owned();
    let home = host(&me).unwrap_or("").to_owned();
    let mut report = FieldReport::new(name);
    for row in body {
        let address = row.get(Some(0));
        if address.is_empty() {
            continue;
        }
        report.items += 1;
        for (i, value) in row.fields.iter().enumerate() {
            let column = header
                .and_then(|h| h.fields.get(i))
                .map_or_else(|| format!("column {}", i + 1), |c| c.trim().to_owned());
            report.column(&column, value, i == 0);
        }
        let at = row.at(name);
        let Some(actor) = actor_of_address(address, &home) else {
            report.outcome("skipped: not an account address");
            ex.skip(&at, format!("'{address}' is not an account address like user@example.social"));
            continue;
        };
        let handle = address.trim_start_matches('@');
        let handle =
            if handle.contains('@') { handle.to_owned() } else { format!("{handle}@{home}") };
        ex.account(
            Account { handle: Some(handle), ..Account::new(Network::Mastodon, actor.clone()) },
            &at,
        )?;
        ex.interaction(Interaction::new(Network::Mastodon, None, me.clone(), actor, kind), &at)?;
        report.outcome(kind.as_str());
    }
    ex.report(&report);
    Ok(())
}
