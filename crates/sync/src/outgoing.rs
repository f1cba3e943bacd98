//! A message sent from the connected account (the dashboard's "send", each only after the user's
//! click): a reply in a thread, or a new message that names people. The same description goes to
//! either network; each network's `post` module says how it becomes a post there.

use rapport_model::Record;

use crate::credentials::Connection;
use crate::http::Limits;
use crate::{Result, bluesky, mastodon};

/// Someone a message names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Their handle on the network, without the leading `@` (`ada.bsky.social`,
    /// `ada@example.social`).
    pub handle: String,
    /// Their id on the network as the store has it: a DID on Bluesky, an actor URI on Mastodon.
    pub id: String,
}

/// What to send.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// The text as the user wrote it; the people named are put in front when it does not name
    /// them already.
    pub text: String,
    /// The post answered (an AT URI, a status URI), or `None` for a new message.
    pub reply_to: Option<String>,
    /// The people it names, who are notified.
    pub mentions: Vec<Mention>,
    /// A message for the people named only (Mastodon's `direct` visibility), rather than a post.
    pub private: bool,
}

impl Outgoing {
    /// The text that is sent: the user's, after a mention of each person named whose handle it
    /// does not hold yet.
    pub fn text(&self) -> String {
        let missing: Vec<String> = self
            .mentions
            .iter()
            .filter(|m| mention_at(&self.text, &m.handle).is_none())
            .map(|m| format!("@{}", m.handle))
            .collect();
        if missing.is_empty() {
            self.text.clone()
        } else {
            format!("{} {}", missing.join(" "), self.text)
        }
    }
}

/// Sends `outgoing` from `connection` and returns the records of what was sent, with the network's
/// ids. Nothing is retried: a post that may have been made is never made twice. Tokens the server
/// rotated are updated in `connection`; the caller saves them.
pub fn send(
    connection: &mut Connection,
    outgoing: &Outgoing,
    limits: Limits,
) -> Result<Vec<Record>> {
    match connection {
        Connection::Bluesky(session) => bluesky::post(session, outgoing, limits),
        Connection::Mastodon(app) => mastodon::post(app, outgoing, limits),
    }
}

/// The byte range of the first `@handle` in `text` that is a whole mention (not part of a longer
/// handle or of an address), compared without ASCII case as handles are (ASCII lower-casing keeps
/// every byte offset).
pub(crate) fn mention_at(text: &str, handle: &str) -> Option<std::ops::Range<usize>> {
    let wanted = format!("@{}", handle.to_ascii_lowercase());
    let haystack = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = haystack[from..].find(&wanted) {
        let start = from + found;
        let end = start + wanted.len();
        let mut after = haystack[end..].chars();
        let whole = match after.next() {
            None => true,
            // A full stop ends a sentence, unless the handle goes on.
            Some('.') => !after.next().is_some_and(|c| c.is_alphanumeric() || c == '-'),
            Some(c) => !(c.is_alphanumeric() || matches!(c, '-' | '_' | '@')),
        };
        let standalone =
            !haystack[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric());
        if whole && standalone {
            return Some(start..end);
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing(text: &str, handles: &[&str]) -> Outgoing {
        Outgoing {
            text: text.into(),
            reply_to: None,
            mentions: handles
                .iter()
                .map(|h| Mention { handle: (*h).into(), id: format!("id:{h}") })
                .collect(),
            private: true,
        }
    }

    #[test]
    fn the_people_named_are_put_in_front_unless_the_text_names_them() {
        for (text, handles, want) in [
            ("how are you?", &["ada.test"][..], "@ada.test how are you?"),
            ("hi @Ada.test, how are you?", &["ada.test"][..], "hi @Ada.test, how are you?"),
            ("hi @ada.test.", &["ada.test"][..], "hi @ada.test."),
            ("hi @ada.testing", &["ada.test"][..], "@ada.test hi @ada.testing"),
            ("mail bo@ada.test", &["ada.test"][..], "@ada.test mail bo@ada.test"),
            ("meet @cy!", &["bo@far.example", "cy"][..], "@bo@far.example meet @cy!"),
            ("héllo", &["bo@far.example"][..], "@bo@far.example héllo"),
        ] {
            assert_eq!(outgoing(text, handles).text(), want, "{text}");
        }
    }

    #[test]
    fn mentions_are_found_in_bytes() {
        let text = "ça va @ada.test ? 🌱 @bo.test";
        let at = mention_at(text, "bo.test").expect("found");
        assert_eq!(&text[at.clone()], "@bo.test");
        assert_eq!(at.start, text.len() - "@bo.test".len());
        assert_eq!(mention_at(text, "ada.test").map(|r| &text[r]), Some("@ada.test"));
        assert_eq!(mention_at(text, "cy.test"), None);
    }
}
