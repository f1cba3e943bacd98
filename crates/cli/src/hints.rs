//! What to do about an engine error, in this command line's own terms, and the exit code it
//! earns: the engine says what went wrong, the front end says which command fixes it.

use std::process::ExitCode;

use rapport_engine::Error;
use rapport_engine::distributed::DistError;

/// Exit code of a failure the user can fix: bad input, an unknown name, a bad setting.
const USER_ERROR: u8 = 1;
/// Exit code of a failure inside Rapport or the machine (a store that fails, a reader that died).
const INTERNAL_ERROR: u8 = 3;

/// The hint for an engine error, if the CLI has one.
pub(crate) fn hint(error: &Error) -> Option<&'static str> {
    Some(match error {
        Error::NoMe => {
            "run `rapport me HANDLE` (or import an export that says), or pass --as HANDLE"
        }
        Error::UnknownAccount { .. } => {
            "give a handle or id that appears in your imports; `rapport people` lists the handles you have history with"
        }
        Error::NoInteractions { as_another: false, .. } => {
            "import your export, or pick another account with --as"
        }
        Error::InvalidActionId { .. } => "`rapport today` shows each action's id",
        Error::UnknownSetting { .. } | Error::InvalidSetting { .. } => {
            "`rapport config list` shows every setting with what it takes"
        }
        Error::NotMerged { .. } => "`rapport people --suggest-merges` lists likely merges",
        Error::NoHistory { .. } => "`rapport people` lists the people you have history with",
        _ => return None,
    })
}

/// The exit code for a failed command: user errors apart from internal ones.
pub(crate) fn exit_code(error: &anyhow::Error) -> ExitCode {
    let internal =
        error.chain().find_map(|e| e.downcast_ref::<Error>()).is_some_and(|e| !e.is_user_error())
            || error
                .chain()
                .find_map(|e| e.downcast_ref::<DistError>())
                .is_some_and(|e| !e.is_user_error());
    ExitCode::from(if internal { INTERNAL_ERROR } else { USER_ERROR })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_and_internal_errors_exit_differently() {
        let user = anyhow::Error::from(Error::NoMe).context("listing people");
        let internal =
            anyhow::Error::from(Error::ReaderFailed { path: "a.zip".into() }).context("importing");
        assert_eq!(exit_code(&user), ExitCode::from(USER_ERROR));
        assert_eq!(exit_code(&internal), ExitCode::from(INTERNAL_ERROR));
        assert!(hint(&Error::NoMe).is_some_and(|h| h.contains("rapport me HANDLE")));
        assert!(hint(&Error::ReaderFailed { path: "a.zip".into() }).is_none());
    }
}
