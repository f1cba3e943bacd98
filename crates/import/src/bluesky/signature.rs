//! The commit's signature and the account's signing key.
//!
//! A repository commit is signed by the account's key: the ECDSA signature (secp256k1 or NIST P-256,
//! "low-S" form) of the SHA-256 of the commit's DAG-CBOR encoding without its `sig` field. The key is
//! the `#atproto` verification method of the account's DID document, a multibase "multikey"
//! (`z` + base58btc of a multicodec prefix and a compressed point). The CIDs make a file consistent;
//! only the signature says the account wrote it.

use ipld_core::ipld::Ipld;
use k256::ecdsa::signature::Verifier;
use serde_json::Value;

/// The multicodec prefix of a compressed secp256k1 public key (`secp256k1-pub`, 0xe7).
const K256_PREFIX: [u8; 2] = [0xe7, 0x01];

/// The multicodec prefix of a compressed P-256 public key (`p256-pub`, 0x1200).
const P256_PREFIX: [u8; 2] = [0x80, 0x24];

/// An account's signing key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    /// A secp256k1 key ("K-256").
    K256(k256::ecdsa::VerifyingKey),
    /// A NIST P-256 key.
    P256(p256::ecdsa::VerifyingKey),
}

impl Key {
    /// Parses a multikey (`publicKeyMultibase`), as in `zQ3sh…` (secp256k1) or `zDna…` (P-256).
    pub fn from_multikey(multikey: &str) -> Result<Key, String> {
        Key::from_multibase(multikey, None)
    }

    /// Parses a `publicKeyMultibase`: a multikey, or with `legacy` set, the bare point of the
    /// given curve that older DID documents publish (`EcdsaSecp256k1VerificationKey2019`, `true`
    /// for secp256k1; `EcdsaSecp256r1VerificationKey2019`, `false` for P-256).
    fn from_multibase(multikey: &str, legacy: Option<bool>) -> Result<Key, String> {
        let bad = |why: &str| format!("the key '{multikey}' is not a multikey ({why})");
        if !multikey.starts_with('z') {
            return Err(bad("it is not base58btc multibase, which starts with z"));
        }
        let (_, bytes) = multibase::decode(multikey).map_err(|e| bad(&e.to_string()))?;
        let (prefix, point) = match legacy {
            Some(true) => (&K256_PREFIX[..], bytes.as_slice()),
            Some(false) => (&P256_PREFIX[..], bytes.as_slice()),
            None => bytes.split_at_checked(2).ok_or_else(|| bad("it is too short"))?,
        };
        if prefix == K256_PREFIX {
            k256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map(Key::K256)
                .map_err(|_| bad("not a secp256k1 point"))
        } else if prefix == P256_PREFIX {
            p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map(Key::P256)
                .map_err(|_| bad("not a P-256 point"))
        } else {
            Err(bad("its key type is neither secp256k1 nor P-256"))
        }
    }

    /// The key's multikey text.
    pub fn to_multikey(&self) -> String {
        let (prefix, point) = match self {
            Key::K256(k) => (K256_PREFIX, k.to_encoded_point(true).as_bytes().to_vec()),
            Key::P256(k) => (P256_PREFIX, k.to_encoded_point(true).as_bytes().to_vec()),
        };
        multibase::encode(multibase::Base::Base58Btc, [&prefix[..], &point].concat())
    }
}

/// The `#atproto` signing key of `did` from its DID document, which must be the document of `did`.
pub(crate) fn key_of(did: &str, document: &Value) -> Result<Key, String> {
    if document.get("id").and_then(Value::as_str) != Some(did) {
        return Err(format!("the DID document is not that of {did}"));
    }
    let methods = document.get("verificationMethod").and_then(Value::as_array);
    let method = methods.into_iter().flatten().find(|m| {
        m.get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| id == "#atproto" || id == format!("{did}#atproto"))
    });
    let multikey = method
        .and_then(|m| m.get("publicKeyMultibase"))
        .and_then(Value::as_str)
        .ok_or_else(|| format!("the DID document of {did} has no #atproto signing key"))?;
    let legacy = match method.and_then(|m| m.get("type")).and_then(Value::as_str) {
        Some("EcdsaSecp256k1VerificationKey2019") => Some(true),
        Some("EcdsaSecp256r1VerificationKey2019") => Some(false),
        _ => None,
    };
    Key::from_multibase(multikey, legacy)
}

/// Checks that `commit` (a decoded commit block) carries a signature of `key`.
pub(crate) fn verify(commit: &Ipld, key: &Key) -> Result<(), String> {
    let Ipld::Map(fields) = commit else { return Err("the commit is not a map".into()) };
    let Some(Ipld::Bytes(sig)) = fields.get("sig") else {
        return Err("the commit is not signed".into());
    };
    let mut unsigned = fields.clone();
    unsigned.remove("sig");
    let bytes = serde_ipld_dagcbor::to_vec(&Ipld::Map(unsigned))
        .map_err(|e| format!("the commit cannot be encoded again ({e})"))?;
    let mismatch = "the commit's signature is not the account's: the repository was altered, or is not the account's";
    let high_s = "the commit's signature is not in low-S form, which the AT Protocol requires";
    match key {
        Key::K256(k) => {
            let sig = k256::ecdsa::Signature::from_slice(sig).map_err(|_| mismatch.to_owned())?;
            if sig.normalize_s().is_some() {
                return Err(high_s.into());
            }
            k.verify(&bytes, &sig).map_err(|_| mismatch.to_owned())
        }
        Key::P256(k) => {
            let sig = p256::ecdsa::Signature::from_slice(sig).map_err(|_| mismatch.to_owned())?;
            if sig.normalize_s().is_some() {
                return Err(high_s.into());
            }
            k.verify(&bytes, &sig).map_err(|_| mismatch.to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use k256::ecdsa::signature::Signer;

    use super::*;
    use crate::bluesky::build;

    /// A commit over an arbitrary tree, and its bytes to sign.
    fn unsigned() -> (Ipld, Vec<u8>) {
        let tree = build::block(&build::node(&[], build::block(&Ipld::Null).cid));
        let commit = build::commit("did:plc:abcdefghijklmnopqrstuvwx", tree.cid);
        let bytes = serde_ipld_dagcbor::to_vec(&commit).unwrap();
        (commit, bytes)
    }

    fn signed(commit: &Ipld, sig: Vec<u8>) -> Ipld {
        let Ipld::Map(mut fields) = commit.clone() else { unreachable!() };
        fields.insert("sig".into(), Ipld::Bytes(sig));
        Ipld::Map(fields)
    }

    #[test]
    fn verifies_secp256k1_and_p256_signatures() {
        let (commit, bytes) = unsigned();
        let k = k256::ecdsa::SigningKey::from_slice(&[7; 32]).unwrap();
        let k_sig: k256::ecdsa::Signature = k.sign(&bytes);
        let p = p256::ecdsa::SigningKey::from_slice(&[9; 32]).unwrap();
        let p_sig: p256::ecdsa::Signature = p.sign(&bytes);
        let p_sig = p_sig.normalize_s().unwrap_or(p_sig);
        let k_key = Key::K256(*k.verifying_key());
        let p_key = Key::P256(*p.verifying_key());
        assert_eq!(verify(&signed(&commit, k_sig.to_bytes().to_vec()), &k_key), Ok(()));
        assert_eq!(verify(&signed(&commit, p_sig.to_bytes().to_vec()), &p_key), Ok(()));
        // Another key, or an altered commit, does not verify.
        assert!(verify(&signed(&commit, k_sig.to_bytes().to_vec()), &p_key).is_err());
        let mut altered = signed(&commit, k_sig.to_bytes().to_vec());
        if let Ipld::Map(m) = &mut altered {
            m.insert("rev".into(), Ipld::String("3lother000000".into()));
        }
        assert!(verify(&altered, &k_key).unwrap_err().contains("not the account's"));
        assert!(verify(&commit, &k_key).unwrap_err().contains("not signed"));
        // The same signature in high-S form is refused.
        let (r, s) = k_sig.split_scalars();
        let high = k256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
        assert!(
            verify(&signed(&commit, high.to_bytes().to_vec()), &k_key)
                .unwrap_err()
                .contains("low-S")
        );
    }

    // The signature covers the commit's canonical DAG-CBOR bytes, which the check rebuilds from the
    // decoded commit: a real server's commit must come back byte for byte.
    #[test]
    fn a_real_commit_encodes_back_to_its_bytes() {
        let bytes = include_bytes!("../../../../fixtures/bluesky/pds-alice/repo.car");
        let car = crate::bluesky::car::parse(bytes, &mut |_| {}).unwrap();
        let repo = crate::bluesky::repo::open(&car).unwrap();
        let block = car.blocks[&car.roots[0]];
        assert_eq!(serde_ipld_dagcbor::to_vec(&repo.commit).unwrap(), block.data);
    }

    #[test]
    fn reads_multikeys() {
        let k = Key::K256(*k256::ecdsa::SigningKey::from_slice(&[7; 32]).unwrap().verifying_key());
        let p = Key::P256(*p256::ecdsa::SigningKey::from_slice(&[9; 32]).unwrap().verifying_key());
        // The multicodec prefixes give these leading characters (AT Protocol cryptography spec).
        assert!(k.to_multikey().starts_with("zQ3s"), "{}", k.to_multikey());
        assert!(p.to_multikey().starts_with("zDn"), "{}", p.to_multikey());
        for key in [&k, &p] {
            assert_eq!(Key::from_multikey(&key.to_multikey()).as_ref(), Ok(key));
        }
        for bad in
            ["", "Q3shabc", "z", "z111111", "zQ3shZc2QzApp2oymGvQbzP8eKheVshBHbU4ZYjeXqwSKEn6M"]
        {
            assert!(Key::from_multikey(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn finds_the_atproto_key_of_a_did_document() {
        let k = Key::K256(*k256::ecdsa::SigningKey::from_slice(&[7; 32]).unwrap().verifying_key());
        let did = "did:plc:abcdefghijklmnopqrstuvwx";
        let doc = serde_json::json!({
            "id": did,
            "alsoKnownAs": ["at://alice.test"],
            "verificationMethod": [{
                "id": format!("{did}#atproto"),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": k.to_multikey(),
            }],
        });
        assert_eq!(key_of(did, &doc), Ok(k.clone()));
        assert!(key_of("did:plc:other", &doc).unwrap_err().contains("not that of"));
        // Older documents publish the bare point under a curve-named type.
        let Key::K256(point) = &k else { unreachable!() };
        let bare =
            multibase::encode(multibase::Base::Base58Btc, point.to_encoded_point(true).as_bytes());
        let legacy = serde_json::json!({"id": did, "verificationMethod": [{
            "id": "#atproto", "type": "EcdsaSecp256k1VerificationKey2019", "publicKeyMultibase": bare,
        }]});
        assert_eq!(key_of(did, &legacy), Ok(k));
        let empty = serde_json::json!({"id": did, "verificationMethod": []});
        assert!(key_of(did, &empty).unwrap_err().contains("no #atproto"));
    }
}
