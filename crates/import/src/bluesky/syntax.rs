//! The AT Protocol's identifier syntaxes (handles, DIDs, NSIDs, record keys), exactly as its
//! specifications state them (atproto.com/specs/handle, /did, /nsid, /record-key).
//!
//! Nothing is trimmed or repaired: a value with surrounding whitespace is not the identifier it
//! resembles, and accepting it would let two spellings name one account.

/// A domain-name label: 1 to 63 ASCII letters, digits and hyphens, not starting or ending with a
/// hyphen.
fn label(l: &str) -> bool {
    (1..=63).contains(&l.len())
        && !l.starts_with('-')
        && !l.ends_with('-')
        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A handle: a domain name of at least two labels, at most 253 characters, whose last label (the
/// top-level domain) does not start with a digit, which also rules out IPv4 addresses.
pub fn handle(h: &str) -> bool {
    let labels: Vec<&str> = h.split('.').collect();
    h.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| label(l))
        && labels
            .last()
            .is_some_and(|tld| tld.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()))
}

/// A DID: `did:`, a method of lowercase letters, `:`, then an identifier of letters, digits and
/// `._:%-` that does not end with `:` or `%`; at most 2048 characters.
pub fn did(d: &str) -> bool {
    let Some(rest) = d.strip_prefix("did:") else { return false };
    let Some((method, id)) = rest.split_once(':') else { return false };
    d.len() <= 2048
        && !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_lowercase())
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._:%-".contains(&b))
        && !id.ends_with([':', '%'])
}

/// An NSID: a reversed domain name (the authority, at most 253 characters, whose first label does
/// not start with a digit) then a name of letters and digits that does not start with a digit;
/// at least three segments, at most 317 characters.
pub(crate) fn nsid(n: &str) -> bool {
    let Some((authority, name)) = n.rsplit_once('.') else { return false };
    let labels: Vec<&str> = authority.split('.').collect();
    n.len() <= 317
        && authority.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| label(l))
        && labels[0].bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && (1..=63).contains(&name.len())
        && name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A record key: 1 to 512 characters of letters, digits and `._:~-`, other than `.` and `..`.
pub(crate) fn record_key(k: &str) -> bool {
    (1..=512).contains(&k.len())
        && k != "."
        && k != ".."
        && k.bytes().all(|b| b.is_ascii_alphanumeric() || b"._:~-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors written from the specifications' rules, one per rule, valid and invalid.
    #[test]
    fn handles_follow_the_specification() {
        for ok in [
            "alice.test",
            "ada.example.org",
            "XX.LCS.MIT.EDU",
            "a.co",
            "xn--ls8h.test",
            "john.t",
            "0a.b-c.d",
            "a123456789012345678901234567890123456789012345678901234567890ab.test",
        ] {
            assert!(handle(ok), "{ok} is a valid handle");
        }
        for bad in [
            "alice",
            " alice.test",
            "alice.test ",
            "al ice.test",
            "-a.test",
            "a-.test",
            "a..test",
            ".alice.test",
            "alice.test.",
            "john.0",
            "cn.8",
            "127.0.0.1",
            "192.168.0.142",
            "[::1]",
            "::1",
            "alice@test.com",
            "a.b_c.test",
            "ab123456789012345678901234567890123456789012345678901234567890ab.test",
            &format!("{}.test", ["a"; 125].join(".")),
        ] {
            assert!(!handle(bad), "{bad:?} is not a valid handle");
        }
    }

    #[test]
    fn dids_follow_the_specification() {
        for ok in [
            "did:plc:nhxcyu4ewwhl5pqil4dotqjo",
            "did:web:example.com",
            "did:web:localhost%3A1234",
            "did:m:v",
            "did:method::::val",
            "did:method:-:_:.",
            "did:key:zQ3shZc2QzApp2oymGvQbzP8eKheVshBHbU4ZYjeXqwSKEn6N",
        ] {
            assert!(did(ok), "{ok} is a valid DID");
        }
        for bad in [
            "did:plc:",
            "did:plc:a/b",
            "did:plc:a?b",
            "did:plc:a#b",
            "did:method:val:",
            "did:method:val%",
            "DID:method:val",
            "did:METHOD:val",
            "did:m123:val",
            "did::val",
            "did:method",
            " did:plc:abc",
            "did:plc:abc ",
            "did:plc:ab c",
            "did:plc:ábc",
            &format!("did:plc:{}", "a".repeat(2048)),
        ] {
            assert!(!did(bad), "{bad:?} is not a valid DID");
        }
    }

    #[test]
    fn nsids_follow_the_specification() {
        for ok in [
            "app.bsky.feed.post",
            "com.example.fooBar",
            "a.b.c",
            "a-0.b-1.c",
            "cn.8.lex.stuff",
            "com.atproto.repo.strongRef",
            "xn--ls8h.test.thing2",
        ] {
            assert!(nsid(ok), "{ok} is a valid NSID");
        }
        for bad in [
            "app.bsky",
            "app",
            "com.example.3",
            "com.example.foo-bar",
            "com.example.foo*",
            "1com.example.foo",
            "com..example.foo",
            "com.-example.foo",
            ".com.example.foo",
            "com.example.foo.",
            " app.bsky.feed.post",
            "app.bsky.feed/post",
            "../../x",
        ] {
            assert!(!nsid(bad), "{bad:?} is not a valid NSID");
        }
    }

    #[test]
    fn record_keys_follow_the_specification() {
        for ok in
            ["3jui7kd54zh2y", "self", "example.com", "~1.2-3_", "dHJ1ZQ", "pre:fix", "_", "..."]
        {
            assert!(record_key(ok), "{ok} is a valid record key");
        }
        for bad in
            ["", ".", "..", "../../x", "a/b", "a b", "a#b", "a?b", "a%b", "ü", &"a".repeat(513)]
        {
            assert!(!record_key(bad), "{bad:?} is not a valid record key");
        }
    }
}
