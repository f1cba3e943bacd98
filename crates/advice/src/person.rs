//! One person "me" has history with, as the engine's people listing holds them: the rules of
//! today and the audit are written over these.

use rapport_model::rows::AccountRow;
use rapport_score::Relationship;

/// One person "me" has history with.
#[derive(Clone, Debug)]
pub struct PersonSummary {
    /// The person's id (an unmerged account's is minus its account id).
    pub person: i64,
    /// Their accounts.
    pub accounts: Vec<AccountRow>,
    /// The relationship as the model sees it.
    pub relationship: Relationship,
}

impl PersonSummary {
    /// The name to show for the person: their first account's label.
    pub fn label(&self) -> String {
        self.accounts.first().map_or_else(|| self.person.to_string(), AccountRow::label)
    }
}
