//! Opportunities: posts in the network asking for a recommendation, best when they ask for what
//! the user offers and come from a strong relationship.

use std::collections::HashSet;

use rapport_model::rows::AccountRow;

use super::{Action, ActionKind, Lookup, TodayInputs, action_id};
use rapport_model::text::one_line;

/// Phrases that ask the network for a recommendation or for help finding something.
const ASKS: [&str; 12] = [
    "can anyone recommend",
    "could anyone recommend",
    "any recommendations",
    "recommendations for",
    "looking for a",
    "looking for recommendations",
    "does anyone know where",
    "does anyone know a",
    "any suggestions",
    "where can i buy",
    "where to buy",
    "who can help",
];

/// Adds an opportunity for each recent post by someone else that asks for a recommendation
/// (matching the offer, when the user gave one) and that the user has not answered.
pub(super) fn opportunities(
    inputs: &TodayInputs<'_>,
    lookup: &Lookup<'_>,
    actions: &mut Vec<Action>,
) {
    let me = inputs.me;
    let keywords = keywords(inputs.offer);
    let answered: HashSet<&str> = inputs
        .history
        .iter()
        .filter(|i| me.contains(&i.source))
        .filter_map(|i| i.reply_to.as_deref())
        .collect();
    for post in inputs.recent_posts {
        if me.contains(&post.author) || answered.contains(&post.native_id.as_str()) {
            continue;
        }
        let lower = post.text.to_lowercase();
        let Some(ask) = ASKS.iter().find(|a| lower.contains(*a)) else { continue };
        let matched: Vec<&str> = keywords
            .iter()
            .filter(|k| lower.contains(k.as_str()) || post.hashtags.iter().any(|t| t == *k))
            .map(String::as_str)
            .collect();
        if !keywords.is_empty() && matched.is_empty() {
            continue;
        }
        let person = lookup.by_account.get(&post.author);
        let strength = person.map_or(0.0, |p| p.relationship.strength);
        let who = match person {
            Some(p) => p.label(),
            None => inputs
                .authors
                .iter()
                .find(|a| a.id == post.author)
                .map_or_else(|| post.author.to_string(), AccountRow::label),
        };
        let fit = if keywords.is_empty() { 0.3 } else { (matched.len() as f64 / 2.0).min(1.0) };
        let mut why = format!("{who} asks \"{}\" ({ask})", one_line(&post.text, 100));
        if !matched.is_empty() {
            why.push_str(&format!("; it matches what you offer: {}", matched.join(", ")));
        } else {
            why.push_str("; tell Rapport what you offer with `rapport config set offer \"...\"` to see only these");
        }
        actions.push(Action {
            id: action_id(ActionKind::Opportunity, post.author, post.id),
            kind: ActionKind::Opportunity,
            who,
            network: post.network,
            why,
            approach: "Help first: answer the question with a useful tip or two good options, yours among them only if it truly fits; no link unless they ask".into(),
            value: 1.2 * (0.3 + strength) * (0.5 + fit),
            at: post.at,
        });
    }
}

/// The words of an offer worth matching: lower-cased, four letters or more, no common words.
fn keywords(offer: &str) -> Vec<String> {
    const COMMON: [&str; 12] = [
        "with", "that", "this", "from", "your", "have", "help", "good", "best", "about", "some",
        "more",
    ];
    let mut words: Vec<String> = offer
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && !COMMON.contains(&w.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use rapport_model::{InteractionKind, Stage};

    use super::*;
    use crate::fixture::{ME, Setup, account, assert_one, outgoing, person, post};

    #[test]
    fn offer_keywords() {
        for (name, offer, want) in [
            (
                "a sentence",
                "Compost bins, soil testing & rainwater workshops",
                vec!["bins", "compost", "rainwater", "soil", "testing", "workshops"],
            ),
            ("common and short words dropped", "I help with your best web design", vec!["design"]),
            ("repeats once", "Soil, soil and SOIL", vec!["soil"]),
            ("nothing offered", "", vec![]),
        ] {
            assert_eq!(keywords(offer), want, "{name}");
        }
    }

    #[test]
    fn opportunity_matching() {
        let ask = "Can anyone recommend a good compost supplier near Leeds?";
        let cases = vec![
            (
                "an ask matching the offer, from a friend",
                ask,
                "compost workshops",
                vec![],
                1,
                false,
                Some((
                    "@ada asks \"Can anyone recommend a good compost supplier near Leeds?\" (can anyone recommend); it matches what you offer: compost",
                    1.2 * 0.8 * 1.0,
                )),
            ),
            (
                "a match by hashtag",
                "Any suggestions for my beds?",
                "soil testing",
                vec!["testing".into()],
                1,
                false,
                Some((
                    "@ada asks \"Any suggestions for my beds?\" (any suggestions); it matches what you offer: testing",
                    1.2 * 0.8 * 1.0,
                )),
            ),
            ("an ask for something else", ask, "rainwater tanks", vec![], 1, false, None),
            ("not an ask", "Our compost is ready, come and see", "compost", vec![], 1, false, None),
            ("already answered", ask, "compost", vec![], 1, true, None),
            ("the user's own post", ask, "compost", vec![], ME, false, None),
            (
                "no offer: every ask, with a hint, from a stranger named by account",
                ask,
                "",
                vec![],
                7,
                false,
                Some((
                    "@zed asks \"Can anyone recommend a good compost supplier near Leeds?\" (can anyone recommend); tell Rapport what you offer with `rapport config set offer \"...\"` to see only these",
                    1.2 * 0.3 * 0.8,
                )),
            ),
        ];
        for (name, text, offer, tags, author, answered, want) in cases {
            let authors = [account(7, "zed")];
            let mut setup = Setup::default();
            setup.people.push(person(1, "ada", 0.5, Stage::Engaged));
            let mut asked = post(40, author, 2.0, text);
            asked.hashtags = tags;
            if answered {
                let mut reply = outgoing(9, author, InteractionKind::Reply, 1.0, "try Bob's");
                reply.reply_to = Some(asked.native_id.clone());
                setup.history.push(reply);
            }
            setup.recent_posts = vec![asked];
            setup.offer = offer.into();
            setup.authors = &authors;
            assert_one(name, &setup.actions_of(ActionKind::Opportunity), want);
        }
    }
}
