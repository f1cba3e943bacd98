//! The bundled sample account behind `rapport demo`: generated, seeded and realistic.
//!
//! "Greenfork Garden Supply" is a small business on Mastodon and Bluesky with a few hundred people
//! around it over eighteen months. Each person follows an archetype (close friend, mutual, warming,
//! cooling, asker, cold pitcher, …) whose rates of contact change over time, so that every later
//! capability has something true to show: relationships warming and cooling, questions waiting,
//! people asking for recommendations, a few salesy posts and cold pitches of the owner's own.
//! The same seed always gives the same records; nothing is read from disk or the network.

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rapport_model::time::DAY;
use rapport_model::{Account, Interaction, InteractionKind, Network, Post, Record, Timestamp};

/// What to generate.
#[derive(Clone, Debug)]
pub struct SampleSpec {
    /// The random seed.
    pub seed: u64,
    /// How many people surround the account.
    pub people: usize,
    /// The sample's "now": its last timestamp.
    pub now: Timestamp,
    /// How many days of history.
    pub days: i64,
}

impl Default for SampleSpec {
    fn default() -> Self {
        // 2026-10-31T18:00:00Z, a fixed "now" so that the demo reads the same on every machine.
        SampleSpec { seed: 7, people: 320, now: 1_793_469_600, days: 548 }
    }
}

/// How many people of their own interest group each person follows (about).
const IN_GROUP_FOLLOWS: usize = 10;
/// How many people anywhere each person follows (about).
const CROSS_GROUP_FOLLOWS: usize = 1;

/// The sample owner's handle on both networks.
pub const OWNER: &str = "greenfork";

/// How a relationship with one person behaves over the sample's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Archetype {
    /// Sustained, reciprocal, private: DMs and replies both ways.
    Close,
    /// Reciprocal public engagement.
    Mutual,
    /// Occasional conversation.
    Engaged,
    /// One-way follows and likes.
    Aware,
    /// Little contact at first, much more in the last three months.
    Warming,
    /// Close or mutual until about two and a half months ago, then silence.
    Cooling,
    /// Asks the network for recommendations the owner could answer.
    Asker,
    /// Sends the owner cold sales pitches.
    Pitcher,
    /// Not followed by the owner; followed by the owner's close ties; shares the owner's topics.
    Kindred,
}

const TOPICS: [&str; 10] = [
    "compost",
    "permaculture",
    "gardening",
    "soilhealth",
    "seedsaving",
    "nodig",
    "pollinators",
    "growyourown",
    "rainwater",
    "localfood",
];

const FIRST: [&str; 24] = [
    "Ada", "Bram", "Chidi", "Dana", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kira",
    "Luca", "Mina", "Nils", "Oona", "Pavel", "Quinn", "Rosa", "Sami", "Tove", "Uma", "Viktor",
    "Wren", "Yusuf",
];
const LAST: [&str; 16] = [
    "Moss",
    "Fernley",
    "Okafor",
    "Lindqvist",
    "Baker",
    "Rowan",
    "Hale",
    "Duarte",
    "Kowalski",
    "Nakamura",
    "Price",
    "Stone",
    "Brook",
    "Ash",
    "Field",
    "Marsh",
];

const POST_TEMPLATES: [&str; 10] = [
    "Turned the {t} pile this morning and it is steaming nicely. Patience pays.",
    "Three years of {t} and the beds have never looked better. What changed most for you?",
    "Notes from today's {t} workshop: start small, observe, then scale.",
    "Anyone else seeing more bees on the borage this week? Loving it. #{t}",
    "Swapped seeds with neighbours at the library today. Best afternoon of the month.",
    "Rain barrels full after the storm. Small wins for {t}.",
    "Reading about mycorrhizal networks again. The soil is a conversation.",
    "First frost warning tonight: fleece is out, {t} beds tucked in.",
    "Our allotment group is planning next year's {t} rota. Ideas welcome!",
    "Tried the no-dig method on a new bed. Cardboard, compost, done.",
];

const OWNER_POSTS: [&str; 8] = [
    "Tip: a handful of finished compost in each planting hole beats any fertiliser we sell.",
    "We tested five mulches side by side this summer. Full write-up on the blog: https://greenfork.example/mulch-trial",
    "Question for growers: what is the one tool you would never garden without?",
    "Thank you to everyone who came to the seed swap. 140 packets changed hands!",
    "Leaf mould is free and brilliant. Bag your autumn leaves, wait a year, thank yourself.",
    "Our rainwater workshop is back in spring. Happy to answer questions here meanwhile.",
    "Soil test results from the community garden are in: pH 6.4, lots of worms. Good news.",
    "What should our next workshop be about? Reply with your ideas.",
];

const OWNER_SALES: [&str; 4] = [
    "HUGE SALE!!! 40% off all compost bins this weekend only. Buy now before they are gone! https://greenfork.example/shop #sale",
    "Limited time offer: order today and get free shipping on seed kits. Don't miss out! Link in bio",
    "Like and share this post for a chance to win a compost bin! Follow us to enter #giveaway",
    "Tag a friend who needs a new watering can! #gardening #garden #plants #grow #green #sale #shop",
];

const COLD_PITCH_OUT: &str = "Hi! We sell premium compost subscriptions for gardens like yours. 20% off your first order if you sign up this week: https://greenfork.example/subscribe";

const PITCHES_IN: [&str; 3] = [
    "Hello! I help small businesses get 10k followers in 30 days. Interested? Reply YES for a free audit!",
    "Dear business owner, boost your sales with our SEO package. Limited offer, click here: http://cheap-seo.example",
    "Hey, loved your profile! We do influencer shoutouts, DM me for prices.",
];

const ASKS: [&str; 5] = [
    "Can anyone recommend a good compost bin for a small urban garden? Rats are a worry.",
    "Looking for a workshop on rainwater harvesting near us, any recommendations?",
    "Does anyone know where to buy organic seed potatoes in bulk?",
    "Any suggestions for a beginner-friendly soil testing kit?",
    "Recommendations for leaf mould cages? Ours fell apart.",
];

const REPLIES_TO_OWNER: [&str; 6] = [
    "This is so useful, thank you!",
    "Great write-up. We saw the same with wood chip.",
    "Could you share which mulch held moisture best?",
    "Love this. Saving it for spring.",
    "Do you think this works on clay soil too?",
    "Brilliant, thanks for sharing your results.",
];

const OWNER_REPLIES: [&str; 6] = [
    "Thanks for sharing this! Your beds look wonderful.",
    "Great question. I would start with a simple jar test before buying anything.",
    "Congratulations on the harvest!",
    "We had the same problem last year; a thicker mulch layer fixed it.",
    "Happy to help, ask any time.",
    "That is a lovely idea for the community garden.",
];

const DMS: [&str; 6] = [
    "Are you coming to the seed swap on Saturday?",
    "Thanks again for the cuttings, they all rooted!",
    "Could you look at our soil test when you have a minute?",
    "Coffee next week? I want to hear about the rainwater project.",
    "I put your name forward for the allotment talk, hope that's ok.",
    "Here are the photos from the workshop.",
];

struct Person {
    network: Network,
    id: String,
    kind: Archetype,
    topics: [&'static str; 2],
    group: usize,
}

/// Generates the sample's records: the owner, the people around them, and eighteen months of
/// posts and interactions.
pub fn generate(spec: &SampleSpec) -> Vec<Record> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let start = spec.now - spec.days * DAY;
    let mut out = Vec::new();
    let mut post_seq = 0u64;
    for network in [Network::Mastodon, Network::Bluesky] {
        out.push(Record::Me(Account {
            network,
            id: owner_id(network),
            handle: Some(owner_handle(network)),
            display_name: Some("Greenfork Garden Supply".into()),
            url: Some("https://greenfork.example".into()),
            bot: false,
            ..Account::default()
        }));
    }
    let people = people(spec, &mut rng, &mut out);
    let owner = |n: Network| owner_id(n);
    let mut post = |out: &mut Vec<Record>,
                    network: Network,
                    author: &str,
                    at: Timestamp,
                    text: String,
                    reply: Option<(&str, &str)>|
     -> String {
        post_seq += 1;
        let id = format!("{}-post-{post_seq}", network.as_str());
        let hashtags = text
            .split(|c: char| !(c.is_alphanumeric() || c == '#'))
            .filter_map(|w| w.strip_prefix('#'))
            .map(str::to_lowercase)
            .collect();
        let links =
            text.split_whitespace().filter(|w| w.starts_with("http")).map(str::to_owned).collect();
        out.push(Record::Post(Post {
            network,
            id: id.clone(),
            author: author.to_owned(),
            at: Some(at),
            text,
            hashtags,
            mentions: reply.map(|(_, a)| vec![a.to_owned()]).unwrap_or_default(),
            links,
            reply_to: reply.map(|(p, _)| p.to_owned()),
            reply_to_author: reply.map(|(_, a)| a.to_owned()),
            quote_of: None,
            private: false,
        }));
        id
    };
    // The owner's own posts: mostly helpful, a few salesy; every post names a topic.
    let mut owner_posts: Vec<(Network, String, Timestamp)> = Vec::new();
    let mut day = start;
    while day + DAY <= spec.now {
        for network in [Network::Mastodon, Network::Bluesky] {
            if rng.random_bool(0.35) {
                let at = day + rng.random_range(8 * 3600..20 * 3600);
                let text = if rng.random_bool(0.08) {
                    (*OWNER_SALES.choose(&mut rng).unwrap_or(&OWNER_SALES[0])).to_owned()
                } else {
                    let t = TOPICS.choose(&mut rng).unwrap_or(&TOPICS[0]);
                    format!("{} #{t}", OWNER_POSTS.choose(&mut rng).unwrap_or(&OWNER_POSTS[0]))
                };
                let id = post(&mut out, network, &owner(network), at, text, None);
                owner_posts.push((network, id, at));
            }
        }
        day += DAY;
    }
    // Each person's history with the owner, day by day, at their archetype's rates.
    for p in &people {
        let me = owner(p.network);
        let follow_at = start + rng.random_range(0..spec.days / 3) * DAY;
        let follows_me = !matches!(p.kind, Archetype::Pitcher | Archetype::Kindred);
        let i_follow = matches!(
            p.kind,
            Archetype::Close | Archetype::Mutual | Archetype::Cooling | Archetype::Warming
        ) || (p.kind == Archetype::Engaged && rng.random_bool(0.5));
        if follows_me {
            out.push(Record::Interaction(interaction(
                p.network,
                Some(follow_at),
                &p.id,
                &me,
                InteractionKind::Follow,
                None,
            )));
        }
        if i_follow {
            out.push(Record::Interaction(interaction(
                p.network,
                Some(follow_at + DAY),
                &me,
                &p.id,
                InteractionKind::Follow,
                None,
            )));
        }
        let mut day = follow_at;
        while day + DAY <= spec.now {
            let age = (spec.now - day) / DAY;
            let rate = rate(p.kind, age);
            if rate > 0.0 && rng.random_bool(rate.min(1.0)) {
                let at = day + rng.random_range(7 * 3600..22 * 3600);
                exchange(&mut rng, &mut out, &mut post, p, &me, at, &owner_posts);
            }
            day += DAY;
        }
        let ask_at = spec.now - rng.random_range(1..6) * DAY - 3600 * 5;
        match p.kind {
            Archetype::Asker => {
                let text =
                    format!("{} #{}", ASKS.choose(&mut rng).unwrap_or(&ASKS[0]), p.topics[0]);
                post(&mut out, p.network, &p.id, ask_at, text, None);
            }
            Archetype::Pitcher => {
                let text = (*PITCHES_IN.choose(&mut rng).unwrap_or(&PITCHES_IN[0])).to_owned();
                out.push(dm(p.network, ask_at, &p.id, &me, text));
            }
            _ => {}
        }
        // Everyone posts about their own topics now and then.
        for _ in 0..rng.random_range(2..8) {
            let at = start + rng.random_range(0..spec.days) * DAY + 3600 * 10;
            let t = p.topics[rng.random_range(0..2)];
            let text =
                POST_TEMPLATES.choose(&mut rng).unwrap_or(&POST_TEMPLATES[0]).replace("{t}", t);
            let text = if text.contains('#') { text } else { format!("{text} #{t}") };
            post(&mut out, p.network, &p.id, at, text, None);
        }
    }
    // The owner's cold pitches: DMs to people they have never spoken with.
    for p in people.iter().filter(|p| p.kind == Archetype::Kindred).take(3) {
        let at = spec.now - rng.random_range(10..200) * DAY;
        out.push(dm(p.network, at, &owner(p.network), &p.id, COLD_PITCH_OUT.to_owned()));
    }
    // The follow graph among the people: dense inside interest groups, sparse across them, and
    // kindred spirits followed by the owner's close ties. Each person follows a fixed number of
    // others, so the graph grows linearly with the sample.
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); 4];
    let kindred: Vec<usize> =
        (0..people.len()).filter(|&i| people[i].kind == Archetype::Kindred).collect();
    for (i, p) in people.iter().enumerate() {
        groups[p.group].push(i);
    }
    for (i, a) in people.iter().enumerate() {
        let mut follows: Vec<usize> = Vec::new();
        let same = &groups[a.group];
        for _ in 0..IN_GROUP_FOLLOWS.min(same.len()) {
            follows.extend(same.choose(&mut rng));
        }
        for _ in 0..CROSS_GROUP_FOLLOWS {
            follows.push(rng.random_range(0..people.len()));
        }
        if a.kind == Archetype::Close {
            follows.extend(kindred.iter().filter(|_| rng.random_bool(0.5)));
        }
        follows.sort_unstable();
        follows.dedup();
        for j in follows {
            let b = &people[j];
            if i != j && a.network == b.network {
                out.push(Record::Interaction(interaction(
                    a.network,
                    None,
                    &a.id,
                    &b.id,
                    InteractionKind::Follow,
                    None,
                )));
            }
        }
    }
    out
}

fn owner_id(network: Network) -> String {
    match network {
        Network::Bluesky => "did:plc:greenforkgardensupply".into(),
        _ => "https://garden.example/users/greenfork".into(),
    }
}

fn owner_handle(network: Network) -> String {
    match network {
        Network::Bluesky => "greenfork.bsky.social".into(),
        _ => "greenfork@garden.example".into(),
    }
}

/// Creates the people and their account records.
fn people(spec: &SampleSpec, rng: &mut ChaCha8Rng, out: &mut Vec<Record>) -> Vec<Person> {
    let mix = [
        (Archetype::Close, 0.04),
        (Archetype::Mutual, 0.12),
        (Archetype::Engaged, 0.18),
        (Archetype::Aware, 0.35),
        (Archetype::Warming, 0.05),
        (Archetype::Cooling, 0.06),
        (Archetype::Asker, 0.04),
        (Archetype::Pitcher, 0.03),
        (Archetype::Kindred, 0.13),
    ];
    let mut people = Vec::with_capacity(spec.people);
    for n in 0..spec.people {
        let roll: f64 = rng.random();
        let mut acc = 0.0;
        let kind = mix
            .iter()
            .find(|(_, share)| {
                acc += share;
                roll < acc
            })
            .map_or(Archetype::Aware, |(k, _)| *k);
        let network = if n % 3 == 2 { Network::Bluesky } else { Network::Mastodon };
        let first = FIRST[n % FIRST.len()];
        let last = LAST[(n / FIRST.len() + n) % LAST.len()];
        let handle = format!("{}{}{n}", first.to_lowercase(), last.to_lowercase());
        let (id, handle) = match network {
            Network::Bluesky => (format!("did:plc:sample{n:05}"), format!("{handle}.bsky.social")),
            _ => (format!("https://town.example/users/{handle}"), format!("{handle}@town.example")),
        };
        let group = rng.random_range(0..4);
        let topics =
            [TOPICS[(group * 2) % TOPICS.len()], TOPICS[(group * 2 + 1 + n % 3) % TOPICS.len()]];
        out.push(Record::Account(Account {
            network,
            id: id.clone(),
            handle: Some(handle),
            display_name: Some(format!("{first} {last}")),
            url: None,
            bot: kind == Archetype::Pitcher && n % 2 == 0,
            ..Account::default()
        }));
        people.push(Person { network, id, kind, topics, group });
    }
    // Some people have an account on the other network too, under the same name and handle: the
    // material for `rapport people --suggest-merges`.
    let twins: Vec<(Network, String, String, usize)> = people
        .iter()
        .enumerate()
        .filter(|(n, p)| n % 25 == 3 && p.kind != Archetype::Pitcher)
        .map(|(n, p)| {
            let other =
                if p.network == Network::Bluesky { Network::Mastodon } else { Network::Bluesky };
            let first = FIRST[n % FIRST.len()];
            let last = LAST[(n / FIRST.len() + n) % LAST.len()];
            (
                other,
                format!("{first} {last}"),
                format!("{}{}{n}", first.to_lowercase(), last.to_lowercase()),
                p.group,
            )
        })
        .collect();
    for (network, name, stem, group) in twins {
        let (id, handle) = match network {
            Network::Bluesky => (format!("did:plc:twin{stem}"), format!("{stem}.bsky.social")),
            _ => (format!("https://town.example/users/{stem}"), format!("{stem}@town.example")),
        };
        out.push(Record::Account(Account {
            network,
            id: id.clone(),
            handle: Some(handle),
            display_name: Some(name),
            url: None,
            bot: false,
            ..Account::default()
        }));
        let topics = [TOPICS[(group * 2) % TOPICS.len()], TOPICS[(group * 2 + 1) % TOPICS.len()]];
        people.push(Person { network, id, kind: Archetype::Aware, topics, group });
    }
    people
}

/// The daily chance of an exchange with a person of this archetype, `age` days before "now".
fn rate(kind: Archetype, age: i64) -> f64 {
    match kind {
        Archetype::Close => 0.12,
        Archetype::Mutual => 0.05,
        Archetype::Engaged => 0.015,
        Archetype::Aware | Archetype::Asker => 0.006,
        Archetype::Warming if age < 90 => 0.10,
        Archetype::Warming => 0.003,
        Archetype::Cooling if age < 75 => 0.0,
        Archetype::Cooling => 0.08,
        Archetype::Pitcher | Archetype::Kindred => 0.0,
    }
}

/// One exchange between the owner and a person: who acts depends on the archetype.
fn exchange(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Record>,
    post: &mut impl FnMut(
        &mut Vec<Record>,
        Network,
        &str,
        Timestamp,
        String,
        Option<(&str, &str)>,
    ) -> String,
    p: &Person,
    me: &str,
    at: Timestamp,
    owner_posts: &[(Network, String, Timestamp)],
) {
    let reciprocal = !matches!(p.kind, Archetype::Aware | Archetype::Asker);
    let private = matches!(p.kind, Archetype::Close | Archetype::Cooling) && rng.random_bool(0.35);
    let recent_owner_post = owner_posts
        .iter()
        .rev()
        .find(|(n, _, t)| *n == p.network && *t < at)
        .map(|(_, id, _)| id.clone());
    if private {
        out.push(dm(p.network, at, &p.id, me, (*DMS.choose(rng).unwrap_or(&DMS[0])).to_owned()));
        if rng.random_bool(0.8) {
            out.push(dm(
                p.network,
                at + 1800,
                me,
                &p.id,
                (*DMS.choose(rng).unwrap_or(&DMS[0])).to_owned(),
            ));
        }
        return;
    }
    match rng.random_range(0..4) {
        0 | 1 => {
            // They react to the owner's latest post.
            let Some(target) = recent_owner_post else { return };
            let kind =
                if rng.random_bool(0.6) { InteractionKind::Like } else { InteractionKind::Repost };
            let kind = if p.kind == Archetype::Aware { InteractionKind::Like } else { kind };
            if rng.random_bool(0.4) && p.kind != Archetype::Aware {
                let text =
                    (*REPLIES_TO_OWNER.choose(rng).unwrap_or(&REPLIES_TO_OWNER[0])).to_owned();
                let id = post(out, p.network, &p.id, at, text.clone(), Some((&target, me)));
                let mut i =
                    interaction(p.network, Some(at), &p.id, me, InteractionKind::Reply, Some(text));
                i.post_id = Some(id);
                i.reply_to = Some(target);
                out.push(Record::Interaction(i));
            } else {
                out.push(Record::Interaction(interaction(
                    p.network,
                    Some(at),
                    &p.id,
                    me,
                    kind,
                    None,
                )));
            }
        }
        _ if reciprocal => {
            // The owner engages with their post.
            let topic = p.topics[0];
            let their = post(
                out,
                p.network,
                &p.id,
                at - 3600,
                format!(
                    "{} #{topic}",
                    POST_TEMPLATES[(at as usize / 7) % POST_TEMPLATES.len()].replace("{t}", topic)
                ),
                None,
            );
            if rng.random_bool(0.5) {
                let text = (*OWNER_REPLIES.choose(rng).unwrap_or(&OWNER_REPLIES[0])).to_owned();
                let id = post(out, p.network, me, at, text.clone(), Some((&their, &p.id)));
                let mut i =
                    interaction(p.network, Some(at), me, &p.id, InteractionKind::Reply, Some(text));
                i.post_id = Some(id);
                i.reply_to = Some(their);
                out.push(Record::Interaction(i));
            } else {
                let mut i =
                    interaction(p.network, Some(at), me, &p.id, InteractionKind::Like, None);
                i.post_id = Some(their);
                out.push(Record::Interaction(i));
            }
        }
        _ => {
            let mut i = interaction(p.network, Some(at), &p.id, me, InteractionKind::Mention, None);
            i.text = Some(format!("Have you seen what @{OWNER} wrote about {}?", p.topics[0]));
            out.push(Record::Interaction(i));
        }
    }
}

fn interaction(
    network: Network,
    at: Option<Timestamp>,
    source: &str,
    target: &str,
    kind: InteractionKind,
    text: Option<String>,
) -> Interaction {
    let mut i = Interaction::new(network, at, source, target, kind);
    i.text = text;
    i
}

fn dm(network: Network, at: Timestamp, source: &str, target: &str, text: String) -> Record {
    Record::Interaction(interaction(
        network,
        Some(at),
        source,
        target,
        InteractionKind::Dm,
        Some(text),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sample() {
        let spec = SampleSpec { people: 40, ..SampleSpec::default() };
        assert_eq!(generate(&spec), generate(&spec));
        let other = SampleSpec { seed: 8, ..spec.clone() };
        assert_ne!(generate(&spec), generate(&other));
    }

    #[test]
    fn nothing_happens_after_now() {
        let spec = SampleSpec::default();
        for r in generate(&spec) {
            let at = match r {
                Record::Interaction(i) => i.at,
                Record::Post(p) => p.at,
                _ => None,
            };
            assert!(at.is_none_or(|t| t <= spec.now), "{at:?}");
        }
    }
}
