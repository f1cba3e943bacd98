//! The account's DID document, for the key that signs its repository: `did:plc` documents from a
//! PLC directory (`https://plc.directory` unless told otherwise), `did:web` documents from the
//! domain's `/.well-known/did.json`, as the AT Protocol's DID specification describes.

use serde_json::Value;

use super::signature::{self, Key};

/// The PLC directory asked when the user names none.
pub const DEFAULT_DIRECTORY: &str = "https://plc.directory";

/// No DID document comes near this.
const MAX_DOCUMENT: u64 = 1 << 20;

/// Where the DID document of `did` is published.
pub(crate) fn document_url(did: &str, directory: &str) -> Result<String, String> {
    if did.starts_with("did:plc:") {
        return Ok(format!("{}/{did}", directory.trim_end_matches('/')));
    }
    if let Some(host) = did.strip_prefix("did:web:") {
        // The AT Protocol allows did:web for whole hostnames only: a `:` would start a path (a
        // port is written %3A).
        if host.contains(':') {
            return Err(format!(
                "{did} names a path; the AT Protocol uses did:web for hostnames only"
            ));
        }
        let host = host.replace("%3A", ":").replace("%3a", ":");
        if host.contains(['/', '%']) {
            return Err(format!(
                "{did} names a path; the AT Protocol uses did:web for hostnames only"
            ));
        }
        return Ok(format!("https://{host}/.well-known/did.json"));
    }
    Err(format!(
        "{did} uses a DID method the AT Protocol does not support (only did:plc and did:web)"
    ))
}

/// Fetches the DID document of `did` and returns its signing key.
pub(crate) fn resolve_key(agent: &ureq::Agent, did: &str, directory: &str) -> Result<Key, String> {
    let url = document_url(did, directory)?;
    let mut response = agent.get(&url).call().map_err(|e| {
        format!("could not fetch the DID document of {did} from {url} ({e}); its signature cannot be checked")
    })?;
    let status = response.status();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_DOCUMENT)
        .read_to_vec()
        .map_err(|e| format!("the DID document of {did} from {url} could not be read ({e})"))?;
    if !status.is_success() {
        return Err(format!("{url} answered {status} for the DID document of {did}"));
    }
    let document: Value = serde_json::from_slice(&body)
        .map_err(|e| format!("the DID document of {did} from {url} is not JSON ({e})"))?;
    signature::key_of(did, &document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_where_documents_are_published() {
        let url = |did: &str| document_url(did, "https://plc.example/");
        assert_eq!(url("did:plc:abc").unwrap(), "https://plc.example/did:plc:abc");
        assert_eq!(url("did:web:ada.example").unwrap(), "https://ada.example/.well-known/did.json");
        assert_eq!(
            url("did:web:localhost%3A8080").unwrap(),
            "https://localhost:8080/.well-known/did.json"
        );
        assert!(url("did:web:ada.example:u:ada").is_err());
        assert!(url("did:key:zQ3sh").is_err());
    }
}
