//! A small, fixed report used by the snapshot and escaping tests.

use rapport_report::{
    Action, Example, Finding, GiveAskPoint, Group, Headline, Mover, PromotionalPoint, ReportData,
    StageCounts, StagePoint, Suggestion,
};

/// 1 January 2025, 00:00 UTC.
pub(crate) const JAN_2025: i64 = 1_735_689_600;
/// 1 February 2025 and 1 March 2025.
const FEB_2025: i64 = 1_738_368_000;
const MAR_2025: i64 = 1_740_787_200;
const DAY: i64 = 86_400;

/// Three months of data, one or two rows in every list.
pub(crate) fn sample_report_data() -> ReportData {
    let counts = |n: u32| StageCounts {
        stranger: 1,
        aware: 10 + n,
        engaged: 5 + n,
        mutual: 2 + n,
        close: 1,
    };
    ReportData {
        title: "Ada's relationships".to_owned(),
        accounts: vec!["@ada@example.social".to_owned()],
        as_of: MAR_2025 + 20 * DAY,
        headline: Headline {
            people: 40,
            interactions: 1_234,
            posts: 56,
            mutual: 4,
            close: 1,
            warming: 3,
            cooling: 2,
            one_sided: 0,
        },
        stages: [JAN_2025, FEB_2025, MAR_2025]
            .iter()
            .zip(0..)
            .map(|(&month, n)| StagePoint { month, counts: counts(n) })
            .collect(),
        warming: vec![Mover {
            name: "Grace".to_owned(),
            network: "mastodon".to_owned(),
            stage: "mutual".to_owned(),
            strength_now: 0.6,
            strength_90d_ago: 0.3,
            last_interaction: Some(MAR_2025 + 18 * DAY),
            note: "Talked about compilers".to_owned(),
        }],
        cooling: vec![Mover {
            name: "Alan".to_owned(),
            network: String::new(),
            stage: "close".to_owned(),
            strength_now: 0.2,
            strength_90d_ago: 0.5,
            last_interaction: None,
            note: String::new(),
        }],
        give_ask: vec![
            GiveAskPoint { month: JAN_2025, given: 4, asked: 2 },
            GiveAskPoint { month: FEB_2025, given: 6, asked: 1 },
        ],
        promotional: vec![
            PromotionalPoint { month: JAN_2025, posts: 10, promotional: 3 },
            PromotionalPoint { month: FEB_2025, posts: 0, promotional: 0 },
            PromotionalPoint { month: MAR_2025, posts: 8, promotional: 1 },
        ],
        promotional_limit: Some(0.2),
        groups: vec![Group {
            keywords: vec!["#rust".to_owned(), "compilers".to_owned()],
            size: 12,
            closest: vec!["Grace".to_owned()],
            engagement: 0.25,
        }],
        discover: vec![Suggestion {
            handle: "@barbara@example.social".to_owned(),
            score: 0.8,
            why: "Grace talks with her".to_owned(),
        }],
        today: vec![Action {
            kind: "answer".to_owned(),
            who: "Grace".to_owned(),
            why: "Asked a question 2 days ago".to_owned(),
            approach: "Answer it".to_owned(),
        }],
        audit: vec![Finding {
            rule: "promo-share".to_owned(),
            title: "Promotional share above 20%".to_owned(),
            severity: 0.5,
            count: 1,
            examples: vec![Example {
                date: Some(JAN_2025 + 3 * DAY),
                text: "Buy my book".to_owned(),
            }],
        }],
    }
}

/// The example with every string made long, unbroken and hostile: the page must still fit a phone.
pub(crate) fn stress_report_data() -> ReportData {
    let long = |tag: &str| format!("<b>{tag}</b>{}", "x".repeat(160));
    let mut data = rapport_report::example();
    data.title = long("title");
    data.accounts.push(long("account"));
    for m in data.warming.iter_mut().chain(data.cooling.iter_mut()) {
        m.name = long("name");
        m.network = long("network");
        m.stage = long("stage");
        m.note = long("note");
    }
    for g in &mut data.groups {
        g.keywords.push(long("keyword"));
        g.closest.push(long("closest"));
    }
    for s in &mut data.discover {
        s.handle = long("handle");
        s.why = long("why");
    }
    for a in &mut data.today {
        a.kind = long("kind");
        a.who = long("who");
        a.why = long("why");
        a.approach = long("approach");
    }
    for f in &mut data.audit {
        f.rule = long("rule");
        f.title = long("title");
        for e in &mut f.examples {
            e.text = long("example");
        }
    }
    data
}
