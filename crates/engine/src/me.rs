//! Who "me" is: the stored owner accounts, or any account named with `--as`.

use rapport_store::{AccountRow, Read, Store};

use crate::{Engine, Error, Result, Snapshot};

impl Engine {
    /// Marks the accounts matching `handle` (on every network where it matches exactly) as "me".
    pub fn set_me(&self, handle: &str) -> Result<Vec<AccountRow>> {
        let accounts = self.read()?.exact_accounts(handle)?;
        let ids: Vec<i64> = accounts.iter().map(|a| a.id).collect();
        self.store.set_me(&ids)?;
        Ok(accounts)
    }
}

impl Snapshot<'_> {
    /// The accounts to view the store as: those matching `as_account` when given, else the stored
    /// "me".
    pub fn me(&self, as_account: Option<&str>) -> Result<Vec<AccountRow>> {
        if let Some(handle) = as_account {
            return self.exact_accounts(handle);
        }
        let me = self.store.me()?;
        if me.is_empty() {
            return Err(Error::NoMe);
        }
        Ok(me)
    }

    /// The accounts whose handle or id is `handle`, or an error saying there are none.
    fn exact_accounts(&self, handle: &str) -> Result<Vec<AccountRow>> {
        let wanted = handle.trim().trim_start_matches('@');
        let accounts: Vec<AccountRow> = self
            .store
            .find_accounts(handle)?
            .into_iter()
            .filter(|a| {
                a.native_id == wanted
                    || a.handle.as_deref().is_some_and(|h| h.eq_ignore_ascii_case(wanted))
            })
            .collect();
        if accounts.is_empty() {
            return Err(Error::UnknownAccount { query: handle.to_owned() });
        }
        Ok(accounts)
    }
}
