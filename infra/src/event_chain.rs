//! The tamper-evident chain of a complaint's events: each event's hash covers the previous
//! hash and the event's own content, so an edited or removed event breaks every later hash.

use sha2::{Digest, Sha256};

/// The hash before the first event of a complaint.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_change_changes_the_hash() {
        let base = link(GENESIS, "c", 1, "registered", "a", "t", "{}");
        assert_eq!(base.len(), 64);
        assert_ne!(base, link(GENESIS, "c", 2, "registered", "a", "t", "{}"));
        assert_ne!(base, link(GENESIS, "c", 1, "registered", "a", "t", "{ }"));
        assert_eq!(base, link(GENESIS, "c", 1, "registered", "a", "t", "{}"));
    }
}
