//! X (Twitter) archives, old (`tweet.js`) and new (`tweets.js`, `tweets-partN.js`) layouts.
//!
//! The owner comes from `account.js` (or the manifest, or failing both the one id common to every
//! one-to-one conversation). Tweets give posts, replies, mentions, quotes and retweets; `like.js`
//! undated likes; `follower.js`, `following.js`, `block.js` and `mute.js` undated edges; the two
//! direct-message files dated DMs. Numeric ids are mapped to handles wherever the archive shows both.

mod dms;
mod people;
mod tweets;
mod ytd;

use rapport_model::{Account, Network};
use serde_json::Value;

use crate::export::{Export, base, item, text};
use crate::{ErrorKind, FieldReport, ImportError};

/// The data files the importer reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Account,
    Manifest,
    Tweets,
    Like,
    Follower,
    Following,
    Block,
    Mute,
    Dms,
    GroupDms,
}

/// What a data file's name says it holds; `None` for files that say nothing about relationships.
fn kind(name: &str) -> Option<Kind> {
    let stem = base(name).strip_suffix(".js")?;
    // Large archives split a file into `tweets-part1.js`, `like-part2.js`, …
    let stem = match stem.rsplit_once("-part") {
        Some((head, n)) if n.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => stem,
    };
    Some(match stem {
        "account" => Kind::Account,
        "manifest" => Kind::Manifest,
        "tweet" | "tweets" => Kind::Tweets,
        "like" => Kind::Like,
        "follower" => Kind::Follower,
        "following" => Kind::Following,
        "block" => Kind::Block,
        "mute" => Kind::Mute,
        "direct-messages" | "direct-message" => Kind::Dms,
        "direct-messages-group" | "direct-message-group" => Kind::GroupDms,
        _ => return None,
    })
}

/// How many of `names` look like X archive members, for detection.
pub(crate) fn score(names: &[&str]) -> usize {
    names.iter().filter(|n| kind(n).is_some()).count()
}

impl Kind {
    /// True for the files that grow with an account's history (tweets, likes and the lists of
    /// accounts, millions of items for a popular account): they are streamed item by item, never
    /// held whole. The others (the account, the manifest, conversations) are parsed whole.
    fn streamed(self) -> bool {
        matches!(
            self,
            Kind::Tweets | Kind::Like | Kind::Follower | Kind::Following | Kind::Block | Kind::Mute
        )
    }
}

/// One data file: parsed whole, or (when its kind is streamed) only named, `value` then null.
pub(super) struct Member {
    name: String,
    kind: Kind,
    /// Its index in the archive.
    index: usize,
    value: Value,
}

impl Member {
    /// Hands each element of a streamed member's array to `f`, with its location.
    fn each_item(
        &self,
        ex: &mut Export<'_, '_>,
        mut f: impl FnMut(&mut Export<'_, '_>, &Value, crate::Location) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        ex.each_item(self.index, ytd::json_start, |ex, n, element| {
            f(ex, &element, item(&self.name, n))
        })
    }
}

pub(crate) fn read(ex: &mut Export<'_, '_>) -> Result<(), ImportError> {
    let mut members = Vec::new();
    for index in 0..ex.archive.entries().len() {
        let name = ex.archive.entries()[index].name.clone();
        match kind(&name) {
            Some(kind) if kind.streamed() => {
                members.push(Member { name, kind, index, value: Value::Null });
            }
            Some(kind) => {
                let bytes = ex.read(index)?;
                let value = ytd::parse(ex, &name, &bytes)?;
                members.push(Member { name, kind, index, value });
            }
            None if name.ends_with(".js") => {
                ex.report(&FieldReport::unread(name, "not about relationships"));
            }
            None => {}
        }
    }
    owner(ex, &members)?;
    let mut authors = tweets::Authors::default();
    tweets::read(ex, &members, &mut authors)?;
    for m in &members {
        match m.kind {
            Kind::Like => people::likes(ex, m, &authors)?,
            Kind::Follower | Kind::Following | Kind::Block | Kind::Mute => people::edges(ex, m)?,
            Kind::Dms | Kind::GroupDms => dms::read(ex, m)?,
            Kind::Account | Kind::Manifest | Kind::Tweets => {}
        }
    }
    Ok(())
}

/// Finds and emits the archive's owner.
fn owner(ex: &mut Export<'_, '_>, members: &[Member]) -> Result<(), ImportError> {
    const MAPPED: [&str; 3] =
        ["account.accountId", "account.username", "account.accountDisplayName"];
    for m in members.iter().filter(|m| m.kind == Kind::Account) {
        let mut report = FieldReport::new(&m.name);
        for (n, element) in ytd::items(&m.value).iter().enumerate() {
            report.items += 1;
            report.account(element, &MAPPED);
            let account = element.get("account").unwrap_or(element);
            if let Some(id) = text(account, "accountId") {
                let me = me(id, text(account, "username"), text(account, "accountDisplayName"));
                if ex.me().is_empty() {
                    report.outcome("me");
                    ex.set_me(me, item(&m.name, n + 1))?;
                }
            }
        }
        ex.report(&report);
    }
    for m in members.iter().filter(|m| m.kind == Kind::Manifest) {
        let mut report = FieldReport::new(&m.name);
        report.items = 1;
        report.account(&m.value, &["userInfo"]);
        let info = m.value.get("userInfo").unwrap_or(&Value::Null);
        if let (true, Some(id)) = (ex.me().is_empty(), text(info, "accountId")) {
            report.outcome("me");
            ex.set_me(me(id, text(info, "userName"), text(info, "displayName")), item(&m.name, 1))?;
        }
        ex.report(&report);
    }
    if ex.me().is_empty() {
        let dm_files: Vec<&Member> = members.iter().filter(|m| m.kind == Kind::Dms).collect();
        if let Some((id, at)) = dms::infer_owner(&dm_files) {
            ex.set_me(Account::new(Network::X, id), at)?;
        }
    }
    if ex.me().is_empty() {
        let at = crate::Location::Member { name: "data/account.js".into(), at: None };
        return Err(ex.error(at, ErrorKind::NoOwner("the archive has no account.js or manifest.js, and its messages do not show it; import the whole archive")));
    }
    Ok(())
}

/// The account of `id`, with its handle and name when known.
fn me(id: &str, handle: Option<&str>, name: Option<&str>) -> Account {
    Account {
        handle: handle.map(str::to_owned),
        display_name: name.map(str::to_owned),
        url: handle.map(profile_url),
        ..Account::new(Network::X, id)
    }
}

/// The profile link of a handle.
fn profile_url(handle: &str) -> String {
    format!("https://x.com/{handle}")
}
