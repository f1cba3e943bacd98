//! Rendering through the public API: the snapshot, empty data, hostile text and arbitrary input.

use proptest::prelude::*;
use rapport_report::{
    Action, Example, Finding, GiveAskPoint, Group, Mover, PromotionalPoint, ReportData,
    StageCounts, StagePoint, Suggestion, example, render_html,
};

use crate::fixture::{JAN_2025, sample_report_data};
use crate::wellformed;

/// Renders and checks what every page must satisfy, returning the HTML for further checks.
fn check(data: &ReportData) -> String {
    let html = render_html(data);
    if let Some(problem) = wellformed::problem(&html) {
        panic!("malformed HTML: {problem}");
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("NaN") && !html.contains("inf\""), "a number leaked as NaN or inf");
    for external in ["http://", "https://", "<script", "@import", "url("] {
        assert!(!html.contains(external), "the page must be self-contained: found {external}");
    }
    html
}

/// The page with the stylesheet replaced, so that the snapshot shows structure and content.
fn without_style(html: &str) -> String {
    match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) => format!("{}<style>[stylesheet]{}", &html[..a], &html[b..]),
        _ => html.to_owned(),
    }
}

#[test]
fn snapshot_of_a_small_report() {
    let html = check(&sample_report_data());
    insta::assert_snapshot!(without_style(&html));
}

#[test]
fn every_section_says_when_it_has_no_data() {
    let html = check(&ReportData::default());
    for heading in [
        "No data yet",
        "Nothing waiting today",
        "No history yet",
        "No stages yet",
        "Nothing here yet",
        "No ledger yet",
        "No posts yet",
        "No groups yet",
        "No suggestions yet",
        "Nothing to report",
    ] {
        assert!(html.contains(heading), "missing empty state {heading:?}");
    }
    assert!(!html.contains("class=\"chart\""), "no chart is drawn without data");
    assert!(!html.contains("class=\"highlights\""), "no highlight is made up without data");
    assert!(html.contains("<title>Your relationships · Rapport report</title>"));
}

#[test]
fn the_example_fills_every_section() {
    let html = check(&example());
    assert!(html.matches("class=\"chart\"").count() >= 3);
    assert!(!html.contains("class=\"empty\""), "the example leaves no section empty");
    assert!(html.contains("Clay &amp; Kiln Studio"));
}

const HOSTILE: &str = r#"<script>alert("x")</script><img src=x onerror='y'>&amp;"#;

#[test]
fn hostile_text_stays_text() {
    let mut data = sample_report_data();
    let hostile = HOSTILE.to_owned();
    data.title.clone_from(&hostile);
    data.accounts = vec![hostile.clone()];
    data.warming[0].name.clone_from(&hostile);
    data.warming[0].note.clone_from(&hostile);
    data.cooling[0].stage.clone_from(&hostile);
    data.cooling[0].network.clone_from(&hostile);
    data.groups[0].keywords = vec![hostile.clone()];
    data.groups[0].closest = vec![hostile.clone()];
    data.discover[0].handle.clone_from(&hostile);
    data.discover[0].why.clone_from(&hostile);
    data.today[0] = Action {
        kind: hostile.clone(),
        who: hostile.clone(),
        why: hostile.clone(),
        approach: hostile.clone(),
    };
    data.audit[0].rule.clone_from(&hostile);
    data.audit[0].title.clone_from(&hostile);
    data.audit[0].examples[0].text.clone_from(&hostile);
    let html = check(&data);
    assert!(!html.contains("<script") && !html.contains("<img"), "markup escaped");
    assert!(!html.contains("onerror='"), "quotes escaped");
    let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;amp;";
    // Title, page title, account, two warming cells, stage, network, keyword, closest, handle, why,
    // four action fields, rule, finding title and example.
    assert!(html.matches(escaped).count() >= 18, "every field is shown, escaped");
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(HOSTILE.to_owned()),
        any::<String>(),
        "[<>&\"' a-z]{0,20}",
    ]
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![any::<f64>(), 0.0..1.0f64, Just(f64::NAN), Just(f64::INFINITY), Just(-1.0)]
}

fn month() -> impl Strategy<Value = i64> {
    prop_oneof![Just(JAN_2025), any::<i64>(), -10_000_000_000i64..10_000_000_000]
}

fn stage_point() -> impl Strategy<Value = StagePoint> {
    (month(), any::<[u32; 5]>()).prop_map(|(month, c)| StagePoint {
        month,
        counts: StageCounts {
            stranger: c[0],
            aware: c[1],
            engaged: c[2],
            mutual: c[3],
            close: c[4],
        },
    })
}

fn mover() -> impl Strategy<Value = Mover> {
    (text(), text(), text(), number(), number(), proptest::option::of(month()), text()).prop_map(
        |(name, network, stage, strength_now, strength_90d_ago, last_interaction, note)| Mover {
            name,
            network,
            stage,
            strength_now,
            strength_90d_ago,
            last_interaction,
            note,
        },
    )
}

fn report() -> impl Strategy<Value = ReportData> {
    let series = (
        proptest::collection::vec(stage_point(), 0..14),
        proptest::collection::vec(
            (month(), any::<u32>(), 0..50u32).prop_map(|(month, given, asked)| GiveAskPoint {
                month,
                given,
                asked,
            }),
            0..14,
        ),
        proptest::collection::vec(
            (month(), 0..30u32, any::<u32>()).prop_map(|(month, posts, promotional)| {
                PromotionalPoint { month, posts, promotional }
            }),
            0..14,
        ),
        proptest::option::of(number()),
    );
    let lists = (
        proptest::collection::vec(mover(), 0..4),
        proptest::collection::vec(
            (
                proptest::collection::vec(text(), 0..3),
                any::<u32>(),
                proptest::collection::vec(text(), 0..8),
                number(),
            )
                .prop_map(|(keywords, size, closest, engagement)| Group {
                    keywords,
                    size,
                    closest,
                    engagement,
                }),
            0..3,
        ),
        proptest::collection::vec(
            (text(), number(), text()).prop_map(|(handle, score, why)| Suggestion {
                handle,
                score,
                why,
            }),
            0..3,
        ),
        proptest::collection::vec(
            (text(), text(), text(), text()).prop_map(|(kind, who, why, approach)| Action {
                kind,
                who,
                why,
                approach,
            }),
            0..3,
        ),
        proptest::collection::vec(
            (
                text(),
                text(),
                any::<f32>(),
                any::<u64>(),
                proptest::collection::vec((proptest::option::of(month()), text()), 0..3),
            )
                .prop_map(|(rule, title, severity, count, examples)| Finding {
                    rule,
                    title,
                    severity,
                    count,
                    examples: examples
                        .into_iter()
                        .map(|(date, text)| Example { date, text })
                        .collect(),
                }),
            0..3,
        ),
    );
    (text(), proptest::collection::vec(text(), 0..3), month(), any::<[u64; 7]>(), series, lists)
        .prop_map(
            |(
                title,
                accounts,
                as_of,
                h,
                (stages, give_ask, promotional, promotional_limit),
                (movers, groups, discover, today, audit),
            )| {
                let half = movers.len() / 2;
                ReportData {
                    title,
                    accounts,
                    as_of,
                    headline: rapport_report::Headline {
                        people: h[0],
                        interactions: h[1],
                        posts: h[2],
                        mutual: h[3],
                        close: h[4],
                        warming: h[5],
                        cooling: h[6],
                        one_sided: h[3],
                    },
                    stages,
                    warming: movers[..half].to_vec(),
                    cooling: movers[half..].to_vec(),
                    give_ask,
                    promotional,
                    promotional_limit,
                    groups,
                    discover,
                    today,
                    audit,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_reports_render_well_formed(data in report()) {
        let html = check(&data);
        prop_assert!(html.ends_with("</html>\n"));
    }
}
