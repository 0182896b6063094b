//! Dead messages: listed for admin and put back into delivery on request.

use chrono::{DateTime, SubsecRound, Utc};
use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::outbox::{OutboxEntry, OutboxStatus, to_entry};
use crate::entities::outbox_message;
use crate::storage_error::unavailable;

/// Why a message was not put back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    #[error("no such outbox message")]
    NotFound,
    #[error("the message is {0}, not dead")]
    NotDead(OutboxStatus),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

/// Dead messages, newest first, older than the message `before` when given; at most `limit`.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn dead_messages(
    db: &DatabaseConnection,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<OutboxEntry>, RepositoryError> {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.eq(OutboxStatus::Dead.as_str()))
        .apply_if(before, |query, before| {
            query.filter(outbox_message::Column::Id.lt(before))
        })
        .order_by_desc(outbox_message::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .map_err(unavailable)?
        .into_iter()
        .map(to_entry)
        .collect()
}

/// Puts a dead message back into delivery as if new: pending, no attempts, due at `now`.
/// Only a dead message changes, so of two replays at once one wins and the other is told the
/// message is pending.
///
/// # Errors
/// [`ReplayError`].
pub async fn replay_dead(
    db: &DatabaseConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<OutboxEntry, ReplayError> {
    let replayed = outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::Status,
            Expr::value(OutboxStatus::Pending.as_str()),
        )
        .col_expr(outbox_message::Column::Attempts, Expr::value(0))
        .col_expr(
            outbox_message::Column::AvailableAt,
            Expr::value(now.trunc_subsecs(6)),
        )
        .filter(outbox_message::Column::Id.eq(id))
        .filter(outbox_message::Column::Status.eq(OutboxStatus::Dead.as_str()))
        .exec(db)
        .await
        .map_err(unavailable)?;
    let row = outbox_message::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(unavailable)?
        .ok_or(ReplayError::NotFound)?;
    let entry = to_entry(row)?;
    if replayed.rows_affected == 0 {
        return Err(ReplayError::NotDead(entry.status));
    }
    Ok(entry)
}
