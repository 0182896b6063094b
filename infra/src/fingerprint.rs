//! Fingerprints of requests, so that a retried request can be told from another one that
//! reuses its `Idempotency-Key`.

use sha2::{Digest, Sha256};

/// The SHA-256 (hex) of an operation and its body; a JSON body counts by its value, so that
/// spacing does not.
#[must_use]
pub fn request_fingerprint(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let canonical = serde_json::from_slice::<serde_json::Value>(body)
        .map(|v| v.to_string().into_bytes())
        .unwrap_or_else(|_| body.to_vec());
    let mut hash = Sha256::new();
    hash.update(method);
    hash.update(b" ");
    hash.update(path_and_query);
    hash.update(b"\n");
    hash.update(canonical);
    hex::encode(hash.finalize())
}

/// The SHA-256 (hex) of a request body as the operation read it.
#[must_use]
pub fn body_fingerprint(body: &str) -> String {
    hex::encode(Sha256::digest(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_does_not_count_but_the_operation_and_the_values_do() {
        let a = request_fingerprint("POST", "/api/v1/x", br#"{"a": 1, "b": [2]}"#);
        assert_eq!(
            a,
            request_fingerprint("POST", "/api/v1/x", br#"{"a":1,"b":[2]}"#)
        );
        assert_ne!(
            a,
            request_fingerprint("POST", "/api/v1/y", br#"{"a":1,"b":[2]}"#)
        );
        assert_ne!(
            a,
            request_fingerprint("PATCH", "/api/v1/x", br#"{"a":1,"b":[2]}"#)
        );
        assert_ne!(
            a,
            request_fingerprint("POST", "/api/v1/x", br#"{"a":2,"b":[2]}"#)
        );
        assert_eq!(body_fingerprint("x").len(), 64);
    }
}
