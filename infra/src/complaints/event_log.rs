//! Appending to a complaint's keyed, hash-chained history, inside the caller's transaction.

use chrono::{DateTime, Utc};
use duban_domain::audit::ChainKind;
use duban_domain::complaint::events::ComplaintEvent;
use duban_domain::ids::{ComplaintId, UserId};
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::audit::chain::{Entry, GENESIS, mac};
use crate::audit::{keys, registration};
use crate::entities::{complaint, complaint_event};
use crate::storage_error::{conflict_or_unavailable, unavailable};

/// Appends `event` as the next entry of the complaint's history and returns its sequence.
/// The complaint row is locked first (PostgreSQL `FOR UPDATE`; SQLite write transactions are
/// already exclusive), so concurrent appends to one complaint queue instead of colliding.
/// The `registered` event seals the registration's facts (the row must already be stored).
///
/// # Errors
/// [`RepositoryError::Conflict`] if the sequence was taken anyway, otherwise `Unavailable`
/// (also when no audit keys are installed).
pub(crate) async fn append(
    txn: &DatabaseTransaction,
    complaint_id: ComplaintId,
    event: &ComplaintEvent,
    actor: Option<UserId>,
    at: DateTime<Utc>,
) -> Result<i64, RepositoryError> {
    let keys = keys::installed()
        .ok_or_else(|| RepositoryError::Unavailable("no audit keys are installed".into()))?;
    let row = complaint::Entity::find_by_id(complaint_id.as_uuid())
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(unavailable)?;
    let last: Option<(i64, String)> = complaint_event::Entity::find()
        .select_only()
        .column(complaint_event::Column::Sequence)
        .column(complaint_event::Column::Hash)
        .filter(complaint_event::Column::ComplaintId.eq(complaint_id.as_uuid()))
        .order_by_desc(complaint_event::Column::Sequence)
        .into_tuple()
        .one(txn)
        .await
        .map_err(unavailable)?;
    let (sequence, prev_hash) = match last {
        Some((sequence, hash)) => (sequence + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let data = serde_json::to_string(event)
        .map_err(|e| RepositoryError::Unavailable(format!("event not serialisable: {e}")))?;
    let (key_id, key) = keys.current_hmac();
    let sealed = match (event, &row) {
        (ComplaintEvent::Registered { .. }, Some(row)) => Some(registration::seal(row, key)),
        _ => None,
    };
    let mut entry = Entry {
        sequence,
        kind: event.kind().to_owned(),
        actor: actor.map(|a| a.as_uuid().to_string()).unwrap_or_default(),
        at,
        data,
        sealed,
        prev_hash,
        hash: String::new(),
        key_id: Some(key_id.to_owned()),
    };
    entry.hash = mac(
        key,
        key_id,
        ChainKind::Complaint,
        complaint_id.as_uuid(),
        &entry,
    );
    complaint_event::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        complaint_id: Set(complaint_id.as_uuid()),
        sequence: Set(sequence),
        kind: Set(entry.kind),
        actor_id: Set(actor.map(|a| a.as_uuid())),
        at: Set(at),
        data: Set(entry.data),
        prev_hash: Set(entry.prev_hash),
        hash: Set(entry.hash),
        key_id: Set(entry.key_id),
        sealed: Set(entry.sealed),
    }
    .insert(txn)
    .await
    .map_err(conflict_or_unavailable)?;
    crate::notifications::notify_case_event(txn, complaint_id, event, at).await?;
    Ok(sequence)
}
