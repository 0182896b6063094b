//! A reminder (催办) on an order: recorded on its running limits, and told to the unit.

use chrono::{DateTime, Utc};
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::entities::{complaint, time_limit};
use crate::notifications::enqueue_in;
use crate::storage_error::unavailable;
use crate::warnings::recipients;

/// The outbox topic of a reminder.
pub const REMINDER_TOPIC: &str = "order.reminded";

/// Marks every running limit of the order reminded at `at` and due for the sweeper now (an
/// overdue limit reminded goes red), and queues one [`REMINDER_TOPIC`] message per person
/// answerable for the limit that falls due first.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub(super) async fn remind(
    txn: &DatabaseTransaction,
    order_id: Uuid,
    at: DateTime<Utc>,
    note: &str,
) -> Result<(), RepositoryError> {
    let running = time_limit::Entity::find()
        .filter(time_limit::Column::OrderId.eq(order_id))
        .filter(time_limit::Column::StoppedAt.is_null())
        .order_by_asc(time_limit::Column::DueAt)
        .all(txn)
        .await
        .map_err(unavailable)?;
    let Some(first_due) = running.first().cloned() else {
        return Ok(());
    };
    for limit in running {
        let version = limit.version;
        let mut row: time_limit::ActiveModel = limit.into();
        row.reminded_at = Set(Some(at));
        row.next_check_at = Set(Some(at));
        row.version = Set(version + 1);
        row.update(txn).await.map_err(unavailable)?;
    }
    let (number, first_handler_id): (String, Uuid) =
        complaint::Entity::find_by_id(first_due.complaint_id)
            .select_only()
            .column(complaint::Column::Number)
            .column(complaint::Column::FirstHandlerId)
            .into_tuple()
            .one(txn)
            .await
            .map_err(unavailable)?
            .ok_or_else(|| RepositoryError::Unavailable("reminder for an unknown case".into()))?;
    for (recipient, role) in recipients(txn, &first_due, first_handler_id).await? {
        let payload = json!({
            "complaint_id": first_due.complaint_id,
            "complaint_number": number,
            "order_id": order_id,
            "unit_id": first_due.unit_id,
            "limit": first_due.kind,
            "due_at": first_due.due_at,
            "note": note,
            "reminded_at": at,
            "recipient_id": recipient,
            "recipient_role": role.as_str(),
        });
        enqueue_in(txn, REMINDER_TOPIC, &payload, at).await?;
    }
    Ok(())
}
