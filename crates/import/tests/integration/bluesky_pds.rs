//! `bsky:HANDLE` against a real Bluesky server: Bluesky's own PDS and PLC directory, started on
//! loopback by tests/bluesky-pds/harness.mjs, which creates accounts and records through the real
//! XRPC API and prints a manifest of exactly what alice's repository holds. The download and import
//! must bring back exactly that.
//!
//! It needs Node and the harness's npm packages, so it runs only with `RAPPORT_PDS_TEST=1` (which
//! `.ci/run` sets after `npm ci` in tests/bluesky-pds); without it, it says so and does nothing.

use std::collections::BTreeSet;

use rapport_import::{ReadOptions, bluesky};
use rapport_model::Record;
use rapport_test_support::pds::{Harness, enabled};
use serde_json::Value;

use crate::common::Collected;

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn opt(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

#[test]
fn imports_exactly_what_a_real_server_holds() {
    if !enabled("bluesky_pds") {
        return;
    }
    let h = Harness::start();
    let service = h.get("service");
    let did = h.get("me.did");

    let fetched = bluesky::fetch_repo("bsky:alice.test", service, h.get("plc")).unwrap();
    assert_eq!(fetched.did, did);
    assert_eq!(fetched.handle.as_deref(), Some("alice.test"));
    let mut c = Collected::default();
    bluesky::read_fetched(&fetched, &ReadOptions::default(), &mut c).unwrap();

    let me: Vec<_> = c
        .records
        .iter()
        .filter_map(|r| if let Record::Me(a) = r { Some(a) } else { None })
        .collect();
    assert_eq!(me.len(), 1);
    assert_eq!((me[0].id.as_str(), me[0].handle.as_deref()), (did, Some("alice.test")));
    assert_eq!(me[0].display_name.as_deref(), Some(h.get("me.display_name")));

    let posts: BTreeSet<_> = c
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Post(p) => Some((
                p.id.clone(),
                p.text.clone(),
                p.hashtags.clone(),
                p.mentions.clone(),
                p.links.clone(),
                p.reply_to.clone(),
                p.reply_to_author.clone(),
                p.quote_of.clone(),
            )),
            _ => None,
        })
        .collect();
    let want_posts: BTreeSet<_> = h
        .list("posts")
        .iter()
        .map(|p| {
            (
                opt(&p["uri"]).unwrap(),
                opt(&p["text"]).unwrap(),
                strings(&p["hashtags"]),
                strings(&p["mentions"]),
                strings(&p["links"]),
                opt(&p["reply_to"]),
                opt(&p["reply_to_author"]),
                opt(&p["quote_of"]),
            )
        })
        .collect();
    assert_eq!(posts, want_posts);

    let interactions: Vec<_> = c
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Interaction(i) => {
                assert_eq!(i.source, did);
                Some((i.kind.to_string(), i.target.clone(), i.native_id.clone().unwrap()))
            }
            _ => None,
        })
        .collect();
    let mut want: Vec<_> = h
        .list("interactions")
        .iter()
        .map(|i| {
            let (kind, target) = (opt(&i["kind"]).unwrap(), opt(&i["target"]).unwrap());
            let native = match (opt(&i["uri"]), opt(&i["post"])) {
                (Some(uri), _) => uri,
                // A mention is identified by its post and the account mentioned.
                (None, Some(post)) if kind == "mention" => format!("{post}#{target}"),
                (None, Some(post)) => post,
                (None, None) => panic!("manifest interaction without an id: {i}"),
            };
            (kind, target, native)
        })
        .collect();
    let mut got = interactions.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);

    let skipped: BTreeSet<String> =
        c.skipped.iter().map(|s| s.reason.split(": ").next().unwrap().to_owned()).collect();
    assert_eq!(skipped, h.list("skipped").iter().map(|s| opt(s).unwrap()).collect());

    let accounts: BTreeSet<_> = c
        .records
        .iter()
        .filter_map(|r| {
            if let Record::Account(a) = r { Some((a.id.clone(), a.handle.clone())) } else { None }
        })
        .collect();
    let want_accounts: BTreeSet<_> = [
        (
            h.manifest["accounts"]["bob.test"].as_str().unwrap().to_owned(),
            Some("bob.test".to_owned()),
        ),
        (strings(&h.manifest["list_members"])[0].clone(), None),
    ]
    .into_iter()
    .collect();
    assert_eq!(accounts, want_accounts);

    // The same repository by DID; the handle then comes from describeRepo.
    let by_did = bluesky::fetch_repo(did, service, h.get("plc")).unwrap();
    assert_eq!(by_did.handle.as_deref(), Some("alice.test"));
    assert_eq!(
        bluesky::parse(&by_did.car).unwrap().len(),
        bluesky::parse(&fetched.car).unwrap().len()
    );

    // An unknown handle gets the server's own reason.
    let err =
        bluesky::fetch_repo("bsky:nobody.test", service, h.get("plc")).unwrap_err().to_string();
    assert!(err.contains("resolveHandle") && err.contains("400"), "{err}");
}
