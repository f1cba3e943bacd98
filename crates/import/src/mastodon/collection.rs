//! ActivityStreams collections (`outbox.json`, `likes.json`, `bookmarks.json`), read so that a
//! repeated `orderedItems` key is handled on purpose: real outboxes carry `"orderedItems":[]` and
//! then the real array. A derived struct refuses the duplicate and a `serde_json::Value` silently keeps
//! the last; this reader keeps the items of every occurrence, in order, and counts the repeats.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

/// A collection's items and its other top-level keys.
#[derive(Default)]
pub(super) struct Collection {
    pub(super) items: Vec<Value>,
    /// Every other top-level key (the last value of a repeated one).
    pub(super) other: Map<String, Value>,
    /// How many times `orderedItems` occurred beyond the first.
    pub(super) repeated: u64,
}

impl<'de> Deserialize<'de> for Collection {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Collection, D::Error> {
        deserializer.deserialize_map(CollectionVisitor)
    }
}

struct CollectionVisitor;

impl<'de> Visitor<'de> for CollectionVisitor {
    type Value = Collection;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ActivityStreams collection (a JSON object with orderedItems)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Collection, A::Error> {
        let mut collection = Collection::default();
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "orderedItems" {
                let items: Vec<Value> = map.next_value()?;
                collection.repeated += u64::from(seen);
                seen = true;
                collection.items.extend(items);
            } else {
                let value: Value = map.next_value()?;
                collection.other.insert(key, value);
            }
        }
        Ok(collection)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_ordered_items_occurrence() {
        let c: Collection =
            serde_json::from_str(r#"{"totalItems":1,"orderedItems":[],"orderedItems":[1,2]}"#)
                .unwrap();
        assert_eq!(c.items, [Value::from(1), Value::from(2)]);
        assert_eq!(c.repeated, 1);
        assert_eq!(c.other.len(), 1);
    }
}
