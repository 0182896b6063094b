//! The old, unkeyed chain of complaint events (plain SHA-256, before keys): kept only to
//! check a chain before it is adopted into the keyed scheme.

use sha2::{Digest, Sha256};

pub(crate) fn link(
    prev_hash: &str,
    complaint_id: &str,
    sequence: i64,
    kind: &str,
    actor: &str,
    at: &str,
    data: &str,
) -> String {
    let mut hasher = Sha256::new();
    for part in [
        prev_hash,
        complaint_id,
        &sequence.to_string(),
        kind,
        actor,
        at,
        data,
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hex::encode(hasher.finalize())
}
