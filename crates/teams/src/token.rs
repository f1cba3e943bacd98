//! Random tokens (sessions, API tokens, invitations), handed out once and kept only as hashes.
//!
//! A token is 256 bits from the OS random source, written as a kind prefix and base64url
//! (`rs_…` for a session, `rat_…` for an API token, `ri_…` for an invitation), so a leaked token
//! says what it is and secret scanners can match it. The store keeps only its SHA-256: a stolen
//! table then opens nothing, and unlike a password, a 256-bit random token cannot be guessed from
//! its hash however fast the hash is, so no slow salted hash (Argon2) is needed, and the hash can
//! be the lookup key of an index.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::TryRngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use crate::TeamsError;

/// Bytes of randomness in a token.
const TOKEN_BYTES: usize = 32;

/// What a token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A browser session (a cookie).
    Session,
    /// A per-user API token (`Authorization: Bearer`).
    Api,
    /// A one-time invitation link.
    Invitation,
}

impl TokenKind {
    const fn prefix(self) -> &'static str {
        match self {
            Self::Session => "rs_",
            Self::Api => "rat_",
            Self::Invitation => "ri_",
        }
    }
}

/// A freshly made token: its text goes to the user once, its hash to the store.
pub struct Token {
    text: String,
    hash: TokenHash,
}

/// The SHA-256 of a token's text: what the store keeps and looks tokens up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

/// Fills `N` bytes from the operating system's random source.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], TeamsError> {
    let mut bytes = [0; N];
    OsRng.try_fill_bytes(&mut bytes).map_err(|e| TeamsError::Random(e.to_string()))?;
    Ok(bytes)
}

impl Token {
    /// Makes a token of `kind` from the OS random source.
    ///
    /// # Errors
    /// [`TeamsError::Random`] when the random source cannot be read.
    pub fn generate(kind: TokenKind) -> Result<Self, TeamsError> {
        let bytes = random_bytes::<TOKEN_BYTES>()?;
        let text = format!("{}{}", kind.prefix(), URL_SAFE_NO_PAD.encode(bytes));
        let hash = hash_text(&text);
        Ok(Self { text, hash })
    }

    /// The token's text, to hand to its user once (a cookie, a link, a line printed).
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The hash to store.
    #[must_use]
    pub const fn hash(&self) -> TokenHash {
        self.hash
    }
}

/// Tokens never reach logs, even in debug output.
impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

fn hash_text(text: &str) -> TokenHash {
    TokenHash(Sha256::digest(text.as_bytes()).into())
}

impl TokenHash {
    /// The hash of a token a client presented, or `None` when it is not shaped like a token of
    /// `kind` (wrong prefix, wrong length, not base64url), so garbage never reaches the store.
    #[must_use]
    pub fn of_presented(kind: TokenKind, presented: &str) -> Option<Self> {
        let body = presented.strip_prefix(kind.prefix())?;
        let decoded = URL_SAFE_NO_PAD.decode(body).ok()?;
        (decoded.len() == TOKEN_BYTES).then(|| hash_text(presented))
    }
}

/// The CSRF token of a session: derived from the session's token, so nothing more is stored, and
/// only who holds the session cookie can know it (another site can read neither).
#[must_use]
pub fn csrf_of_session(session: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"rapport csrf\0");
    hasher.update(session.as_bytes());
    URL_SAFE_NO_PAD.encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_presented_token_hashes_to_its_stored_hash() {
        let token = Token::generate(TokenKind::Api).unwrap();
        assert!(token.text().starts_with("rat_"));
        assert_eq!(TokenHash::of_presented(TokenKind::Api, token.text()), Some(token.hash()));
    }

    #[test]
    fn tokens_differ_and_carry_256_bits() {
        let a = Token::generate(TokenKind::Session).unwrap();
        let b = Token::generate(TokenKind::Session).unwrap();
        assert_ne!(a.text(), b.text());
        assert_ne!(a.hash(), b.hash());
        assert_eq!(a.text().len(), "rs_".len() + 43);
    }

    #[test]
    fn malformed_or_other_kinds_are_refused_before_lookup() {
        let session = Token::generate(TokenKind::Session).unwrap();
        for presented in [
            "",
            "rs_",
            "rs_short",
            "rat_",
            &session.text()[..session.text().len() - 1],
            &format!("{}A", session.text()),
            &session.text().replace("rs_", "rat_"),
            "rs_'; DROP TABLE sessions; --aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ] {
            assert_eq!(TokenHash::of_presented(TokenKind::Session, presented), None, "{presented}");
        }
        assert_eq!(TokenHash::of_presented(TokenKind::Api, session.text()), None);
    }

    #[test]
    fn each_session_has_its_own_csrf_token_unlike_the_session_s_own() {
        let a = Token::generate(TokenKind::Session).unwrap();
        let b = Token::generate(TokenKind::Session).unwrap();
        assert_eq!(csrf_of_session(a.text()), csrf_of_session(a.text()));
        assert_ne!(csrf_of_session(a.text()), csrf_of_session(b.text()));
        assert_ne!(csrf_of_session(a.text()), a.text());
        assert!(!csrf_of_session(a.text()).contains(&a.text()[3..]));
    }

    #[test]
    fn debug_output_hides_the_token() {
        let token = Token::generate(TokenKind::Invitation).unwrap();
        assert_eq!(format!("{token:?}"), "Token(…)");
    }
}
