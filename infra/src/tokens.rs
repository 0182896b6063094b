//! Logging in and out: opaque bearer tokens (256 random bits, stored only as a SHA-256
//! hash, expiring, revocable) and throttling of repeated failed logins per username.

use chrono::{DateTime, Duration, Utc};
use duban_domain::ids::UserId;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use sha2::{Digest, Sha256};

use crate::accounts::{AccountStore, UserRecord};
use crate::db::begin_write;
use crate::entities::{auth_token, login_throttle, user};
use crate::password;
use crate::store_error::StoreError;

/// How long tokens live and how failed logins are throttled.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub token_ttl: Duration,
    /// Failed attempts allowed before the username is throttled.
    pub max_failures: u32,
    /// The first block; it doubles with each further failure, up to `max_block`.
    pub first_block: Duration,
    pub max_block: Duration,
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
    #[error("too many failed logins for this username; try again in {retry_after_seconds} s")]
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

    /// Checks the password and issues a token.
    ///
    /// # Errors
    /// [`LoginError::Throttled`] while the username is blocked (even with the right
    /// password), [`LoginError::InvalidCredentials`] otherwise when the check fails.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<IssuedToken, LoginError> {
        let throttle = login_throttle::Entity::find_by_id(username.to_owned())
            .one(&self.db)
            .await?;
        if let Some(until) = throttle
            .and_then(|row| row.blocked_until)
            .filter(|until| *until > now)
        {
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
            (true, Some(user_id)) => self.issue(username, user_id, now).await,
            _ => {
                self.record_failure(username, now).await?;
                Err(LoginError::InvalidCredentials)
            }
        }
    }

    async fn issue(
        &self,
        username: &str,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> Result<IssuedToken, LoginError> {
        let token = new_token()?;
        let expires_at = now + self.policy.token_ttl;
        let txn = begin_write(&self.db).await?;
        login_throttle::Entity::delete_by_id(username.to_owned())
            .exec(&txn)
            .await?;
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

    /// Counts a failure with one atomic upsert, so concurrent failures for one username
    /// neither collide on the insert nor overwrite each other's count.
    async fn record_failure(&self, username: &str, now: DateTime<Utc>) -> Result<(), LoginError> {
        // Scoped: as a glob-visible trait it would shadow `Ord::max` and `min` on integers.
        use sea_orm::sea_query::ExprTrait;
        let txn = begin_write(&self.db).await?;
        let count = Query::insert()
            .into_table(login_throttle::Entity)
            .columns([
                login_throttle::Column::Username,
                login_throttle::Column::Failures,
                login_throttle::Column::LastFailureAt,
            ])
            .values_panic([username.into(), 1_i32.into(), now.into()])
            .on_conflict(
                OnConflict::column(login_throttle::Column::Username)
                    .value(
                        login_throttle::Column::Failures,
                        Expr::col((login_throttle::Entity, login_throttle::Column::Failures))
                            .add(1),
                    )
                    .value(login_throttle::Column::LastFailureAt, now)
                    .to_owned(),
            )
            .returning_col(login_throttle::Column::Failures)
            .to_owned();
        let failures: i32 = txn
            .query_one(&count)
            .await?
            .ok_or_else(|| StoreError::Unavailable("throttle upsert returned nothing".into()))?
            .try_get("", "failures")?;
        let blocked_until = self.block_for(failures).map(|block| now + block);
        login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::BlockedUntil,
                Expr::value(blocked_until),
            )
            .filter(login_throttle::Column::Username.eq(username))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// No block below the allowed failures; then the first block, doubling, capped.
    fn block_for(&self, failures: i32) -> Option<Duration> {
        let over = i64::from(failures) - i64::from(self.policy.max_failures);
        if over < 0 {
            return None;
        }
        let factor = 1_i64 << over.min(20);
        let block = self
            .policy
            .first_block
            .checked_mul(i32::try_from(factor).unwrap_or(i32::MAX))?;
        Some(block.min(self.policy.max_block))
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
