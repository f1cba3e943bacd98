//! Properties that hold for any text: no panic, a score in [0, 1], spans on char boundaries,
//! explanations that show each phrase once and never anchor on a function word.

use proptest::prelude::*;
use rapport_check::{Context, DraftKind, History, Report};

use crate::check;

const WORDS: &[&str] = &[
    "tag",
    "a",
    "friend",
    "like",
    "if",
    "you",
    "share",
    "for",
    "follow",
    "back",
    "#rust",
    "#x",
    "@ana",
    "https://x.io/a",
    "the",
    "The",
    "http://bit.ly/xyz",
    "FREE",
    "WIN",
    "now",
    "50%",
    "off",
    "code",
    "my",
    "channel",
    "subscribe",
    "😂",
    "❤️",
    "日本",
    "é",
    "\u{feff}",
    "\n",
    "comment",
    "YES",
    "giveaway",
    "enter",
    "repost",
    "call",
];

fn assert_sane(text: &str, report: &Report) {
    assert!((0.0..=1.0).contains(&report.score), "score {}", report.score);
    for finding in &report.findings {
        assert!(finding.span.start <= finding.span.end && finding.span.end <= text.len());
        assert!(
            text.is_char_boundary(finding.span.start) && text.is_char_boundary(finding.span.end)
        );
    }
    for (i, hit) in report.top_ngrams.iter().enumerate() {
        assert_eq!(&text[hit.span.clone()], hit.text);
        // Each phrase is shown once, and none is a bare function word or a link's scheme.
        assert!(
            report.top_ngrams[..i].iter().all(|h| !h.text.eq_ignore_ascii_case(&hit.text)),
            "{:?}",
            report.top_ngrams
        );
        assert!(!FILLER.contains(&hit.text.to_lowercase().as_str()), "{:?}", report.top_ngrams);
    }
}

/// Words an explanation never shows on their own.
const FILLER: &[&str] = &["the", "a", "to", "and", "you", "my", "https", "http", "www", "com"];

fn contexts(history: &History) -> [Context<'_>; 3] {
    [
        Context::default(),
        Context { kind: DraftKind::Reply, ..Context::default() },
        Context {
            kind: DraftKind::Dm,
            history: Some(history),
            recipient: Some("ana"),
            ..Context::default()
        },
    ]
}

proptest! {
    #[test]
    fn any_string_is_checked_sanely(text in any::<String>()) {
        let history: History = [("bob", text.as_str()), ("cy", text.as_str()), ("dee", text.as_str())].into_iter().collect();
        for ctx in contexts(&history) {
            assert_sane(&text, &check(&text, &ctx));
        }
    }

    #[test]
    fn any_mix_of_trigger_words_is_checked_sanely(words in proptest::collection::vec(proptest::sample::select(WORDS), 0..40)) {
        let text = words.join(" ");
        let history: History = [("bob", text.as_str()), ("cy", text.as_str()), ("dee", text.as_str())].into_iter().collect();
        for ctx in contexts(&history) {
            assert_sane(&text, &check(&text, &ctx));
        }
    }
}

#[test]
fn a_megabyte_of_friendly_text_stays_low() {
    let sentence =
        "Had a lovely walk by the river this morning, hope you all have a relaxing Sunday! ";
    let text = sentence.repeat(1024 * 1024 / sentence.len() + 1);
    let report = check(&text, &Context::default());
    assert_sane(&text, &report);
    assert!(report.score < 0.3, "{:?} {:?}", report.score, report.findings);
}

#[test]
fn a_megabyte_of_mixed_scripts_and_emoji_does_not_crash() {
    let text = "日本語 🎉 العربية ñ Ω 👨‍👩‍👧 ".repeat(30_000);
    assert!(text.len() >= 1024 * 1024);
    assert_sane(&text, &check(&text, &Context::default()));
}
