//! One function per LinkedIn file, each mapping its rows to records by column name.

use std::collections::HashMap;

use rapport_model::{Interaction, InteractionKind, Network, Post};

use super::{Table, company, dates, person};
use crate::export::{Export, base, hashtags, links};
use crate::rows::Row;
use crate::{ErrorKind, FieldReport, ImportError};

/// The date in column `column` of `row`, or the error (or skip) for a bad one.
fn date(
    ex: &mut Export<'_, '_>,
    t: &Table,
    row: &Row,
    column: Option<usize>,
) -> Result<Option<Option<i64>>, ImportError> {
    let text = row.get(column);
    if text.is_empty() {
        return Ok(Some(None));
    }
    match dates::parse(text) {
        Some(t) => Ok(Some(Some(t))),
        None => {
            ex.invalid(
                &row.at(&t.name),
                ErrorKind::bad_value(
                    "date",
                    text,
                    "expected a LinkedIn date like 2022-09-08 18:34:12 or 09 Sep 2022",
                ),
            )?;
            Ok(None)
        }
    }
}

/// `Connections.csv`: `First Name,Last Name[,URL],Email Address,Company,Position,Connected On`.
pub(super) fn connections(ex: &mut Export<'_, '_>, t: &Table) -> Result<(), ImportError> {
    const MAPPED: [&str; 4] = ["First Name", "Last Name", "URL", "Connected On"];
    let [first, last, url, on] = t.columns(MAPPED);
    let mut report = FieldReport::new(&t.name);
    if t.preamble > 0 {
        report.outcomes.insert("preamble lines before the header".into(), t.preamble);
    }
    let me = ex.me().to_owned();
    for row in &t.rows {
        report.items += 1;
        t.account(row, &MAPPED, &mut report);
        let name = format!("{} {}", row.get(first), row.get(last)).trim().to_owned();
        let at = row.at(&t.name);
        if name.is_empty() {
            report.outcome("skipped: no name");
            ex.skip(&at, "a connection without a name");
            continue;
        }
        let Some(when) = date(ex, t, row, on)? else { continue };
        ex.account(person(&name, Some(row.get(url))), &at)?;
        ex.interaction(
            Interaction::new(Network::LinkedIn, when, me.clone(), name, InteractionKind::Connect),
            &at,
        )?;
        report.outcome("connect");
    }
    ex.report(&report);
    Ok(())
}

/// `Invitations.csv`: `From,To,Sent At,Message,Direction`.
pub(super) fn invitations(ex: &mut Export<'_, '_>, t: &Table) -> Result<(), ImportError> {
    const MAPPED: [&str; 5] = ["From", "To", "Sent At", "Message", "Direction"];
    let [from, to, sent, message, _] = t.columns(MAPPED);
    let mut report = FieldReport::new(&t.name);
    for row in &t.rows {
        report.items += 1;
        t.account(row, &MAPPED, &mut report);
        let at = row.at(&t.name);
        let (source, target) = (row.get(from), row.get(to));
        if source.is_empty() || target.is_empty() {
            report.outcome("skipped: no sender or recipient");
            ex.skip(&at, "an invitation without a sender or recipient");
            continue;
        }
        let Some(when) = date(ex, t, row, sent)? else { continue };
        for name in [source, target] {
            ex.account(person(name, None), &at)?;
        }
        let request = Interaction {
            text: Some(row.get(message)).filter(|m| !m.is_empty()).map(str::to_owned),
            ..Interaction::new(Network::LinkedIn, when, source, target, InteractionKind::Request)
        };
        ex.interaction(request, &at)?;
        report.outcome("request");
    }
    ex.report(&report);
    Ok(())
}

/// `messages.csv`: one row per message, newest first. Messages have no ids: a message's id is its
/// conversation, date, sender and rank among that sender's messages of the same second.
pub(super) fn messages(ex: &mut Export<'_, '_>, t: &Table) -> Result<(), ImportError> {
    const MAPPED: [&str; 7] = [
        "CONVERSATION ID",
        "FROM",
        "SENDER PROFILE URL",
        "TO",
        "RECIPIENT PROFILE URLS",
        "DATE",
        "CONTENT",
    ];
    let [conversation, from, sender_url, to, recipient_urls, sent, content] = t.columns(MAPPED);
    let mut report = FieldReport::new(&t.name);
    let me = ex.me().to_owned();
    let mut ranks: HashMap<String, u32> = HashMap::new();
    for row in t.rows.iter().rev() {
        report.items += 1;
        t.account(row, &MAPPED, &mut report);
        let at = row.at(&t.name);
        let sender = row.get(from);
        if sender.is_empty() {
            report.outcome("skipped: no sender");
            ex.skip(&at, "a message without a sender");
            continue;
        }
        let Some(when) = date(ex, t, row, sent)? else { continue };
        let key = format!("{}/{}/{sender}", row.get(conversation), row.get(sent));
        let rank = ranks.entry(key.clone()).or_insert(0);
        let id = format!("{key}/{rank}");
        *rank += 1;
        ex.account(person(sender, Some(row.get(sender_url))), &at)?;
        let body = row.get(content).to_owned();
        let post = Post {
            network: Network::LinkedIn,
            id: id.clone(),
            author: sender.to_owned(),
            at: when,
            hashtags: hashtags(&body),
            links: links(&body),
            text: body.clone(),
            private: true,
            ..Post::default()
        };
        ex.post(post, &at)?;
        report.outcome("dm");
        let dm = |target: &str, native: String| Interaction {
            native_id: Some(native),
            post_id: Some(id.clone()),
            text: Some(body.clone()),
            ..Interaction::new(Network::LinkedIn, when, sender, target, InteractionKind::Dm)
        };
        if sender == me {
            for recipient in recipients(row.get(to), row.get(recipient_urls)) {
                ex.account(person(recipient, None), &at)?;
                ex.interaction(dm(recipient, format!("{id}#{recipient}")), &at)?;
            }
        } else {
            ex.interaction(dm(&me, id.clone()), &at)?;
        }
    }
    ex.report(&report);
    Ok(())
}

/// The recipients in `TO`. Names can hold commas ("Ada Lim, MBA"), so `TO` is split only when the
/// profile-link column lists as many links as the split gives names.
fn recipients<'r>(to: &'r str, urls: &str) -> Vec<&'r str> {
    let names: Vec<&str> = to.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
    let links = urls.split(',').filter(|u| !u.trim().is_empty()).count();
    if names.len() > 1 && links == names.len() {
        names
    } else {
        vec![to].into_iter().filter(|t| !t.is_empty()).collect()
    }
}

/// `Member_Follows.csv`: `Date,Status,FullName`.
pub(super) fn follows(ex: &mut Export<'_, '_>, t: &Table) -> Result<(), ImportError> {
    const MAPPED: [&str; 3] = ["Date", "Status", "FullName"];
    let [on, status, full] = t.columns(MAPPED);
    let mut report = FieldReport::new(&t.name);
    let me = ex.me().to_owned();
    for row in &t.rows {
        report.items += 1;
        t.account(row, &MAPPED, &mut report);
        let at = row.at(&t.name);
        let name = row.get(full);
        if name.is_empty() {
            report.outcome("skipped: no name");
            continue;
        }
        let Some(when) = date(ex, t, row, on)? else { continue };
        let kind = if row.get(status).eq_ignore_ascii_case("active") {
            InteractionKind::Follow
        } else {
            InteractionKind::Unfollow
        };
        ex.account(person(name, None), &at)?;
        ex.interaction(Interaction::new(Network::LinkedIn, when, me.clone(), name, kind), &at)?;
        report.outcome(kind.as_str());
    }
    ex.report(&report);
    Ok(())
}

/// `Company Follows.csv`: `Organization,Followed On`. The companies become accounts of the
/// company type (see `mod.rs`'s `company`), followed by the owner.
pub(super) fn company_follows(ex: &mut Export<'_, '_>, t: &Table) -> Result<(), ImportError> {
    const MAPPED: [&str; 2] = ["Organization", "Followed On"];
    let [organisation, on] = t.columns(MAPPED);
    let mut report = FieldReport::new(&t.name);
    let me = ex.me().to_owned();
    for row in &t.rows {
        report.items += 1;
        t.account(row, &MAPPED, &mut report);
        let at = row.at(&t.name);
        let name = row.get(organisation);
        if name.is_empty() {
            report.outcome("skipped: no name");
            continue;
        }
        let Some(when) = date(ex, t, row, on)? else { continue };
        let account = company(name);
        let id = account.id.clone();
        ex.account(account, &at)?;
        let follow = InteractionKind::Follow;
        ex.interaction(Interaction::new(Network::LinkedIn, when, me.clone(), id, follow), &at)?;
        report.outcome("company follow");
    }
    ex.report(&report);
    Ok(())
}

/// `Shares.csv` (`Date,ShareLink,ShareCommentary,SharedURL,MediaURL,Visibility`) and `Comments.csv`
/// (`Date,Link,Message`): the owner's posts. A comment's target is a link to an activity whose author
/// the export does not name, so comments stay posts.
pub(super) fn posts(ex: &mut Export<'_, '_>, t: &Table) -> Result<(), ImportError> {
    let shares = base(&t.name).eq_ignore_ascii_case("Shares.csv");
    let mapped: &[&str] = if shares {
        &["Date", "ShareLink", "ShareCommentary", "SharedURL"]
    } else {
        &["Date", "Link", "Message"]
    };
    let [on, link, body, shared] = if shares {
        t.columns(["Date", "ShareLink", "ShareCommentary", "SharedURL"])
    } else {
        let [a, b, c] = t.columns(["Date", "Link", "Message"]);
        [a, b, c, None]
    };
    let mut report = FieldReport::new(&t.name);
    let me = ex.me().to_owned();
    let mut ranks: HashMap<String, u32> = HashMap::new();
    for row in &t.rows {
        report.items += 1;
        t.account(row, mapped, &mut report);
        let at = row.at(&t.name);
        let Some(when) = date(ex, t, row, on)? else { continue };
        let text = if shares { unquote(row.get(body)) } else { row.get(body).to_owned() };
        let mut urls = links(&text);
        urls.extend(Some(row.get(shared)).filter(|u| !u.is_empty()).map(str::to_owned));
        // Comments share the link of the post they answer: the date and a rank tell them apart.
        let key = if shares {
            row.get(link).to_owned()
        } else {
            format!("{me}/comment/{}/{}", row.get(link), row.get(on))
        };
        let rank = ranks.entry(key.clone()).or_insert(0);
        let id = if *rank == 0 { key.clone() } else { format!("{key}/{rank}") };
        *rank += 1;
        let post = Post {
            network: Network::LinkedIn,
            id,
            author: me.clone(),
            at: when,
            hashtags: hashtags(&text),
            links: urls,
            text,
            ..Post::default()
        };
        ex.post(post, &at)?;
        report.outcome(if shares { "post" } else { "comment" });
    }
    ex.report(&report);
    Ok(())
}

/// `ShareCommentary` wraps every line after the first in a second layer of quotes (`"line"`, and
/// `""` for a blank line) once the CSV quoting is undone; this removes that layer.
fn unquote(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(|line| {
            let line = line.trim_end_matches('\r');
            match line.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
                Some(inner) => inner,
                None => line,
            }
        })
        .collect();
    lines.join("\n").trim().to_owned()
}

/// `Reactions.csv`: `Date,Type,Link`. The export names the post but never its author, so reactions
/// are counted and skipped with that reason.
pub(super) fn reactions(ex: &mut Export<'_, '_>, t: &Table) -> Result<(), ImportError> {
    let mut report = FieldReport::new(&t.name);
    for row in &t.rows {
        report.items += 1;
        t.account(row, &[], &mut report);
        report.outcome("skipped: author of the reacted-to post unknown");
        ex.skip(&row.at(&t.name), "a reaction: LinkedIn's export does not say whose post it was");
    }
    ex.report(&report);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undoes_the_second_quoting_layer() {
        let parsed =
            "First line\n\"\"\r\n\"Second line\"\r\n\"\"\r\n\"Third, with \"\"quotes\"\"\"";
        assert_eq!(unquote(parsed), "First line\n\nSecond line\n\nThird, with \"\"quotes\"\"");
        assert_eq!(unquote("plain"), "plain");
    }

    #[test]
    fn splits_recipients_only_when_links_agree() {
        assert_eq!(recipients("Ada Lim, MBA", ""), ["Ada Lim, MBA"]);
        assert_eq!(
            recipients("Ada Lim, Bo Ray", "https://l/in/a,https://l/in/b"),
            ["Ada Lim", "Bo Ray"]
        );
    }
}
