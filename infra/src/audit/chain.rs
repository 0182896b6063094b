//! The keyed chain: each event's hash is an HMAC-SHA256, with a key kept outside the
//! database, over the previous hash and everything stored about the event, so an edited,
//! removed or inserted event breaks it and nobody without the key can recompute it.

use chrono::{DateTime, SecondsFormat, Utc};
use duban_domain::audit::ChainKind;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The hash before the first event of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One stored event of a chain, whatever its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub sequence: i64,
    pub kind: String,
    /// The actor's id, empty for the system.
    pub actor: String,
    pub at: DateTime<Utc>,
    pub data: String,
    pub sealed: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    pub key_id: Option<String>,
}

/// The timestamp as hashed: RFC 3339, UTC, microseconds.
pub fn at_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The keyed hash of `entry` in the chain of `chain`/`subject`, made with `key` named
/// `key_id` (the entry's own `hash` and `key_id` are not read). The input is the label
/// `duban-chain-v1`, then each part as an 8-byte big-endian length and its UTF-8 bytes:
/// chain, subject id, key id, sequence (decimal), kind, actor, at, data, sealed (empty when
/// none), previous hash.
pub fn mac(
    key: &[u8; 32],
    key_id: &str,
    chain: ChainKind,
    subject: uuid::Uuid,
    entry: &Entry,
) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        unreachable!("HMAC takes keys of any length");
    };
    mac.update(b"duban-chain-v1");
    for part in [
        chain.as_str(),
        &subject.to_string(),
        key_id,
        &entry.sequence.to_string(),
        &entry.kind,
        &entry.actor,
        &at_text(entry.at),
        &entry.data,
        entry.sealed.as_deref().unwrap_or_default(),
        &entry.prev_hash,
    ] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    hex::encode(mac.finalize().into_bytes())
}

/// A keyed digest of values that must not be stored in the clear (contact details): the
/// label, then each value length-prefixed as in [`mac`].
pub fn keyed_digest(key: &[u8; 32], label: &str, values: &[&str]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        unreachable!("HMAC takes keys of any length");
    };
    mac.update(label.as_bytes());
    for value in values {
        mac.update(&(value.len() as u64).to_be_bytes());
        mac.update(value.as_bytes());
    }
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            sequence: 1,
            kind: "registered".into(),
            actor: "a".into(),
            at: DateTime::UNIX_EPOCH,
            data: "{}".into(),
            sealed: None,
            prev_hash: GENESIS.into(),
            hash: String::new(),
            key_id: None,
        }
    }

    #[test]
    fn any_change_or_another_key_changes_the_hash() {
        let subject = uuid::Uuid::nil();
        let key = [7u8; 32];
        let base = mac(&key, "h1", ChainKind::Complaint, subject, &entry());
        assert_eq!(base.len(), 64);
        assert_eq!(
            base,
            mac(&key, "h1", ChainKind::Complaint, subject, &entry())
        );
        assert_ne!(
            base,
            mac(&[8u8; 32], "h1", ChainKind::Complaint, subject, &entry())
        );
        assert_ne!(
            base,
            mac(&key, "h2", ChainKind::Complaint, subject, &entry())
        );
        assert_ne!(
            base,
            mac(&key, "h1", ChainKind::Sanction, subject, &entry())
        );
        let sealed = Entry {
            sealed: Some("x".into()),
            ..entry()
        };
        assert_ne!(
            base,
            mac(&key, "h1", ChainKind::Complaint, subject, &sealed)
        );
    }
}
