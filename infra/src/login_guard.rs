//! Throttling of failed logins and the log of security events.
//!
//! Failures are counted per client address and username (`user <ip> <username>`) and per
//! client address (`address <ip>`), never per username alone: a flood from one address
//! cannot keep the owner of a username out when they log in from another. A key that reaches
//! its limit is blocked for a fixed period that does not grow, so once a flood stops the
//! real user waits at most that period. Failures further apart than the period start the
//! count afresh. Failed and throttled logins are recorded as security events.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entities::{login_throttle_key, security_event};
use crate::store_error::StoreError;

/// How failed logins are throttled.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// Failures for one username from one address before that pair is blocked.
    pub max_failures: u32,
    /// Failures from one address, whatever the usernames, before the address is blocked.
    pub max_failures_per_address: u32,
    /// How long a block lasts; also how close failures must be to count together.
    pub block: Duration,
}

/// What happened, as recorded in the security log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityEventKind {
    LoginFailed,
    LoginThrottled,
}

impl SecurityEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityEventKind::LoginFailed => "login_failed",
            SecurityEventKind::LoginThrottled => "login_throttled",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "login_failed" => Ok(SecurityEventKind::LoginFailed),
            "login_throttled" => Ok(SecurityEventKind::LoginThrottled),
            other => Err(StoreError::Unavailable(format!(
                "unknown security event kind `{other}`"
            ))),
        }
    }
}

/// One entry of the security log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityEvent {
    pub id: uuid::Uuid,
    pub occurred_at: DateTime<Utc>,
    pub kind: SecurityEventKind,
    /// The username as given (it may name no account).
    pub username: String,
    pub client_address: String,
}

/// The throttle keys of one login attempt.
pub(crate) struct Keys {
    pair: String,
    address: String,
}

impl Keys {
    pub(crate) fn new(username: &str, client_address: &str) -> Self {
        Self {
            pair: format!("user {client_address} {username}"),
            address: format!("address {client_address}"),
        }
    }
}

/// When the block on any of the attempt's keys ends, if one is running at `now`.
pub(crate) async fn blocked_until(
    db: &DatabaseConnection,
    keys: &Keys,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let rows = login_throttle_key::Entity::find()
        .filter(login_throttle_key::Column::Key.is_in([keys.pair.clone(), keys.address.clone()]))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| row.blocked_until)
        .filter(|until| *until > now)
        .max())
}

/// Counts a failure on both keys (in the caller's transaction).
pub(crate) async fn count_failure<C: ConnectionTrait>(
    txn: &C,
    keys: &Keys,
    policy: &ThrottlePolicy,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    count_on(txn, &keys.pair, policy.max_failures, policy.block, now).await?;
    count_on(
        txn,
        &keys.address,
        policy.max_failures_per_address,
        policy.block,
        now,
    )
    .await
}

/// Forgets the failures of the username from this address (after a successful login).
pub(crate) async fn clear<C: ConnectionTrait>(txn: &C, keys: &Keys) -> Result<(), StoreError> {
    login_throttle_key::Entity::delete_by_id(keys.pair.clone())
        .exec(txn)
        .await?;
    Ok(())
}

/// One atomic upsert, so concurrent failures on one key all count: the count starts afresh
/// when the previous failure is older than the block period; reaching the limit blocks the
/// key for that period and starts the count again.
async fn count_on<C: ConnectionTrait>(
    txn: &C,
    key: &str,
    limit: u32,
    block: Duration,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    // Scoped: as a glob-visible trait it would shadow `Ord::max` and `min` on integers.
    use login_throttle_key::Column as C;
    use sea_orm::sea_query::ExprTrait;
    let fresh = Expr::col((login_throttle_key::Entity, C::LastFailureAt)).lte(now - block);
    let count = Query::insert()
        .into_table(login_throttle_key::Entity)
        .columns([C::Key, C::Failures, C::LastFailureAt])
        .values_panic([key.into(), 1_i32.into(), now.into()])
        .on_conflict(
            OnConflict::column(C::Key)
                .value(
                    C::Failures,
                    Expr::case(fresh, 1_i32)
                        .finally(Expr::col((login_throttle_key::Entity, C::Failures)).add(1)),
                )
                .value(C::LastFailureAt, now)
                .to_owned(),
        )
        .returning_col(C::Failures)
        .to_owned();
    let failures: i32 = txn
        .query_one(&count)
        .await?
        .ok_or_else(|| StoreError::Unavailable("throttle upsert returned nothing".into()))?
        .try_get("", "failures")?;
    if i64::from(failures) >= i64::from(limit) {
        login_throttle_key::Entity::update_many()
            .col_expr(C::BlockedUntil, Expr::value(Some(now + block)))
            .col_expr(C::Failures, Expr::value(0_i32))
            .filter(C::Key.eq(key))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Appends to the security log.
pub(crate) async fn record<C: ConnectionTrait>(
    db: &C,
    kind: SecurityEventKind,
    username: &str,
    client_address: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    security_event::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        occurred_at: Set(now),
        kind: Set(kind.as_str().to_owned()),
        username: Set(username.chars().take(64).collect()),
        client_address: Set(client_address.chars().take(64).collect()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Reads the security log, newest first.
#[derive(Clone)]
pub struct SecurityLog {
    db: DatabaseConnection,
}

impl SecurityLog {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Up to `limit` events older than the event `before` (newest first).
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    pub async fn list(
        &self,
        before: Option<uuid::Uuid>,
        limit: u64,
    ) -> Result<Vec<SecurityEvent>, StoreError> {
        let mut query = security_event::Entity::find()
            .order_by_desc(security_event::Column::Id)
            .limit(limit);
        if let Some(before) = before {
            query = query.filter(security_event::Column::Id.lt(before));
        }
        query
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(SecurityEvent {
                    id: row.id,
                    occurred_at: row.occurred_at,
                    kind: SecurityEventKind::parse(&row.kind)?,
                    username: row.username,
                    client_address: row.client_address,
                })
            })
            .collect()
    }
}
