//! The user's settings: what they offer (for warm opportunities) and how often they want to be in
//! touch with each stage of relationship.

use rapport_score::Stage;
use rapport_store::Store;

use crate::{Engine, Error, Result};

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

/// Every setting, with its meaning and default.
pub const SETTINGS: [SettingInfo; 5] = [
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
    /// A setting's value (its default when unset).
    pub fn setting(&self, key: &str) -> Result<String> {
        let info = info(key)?;
        Ok(self.store.setting(key)?.unwrap_or_else(|| info.default.to_owned()))
    }

    /// Changes a setting, checking its value.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        info(key)?;
        if key.starts_with("cadence.") && parse_cadence(value).is_none() {
            return Err(Error::User(format!(
                "'{value}' is not a cadence; give the ideal and longest days between touches, as IDEAL,MAX (for example 14,30)"
            )));
        }
        Ok(self.store.set_setting(key, value.trim())?)
    }

    /// The cadence for relationships at `stage`, if any.
    pub fn cadence(&self, stage: Stage) -> Result<Option<Cadence>> {
        let key = format!("cadence.{}", stage.as_str());
        if info(&key).is_err() {
            return Ok(None);
        }
        let cadence = parse_cadence(&self.setting(&key)?);
        Ok(cadence.filter(|c| c.max > 0))
    }
}

fn info(key: &str) -> Result<SettingInfo> {
    SETTINGS.iter().find(|s| s.key == key).copied().ok_or_else(|| {
        let keys: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
        Error::User(format!("unknown setting '{key}'; the settings are {}", keys.join(", ")))
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
        for s in SETTINGS.iter().filter(|s| s.key.starts_with("cadence.")) {
            assert!(parse_cadence(s.default).is_some(), "{}", s.key);
        }
    }
}
