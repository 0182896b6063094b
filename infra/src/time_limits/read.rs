//! Reading limits back.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use duban_domain::calendar::DeadlineRule;
use duban_domain::ids::ComplaintId;
use duban_domain::limits::{LimitKind, LimitView};
use duban_domain::storage::RepositoryError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::time_limit;
use crate::storage_error::unavailable;

fn corrupt(e: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Unavailable(format!("stored time limit is unreadable: {e}"))
}

pub(super) fn rule_of(row: &time_limit::Model) -> Result<DeadlineRule, RepositoryError> {
    Ok(DeadlineRule {
        started_at: row.started_at,
        working_days: u32::try_from(row.working_days).map_err(corrupt)?,
        extension_days: u32::try_from(row.extension_days).map_err(corrupt)?,
        explicit_due_at: row.explicit_due_at,
    })
}

pub(crate) fn to_view(row: time_limit::Model) -> Result<LimitView, RepositoryError> {
    let rule = rule_of(&row)?;
    Ok(LimitView {
        kind: row.kind.parse().map_err(corrupt)?,
        order_id: row.order_id,
        started_at: rule.started_at,
        working_days: rule.working_days,
        extension_days: rule.extension_days,
        due_at: row.due_at,
        provisional: row.provisional,
        warning_level: row.warning_level.parse().map_err(corrupt)?,
        reminded_at: row.reminded_at,
        stopped_at: row.stopped_at,
        met_on_time: row.met_on_time,
    })
}

/// Every limit of a complaint (running and stopped), oldest first.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn for_complaint(
    conn: &impl ConnectionTrait,
    complaint_id: ComplaintId,
) -> Result<Vec<LimitView>, RepositoryError> {
    time_limit::Entity::find()
        .filter(time_limit::Column::ComplaintId.eq(complaint_id.as_uuid()))
        .order_by_asc(time_limit::Column::Id)
        .all(conn)
        .await
        .map_err(unavailable)?
        .into_iter()
        .map(to_view)
        .collect()
}

/// The running limits of a supervision order, oldest first.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn running_for_order(
    conn: &impl ConnectionTrait,
    order_id: Uuid,
) -> Result<Vec<LimitView>, RepositoryError> {
    time_limit::Entity::find()
        .filter(time_limit::Column::OrderId.eq(order_id))
        .filter(time_limit::Column::StoppedAt.is_null())
        .order_by_asc(time_limit::Column::Id)
        .all(conn)
        .await
        .map_err(unavailable)?
        .into_iter()
        .map(to_view)
        .collect()
}

/// The deadline of the running screening limit of each of `complaint_ids` that has one, in one
/// query (for list pages).
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn screening_due_at(
    conn: &impl ConnectionTrait,
    complaint_ids: &[ComplaintId],
) -> Result<HashMap<ComplaintId, DateTime<Utc>>, RepositoryError> {
    if complaint_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, DateTime<Utc>)> = time_limit::Entity::find()
        .select_only()
        .column(time_limit::Column::ComplaintId)
        .column(time_limit::Column::DueAt)
        .filter(time_limit::Column::ComplaintId.is_in(complaint_ids.iter().map(|c| c.as_uuid())))
        .filter(time_limit::Column::Kind.eq(LimitKind::Screening.as_str()))
        .filter(time_limit::Column::StoppedAt.is_null())
        .into_tuple()
        .all(conn)
        .await
        .map_err(unavailable)?;
    Ok(rows
        .into_iter()
        .map(|(id, due_at)| (ComplaintId::from_uuid(id), due_at))
        .collect())
}
