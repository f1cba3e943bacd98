//! Records received over XRPC rather than read from a CAR file: `com.atproto.repo.listRecords` of
//! the own repository and the `record` of each notification carry the same records as JSON. They go
//! through the very mapping a repository import uses, with their author standing for the
//! repository's owner, so a record synced and the same record imported from a CAR become the same
//! rows (same AT URI, same ids) and meet without duplicates.

use ipld_core::ipld::Ipld;
use rapport_model::{Account, Record};
use serde_json::Value;

use super::records::{self, Outcome, Source};

/// What one received record becomes.
#[derive(Clone, Debug, PartialEq)]
pub enum Mapped {
    /// Records to write.
    Records(Vec<Record>),
    /// Nothing to write, and why.
    Skipped(String),
    /// The record is malformed, and how.
    Invalid(String),
}

/// Maps the record at `uri`, written by `author`, from its JSON form.
///
/// Profiles map to [`Record::Me`] in a repository import; received from someone else they would
/// wrongly claim the account as "me", so they are skipped unless `author` is the owner (`own`).
pub fn map_json(author: &Account, uri: &str, value: &Value, own: bool) -> Mapped {
    map_value(author, uri, &from_json(value), own)
}

/// Maps the record at `uri`, written by `author`, from its DAG-CBOR form (a firehose commit's).
pub(crate) fn map_value(author: &Account, uri: &str, value: &Ipld, own: bool) -> Mapped {
    let (outcome, _) = records::map(&Source { me: author, uri, value });
    match outcome {
        Outcome::Import(records, _)
            if !own && records.iter().any(|r| matches!(r, Record::Me(_))) =>
        {
            Mapped::Skipped(format!("{uri}: a profile of someone else is read with getProfiles"))
        }
        Outcome::Import(records, _) => Mapped::Records(records),
        Outcome::Skip(why) => Mapped::Skipped(format!("{uri}: {why}")),
        Outcome::Invalid(why) => Mapped::Invalid(format!("{uri}: {why}")),
    }
}

/// The DAG-CBOR data model of a JSON value (the lexicon's JSON encoding maps one to one for the
/// fields the mapping reads; `$link` and `$bytes` objects stay maps, which it never reads).
fn from_json(value: &Value) -> Ipld {
    match value {
        Value::Null => Ipld::Null,
        Value::Bool(b) => Ipld::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ipld::Integer(i128::from(i)),
            None => Ipld::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => Ipld::String(s.clone()),
        Value::Array(items) => Ipld::List(items.iter().map(from_json).collect()),
        Value::Object(map) => {
            Ipld::Map(map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use rapport_model::{InteractionKind, Network};
    use serde_json::json;

    use super::*;

    fn author() -> Account {
        Account::new(Network::Bluesky, "did:plc:bob")
    }

    #[test]
    fn a_like_received_is_the_like_of_its_author() {
        let like = json!({"$type": "app.bsky.feed.like", "createdAt": "2024-05-01T10:00:00Z",
            "subject": {"uri": "at://did:plc:me/app.bsky.feed.post/3k", "cid": "bafy"}});
        let uri = "at://did:plc:bob/app.bsky.feed.like/3l";
        let Mapped::Records(records) = map_json(&author(), uri, &like, false) else {
            panic!("not mapped")
        };
        let [Record::Interaction(i)] = records.as_slice() else { panic!("{records:?}") };
        assert_eq!((i.source.as_str(), i.target.as_str()), ("did:plc:bob", "did:plc:me"));
        assert_eq!(i.kind, InteractionKind::Like);
        assert_eq!(i.native_id.as_deref(), Some(uri));
        assert_eq!(i.at, Some(1_714_557_600));
    }

    #[test]
    fn someone_elses_profile_is_not_me() {
        let profile = json!({"$type": "app.bsky.actor.profile", "displayName": "Bob"});
        let uri = "at://did:plc:bob/app.bsky.actor.profile/self";
        assert!(matches!(map_json(&author(), uri, &profile, false), Mapped::Skipped(_)));
        assert!(matches!(map_json(&author(), uri, &profile, true), Mapped::Records(_)));
        let broken = json!({"$type": "app.bsky.feed.like", "subject": 3});
        assert!(matches!(map_json(&author(), uri, &broken, false), Mapped::Invalid(_)));
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;
    use rapport_model::Network;

    use super::*;

    /// Arbitrary JSON, a few levels deep, with the keys the mapping reads among the others.
    fn json() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            Just("$type".to_owned()),
            Just("subject".to_owned()),
            Just("uri".to_owned()),
            Just("text".to_owned()),
            Just("facets".to_owned()),
            Just("reply".to_owned()),
            Just("parent".to_owned()),
            Just("embed".to_owned()),
            Just("createdAt".to_owned()),
            ".{0,8}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            prop_oneof![
                Just("app.bsky.feed.post".to_owned()),
                Just("app.bsky.feed.like".to_owned()),
                Just("at://did:plc:x/app.bsky.feed.post/1".to_owned()),
                ".{0,20}"
            ]
            .prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(key.clone(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Whatever a server sends as a record, mapping it never panics.
        #[test]
        fn any_received_record_maps_without_panicking(value in json(), own in any::<bool>()) {
            let author = Account::new(Network::Bluesky, "did:plc:bob");
            let _ = map_json(&author, "at://did:plc:bob/app.bsky.feed.post/1", &value, own);
        }
    }
}
