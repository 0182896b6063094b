//! One pass of the deadline sweeper.

use chrono::{DateTime, SubsecRound, Utc};
use chrono_tz::Tz;
use duban_domain::calendar::{
    WarningLevel, WarningThresholds, WorkingCalendar, next_level_change_at, warning_level,
};
use duban_domain::complaint::events::ComplaintEvent;
use duban_domain::ids::ComplaintId;
use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::recipients::recipients;
use super::running_limit::stored_level;
use crate::complaints::event_log;
use crate::db::{begin_write, is_postgres};
use crate::entities::{complaint, time_limit};
use crate::notifications::enqueue_in;
use crate::storage_error::unavailable;

/// The outbox topic of a warning level change.
pub const WARNING_TOPIC: &str = "warning.level_changed";

/// Limits looked at per batch; a pass goes on, in id order, while batches come back full.
const BATCH: u64 = 200;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Due limits this pass handled (not those another process held or had just handled).
    pub examined: usize,
    /// Of those, the limits whose level changed (one event each).
    pub changed: usize,
    /// Limits that could not be handled (logged; they stay due and are retried next pass).
    pub failed: usize,
}

/// The fixed inputs of a pass.
struct Pass<'a> {
    now: DateTime<Utc>,
    tz: Tz,
    thresholds: WarningThresholds,
    calendar: &'a WorkingCalendar,
    postgres: bool,
}

enum Outcome {
    /// Another process holds the limit, or handled it already.
    Skipped,
    Unchanged,
    Changed,
}

/// Looks at every running limit (not stopped) whose `next_check_at` is at or before `now`:
/// works out its level at `now` with [`warning_level`] (reminded when `reminded_at` is at or
/// after the deadline),
/// and, when it differs from the stored one, stores it, appends
/// [`ComplaintEvent::WarningLevelChanged`] (no actor) to the complaint and puts one
/// [`WARNING_TOPIC`] message per person to tell into the outbox; `next_check_at` becomes the
/// next instant the level changes by time, or `NULL`.
///
/// Each limit is handled in its own transaction, which first locks the complaint and then the
/// limit (PostgreSQL: `FOR UPDATE`, and `SKIP LOCKED` for the limit; SQLite write transactions
/// are exclusive) and re-reads it, so that any number of processes sweeping at once record each
/// change exactly once.
///
/// # Errors
/// [`RepositoryError::Unavailable`] when the due limits cannot be listed. A limit that fails
/// on its own is logged, counted in [`SweepReport::failed`] and left for the next pass.
pub async fn sweep_once(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    tz: Tz,
    thresholds: WarningThresholds,
    calendar: &WorkingCalendar,
) -> Result<SweepReport, RepositoryError> {
    let pass = Pass {
        now: now.trunc_subsecs(6),
        tz,
        thresholds,
        calendar,
        postgres: is_postgres(db),
    };
    let mut report = SweepReport::default();
    let mut after: Option<Uuid> = None;
    loop {
        let due: Vec<(Uuid, Uuid)> = time_limit::Entity::find()
            .select_only()
            .column(time_limit::Column::Id)
            .column(time_limit::Column::ComplaintId)
            .filter(time_limit::Column::StoppedAt.is_null())
            .filter(time_limit::Column::NextCheckAt.lte(pass.now))
            .apply_if(after, |query, after| {
                query.filter(time_limit::Column::Id.gt(after))
            })
            .order_by_asc(time_limit::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await
            .map_err(unavailable)?;
        let full = due.len() as u64 == BATCH;
        for (limit_id, complaint_id) in due {
            after = Some(limit_id);
            match sweep_limit(db, limit_id, complaint_id, &pass).await {
                Ok(Outcome::Skipped) => {}
                Ok(Outcome::Unchanged) => report.examined += 1,
                Ok(Outcome::Changed) => {
                    report.examined += 1;
                    report.changed += 1;
                }
                Err(e) => {
                    tracing::error!(%limit_id, error = %e, "sweeping a time limit failed");
                    report.failed += 1;
                }
            }
        }
        if !full {
            return Ok(report);
        }
    }
}

async fn sweep_limit(
    db: &DatabaseConnection,
    limit_id: Uuid,
    complaint_id: Uuid,
    pass: &Pass<'_>,
) -> Result<Outcome, RepositoryError> {
    let txn = begin_write(db).await.map_err(unavailable)?;
    // Complaint first, then limit: the order the complaint's own transitions lock them in.
    let first_handler: Option<(String, Uuid)> = complaint::Entity::find_by_id(complaint_id)
        .select_only()
        .column(complaint::Column::Number)
        .column(complaint::Column::FirstHandlerId)
        .lock_exclusive()
        .into_tuple()
        .one(&txn)
        .await
        .map_err(unavailable)?;
    let mut query = time_limit::Entity::find_by_id(limit_id)
        .filter(time_limit::Column::StoppedAt.is_null())
        .filter(time_limit::Column::NextCheckAt.lte(pass.now));
    if pass.postgres {
        query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let limit = query.one(&txn).await.map_err(unavailable)?;
    let (Some(limit), Some((number, first_handler_id))) = (limit, first_handler) else {
        txn.rollback().await.map_err(unavailable)?;
        return Ok(Outcome::Skipped);
    };
    let stored = stored_level(&limit.warning_level)?;
    // A reminder counts towards red only when it was sent after the (possibly extended)
    // deadline.
    let reminded = limit.reminded_at.is_some_and(|at| at >= limit.due_at);
    let level = warning_level(
        pass.calendar,
        limit.due_at,
        pass.now,
        pass.tz,
        pass.thresholds,
        reminded,
    );
    let next_check_at = next_level_change_at(
        pass.calendar,
        limit.due_at,
        pass.now,
        pass.tz,
        pass.thresholds,
        reminded,
    );
    let outcome = if level == stored {
        let mut row = limit.into_active_model();
        row.next_check_at = Set(next_check_at);
        row.update(&txn).await.map_err(unavailable)?;
        Outcome::Unchanged
    } else {
        record_change(
            &txn,
            &limit,
            stored,
            level,
            (&number, first_handler_id),
            pass,
        )
        .await?;
        let mut row = limit.clone().into_active_model();
        row.warning_level = Set(level.as_str().to_owned());
        row.next_check_at = Set(next_check_at);
        row.version = Set(limit.version + 1);
        row.update(&txn).await.map_err(unavailable)?;
        Outcome::Changed
    };
    txn.commit().await.map_err(unavailable)?;
    Ok(outcome)
}

/// Appends the event and queues the notifications of one level change.
async fn record_change(
    txn: &DatabaseTransaction,
    limit: &time_limit::Model,
    from: WarningLevel,
    to: WarningLevel,
    (number, first_handler_id): (&str, Uuid),
    pass: &Pass<'_>,
) -> Result<(), RepositoryError> {
    let event = ComplaintEvent::WarningLevelChanged {
        limit: limit.kind.clone(),
        order_id: limit.order_id,
        unit_id: limit.unit_id,
        from,
        to,
        due_at: limit.due_at,
    };
    let complaint_id = ComplaintId::from_uuid(limit.complaint_id);
    let sequence = event_log::append(txn, complaint_id, &event, None, pass.now).await?;
    for (recipient, role) in recipients(txn, limit, first_handler_id).await? {
        let payload = json!({
            "complaint_id": limit.complaint_id,
            "complaint_number": number,
            "event_sequence": sequence,
            "limit_id": limit.id,
            "limit": limit.kind,
            "order_id": limit.order_id,
            "unit_id": limit.unit_id,
            "from": from.as_str(),
            "level": to.as_str(),
            "due_at": limit.due_at,
            "changed_at": pass.now,
            "recipient_id": recipient,
            "recipient_role": role.as_str(),
        });
        enqueue_in(txn, WARNING_TOPIC, &payload, pass.now).await?;
    }
    Ok(())
}
