//! The user's settings: what they offer (for warm opportunities) and how often they want to be in
//! touch with each stage of relationship, or with the members of a group.

use rapport_score::Stage;
use rapport_store::{Read, Store};

use crate::{Engine, Error, Result, Snapshot};

/// A setting the user can change with `rapport config set`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SettingInfo {
    /// Its key.
    pub key: &'static str,
    /// What it means and what values it takes.
    pub help: &'static str,
    /// Its value when unset.
    pub default: &'static str,
}

/// The prefix of group cadences: `cadence.group.TERM` applies to the groups named by TERM.
const GROUP_CADENCE: &str = "cadence.group.";

/// Every setting, with its meaning and default. `cadence.group.TERM` stands for any number of keys,
/// one per term.
pub const SETTINGS: [SettingInfo; 6] = [
    SettingInfo {
        key: "offer",
        help: "what you offer, as keywords or a sentence; today's warm opportunities are posts asking for it",
        default: "",
    },
    SettingInfo {
        key: "cadence.close",
        help: "ideal and longest days between touches with a close relationship, as IDEAL,MAX",
        default: "14,30",
    },
    SettingInfo {
        key: "cadence.mutual",
        help: "ideal and longest days between touches with a mutual relationship, as IDEAL,MAX",
        default: "30,60",
    },
    SettingInfo {
        key: "cadence.engaged",
        help: "ideal and longest days between touches with an engaged relationship, as IDEAL,MAX",
        default: "60,120",
    },
    SettingInfo {
        key: "cadence.aware",
        help: "ideal and longest days between touches with an aware relationship, as IDEAL,MAX (0,0 for none)",
        default: "0,0",
    },
    SettingInfo {
        key: "cadence.group.TERM",
        help: "ideal and longest days between touches with the members of the groups (`rapport groups`) whose name has TERM, as IDEAL,MAX; e.g. `cadence.group.#permaculture 7,21`; it takes precedence over the stage's cadence",
        default: "",
    },
];

/// How often to be in touch: the ideal and the longest gap, in days (0 for no cadence).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cadence {
    /// The ideal number of days between touches.
    pub ideal: u32,
    /// The longest number of days between touches.
    pub max: u32,
}

fn parse_cadence(value: &str) -> Option<Cadence> {
    let (ideal, max) = value.split_once(',')?;
    let cadence = Cadence { ideal: ideal.trim().parse().ok()?, max: max.trim().parse().ok()? };
    (cadence.ideal <= cadence.max).then_some(cadence)
}

impl Engine {
    /// Changes a setting, checking its value.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        default_of(key)?;
        if key.starts_with("cadence.") && parse_cadence(value).is_none() {
            return Err(Error::InvalidSetting {
                key: key.to_owned(),
                value: value.to_owned(),
                reason: "give the ideal and longest days between touches, as IDEAL,MAX (for example 14,30)".into(),
            });
        }
        let key = match key.strip_prefix(GROUP_CADENCE) {
            Some(term) => format!("{GROUP_CADENCE}{}", normalise_term(term)),
            None => key.to_owned(),
        };
        Ok(self.store.set_setting(&key, value.trim())?)
    }
}

impl Snapshot<'_> {
    /// A setting's value (its default when unset).
    pub fn setting(&self, key: &str) -> Result<String> {
        let default = default_of(key)?;
        Ok(self.store.setting(key)?.unwrap_or_else(|| default.to_owned()))
    }

    /// Every stored setting with its value, the group cadences included, by key.
    pub fn stored_settings(&self) -> Result<Vec<(String, String)>> {
        Ok(self.store.settings()?)
    }

    /// Every setting's value, in one string: what views that depend on settings are keyed by.
    pub(crate) fn settings_fingerprint(&self) -> Result<String> {
        let mut out = String::new();
        for (key, value) in self.store.settings()? {
            out.push_str(&key);
            out.push('=');
            out.push_str(&value);
            out.push('\n');
        }
        Ok(out)
    }

    /// The cadence for relationships at `stage`, if any.
    pub fn cadence(&self, stage: Stage) -> Result<Option<Cadence>> {
        let key = format!("cadence.{}", stage.as_str());
        if default_of(&key).is_err() {
            return Ok(None);
        }
        let cadence = parse_cadence(&self.setting(&key)?);
        Ok(cadence.filter(|c| c.max > 0))
    }

    /// The group cadences the user set: each term (lower case, `#` kept for hashtags) with its
    /// cadence; `0,0` turns one off.
    pub(crate) fn group_cadences(&self) -> Result<Vec<(String, Cadence)>> {
        Ok(self
            .store
            .settings()?
            .into_iter()
            .filter_map(|(key, value)| {
                let term = key.strip_prefix(GROUP_CADENCE)?.to_owned();
                Some((term, parse_cadence(&value).filter(|c| c.max > 0)?))
            })
            .collect())
    }
}

/// A group's term as `rapport groups` names it: lower case, hashtags with their `#`.
pub(crate) fn normalise_term(term: &str) -> String {
    term.trim().to_lowercase()
}

/// A setting's default, or an error naming the settings there are.
fn default_of(key: &str) -> Result<&'static str> {
    if let Some(term) = key.strip_prefix(GROUP_CADENCE) {
        if term.trim().is_empty() || term.contains(char::is_whitespace) || term == "TERM" {
            return Err(Error::InvalidSetting {
                key: "group cadence".into(),
                value: key.to_owned(),
                reason: "it names no group; give a term from a group's name, as in cadence.group.#permaculture".into(),
            });
        }
        return Ok("");
    }
    SETTINGS.iter().find(|s| s.key == key).map(|s| s.default).ok_or_else(|| Error::UnknownSetting {
        key: key.to_owned(),
        known: SETTINGS.iter().map(|s| s.key).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cadences_parse() {
        assert_eq!(parse_cadence("14, 30"), Some(Cadence { ideal: 14, max: 30 }));
        assert_eq!(parse_cadence("30,14"), None);
        assert_eq!(parse_cadence("soon"), None);
        for s in SETTINGS.iter().filter(|s| s.key.starts_with("cadence.") && !s.default.is_empty())
        {
            assert!(parse_cadence(s.default).is_some(), "{}", s.key);
        }
    }
}
