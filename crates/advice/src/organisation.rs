//! Person or organisation: whether an account belongs to someone to keep in touch with, or to a
//! brand, a company, a newsroom, a group, a service or a bot. The judgement is explainable: each
//! rule that fires adds one line of evidence, and the verdict lists them.
//!
//! What counts is what the account's own profile says, since that is what the networks give:
//! - the account type a network declares (a Mastodon group, a Bluesky labeler or trusted
//!   verifier, a company followed on LinkedIn) and the bot flag;
//! - a display name that ends in a company suffix ("Acme Inc", "Beispiel GmbH");
//! - a handle that ends in an organisational word (`bbcnews`, `githubsupport`, `acmehq`,
//!   `acmehelp`, `somethingpod`);
//! - a description that speaks as an organisation ("official account", "we ", "our team",
//!   "customer support", in English, German, French and Spanish), unless it also speaks as one
//!   person ("I", "my", "ich", "je", "yo", pronouns): "I work at Acme Inc" is a person's bio.
//!
//! The user's own posting pattern (talking *about* an account rather than *to* it) is listed as
//! supporting evidence but never decides alone: plenty of people are only ever retweeted. It is
//! what keeps such accounts out of reconnects (see `today/audience.rs`), as an audience rather
//! than an organisation.

use rapport_model::ActorKind;
use rapport_model::rows::{AccountRow, InteractionRow};

/// What the classifier concluded about one person's accounts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Judgement {
    /// True when the evidence says organisation (or bot, or service) rather than person.
    pub organisation: bool,
    /// One line per rule that fired, for and against, in the order the rules run.
    pub evidence: Vec<String>,
}

/// How the user talks with the person: of `all` interactions, `addressed` speak to them (replies,
/// messages, posts that open with their name) rather than about them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// Interactions addressed to them.
    pub addressed: u32,
    /// All interactions between the user and them.
    pub all: u32,
}

/// The fewest interactions for the posting pattern to count as evidence at all.
const PATTERN_MIN: u32 = 5;

/// Company suffixes, compared with the display name's last word (case and a trailing dot ignored).
const COMPANY_SUFFIXES: &[&str] = &[
    "inc",
    "llc",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "oy",
    "ab",
    "as",
    "kk",
    "pty",
    "co",
];

/// Handle endings that name an organisation's account rather than a person's.
/// (`…help` and `…cares` are how brands name their support accounts, `…pod` their podcasts.)
const HANDLE_ENDINGS: &[&str] = &[
    "news", "hq", "support", "help", "cares", "official", "podcast", "pod", "magazine", "radio",
    "press",
];

/// Phrases (as word sequences) with which an organisation describes itself.
const ORG_PHRASES: &[&str] = &[
    // English
    "official account",
    "official",
    "we",
    "we're",
    "our team",
    "our",
    "customer support",
    "customer service",
    "news",
    "newsletter",
    "podcast",
    "magazine",
    "company",
    "organisation",
    "organization",
    "nonprofit",
    "non-profit",
    "foundation",
    // German
    "wir",
    "unser",
    "unsere",
    "offizieller account",
    "offizielle",
    "offizieller",
    "nachrichten",
    "kundenservice",
    "verein",
    // French
    "nous",
    "notre",
    "nos",
    "compte officiel",
    "officiel",
    "officielle",
    "actualités",
    "service client",
    "association",
    // Spanish
    "somos",
    "nuestro",
    "nuestra",
    "cuenta oficial",
    "oficial",
    "noticias",
    "atención al cliente",
];

/// Words with which one person speaks of themself; any of them makes a description a person's.
const PERSON_WORDS: &[&str] = &[
    "i",
    "i'm",
    "i've",
    "im",
    "my",
    "me",
    "he/him",
    "she/her",
    "they/them",
    "ich",
    "mein",
    "meine",
    "je",
    "j'ai",
    "moi",
    "mon",
    "yo",
    "soy",
    "mi",
];

/// Judges one person from their accounts and, when known, the user's pattern with them.
pub fn classify(accounts: &[AccountRow], pattern: Option<Pattern>) -> Judgement {
    let mut evidence = Vec::new();
    let mut organisation = false;
    let mut says = |line: String, decides: bool| {
        evidence.push(line);
        organisation |= decides;
    };
    for a in accounts {
        let who = a.label();
        if a.bot {
            says(format!("{who} describes itself as automated"), true);
        }
        if let Some(kind) = a.kind {
            says(format!("{who} {}", declared(kind)), true);
        }
        if let Some(suffix) = a.display_name.as_deref().and_then(company_suffix) {
            says(format!("{who}'s name ends in the company suffix \"{suffix}\""), true);
        }
        if let Some(ending) = a.handle.as_deref().and_then(handle_ending) {
            says(format!("{who}'s handle ends in \"{ending}\""), true);
        }
        if let Some(d) = a.description.as_deref() {
            match (org_phrase(d), person_word(d)) {
                (Some(phrase), None) => {
                    says(format!("{who}'s profile speaks as an organisation (\"{phrase}\")"), true)
                }
                (Some(phrase), Some(word)) => says(
                    format!(
                        "{who}'s profile says \"{phrase}\" but speaks as one person (\"{word}\")"
                    ),
                    false,
                ),
                (None, _) => {}
            }
        }
    }
    if let Some(Pattern { addressed, all }) = pattern
        && all >= PATTERN_MIN
        && f64::from(addressed) < crate::today::ADDRESSED_SHARE * f64::from(all)
    {
        evidence.push(format!(
            "you talk about or share them more than with them ({addressed} of {all} interactions addressed to them)"
        ));
    }
    Judgement { organisation, evidence }
}

/// Judges the owner of `accounts` with the pattern read from `history` (interactions touching
/// "me", whose accounts are `me`): what the person page shows.
pub fn judge(accounts: &[AccountRow], history: &[InteractionRow], me: &[i64]) -> Judgement {
    let talk = crate::today::audience::Talk::of(history, me, accounts);
    classify(accounts, Some(talk.pattern(accounts)))
}

/// The evidence line for an account type a network declares.
fn declared(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Group => "is a Mastodon group",
        ActorKind::Labeler => "is a Bluesky labeler (a moderation service)",
        ActorKind::Verifier => "is a trusted verifier on Bluesky (an institution)",
        ActorKind::Company => "is a company you follow on LinkedIn",
    }
}

/// The lowercase words of `text`, keeping inner apostrophes, slashes and hyphens ("i'm",
/// "she/her", "non-profit").
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '/' | '-')))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).replace('’', "'").to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The company suffix a display name ends in ("Acme Inc." gives "Inc."), if any. A name of one
/// word is never a suffix alone.
fn company_suffix(name: &str) -> Option<&str> {
    let mut parts = name.split_whitespace();
    let last = parts.next_back()?;
    parts.next_back()?;
    let bare = last.trim_end_matches('.').replace('.', "").to_lowercase();
    COMPANY_SUFFIXES.contains(&bare.as_str()).then_some(last)
}

/// The organisational word a handle ends in, when something comes before it (`bbcnews`, not
/// `news`, which may be anyone's).
fn handle_ending(handle: &str) -> Option<&'static str> {
    let name = handle.split(['@', '.']).next().unwrap_or(handle).to_lowercase();
    let name = name.trim_end_matches(['_', '-']);
    HANDLE_ENDINGS.iter().copied().find(|e| name.len() > e.len() + 1 && name.ends_with(e))
}

/// The first organisational phrase `description` contains, as whole words.
fn org_phrase(description: &str) -> Option<&'static str> {
    let words = words(description);
    ORG_PHRASES.iter().copied().find(|phrase| {
        let wanted: Vec<&str> = phrase.split(' ').collect();
        words.windows(wanted.len()).any(|w| w.iter().zip(&wanted).all(|(a, b)| a == b))
    })
}

/// The first word with which `description` speaks as one person.
fn person_word(description: &str) -> Option<&'static str> {
    let words = words(description);
    PERSON_WORDS.iter().copied().find(|p| words.iter().any(|w| w == p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_model::Network;

    fn account(handle: &str, name: Option<&str>, description: Option<&str>) -> AccountRow {
        AccountRow {
            id: 1,
            network: Network::Bluesky,
            native_id: format!("did:plc:{handle}"),
            handle: Some(handle.into()),
            display_name: name.map(str::to_owned),
            url: None,
            bot: false,
            person: -1,
            is_me: false,
            description: description.map(str::to_owned),
            kind: None,
        }
    }

    fn judge(a: AccountRow) -> Judgement {
        classify(&[a], None)
    }

    #[test]
    fn a_plain_person_has_no_evidence() {
        let j = judge(account("ada.example", Some("Ada Lovelace"), Some("Maths, engines, poems")));
        assert_eq!(j, Judgement::default());
    }

    #[test]
    fn the_bot_flag() {
        let mut a = account("gardenbot", None, None);
        a.bot = true;
        let j = judge(a);
        assert!(j.organisation);
        assert_eq!(j.evidence, ["@gardenbot describes itself as automated"]);
    }

    #[test]
    fn each_declared_type() {
        for (kind, says) in [
            (ActorKind::Group, "is a Mastodon group"),
            (ActorKind::Labeler, "labeler"),
            (ActorKind::Verifier, "trusted verifier"),
            (ActorKind::Company, "company you follow on LinkedIn"),
        ] {
            let mut a = account("x", None, None);
            a.kind = Some(kind);
            let j = judge(a);
            assert!(j.organisation, "{kind}");
            assert!(j.evidence[0].contains(says), "{:?}", j.evidence);
        }
    }

    #[test]
    fn company_suffix_of_the_name() {
        for name in ["Acme Inc", "Acme Inc.", "Beispiel GmbH", "Widgets Ltd", "Exemple S.A."] {
            let j = judge(account("acme", Some(name), None));
            assert!(j.organisation, "{name}");
            assert!(j.evidence[0].contains("company suffix"), "{:?}", j.evidence);
        }
        // A one-word name, or a suffix inside the name, says nothing.
        for name in ["Inc", "Ada Incognito", "Co Lee Smith", "Sarl"] {
            assert!(!judge(account("ada", Some(name), None)).organisation, "{name}");
        }
    }

    #[test]
    fn organisational_handle_endings() {
        for handle in [
            "bbcnews",
            "githubsupport.bsky.social",
            "acme_hq",
            "theguardianpodcast",
            "AcmeHelp",
            "acmecares",
            "reactivepod",
        ] {
            let j = judge(account(handle, None, None));
            assert!(j.organisation, "{handle}");
        }
        // Names that merely contain or are the word.
        for handle in ["news", "andrews", "newsom", "hqueen", "supporter", "help", "podge", "ipod"]
        {
            assert!(!judge(account(handle, None, None)).organisation, "{handle}");
        }
    }

    #[test]
    fn descriptions_that_speak_as_an_organisation() {
        for (bio, phrase) in [
            ("The official account of Example Town.", "official account"),
            ("We build tools for gardeners.", "we"),
            ("Questions? Our team answers within a day.", "our team"),
            ("Customer support for Acme products", "customer support"),
            ("Daily news from the valley", "news"),
            ("Wir sind ein Verein für Gartenfreunde", "wir"),
            ("Le compte officiel de la mairie", "compte officiel"),
            ("Somos una cooperativa de café", "somos"),
        ] {
            let j = judge(account("org", None, Some(bio)));
            assert!(j.organisation, "{bio}");
            assert!(j.evidence[0].contains(&format!("(\"{phrase}\")")), "{bio}: {:?}", j.evidence);
        }
    }

    #[test]
    fn a_person_who_works_at_a_company_is_a_person() {
        for bio in [
            "I work at Acme Inc. Opinions my own.",
            "Engineer at Acme Inc, she/her",
            "Ich schreibe Nachrichten für eine Zeitung",
            "Je suis journaliste, actualités locales",
            "News editor. My views, not my employer's.",
            "We're hiring! I lead the platform team at Acme",
        ] {
            let j = judge(account("ada", Some("Ada Lovelace"), Some(bio)));
            assert!(!j.organisation, "{bio}: {:?}", j.evidence);
        }
        // Where an organisational phrase was outweighed, the evidence says so.
        let j = judge(account("ada", None, Some("News editor. My views.")));
        assert_eq!(j.evidence, ["@ada's profile says \"news\" but speaks as one person (\"my\")"]);
        // "Acme Inc" in a bio is not a company suffix of the name.
        let j = judge(account("ada", Some("Ada"), Some("Building Acme Inc")));
        assert!(!j.organisation, "{:?}", j.evidence);
    }

    #[test]
    fn the_pattern_supports_but_never_decides() {
        let a = account("someone", None, None);
        let quiet = Pattern { addressed: 0, all: 12 };
        let j = classify(std::slice::from_ref(&a), Some(quiet));
        assert!(!j.organisation);
        assert_eq!(j.evidence.len(), 1, "{:?}", j.evidence);
        assert!(j.evidence[0].contains("0 of 12 interactions addressed"));
        // Too few interactions, or enough addressed ones, are no evidence.
        for pattern in [Pattern { addressed: 0, all: 3 }, Pattern { addressed: 5, all: 12 }] {
            assert!(classify(std::slice::from_ref(&a), Some(pattern)).evidence.is_empty());
        }
    }

    #[test]
    fn mixed_evidence_across_accounts_is_all_listed() {
        let mut group = account("gardeners@town.example", Some("Town Gardeners"), None);
        group.kind = Some(ActorKind::Group);
        let bsky = account("townnews.bsky.social", None, Some("We post what the town does"));
        let j = classify(&[group, bsky], Some(Pattern { addressed: 0, all: 20 }));
        assert!(j.organisation);
        assert_eq!(j.evidence.len(), 4, "{:?}", j.evidence);
    }
}
