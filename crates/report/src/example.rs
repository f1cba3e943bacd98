//! A realistic, fixed report for a small ceramics studio: the demo's fallback, the browser test's
//! input, and a way to see the design without a store.

use rapport_model::Timestamp;

use crate::data::{
    Action, Example, Finding, GiveAskPoint, Group, Headline, Mover, PromotionalPoint, ReportData,
    StageCounts, StagePoint, Suggestion,
};

const DAY: Timestamp = 86_400;

/// Eighteen months of history, from January 2024 to June 2025.
const MONTHS: u32 = 18;

/// The first second (UTC) of a month counted from January 2024.
///
/// Uses the days-from-civil arithmetic of Howard Hinnant's date algorithms, so that building the
/// example cannot fail.
fn month_start(offset: u32) -> Timestamp {
    let year = 2024 + i64::from(offset / 12);
    let month = i64::from(offset % 12) + 1;
    let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * DAY
}

fn mover(
    name: &str,
    network: &str,
    stage: &str,
    now: f64,
    then: f64,
    days_ago: i64,
    note: &str,
) -> Mover {
    Mover {
        name: name.to_owned(),
        network: network.to_owned(),
        stage: stage.to_owned(),
        strength_now: now,
        strength_90d_ago: then,
        last_interaction: Some(as_of() - days_ago * DAY),
        note: note.to_owned(),
    }
}

fn as_of() -> Timestamp {
    month_start(MONTHS) - DAY
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A complete example report: every section filled, with data shaped like a real account's.
pub fn example() -> ReportData {
    let stages = (0..MONTHS)
        .map(|i| StagePoint {
            month: month_start(i),
            counts: StageCounts {
                stranger: 40 + i * 2,
                aware: 310 + i * 14 + (i % 4) * 6,
                engaged: 72 + i * 5 + (i % 3) * 4,
                mutual: 18 + i * 3 - (i / 9) * 4,
                close: 4 + i / 3,
            },
        })
        .collect();
    let give_ask = (0..MONTHS)
        .map(|i| GiveAskPoint {
            month: month_start(i),
            given: 14 + (i * 7) % 11 + i * 2,
            asked: 9 - (i / 3).min(6) + (i % 5) / 2,
        })
        .collect();
    let promotional = (0..MONTHS)
        .map(|i| PromotionalPoint {
            month: month_start(i),
            posts: if i == 7 { 0 } else { 18 + (i * 5) % 9 },
            promotional: if i == 7 {
                0
            } else {
                [9, 8, 8, 7, 6, 6, 5, 0, 5, 4, 4, 3, 4, 3, 3, 2, 3, 6][i as usize]
            },
        })
        .collect();
    ReportData {
        title: "Clay & Kiln Studio".to_owned(),
        accounts: strings(&["@clayandkiln@mastodon.social", "@clayandkiln.bsky.social"]),
        as_of: as_of(),
        headline: Headline {
            people: 793,
            interactions: 9_840,
            posts: 386,
            mutual: 65,
            close: 9,
            warming: 41,
            cooling: 17,
            one_sided: 0,
        },
        stages,
        warming: vec![
            mover(
                "Maya Okafor",
                "mastodon",
                "close",
                0.82,
                0.55,
                2,
                "Co-hosting the autumn glaze workshop",
            ),
            mover(
                "Jonas Berg",
                "bluesky",
                "mutual",
                0.64,
                0.31,
                5,
                "Asked about wood-firing schedules",
            ),
            mover(
                "Priya Raman",
                "mastodon, bluesky",
                "mutual",
                0.58,
                0.35,
                9,
                "Shared your kiln-build thread twice",
            ),
            mover(
                "Léa Martin",
                "bluesky",
                "engaged",
                0.41,
                0.22,
                12,
                "Replies to every studio-update post",
            ),
            mover(
                "Tomás Herrera",
                "mastodon",
                "engaged",
                0.37,
                0.21,
                16,
                "New to raku; thanked you for tips",
            ),
        ],
        cooling: vec![
            mover(
                "Hana Sato",
                "mastodon",
                "close",
                0.38,
                0.71,
                74,
                "Last talked about her gallery opening",
            ),
            mover(
                "Sam Whitfield",
                "bluesky",
                "mutual",
                0.29,
                0.57,
                63,
                "Clay supplier; you asked about bulk pricing",
            ),
            mover(
                "Noor Haddad",
                "mastodon",
                "mutual",
                0.24,
                0.46,
                88,
                "Swapped studio photos in March",
            ),
            mover(
                "Ben Aldridge",
                "bluesky",
                "mutual",
                0.19,
                0.35,
                95,
                "Potters' market co-organiser",
            ),
        ],
        give_ask,
        promotional,
        promotional_limit: Some(0.2),
        groups: vec![
            Group {
                keywords: strings(&["#pottery", "#ceramics", "glaze", "kiln"]),
                size: 214,
                closest: strings(&[
                    "Maya Okafor",
                    "Hana Sato",
                    "Priya Raman",
                    "Jonas Berg",
                    "Noor Haddad",
                    "Léa Martin",
                ]),
                engagement: 0.34,
            },
            Group {
                keywords: strings(&["#smallbusiness", "markets", "etsy"]),
                size: 128,
                closest: strings(&["Ben Aldridge", "Sam Whitfield"]),
                engagement: 0.18,
            },
            Group {
                keywords: strings(&["#woodfired", "anagama", "#raku"]),
                size: 57,
                closest: strings(&["Jonas Berg", "Tomás Herrera"]),
                engagement: 0.41,
            },
            Group {
                keywords: strings(&["#arted", "workshops", "teaching"]),
                size: 46,
                closest: strings(&["Maya Okafor"]),
                engagement: 0.09,
            },
        ],
        discover: vec![
            Suggestion {
                handle: "@wheelthrown@mastodon.art".to_owned(),
                score: 0.91,
                why: "Maya and Jonas both talk with her; you share #woodfired and #glaze"
                    .to_owned(),
            },
            Suggestion {
                handle: "@saltglaze.bsky.social".to_owned(),
                score: 0.77,
                why: "Three of your close ties follow him; shares your kiln-building posts"
                    .to_owned(),
            },
            Suggestion {
                handle: "@studio.nine@ceramics.social".to_owned(),
                score: 0.64,
                why: "Runs a community studio; Priya introduced you in a thread".to_owned(),
            },
            Suggestion {
                handle: "@claymarket@mastodon.social".to_owned(),
                score: 0.52,
                why: "Organises the spring makers' market; shares #smallbusiness".to_owned(),
            },
            Suggestion {
                handle: "@raku.rosa.bsky.social".to_owned(),
                score: 0.44,
                why: "Active in #raku; Tomás replies to her often".to_owned(),
            },
        ],
        today: vec![
            Action {
                kind: "answer".to_owned(),
                who: "Jonas Berg".to_owned(),
                why: "Asked you a question about cone 10 reduction 2 days ago".to_owned(),
                approach:
                    "Answer with your firing log and offer to compare notes after his next firing"
                        .to_owned(),
            },
            Action {
                kind: "thank".to_owned(),
                who: "Priya Raman".to_owned(),
                why: "Shared your kiln-build thread with her 1,200 followers".to_owned(),
                approach: "Thank her by name and ask how her own studio move is going".to_owned(),
            },
            Action {
                kind: "reconnect".to_owned(),
                who: "Hana Sato".to_owned(),
                why: "Close tie, strength down from 0.71 to 0.38; last talked 10 weeks ago"
                    .to_owned(),
                approach: "Ask how the gallery opening went, no agenda".to_owned(),
            },
            Action {
                kind: "opportunity".to_owned(),
                who: "Léa Martin".to_owned(),
                why: "Posted: \"Can anyone recommend a beginner wheel-throwing class?\"".to_owned(),
                approach:
                    "Recommend two local classes, yours among them, and say which suits a beginner"
                        .to_owned(),
            },
            Action {
                kind: "introduce".to_owned(),
                who: "@wheelthrown@mastodon.art".to_owned(),
                why: "Like-minded: #woodfired, #glaze; Maya is your warm path".to_owned(),
                approach:
                    "Ask Maya for an introduction, or reply to a recent post with something useful"
                        .to_owned(),
            },
        ],
        audit: vec![
            Finding {
                rule: "promo-share".to_owned(),
                title: "Promotional posts above 20% in 30 days".to_owned(),
                severity: 0.55,
                count: 6,
                examples: vec![
                    Example {
                        date: Some(as_of() - 12 * DAY),
                        text: "Summer sale! 30% off all mugs this weekend only, link in bio"
                            .to_owned(),
                    },
                    Example {
                        date: Some(as_of() - 40 * DAY),
                        text: "New glaze collection just dropped, shop now before it's gone"
                            .to_owned(),
                    },
                ],
            },
            Finding {
                rule: "unanswered-mention".to_owned(),
                title: "Mentions left unanswered for over a week".to_owned(),
                severity: 0.7,
                count: 11,
                examples: vec![Example {
                    date: Some(as_of() - 9 * DAY),
                    text: "@clayandkiln do you ever run evening classes?".to_owned(),
                }],
            },
            Finding {
                rule: "engagement-bait".to_owned(),
                title: "Engagement bait".to_owned(),
                severity: 0.3,
                count: 2,
                examples: vec![Example {
                    date: Some(as_of() - 150 * DAY),
                    text: "Tag a friend who needs a new mug!".to_owned(),
                }],
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_start_on_the_first() {
        assert_eq!(month_start(0), 1_704_067_200, "1 January 2024");
        assert_eq!(month_start(2), 1_709_251_200, "1 March 2024, after a leap February");
        assert_eq!(month_start(12), 1_735_689_600, "1 January 2025");
    }
}
