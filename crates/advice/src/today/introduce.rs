//! Introduce: like-minded people from discovery who can be met through a warm path, someone the
//! user talks with who already follows or talks with them.

use super::{Action, ActionKind, TodayInputs, action_id};

/// Adds an introduction for each suggestion with a warm path and an account to meet them on.
pub(super) fn introductions(inputs: &TodayInputs<'_>, actions: &mut Vec<Action>) {
    for s in inputs.introductions {
        let Some(path) = s.through.first() else { continue };
        let Some(account) = s.accounts.first() else { continue };
        let label = account.label();
        let mut why = format!("{label} shares your interests: {}", s.why);
        why.push_str(&format!("; {path} can introduce you"));
        actions.push(Action {
            id: action_id(ActionKind::Introduce, account.person, account.id),
            kind: ActionKind::Introduce,
            who: label.clone(),
            network: account.network,
            why,
            approach: format!(
                "Ask {path} for an introduction, or reply to something {label} posted about what you share; no pitch"
            ),
            value: 0.6 * s.score,
            at: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::fixture::{Setup, account};
    use crate::today::{Introduction, candidates};

    #[test]
    fn introductions_need_a_warm_path() {
        let ada = [account(1, "ada")];
        let through = ["@bo".to_owned()];
        for (name, accounts, path, want) in [
            (
                "a warm path",
                &ada[..],
                &through[..],
                Some(
                    "@ada shares your interests: you both post about #compost; @bo can introduce you",
                ),
            ),
            ("no one to introduce", &ada[..], &[][..], None),
            ("no account to meet them on", &[][..], &through[..], None),
        ] {
            let setup = Setup {
                introductions: vec![Introduction {
                    accounts,
                    score: 0.5,
                    through: path,
                    why: "you both post about #compost",
                }],
                ..Setup::default()
            };
            let got = candidates(&setup.inputs());
            assert_eq!(got.first().map(|a| a.why.as_str()), want, "{name}");
            if want.is_some() {
                assert!((got[0].value - 0.3).abs() < 1e-9, "{name}");
                assert_eq!(
                    got[0].approach,
                    "Ask @bo for an introduction, or reply to something @ada posted about what you share; no pitch"
                );
            }
        }
    }
}
