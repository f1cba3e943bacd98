//! The archive's lists of accounts: followers, followings, blocks and mutes (undated edges), and likes
//! (undated, naming only the tweet, so their author is known only when the archive shows it).

use rapport_model::{Account, Interaction, InteractionKind, Network};

use super::tweets::Authors;
use super::{Kind, Member};
use crate::export::{Export, text};
use crate::{ErrorKind, FieldReport, ImportError};

/// Emits the edges of a follower, following, block or mute file.
pub(super) fn edges(ex: &mut Export<'_, '_>, m: &Member) -> Result<(), ImportError> {
    // (element key, interaction kind, true when the listed account acts on the owner)
    let (key, kind, inbound) = match m.kind {
        Kind::Follower => ("follower", InteractionKind::Follow, true),
        Kind::Following => ("following", InteractionKind::Follow, false),
        Kind::Block => ("blocking", InteractionKind::Block, false),
        _ => ("muting", InteractionKind::Mute, false),
    };
    // `userLink` is an intent link derived from the id; the profile link from a handle is better.
    let mapped = format!("{key}.accountId");
    let mapped = [mapped.as_str()];
    let mut report = FieldReport::new(&m.name);
    let me = ex.me().to_owned();
    m.each_item(ex, |ex, element, at| {
        report.items += 1;
        report.account(element, &mapped);
        let entry = element.get(key).unwrap_or(element);
        let Some(id) = text(entry, "accountId") else {
            return ex.invalid(&at, ErrorKind::Empty("accountId"));
        };
        ex.account(Account::new(Network::X, id), &at)?;
        let (source, target) = if inbound { (id, me.as_str()) } else { (me.as_str(), id) };
        ex.interaction(Interaction::new(Network::X, None, source, target, kind), &at)?;
        report.outcome(kind.as_str());
        Ok(())
    })?;
    ex.report(&report);
    Ok(())
}

/// Emits likes whose author the archive reveals; the rest are skipped with the reason.
pub(super) fn likes(
    ex: &mut Export<'_, '_>,
    m: &Member,
    authors: &Authors,
) -> Result<(), ImportError> {
    const MAPPED: [&str; 2] = ["like.tweetId", "like.fullText"];
    let mut report = FieldReport::new(&m.name);
    let me = ex.me().to_owned();
    m.each_item(ex, |ex, element, at| {
        report.items += 1;
        report.account(element, &MAPPED);
        let like = element.get("like").unwrap_or(element);
        let Some(tweet) = text(like, "tweetId") else {
            return ex.invalid(&at, ErrorKind::Empty("tweetId"));
        };
        match authors.by_status.get(tweet) {
            Some(author) => {
                let interaction = Interaction {
                    native_id: Some(tweet.to_owned()),
                    post_id: Some(tweet.to_owned()),
                    text: text(like, "fullText").map(str::to_owned),
                    ..Interaction::new(
                        Network::X,
                        None,
                        me.clone(),
                        author.clone(),
                        InteractionKind::Like,
                    )
                };
                ex.interaction(interaction, &at)?;
                report.outcome("like");
            }
            None => {
                ex.skip(
                    &at,
                    format!("like of tweet {tweet}: the archive does not say who wrote it"),
                );
                report.outcome("skipped: author unknown");
            }
        }
        Ok(())
    })?;
    ex.report(&report);
    Ok(())
}
