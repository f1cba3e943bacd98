//! Stable ids for interactions and posts, so that importing the same data twice adds nothing.

use rapport_model::{Interaction, Network};
use xxhash_rust::xxh3::Xxh3;

/// The stable id of an interaction: a 63-bit hash of its network, kind and native id when the source
/// gives one, or else of its whole content. Identical records without a native id are told apart
/// with [`nth_occurrence`], so two identical rows of a file stay two interactions.
pub fn interaction_id(i: &Interaction) -> i64 {
    let mut h = Xxh3::new();
    h.update(&[i.network as u8, i.kind.code()]);
    match &i.native_id {
        Some(native) => {
            h.update(b"n");
            field(&mut h, native);
        }
        None => {
            h.update(b"c");
            field(&mut h, &i.source);
            field(&mut h, &i.target);
            h.update(&i.at.map_or([0xff; 8], i64::to_le_bytes));
            for f in [&i.post_id, &i.reply_to, &i.text] {
                field(&mut h, f.as_deref().unwrap_or(""));
            }
        }
    }
    positive(h.digest())
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
    positive(xxhash_rust::xxh3::xxh3_64(&bytes))
}

/// The stable id of a post: a 63-bit hash of its network and native id.
pub fn post_id(network: Network, native_id: &str) -> i64 {
    let mut h = Xxh3::new();
    h.update(&[network as u8]);
    field(&mut h, native_id);
    positive(h.digest())
}

/// Hashes a field with its length first so that ("ab", "c") and ("a", "bc") differ.
fn field(h: &mut Xxh3, s: &str) {
    h.update(&(s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
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

    #[test]
    fn native_ids_ignore_content() {
        let mut i = Interaction::new(Network::X, Some(1), "a", "b", InteractionKind::Dm);
        i.native_id = Some("42".into());
        let mut j = i.clone();
        j.text = Some("edited".into());
        assert_eq!(interaction_id(&i), interaction_id(&j));
    }
}
