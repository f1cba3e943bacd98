//! Where the sending account comes from. `rapport serve` reads the connected accounts from
//! `credentials.json` beside the store, as `rapport sync` does ([`CredentialsFile`]); a team
//! server supplies each workspace's own by implementing [`Senders`] and calling
//! [`super::send_message`] with it.

use rapport_engine::Engine;
use rapport_engine::model::{Network, Record};
use rapport_engine::sync::http::Limits;
use rapport_engine::sync::{Credentials, Outgoing};

use super::refused;
use crate::error::{ApiError, Kind};

/// What a sending account did.
pub(crate) struct Sent {
    /// The account's name (`@handle`, `user@instance`).
    pub(crate) from: String,
    /// The account's key in the store (`bluesky:<DID>`, `mastodon:<actor URI>`).
    pub(crate) key: String,
    /// The records of what was sent, with the network's ids.
    pub(crate) records: Vec<Record>,
}

/// The accounts messages are sent from.
pub(crate) trait Senders {
    /// The networks with a connected account.
    fn networks(&self, engine: &Engine) -> Vec<Network>;

    /// Sends `outgoing` from the connected account on `network` (the one `account` names, when
    /// given). Tokens the network rotated are kept whether or not the message went out.
    fn send(
        &self,
        engine: &Engine,
        network: Network,
        account: Option<&str>,
        outgoing: &Outgoing,
    ) -> Result<Sent, ApiError>;
}

/// The connected accounts of `credentials.json` beside the store.
pub(crate) struct CredentialsFile;

impl Senders for CredentialsFile {
    fn networks(&self, engine: &Engine) -> Vec<Network> {
        // A credentials file that cannot be read offers none (sending says why).
        let Ok(credentials) = Credentials::load(&data_dir(engine)) else { return Vec::new() };
        [Network::Bluesky, Network::Mastodon]
            .into_iter()
            .filter(|n| credentials.connections.iter().any(|c| c.network() == *n))
            .collect()
    }

    fn send(
        &self,
        engine: &Engine,
        network: Network,
        account: Option<&str>,
        outgoing: &Outgoing,
    ) -> Result<Sent, ApiError> {
        let mut credentials = Credentials::load(&data_dir(engine)).map_err(refused)?;
        let Some(connection) = credentials
            .connections
            .iter_mut()
            .find(|c| c.network() == network && account.is_none_or(|a| c.is(a)))
        else {
            return Err(ApiError::new(
                Kind::Conflict,
                format!(
                    "no {} account{} is connected, so nothing can be sent there; run `rapport connect {} …` first",
                    network.as_str(),
                    account.map(|a| format!(" '{a}'")).unwrap_or_default(),
                    network.as_str()
                ),
            ));
        };
        let (from, key) = (connection.name(), connection.key());
        let records = rapport_engine::sync::send(connection, outgoing, Limits::default());
        credentials.save().map_err(refused)?;
        Ok(Sent { from, key, records: records.map_err(refused)? })
    }
}

/// The store's folder, where the credentials file lives beside it (as for `rapport sync`).
fn data_dir(engine: &Engine) -> std::path::PathBuf {
    engine.db_path().parent().map(std::path::Path::to_path_buf).unwrap_or_default()
}
