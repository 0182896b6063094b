//! Password hashing with argon2id (OWASP parameters: 19 MiB, 2 iterations, 1 lane), run off
//! the async executor.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::store_error::StoreError;

/// Hashing failed (not a wrong password: that is `Ok(false)`).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashingError(String);

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Hashes a password into a PHC string.
///
/// # Errors
/// [`HashingError`] when hashing or the blocking task fails.
pub async fn hash(password: String) -> Result<String, HashingError> {
    tokio::task::spawn_blocking(move || {
        argon2()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| HashingError(e.to_string()))
    })
    .await
    .map_err(|e| HashingError(e.to_string()))?
}

/// Checks a password against a stored PHC string. With no stored hash (unknown user) it
/// verifies against a fixed dummy hash, so the time taken does not reveal whether the user
/// exists, and answers `false`.
///
/// # Errors
/// [`HashingError`] when the blocking task fails.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, HashingError> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && known
    })
    .await
    .map_err(|e| HashingError(e.to_string()))
}

/// argon2id of a random password nobody knows, with the same parameters as real hashes.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$8Qw1vM6r3y6o1a4mW3bq0yJm0Q5u3bB3mX1d5b7mF2E";

/// A password of 20 letters and digits (no look-alikes) from the system's randomness, for
/// an account whose password nobody chose.
///
/// # Errors
/// [`StoreError::Unavailable`] when the system has no randomness to give.
pub fn generate_password() -> Result<String, StoreError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Unavailable(format!("no randomness: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_and_verifies() {
        let phc = hash("correct horse".into()).await.unwrap_or_default();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(
            verify("correct horse".into(), Some(phc.clone()))
                .await
                .unwrap_or(false)
        );
        assert!(!verify("wrong".into(), Some(phc)).await.unwrap_or(true));
        assert!(!verify("anything".into(), None).await.unwrap_or(true));
    }
}
