//! Stable ids for interactions and posts, so that importing the same data twice adds nothing.

use rapport_model::{Interaction, InteractionKind, Network};
use xxhash_rust::xxh3::xxh3_64;

/// The stable id of an interaction: a 63-bit hash of its network, kind and native id when the source
/// gives one, or else of its whole content. Identical records without a native id are told apart
/// with [`nth_occurrence`], so two identical rows of a file stay two interactions.
pub fn interaction_id(i: &Interaction) -> i64 {
    // The bytes are gathered and hashed in one call: for inputs this short, xxh3's streaming state
    // costs three times the hashing, and the digest is the same.
    let texts = [&i.post_id, &i.reply_to, &i.text].map(|f| f.as_deref().unwrap_or(""));
    let mut bytes = Vec::with_capacity(
        64 + i.source.len() + i.target.len() + texts.iter().map(|t| t.len()).sum::<usize>(),
    );
    bytes.extend_from_slice(&[i.network as u8, i.kind.code()]);
    match &i.native_id {
        Some(native) => {
            bytes.push(b'n');
            field(&mut bytes, native);
        }
        None => {
            bytes.push(b'c');
            field(&mut bytes, &i.source);
            field(&mut bytes, &i.target);
            bytes.extend_from_slice(&i.at.map_or([0xff; 8], i64::to_le_bytes));
            for f in texts {
                field(&mut bytes, f);
            }
        }
    }
    positive(xxh3_64(&bytes))
}

/// The id of the `n`-th (from 0) of several identical records whose content id is `id`: the first
/// keeps the content id, later ones hash it with their number.
pub fn nth_occurrence(id: i64, n: u32) -> i64 {
    if n == 0 {
        return id;
    }
    let mut bytes = [0u8; 12];
    bytes[..8].copy_from_slice(&id.to_le_bytes());
    bytes[8..].copy_from_slice(&n.to_le_bytes());
    positive(xxh3_64(&bytes))
}

/// The stable id of a post: a 63-bit hash of its network and native id.
pub fn post_id(network: Network, native_id: &str) -> i64 {
    let mut bytes = Vec::with_capacity(9 + native_id.len());
    bytes.push(network as u8);
    field(&mut bytes, native_id);
    positive(xxh3_64(&bytes))
}

/// The ids of every interaction the network's own id `native_id` may name: one of each kind with
/// that native id (a like, repost, follow, block, reply or quote is its own record), and the
/// mentions and direct messages of the post it names, whose native ids are
/// `{native_id}#{account}` for each account in `mentioned`. What a deletion on the network removes.
pub(crate) fn named_interaction_ids(
    network: Network,
    native_id: &str,
    mentioned: &[String],
) -> Vec<i64> {
    let with = |kind: InteractionKind, native: String| {
        let mut i = Interaction::new(network, None, "", "", kind);
        i.native_id = Some(native);
        interaction_id(&i)
    };
    let mut ids: Vec<i64> =
        InteractionKind::ALL.iter().map(|k| with(*k, native_id.to_owned())).collect();
    for account in mentioned {
        for kind in [InteractionKind::Mention, InteractionKind::Dm] {
            ids.push(with(kind, format!("{native_id}#{account}")));
        }
    }
    ids
}

/// Appends a field with its length first so that ("ab", "c") and ("a", "bc") differ.
fn field(bytes: &mut Vec<u8>, s: &str) {
    bytes.extend_from_slice(&(s.len() as u64).to_le_bytes());
    bytes.extend_from_slice(s.as_bytes());
}

/// SQLite's rowids are signed; keeping ids positive keeps them readable and valid.
fn positive(digest: u64) -> i64 {
    i64::try_from(digest >> 1).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_model::InteractionKind;

    #[test]
    fn identical_content_differs_only_by_occurrence() {
        let i = Interaction::new(Network::Table, Some(1), "a", "b", InteractionKind::Like);
        let id = interaction_id(&i);
        assert_eq!(id, interaction_id(&i.clone()));
        assert_eq!(nth_occurrence(id, 0), id);
        assert_ne!(nth_occurrence(id, 1), id);
        assert_ne!(nth_occurrence(id, 1), nth_occurrence(id, 2));
        let mut j = i.clone();
        j.at = None;
        assert_ne!(id, interaction_id(&j));
    }

    /// Ids are stored: a change of the hashing would make every re-import add everything again.
    #[test]
    fn ids_never_change() {
        let mut i = Interaction::new(
            Network::Table,
            Some(1_341_100_972),
            "223789",
            "213163",
            InteractionKind::Mention,
        );
        assert_eq!(interaction_id(&i), 8_230_970_314_421_496_344);
        i.text = Some("hi".into());
        assert_eq!(interaction_id(&i), 3_543_924_968_357_332_954);
        i.native_id = Some("42".into());
        assert_eq!(interaction_id(&i), 6_039_703_631_167_687_078);
        assert_eq!(post_id(Network::Mastodon, "p1"), 3_175_909_901_544_205_404);
    }

    #[test]
    fn native_ids_ignore_content() {
        let mut i = Interaction::new(Network::X, Some(1), "a", "b", InteractionKind::Dm);
        i.native_id = Some("42".into());
        let mut j = i.clone();
        j.text = Some("edited".into());
        assert_eq!(interaction_id(&i), interaction_id(&j));
    }
}
