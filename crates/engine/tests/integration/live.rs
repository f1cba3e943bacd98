//! The live tail: small batches written by `sync_write`, each followed by `refresh_views`. The kept
//! views the refresh leaves (read through the engine that wrote, which also keeps them decoded)
//! must equal the same views computed afresh by an engine that never saw the data before. Some
//! batches arrive ten days after the last, so discover's kept blend is chosen again
//! between batches as well as kept across them; some take back an interaction of the batch before
//! (an unlike, a deleted reply), so the history of "me" the engine extends from batch to batch
//! must notice a deletion and read the history whole again.

use proptest::prelude::*;
use rapport_engine::model::{Interaction, InteractionKind, Post, Record};
use rapport_engine::sample::SampleSpec;
use rapport_engine::sync::Deletion;
use rapport_engine::{
    AccountRow, Config, DiscoverQuery, Engine, PeopleQuery, Snapshot, TodayQuery, View,
};

/// One interaction of a batch: its kind, who acts (0: "me" to a tie, 1: a tie to "me", 2: a tie
/// to another tie, 3: someone new to "me"), which ties, how many hours after the data's "now"
/// (negative: a late arrival), and whether its text is a pitch.
type Spec = (usize, u8, usize, usize, i64, bool);

const KINDS: [InteractionKind; 6] = [
    InteractionKind::Reply,
    InteractionKind::Dm,
    InteractionKind::Like,
    InteractionKind::Mention,
    InteractionKind::Follow,
    InteractionKind::Repost,
];

/// Every kept view of "me" as one comparable string, from `view`.
fn views(snapshot: &Snapshot<'_>, view: &View) -> Vec<String> {
    let people = snapshot.people(view, &PeopleQuery::default()).unwrap();
    let today = snapshot.today(view, &TodayQuery { limit: 30 }).unwrap();
    let discover =
        snapshot.discover(view, &DiscoverQuery { limit: 20, ..DiscoverQuery::default() });
    vec![
        format!("{:?}", people.people),
        format!("{:?}", today.actions),
        format!("{:?}", snapshot.audit(view).unwrap()),
        format!("{:?}", discover.unwrap()),
    ]
}

/// What the ties post about in the batches: discover's term profiles move with them.
const TOPICS: [&str; 4] = ["#compost", "#zinnias https://seeds.example/x", "#knitting", "tomatoes"];

fn batch(me: &AccountRow, ties: &[AccountRow], now: i64, specs: &[Spec], k: usize) -> Vec<Record> {
    specs
        .iter()
        .enumerate()
        .flat_map(|(i, &(kind, who, a, b, hours, pitch))| {
            let (a, b) = (&ties[a % ties.len()].native_id, &ties[b % ties.len()].native_id);
            let stranger = format!("newcomer{k}x{i}");
            let (source, target) = match who {
                0 => (me.native_id.as_str(), a.as_str()),
                1 => (a.as_str(), me.native_id.as_str()),
                2 => (a.as_str(), b.as_str()),
                _ => (stranger.as_str(), me.native_id.as_str()),
            };
            let at = Some(now + hours * 3600 + i as i64);
            let mut interaction = Interaction::new(me.network, at, source, target, KINDS[kind]);
            interaction.text = Some(if pitch {
                "Check out my new course! 50% off today only, buy now at example.com/course".into()
            } else {
                format!("How did the beans do this year? ({k}/{i})")
            });
            // A tie who acts also posts, so the batch brings new posts as well as interactions.
            let post = (who == 1 || who == 2).then(|| {
                Record::Post(Post {
                    network: me.network,
                    id: format!("live-post-{k}-{i}"),
                    author: source.to_owned(),
                    at,
                    text: format!("{} in the garden, batch {k}", TOPICS[(i + k) % TOPICS.len()]),
                    ..Post::default()
                })
            });
            std::iter::once(Record::Interaction(interaction)).chain(post)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, ..ProptestConfig::default() })]

    #[test]
    fn kept_views_follow_every_synced_batch(
        batches in prop::collection::vec(
            (
                prop::collection::vec(
                    (0..KINDS.len(), 0..4u8, 0..40usize, 0..40usize, -48..48i64, any::<bool>()),
                    1..30,
                ),
                // A batch ten days after the data's "now": discover's blend is due again.
                any::<bool>(),
                // The batch takes back the first interaction of the batch before.
                any::<bool>(),
            ),
            1..4,
        )
    ) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("live.db");
        let engine = Engine::open(&Config::with_db(&db)).unwrap();
        engine.load_sample(&SampleSpec { people: 60, ..SampleSpec::default() }).unwrap();
        let mut before: Option<Record> = None;
        for (k, (specs, late, undo)) in batches.iter().enumerate() {
            let (me, ties, now) = {
                let snapshot = engine.read().unwrap();
                let people = snapshot.people(&View::default(), &PeopleQuery::default()).unwrap();
                let ties: Vec<AccountRow> = people
                    .people
                    .iter()
                    .map(|p| p.accounts[0].clone())
                    .collect();
                (snapshot.me(None).unwrap()[0].clone(), ties, people.as_of)
            };
            let ties: Vec<AccountRow> =
                ties.into_iter().filter(|a| a.network == me.network).collect();
            let now = if *late { now + 10 * 24 * 3600 } else { now };
            let records = batch(&me, &ties, now, specs, k);
            let deleted: Vec<Deletion> = match (&before, undo) {
                (Some(Record::Interaction(taken_back)), true) => {
                    vec![Deletion::Undone(taken_back.clone())]
                }
                _ => Vec::new(),
            };
            engine
                .sync_apply("live", "notifications", &records, &deleted, &k.to_string())
                .unwrap();
            before = records.first().cloned();
            prop_assert!(engine.refresh_views().unwrap());

            let kept = views(&engine.read().unwrap(), &View::default());
            let fresh_engine = Engine::open(&Config::with_db(&db)).unwrap();
            let snapshot = fresh_engine.read().unwrap();
            let now = snapshot.people(&View::default(), &PeopleQuery::default()).unwrap().as_of;
            let fresh = views(&snapshot, &View { as_of: Some(now), ..View::default() });
            for (name, (kept, fresh)) in ["people", "today", "audit", "discover"].iter().zip(kept.iter().zip(&fresh)) {
                prop_assert_eq!(kept, fresh, "{} after batch {}", name, k);
            }
        }
    }
}
