//! Logging in and out: opaque bearer tokens (256 random bits, stored only as a SHA-256
//! hash, expiring, revocable), with failed logins throttled and logged by [`crate::login_guard`].

use chrono::{DateTime, Duration, Utc};
use duban_domain::ids::UserId;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::accounts::{AccountStore, UserRecord};
use crate::db::begin_write;
use crate::entities::{auth_token, user};
use crate::login_guard::{self, Keys, SecurityEventKind, ThrottlePolicy};
use crate::password;
use crate::store_error::StoreError;

/// How long tokens live and how failed logins are throttled.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub token_ttl: Duration,
    pub throttle: ThrottlePolicy,
}

/// A freshly issued token: the only time the raw value exists outside the client.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserRecord,
}

/// Why a login failed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("too many failed logins from this address; try again in {retry_after_seconds} s")]
    Throttled { retry_after_seconds: i64 },
    #[error(transparent)]
    Storage(#[from] StoreError),
}

impl From<sea_orm::DbErr> for LoginError {
    fn from(err: sea_orm::DbErr) -> Self {
        LoginError::Storage(err.into())
    }
}

/// Issues, checks and revokes tokens.
#[derive(Clone)]
pub struct SessionStore {
    db: DatabaseConnection,
    accounts: AccountStore,
    policy: SessionPolicy,
}

/// The stored form of a token.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A wait in whole seconds, rounded up (at least 1): a client that waits what `Retry-After`
/// says must not find the block still running.
fn whole_seconds_up(wait: Duration) -> i64 {
    let whole = wait.num_seconds();
    let rounded = if wait > Duration::seconds(whole) {
        whole + 1
    } else {
        whole
    };
    rounded.max(1)
}

fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Unavailable(format!("no randomness: {e}")))?;
    Ok(format!("dbn_{}", hex::encode(bytes)))
}

impl SessionStore {
    pub fn new(db: DatabaseConnection, policy: SessionPolicy) -> Self {
        Self {
            accounts: AccountStore::new(db.clone()),
            db,
            policy,
        }
    }

    /// Checks the password and issues a token. `client_address` is where the attempt comes
    /// from (an IP address).
    ///
    /// # Errors
    /// [`LoginError::Throttled`] while the username from this address, or this address, is
    /// blocked (even with the right password), [`LoginError::InvalidCredentials`] otherwise
    /// when the check fails.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client_address: &str,
        now: DateTime<Utc>,
    ) -> Result<IssuedToken, LoginError> {
        let keys = Keys::new(username, client_address);
        if let Some(until) = login_guard::blocked_until(&self.db, &keys, now).await? {
            login_guard::record(
                &self.db,
                SecurityEventKind::LoginThrottled,
                username,
                client_address,
                now,
            )
            .await?;
            return Err(LoginError::Throttled {
                retry_after_seconds: whole_seconds_up(until - now),
            });
        }
        let credentials = self.accounts.credentials(username).await?;
        let (user_id, stored) = match credentials {
            Some((id, hash)) => (Some(id), Some(hash)),
            None => (None, None),
        };
        let verified = password::verify(password.to_owned(), stored)
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        match (verified, user_id) {
            (true, Some(user_id)) => self.issue(&keys, user_id, now).await,
            _ => {
                let txn = begin_write(&self.db).await?;
                login_guard::count_failure(&txn, &keys, &self.policy.throttle, now).await?;
                login_guard::record(
                    &txn,
                    SecurityEventKind::LoginFailed,
                    username,
                    client_address,
                    now,
                )
                .await?;
                txn.commit().await?;
                Err(LoginError::InvalidCredentials)
            }
        }
    }

    async fn issue(
        &self,
        keys: &Keys,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> Result<IssuedToken, LoginError> {
        let token = new_token()?;
        let expires_at = now + self.policy.token_ttl;
        let txn = begin_write(&self.db).await?;
        login_guard::clear(&txn, keys).await?;
        auth_token::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            user_id: Set(user_id.as_uuid()),
            token_hash: Set(token_hash(&token)),
            created_at: Set(now),
            expires_at: Set(expires_at),
            revoked_at: Set(None),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        let user = self.accounts.get(user_id).await?;
        Ok(IssuedToken {
            token,
            expires_at,
            user,
        })
    }

    /// The active account behind a token, if the token is known, unexpired and unrevoked.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    pub async fn authenticate(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserRecord>, StoreError> {
        let Some(session) = auth_token::Entity::find()
            .filter(auth_token::Column::TokenHash.eq(token_hash(token)))
            .filter(auth_token::Column::RevokedAt.is_null())
            .filter(auth_token::Column::ExpiresAt.gt(now))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let found = user::Entity::find_by_id(session.user_id)
            .one(&self.db)
            .await?;
        match found {
            Some(u) if u.active => Ok(Some(u.try_into()?)),
            _ => Ok(None),
        }
    }

    /// Revokes the token; revoking an unknown or already revoked token changes nothing.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    pub async fn logout(&self, token: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        auth_token::Entity::update_many()
            .col_expr(auth_token::Column::RevokedAt, Expr::value(Some(now)))
            .filter(auth_token::Column::TokenHash.eq(token_hash(token)))
            .filter(auth_token::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

impl LoginError {
    /// The message a person reads, as a catalogue key with arguments.
    pub fn message(&self) -> duban_domain::message::Message {
        use duban_domain::msg;
        match self {
            LoginError::InvalidCredentials => msg!("invalid_credentials"),
            LoginError::Throttled {
                retry_after_seconds,
            } => msg!("throttled", seconds = retry_after_seconds),
            LoginError::Storage(s) => s.message(),
        }
    }
}
