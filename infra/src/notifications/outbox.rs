//! The outbox table: notifications written with the change they report, read by delivery.

use chrono::{DateTime, SubsecRound, Utc};
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QueryTrait, Set,
};
use uuid::Uuid;

use crate::db::begin_write;
use crate::entities::outbox_message;
use crate::storage_error::unavailable;

duban_domain::wire_enum! {
    /// Who delivers an outbox message: the configured log or webhook sender, or one
    /// person's e-mail or SMS.
    OutboxChannel {
        Primary => "primary",
        Email => "email",
        Sms => "sms",
    }
}

duban_domain::wire_enum! {
    /// Where an outbox message stands.
    OutboxStatus {
        Pending => "pending",
        Delivered => "delivered",
        Dead => "dead",
    }
}

/// Puts a message into the outbox inside the caller's transaction: it becomes visible to
/// delivery only if that transaction commits. Returns its id.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub(crate) async fn enqueue_in(
    txn: &DatabaseTransaction,
    topic: &str,
    payload: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<Uuid, RepositoryError> {
    let id = Uuid::now_v7();
    let now = now.trunc_subsecs(6);
    outbox_message::ActiveModel {
        id: Set(id),
        topic: Set(topic.to_owned()),
        payload: Set(payload.to_string()),
        created_at: Set(now),
        available_at: Set(now),
        attempts: Set(0),
        status: Set(OutboxStatus::Pending.as_str().to_owned()),
        last_error: Set(None),
        delivered_at: Set(None),
        channel: Set(OutboxChannel::Primary.as_str().to_owned()),
        parent_id: Set(None),
    }
    .insert(txn)
    .await
    .map_err(unavailable)?;
    Ok(id)
}

/// Puts a message into the outbox in a transaction of its own (for messages that report no
/// stored change, and for tests). Returns its id.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn enqueue(
    db: &DatabaseConnection,
    topic: &str,
    payload: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<Uuid, RepositoryError> {
    let txn = begin_write(db).await.map_err(unavailable)?;
    let id = enqueue_in(&txn, topic, payload, now).await?;
    txn.commit().await.map_err(unavailable)?;
    Ok(id)
}

/// An outbox message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: Uuid,
    pub topic: String,
    /// The JSON body.
    pub payload: String,
    pub created_at: DateTime<Utc>,
    /// Not sent before this instant (retry backoff, or a worker's claim).
    pub available_at: DateTime<Utc>,
    pub attempts: u32,
    pub status: OutboxStatus,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub channel: OutboxChannel,
    /// The primary message a personal-channel message was fanned out from.
    pub parent_id: Option<Uuid>,
}

impl OutboxEntry {
    /// The payload parsed (`Null` if it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.payload).unwrap_or_default()
    }
}

/// The outbox, oldest first, optionally of one topic (operations and tests).
///
/// # Errors
/// [`RepositoryError::Unavailable`], also for a stored status that is not a status.
pub async fn outbox_entries(
    db: &DatabaseConnection,
    topic: Option<&str>,
) -> Result<Vec<OutboxEntry>, RepositoryError> {
    outbox_message::Entity::find()
        .apply_if(topic, |query, topic| {
            query.filter(outbox_message::Column::Topic.eq(topic))
        })
        .order_by_asc(outbox_message::Column::CreatedAt)
        .order_by_asc(outbox_message::Column::Id)
        .all(db)
        .await
        .map_err(unavailable)?
        .into_iter()
        .map(to_entry)
        .collect()
}

pub(super) fn to_entry(row: outbox_message::Model) -> Result<OutboxEntry, RepositoryError> {
    Ok(OutboxEntry {
        status: row.status.parse().map_err(|e| {
            RepositoryError::Unavailable(format!("stored outbox message is unreadable: {e}"))
        })?,
        id: row.id,
        topic: row.topic,
        payload: row.payload,
        created_at: row.created_at,
        available_at: row.available_at,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        last_error: row.last_error,
        delivered_at: row.delivered_at,
        channel: row.channel.parse().map_err(|e| {
            RepositoryError::Unavailable(format!("stored outbox message is unreadable: {e}"))
        })?,
        parent_id: row.parent_id,
    })
}
