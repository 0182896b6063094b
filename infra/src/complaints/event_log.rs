//! Appending to a complaint's hash-chained history, inside the caller's transaction.

use chrono::{DateTime, SecondsFormat, Utc};
use duban_domain::complaint::events::ComplaintEvent;
use duban_domain::complaint::ports::RepositoryError;
use duban_domain::ids::{ComplaintId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entities::{complaint, complaint_event};
use crate::event_chain::{GENESIS, link};
use crate::storage_error::{conflict_or_unavailable, unavailable};

/// Appends `event` as the next entry of the complaint's history and returns its sequence.
/// The complaint row is locked first (PostgreSQL `FOR UPDATE`; SQLite write transactions are
/// already exclusive), so concurrent appends to one complaint queue instead of colliding.
///
/// # Errors
/// [`RepositoryError::Conflict`] if the sequence was taken anyway, otherwise `Unavailable`.
pub(crate) async fn append(
    txn: &DatabaseTransaction,
    complaint_id: ComplaintId,
    event: &ComplaintEvent,
    actor: Option<UserId>,
    at: DateTime<Utc>,
) -> Result<i64, RepositoryError> {
    complaint::Entity::find_by_id(complaint_id.as_uuid())
        .select_only()
        .column(complaint::Column::Id)
        .lock_exclusive()
        .into_tuple::<uuid::Uuid>()
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
    let at_text = at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let actor_text = actor.map(|a| a.to_string()).unwrap_or_default();
    let kind = event.kind();
    let hash = link(
        &prev_hash,
        &complaint_id.to_string(),
        sequence,
        kind,
        &actor_text,
        &at_text,
        &data,
    );
    complaint_event::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        complaint_id: Set(complaint_id.as_uuid()),
        sequence: Set(sequence),
        kind: Set(kind.to_owned()),
        actor_id: Set(actor.map(|a| a.as_uuid())),
        at: Set(at),
        data: Set(data),
        prev_hash: Set(prev_hash),
        hash: Set(hash),
    }
    .insert(txn)
    .await
    .map_err(conflict_or_unavailable)?;
    crate::notifications::notify_case_event(txn, complaint_id, event, at).await?;
    Ok(sequence)
}
