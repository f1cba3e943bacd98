//! The bodies of the kept views: people listings and discover rankings, field by field.
//!
//! Every struct is taken apart with a full pattern, so a field added to it fails to compile here
//! until the codec learns it.

use rapport_model::{ActorKind, Direction, InteractionKind, Network, Stage};
use rapport_score::{
    Asked, FEATURE_COUNT, Features, Given, Investment, KindCounts, LastInteraction, Ledger,
    OneSided, OtherSide, Relationship, Trend,
};

use super::codec::{Reader, Writer};
use crate::today::Candidates;
use crate::{
    AccountRow, Action, ActionKind, Audit, Example, Finding, People, PersonSummary, Severity,
    Suggestion, Window,
};

pub(crate) fn encode_people(people: &People) -> Vec<u8> {
    let mut w = Writer::default();
    w.i64(people.as_of);
    w.len(people.people.len());
    for PersonSummary { person, accounts, relationship } in &people.people {
        w.i64(*person);
        accounts_out(&mut w, accounts);
        relationship_out(&mut w, relationship);
    }
    w.into_bytes()
}

pub(crate) fn decode_people(bytes: &[u8]) -> Option<People> {
    let mut r = Reader::new(bytes);
    let as_of = r.i64()?;
    let n = r.len()?;
    let mut people = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        let person = r.i64()?;
        let accounts = accounts_in(&mut r)?;
        let relationship = relationship_in(&mut r)?;
        people.push(PersonSummary { person, accounts, relationship });
    }
    r.is_empty().then_some(People { as_of, people })
}

pub(crate) fn encode_suggestions(suggestions: &Vec<Suggestion>) -> Vec<u8> {
    let mut w = Writer::default();
    w.len(suggestions.len());
    for Suggestion { accounts, score, trust, interest, through, shared, why } in suggestions {
        accounts_out(&mut w, accounts);
        w.f64(*score);
        w.f64(*trust);
        w.f64(*interest);
        strings_out(&mut w, through);
        strings_out(&mut w, shared);
        w.str(why);
    }
    w.into_bytes()
}

pub(crate) fn decode_suggestions(bytes: &[u8]) -> Option<Vec<Suggestion>> {
    let mut r = Reader::new(bytes);
    let n = r.len()?;
    let mut out = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        out.push(Suggestion {
            accounts: accounts_in(&mut r)?,
            score: r.f64()?,
            trust: r.f64()?,
            interest: r.f64()?,
            through: strings_in(&mut r)?,
            shared: strings_in(&mut r)?,
            why: r.str()?,
        });
    }
    r.is_empty().then_some(out)
}

fn strings_out(w: &mut Writer, strings: &[String]) {
    w.len(strings.len());
    for s in strings {
        w.str(s);
    }
}

fn strings_in(r: &mut Reader<'_>) -> Option<Vec<String>> {
    let n = r.len()?;
    (0..n).map(|_| r.str()).collect()
}

fn opt_str_out(w: &mut Writer, s: Option<&str>) {
    match s {
        Some(s) => {
            w.u8(1);
            w.str(s);
        }
        None => w.u8(0),
    }
}

fn opt_str_in(r: &mut Reader<'_>) -> Option<Option<String>> {
    match r.u8()? {
        0 => Some(None),
        1 => r.str().map(Some),
        _ => None,
    }
}

fn accounts_out(w: &mut Writer, accounts: &[AccountRow]) {
    w.len(accounts.len());
    for AccountRow {
        id,
        network,
        native_id,
        handle,
        display_name,
        url,
        bot,
        person,
        is_me,
        description,
        kind,
    } in accounts
    {
        w.i64(*id);
        w.u8(index_of(&Network::ALL, network));
        w.str(native_id);
        opt_str_out(w, handle.as_deref());
        opt_str_out(w, display_name.as_deref());
        opt_str_out(w, url.as_deref());
        w.u8(u8::from(*bot));
        w.i64(*person);
        w.u8(u8::from(*is_me));
        opt_str_out(w, description.as_deref());
        opt_str_out(w, kind.map(ActorKind::as_str));
    }
}

fn accounts_in(r: &mut Reader<'_>) -> Option<Vec<AccountRow>> {
    let n = r.len()?;
    (0..n)
        .map(|_| {
            Some(AccountRow {
                id: r.i64()?,
                network: *Network::ALL.get(usize::from(r.u8()?))?,
                native_id: r.str()?,
                handle: opt_str_in(r)?,
                display_name: opt_str_in(r)?,
                url: opt_str_in(r)?,
                bot: r.u8()? != 0,
                person: r.i64()?,
                is_me: r.u8()? != 0,
                description: opt_str_in(r)?,
                kind: opt_str_in(r)?.map(|k| k.parse()).transpose().ok()?,
            })
        })
        .collect()
}

const TRENDS: [Trend; 3] = [Trend::Cooling, Trend::Steady, Trend::Warming];
const DIRECTIONS: [Direction; 2] = [Direction::Out, Direction::In];

fn index_of<T: PartialEq>(all: &[T], value: &T) -> u8 {
    all.iter().position(|v| v == value).and_then(|i| u8::try_from(i).ok()).unwrap_or(u8::MAX)
}

fn relationship_out(w: &mut Writer, r: &Relationship) {
    let Relationship {
        other,
        strength,
        strength_30d_ago,
        strength_90d_ago,
        trend,
        trend_change,
        stage,
        last,
        counts,
        reciprocity,
        first_contact,
        shared_connections,
        ledger,
        blocked,
        features,
        investment,
        other_side,
        // Marking reads it before a relationship is kept; a kept one is marked already.
        one_sided: _,
    } = r;
    w.u32(*other);
    for v in [strength, strength_30d_ago, strength_90d_ago, trend_change, reciprocity] {
        w.f64(*v);
    }
    w.u8(index_of(&TRENDS, trend));
    w.u8(index_of(&Stage::ALL, stage));
    match last {
        Some(LastInteraction { at, kind, direction }) => {
            w.u8(1);
            w.i64(*at);
            w.u8(kind.code());
            w.u8(index_of(&DIRECTIONS, direction));
        }
        None => w.u8(0),
    }
    let KindCounts { out, incoming } = counts;
    for c in out.iter().chain(incoming) {
        w.u32(*c);
    }
    w.opt_i64(*first_contact);
    w.u32(*shared_connections);
    let Ledger { given, received, asked } = ledger;
    for Given { replies, credits, reposts, likes } in [given, received] {
        for c in [replies, credits, reposts, likes] {
            w.u32(*c);
        }
    }
    let Asked { requests, cold_dms, pitches } = asked;
    for c in [requests, cold_dms, pitches] {
        w.u32(*c);
    }
    w.u8(u8::from(*blocked));
    for v in &features.values {
        w.f64(*v);
    }
    let Investment { two_way, my_side, two_way_months } = investment;
    w.f64(*two_way);
    w.f64(*my_side);
    w.u32(*two_way_months);
    w.u8(u8::from(*other_side == OtherSide::Unseen));
}

fn relationship_in(r: &mut Reader<'_>) -> Option<Relationship> {
    let other = r.u32()?;
    let [strength, strength_30d_ago, strength_90d_ago, trend_change, reciprocity] =
        [r.f64()?, r.f64()?, r.f64()?, r.f64()?, r.f64()?];
    let trend = *TRENDS.get(usize::from(r.u8()?))?;
    let stage = *Stage::ALL.get(usize::from(r.u8()?))?;
    let last = match r.u8()? {
        0 => None,
        1 => Some(LastInteraction {
            at: r.i64()?,
            kind: InteractionKind::from_code(r.u8()?)?,
            direction: *DIRECTIONS.get(usize::from(r.u8()?))?,
        }),
        _ => return None,
    };
    let mut counts = KindCounts::default();
    for c in counts.out.iter_mut().chain(counts.incoming.iter_mut()) {
        *c = r.u32()?;
    }
    let first_contact = r.opt_i64()?;
    let shared_connections = r.u32()?;
    let mut given =
        || Some(Given { replies: r.u32()?, credits: r.u32()?, reposts: r.u32()?, likes: r.u32()? });
    let (given, received) = (given()?, given()?);
    let asked = Asked { requests: r.u32()?, cold_dms: r.u32()?, pitches: r.u32()? };
    let blocked = r.u8()? != 0;
    let mut values = [0.0; FEATURE_COUNT];
    for v in &mut values {
        *v = r.f64()?;
    }
    let investment = Investment { two_way: r.f64()?, my_side: r.f64()?, two_way_months: r.u32()? };
    let other_side = match r.u8()? {
        0 => OtherSide::Seen,
        1 => OtherSide::Unseen,
        _ => return None,
    };
    Some(Relationship {
        other,
        strength,
        strength_30d_ago,
        strength_90d_ago,
        trend,
        trend_change,
        stage,
        last,
        counts,
        reciprocity,
        first_contact,
        shared_connections,
        ledger: Ledger { given, received, asked },
        blocked,
        features: Features { values },
        investment,
        other_side,
        one_sided: OneSided::default(),
    })
}

const ACTION_KINDS: [ActionKind; 6] = [
    ActionKind::Answer,
    ActionKind::Thank,
    ActionKind::Reconnect,
    ActionKind::Introduce,
    ActionKind::Opportunity,
    ActionKind::Revive,
];

pub(crate) fn encode_candidates(candidates: &Candidates) -> Vec<u8> {
    let mut w = Writer::default();
    w.i64(candidates.as_of);
    w.len(candidates.actions.len());
    for Action { id, kind, who, network, why, approach, value, at } in &candidates.actions {
        w.str(id);
        w.u8(index_of(&ACTION_KINDS, kind));
        w.str(who);
        w.u8(index_of(&Network::ALL, network));
        w.str(why);
        w.str(approach);
        w.f64(*value);
        w.opt_i64(*at);
    }
    w.into_bytes()
}

pub(crate) fn decode_candidates(bytes: &[u8]) -> Option<Candidates> {
    let mut r = Reader::new(bytes);
    let as_of = r.i64()?;
    let n = r.len()?;
    let mut actions = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        actions.push(Action {
            id: r.str()?,
            kind: *ACTION_KINDS.get(usize::from(r.u8()?))?,
            who: r.str()?,
            network: *Network::ALL.get(usize::from(r.u8()?))?,
            why: r.str()?,
            approach: r.str()?,
            value: r.f64()?,
            at: r.opt_i64()?,
        });
    }
    r.is_empty().then_some(Candidates { as_of, actions })
}

const SEVERITIES: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Serious];

pub(crate) fn encode_audit(audit: &Audit) -> Vec<u8> {
    let Audit { as_of, findings, windows, median_response } = audit;
    let mut w = Writer::default();
    w.i64(*as_of);
    w.len(findings.len());
    for Finding { rule, title, severity, count, detail, examples } in findings {
        w.str(rule);
        w.str(title);
        w.u8(index_of(&SEVERITIES, severity));
        w.len(*count);
        w.str(detail);
        w.len(examples.len());
        for Example { at, text } in examples {
            w.opt_i64(*at);
            w.str(text);
        }
    }
    w.len(windows.len());
    for Window { end, posts, promotional } in windows {
        w.i64(*end);
        w.len(*posts);
        w.len(*promotional);
    }
    w.opt_i64(*median_response);
    w.into_bytes()
}

pub(crate) fn decode_audit(bytes: &[u8]) -> Option<Audit> {
    let mut r = Reader::new(bytes);
    let as_of = r.i64()?;
    let n = r.len()?;
    let mut findings = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        let (rule, title) = (r.str()?, r.str()?);
        let severity = *SEVERITIES.get(usize::from(r.u8()?))?;
        let (count, detail) = (r.len()?, r.str()?);
        let examples = (0..r.len()?)
            .map(|_| Some(Example { at: r.opt_i64()?, text: r.str()? }))
            .collect::<Option<Vec<_>>>()?;
        findings.push(Finding { rule, title, severity, count, detail, examples });
    }
    let windows = (0..r.len()?)
        .map(|_| Some(Window { end: r.i64()?, posts: r.len()?, promotional: r.len()? }))
        .collect::<Option<Vec<_>>>()?;
    let median_response = r.opt_i64()?;
    r.is_empty().then_some(Audit { as_of, findings, windows, median_response })
}
