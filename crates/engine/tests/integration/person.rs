//! `person` scores one pair from the events of its two sides and counts its pitches from the pair's
//! own messages: the answer must be the one the whole store gives, which the people listing
//! computes over every event and every message of "me".

use rapport_engine::model::{Interaction, InteractionKind, Record};
use rapport_engine::sample::SampleSpec;
use rapport_engine::{Config, Engine, PeopleQuery, View};

const PITCH: &str = "Check out my new course! 50% off today only, buy now at example.com/course";

#[test]
fn a_person_is_the_relationship_the_listing_computes_from_the_whole_store() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(&Config::with_db(dir.path().join("person.db"))).unwrap();
    engine.load_sample(&SampleSpec { people: 120, ..SampleSpec::default() }).unwrap();
    // "Me" sends a pitch to a few ties, as a reply and as a DM: the ledger counts them, and the
    // report counts the replies as given and the DMs as asked.
    let (me, people, report) = {
        let snapshot = engine.read().unwrap();
        let me = snapshot.me(None).unwrap()[0].clone();
        let report = snapshot.report(&View::default()).unwrap();
        (me, snapshot.people(&View::default(), &PeopleQuery::default()).unwrap(), report)
    };
    let pitches: Vec<Record> = people.people[..6]
        .iter()
        .enumerate()
        .filter(|(_, p)| p.accounts[0].network == me.network)
        .map(|(k, p)| {
            let kind = if k % 2 == 0 { InteractionKind::Reply } else { InteractionKind::Dm };
            let at = Some(people.as_of - 3600 * (k as i64 + 1));
            let mut pitch =
                Interaction::new(me.network, at, &me.native_id, &p.accounts[0].native_id, kind);
            pitch.text = Some(PITCH.to_owned());
            Record::Interaction(pitch)
        })
        .collect();
    assert!(pitches.len() >= 2);
    let dms = pitches
        .iter()
        .filter(|r| matches!(r, Record::Interaction(i) if i.kind == InteractionKind::Dm))
        .count() as u32;
    engine.sync_write("test", "pitches", &pitches, "1").unwrap();

    let snapshot = engine.read().unwrap();
    let (before, after) = (
        report.give_ask.last().unwrap(),
        *snapshot.report(&View::default()).unwrap().give_ask.last().unwrap(),
    );
    assert_eq!(after.month, before.month);
    assert_eq!(after.given, before.given + pitches.len() as u32 - dms);
    assert_eq!(after.asked, before.asked + dms);
    let view = View::default();
    let people = snapshot.people(&view, &PeopleQuery::default()).unwrap();
    assert!(people.people.len() > 100, "{}", people.people.len());
    let mut pitched = 0;
    for p in &people.people {
        let handle = &p.accounts[0].native_id;
        let detail = snapshot.person(&view, handle).unwrap();
        assert_eq!(detail.as_of, people.as_of);
        assert_eq!(detail.detail.relationship, p.relationship, "{handle}");
        assert!(!detail.timeline.is_empty(), "{handle}");
        pitched += usize::from(p.relationship.ledger.asked.pitches > 0);
    }
    assert!(pitched >= 2, "{pitched}");
}
