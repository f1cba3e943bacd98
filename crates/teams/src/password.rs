//! Password hashes: Argon2id at OWASP's parameters, kept as PHC strings.
//!
//! OWASP's Password Storage Cheat Sheet gives m = 19 MiB, t = 2, p = 1 as its Argon2id minimum;
//! the PHC string carries the parameters and the salt, so a later build can raise them and still
//! read hashes written before.

use argon2::password_hash::{PasswordHash as Phc, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::TeamsError;
use crate::token::random_bytes;

/// Memory per hash, in KiB (19 MiB).
pub const MEMORY_KIB: u32 = 19 * 1024;
/// Passes over the memory.
pub const ITERATIONS: u32 = 2;
/// Lanes.
pub const PARALLELISM: u32 = 1;
/// The fewest characters a password may have.
pub const MIN_CHARS: usize = 12;
/// The most characters a password may have: it bounds the work one login asks of the server.
pub const MAX_CHARS: usize = 1024;

/// A password hash in the PHC string format (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// A hash read back from the store, as written by [`hash_password`].
    #[must_use]
    pub const fn from_stored(phc: String) -> Self {
        Self(phc)
    }

    /// The PHC string, to store.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Hashes never reach logs, even in debug output.
impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(…)")
    }
}

fn hasher() -> Result<Argon2<'static>, TeamsError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| TeamsError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Checks a new user's name: 1 to 64 characters (as the store allows), no control characters
/// (they would reach terminals and logs).
///
/// # Errors
/// [`TeamsError::UserName`] otherwise.
pub fn check_user_name(name: &str) -> Result<(), TeamsError> {
    let chars = name.chars().count();
    if (1..=64).contains(&chars) && !name.chars().any(char::is_control) && name.trim() == name {
        Ok(())
    } else {
        Err(TeamsError::UserName)
    }
}

/// Checks a new password's length (in characters, not bytes).
///
/// # Errors
/// [`TeamsError::PasswordLength`] when it is shorter than [`MIN_CHARS`] or longer than
/// [`MAX_CHARS`].
pub fn check_new_password(password: &str) -> Result<(), TeamsError> {
    let chars = password.chars().count();
    if (MIN_CHARS..=MAX_CHARS).contains(&chars) {
        Ok(())
    } else {
        Err(TeamsError::PasswordLength { min: MIN_CHARS, max: MAX_CHARS })
    }
}

/// Hashes a new password with a fresh 16-byte salt from the OS random source.
///
/// # Errors
/// [`TeamsError::PasswordLength`] for a password out of bounds, [`TeamsError::Random`] when the
/// random source fails.
pub fn hash_password(password: &str) -> Result<PasswordHash, TeamsError> {
    check_new_password(password)?;
    let salt = random_bytes::<16>()?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| TeamsError::Hash(e.to_string()))?;
    let hash = hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| TeamsError::Hash(e.to_string()))?;
    Ok(PasswordHash(hash.to_string()))
}

/// Whether `password` matches `stored`; with no stored hash (an unknown user) it does the same
/// work and answers false, so a login's time does not tell whether the account exists.
///
/// A password longer than [`MAX_CHARS`] is refused before any hashing, whoever it is for.
///
/// # Errors
/// [`TeamsError::StoredHash`] when the stored string is not a PHC hash.
pub fn verify_password(password: &str, stored: Option<&PasswordHash>) -> Result<bool, TeamsError> {
    if password.chars().count() > MAX_CHARS {
        return Ok(false);
    }
    let Some(stored) = stored else {
        // Same parameters as a real hash, so the same time.
        let salt = SaltString::encode_b64(&[0; 16]).map_err(|e| TeamsError::Hash(e.to_string()))?;
        hasher()?
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| TeamsError::Hash(e.to_string()))?;
        return Ok(false);
    };
    let parsed = Phc::new(&stored.0).map_err(|e| TeamsError::StoredHash(e.to_string()))?;
    if parsed.algorithm.as_str() != "argon2id" {
        return Err(TeamsError::StoredHash(format!("algorithm {}", parsed.algorithm)));
    }
    Ok(hasher()?.verify_password(password.as_bytes(), &parsed).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "correct horse battery staple";

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password(GOOD).unwrap();
        assert!(verify_password(GOOD, Some(&hash)).unwrap());
        assert!(!verify_password("correct horse battery stapler", Some(&hash)).unwrap());
        assert!(!verify_password("", Some(&hash)).unwrap());
    }

    #[test]
    fn hashes_use_argon2id_at_owasp_parameters_with_fresh_salts() {
        let a = hash_password(GOOD).unwrap();
        let b = hash_password(GOOD).unwrap();
        assert!(a.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", a.as_str());
        assert_ne!(a, b, "two hashes of one password share a salt");
    }

    #[test]
    fn unknown_users_never_verify() {
        assert!(!verify_password(GOOD, None).unwrap());
    }

    #[test]
    fn lengths_are_checked_in_characters() {
        assert!(hash_password("short").is_err());
        assert!(check_new_password(&"é".repeat(MIN_CHARS)).is_ok());
        assert!(check_new_password(&"a".repeat(MAX_CHARS + 1)).is_err());
        let hash = hash_password(GOOD).unwrap();
        assert!(!verify_password(&"a".repeat(MAX_CHARS + 1), Some(&hash)).unwrap());
    }

    #[test]
    fn user_names_are_short_printable_and_trimmed() {
        for good in ["ann", "Ann O'Brien", "x'); DROP TABLE users; --", &"é".repeat(64)] {
            assert!(check_user_name(good).is_ok(), "{good}");
        }
        for bad in ["", " ann", "ann ", "a\u{1b}[31m", "a\nb", &"a".repeat(65)] {
            assert!(check_user_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn damaged_or_foreign_hashes_are_errors() {
        assert!(verify_password(GOOD, Some(&PasswordHash::from_stored("nope".into()))).is_err());
        let md5ish = PasswordHash::from_stored("$1$abc$def".into());
        assert!(verify_password(GOOD, Some(&md5ish)).is_err());
    }

    #[test]
    fn debug_output_hides_the_hash() {
        let hash = hash_password(GOOD).unwrap();
        assert_eq!(format!("{hash:?}"), "PasswordHash(…)");
    }
}
