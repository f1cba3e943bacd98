//! How a fediverse account is shown when all that is known of it is its actor URL.

/// The handle (`name@host`) of an ActivityPub actor URL: the last path segment (`/users/name`,
/// `/@name`, or an id on servers whose URLs carry no name, as Misskey's `/users/9abc`) at the URL's
/// host. `None` for anything that is not such a URL.
pub fn handle_of_actor(actor: &str) -> Option<String> {
    let rest = actor.strip_prefix("https://").or_else(|| actor.strip_prefix("http://"))?;
    let rest = rest.split(['?', '#']).next()?;
    let (host, path) = rest.split_once('/')?;
    let name = path.trim_end_matches('/').rsplit('/').next()?.trim_start_matches('@');
    let plain = |s: &str| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '@');
    (plain(host) && plain(name)).then(|| format!("{name}@{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_actors_as_handles() {
        for (actor, want) in [
            ("https://botsin.space/users/bot", Some("bot@botsin.space")),
            ("https://a.example/@bo", Some("bo@a.example")),
            ("https://mk.example/users/9abc/", Some("9abc@mk.example")),
            ("http://a.example/users/bo?x=1", Some("bo@a.example")),
            ("https://a.example", None),
            ("https://a.example/", None),
            ("not a url", None),
            ("bo@a.example", None),
        ] {
            assert_eq!(handle_of_actor(actor).as_deref(), want, "{actor}");
        }
    }
}
