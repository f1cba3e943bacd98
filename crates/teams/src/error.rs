//! The crate's error type.

/// What can go wrong in team mode's pure parts.
#[derive(Debug, thiserror::Error)]
pub enum TeamsError {
    /// The operating system's random source could not be read, so no secret was made.
    #[error(
        "cannot read the operating system's random source ({0}); check /dev/urandom and the process's limits"
    )]
    Random(String),
    /// A password is shorter or longer than allowed.
    #[error("a password must have between {min} and {max} characters")]
    PasswordLength {
        /// The fewest characters allowed.
        min: usize,
        /// The most characters allowed.
        max: usize,
    },
    /// Hashing a password failed inside Argon2 (its parameters are fixed, so this is a bug).
    #[error("cannot hash the password: {0}")]
    Hash(String),
    /// A stored password hash is not a PHC string this build can read.
    #[error("the stored password hash is damaged ({0}); set a new password with `rapport admin`")]
    StoredHash(String),
    /// A user name is empty, too long, or holds control characters.
    #[error("a user name has 1 to 64 characters, none of them control characters")]
    UserName,
    /// A role's name is none of owner, editor, viewer.
    #[error("unknown role `{0}`; use owner, editor or viewer")]
    UnknownRole(String),
    /// An audit action's name is not one this build writes.
    #[error("unknown audit action `{0}`")]
    UnknownAction(String),
}
