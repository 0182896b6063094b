//! Starting, stopping and extending limits inside the caller's transaction.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use duban_domain::calendar::{Deadline, DeadlineRule, WarningLevel, WorkingCalendar, met_on_time};
use duban_domain::ids::{ComplaintId, UnitId, UserId};
use duban_domain::limits::{LimitKind, LimitView};
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use super::read::{rule_of, to_view};
use super::{deadline_refused, warn_if_provisional};
use crate::entities::time_limit;
use crate::storage_error::unavailable;

/// A limit to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTimeLimit {
    pub complaint_id: ComplaintId,
    /// The supervision order (sign-for and reply limits).
    pub order_id: Option<Uuid>,
    pub kind: LimitKind,
    /// The unit answerable (orders).
    pub unit_id: Option<UnitId>,
    /// The person answerable (the first handler for screening).
    pub handler_id: Option<UserId>,
    /// The event the limit counts from (次日起算).
    pub started_at: DateTime<Utc>,
    pub working_days: u32,
    /// A date set explicitly instead of counting `working_days`.
    pub explicit_due_at: Option<DateTime<Utc>>,
}

fn to_i32(n: u32) -> Result<i32, RepositoryError> {
    i32::try_from(n).map_err(deadline_refused)
}

/// Starts a limit: computes its deadline with `calendar` in `tz` (provisional when it runs
/// through a year without data, with a warning in the log), level `none`, first check at the
/// start. MUST be called in the transaction that records the event starting it.
///
/// # Errors
/// [`RepositoryError::Unavailable`], also for a limit longer than
/// [`duban_domain::calendar::MAX_WORKING_DAYS`] (callers validate limits first).
pub async fn start(
    txn: &DatabaseTransaction,
    new: NewTimeLimit,
    calendar: &WorkingCalendar,
    tz: Tz,
) -> Result<LimitView, RepositoryError> {
    let rule = DeadlineRule {
        started_at: new.started_at,
        working_days: new.working_days,
        extension_days: 0,
        explicit_due_at: new.explicit_due_at,
    };
    let deadline = rule.deadline(calendar, tz).map_err(deadline_refused)?;
    warn_if_provisional(calendar, new.started_at, deadline, new.kind, tz);
    insert(txn, new, deadline).await
}

/// Starts a limit whose deadline the core decided. MUST be called in the transaction that
/// records the event starting it.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn insert(
    txn: &DatabaseTransaction,
    new: NewTimeLimit,
    deadline: Deadline,
) -> Result<LimitView, RepositoryError> {
    if deadline.provisional {
        tracing::warn!(kind = new.kind.as_str(), due_at = %deadline.due_at, "the calendar does not cover this limit; it is provisional until that year is loaded");
    }
    let row = time_limit::ActiveModel {
        id: Set(Uuid::now_v7()),
        complaint_id: Set(new.complaint_id.as_uuid()),
        order_id: Set(new.order_id),
        kind: Set(new.kind.as_str().to_owned()),
        unit_id: Set(new.unit_id.map(|u| u.as_uuid())),
        handler_id: Set(new.handler_id.map(|u| u.as_uuid())),
        started_at: Set(new.started_at),
        working_days: Set(to_i32(new.working_days)?),
        extension_days: Set(0),
        explicit_due_at: Set(new.explicit_due_at),
        due_at: Set(deadline.due_at),
        provisional: Set(deadline.provisional),
        reminded_at: Set(None),
        warning_level: Set(WarningLevel::None.as_str().to_owned()),
        next_check_at: Set(Some(new.started_at)),
        stopped_at: Set(None),
        met_on_time: Set(None),
        version: Set(1),
    }
    .insert(txn)
    .await
    .map_err(unavailable)?;
    to_view(row)
}

/// Stops the running limits of `kind` of the complaint (of the order when `order_id` is
/// given, else those without order) at `at`, recording whether each was met on time
/// (`at` before its deadline). Returns the stopped limits (none when none was running).
/// MUST be called in the transaction that records the event stopping it.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn stop(
    txn: &DatabaseTransaction,
    complaint_id: ComplaintId,
    order_id: Option<Uuid>,
    kind: LimitKind,
    at: DateTime<Utc>,
) -> Result<Vec<LimitView>, RepositoryError> {
    let order = match order_id {
        Some(id) => time_limit::Column::OrderId.eq(id),
        None => time_limit::Column::OrderId.is_null(),
    };
    let running = time_limit::Entity::find()
        .filter(time_limit::Column::ComplaintId.eq(complaint_id.as_uuid()))
        .filter(order)
        .filter(time_limit::Column::Kind.eq(kind.as_str()))
        .filter(time_limit::Column::StoppedAt.is_null())
        .order_by_asc(time_limit::Column::Id)
        .all(txn)
        .await
        .map_err(unavailable)?;
    let mut stopped = Vec::with_capacity(running.len());
    for row in running {
        let on_time = met_on_time(row.due_at, at);
        let version = row.version;
        let mut active = row.into_active_model();
        active.stopped_at = Set(Some(at));
        active.met_on_time = Set(Some(on_time));
        active.next_check_at = Set(None);
        active.version = Set(version + 1);
        stopped.push(to_view(active.update(txn).await.map_err(unavailable)?)?);
    }
    Ok(stopped)
}

/// Extends the running reply limit of an order by `extra_working_days` (added to its granted
/// extensions), recomputes its deadline with `calendar` and asks the sweeper to look at it
/// again at `now`. Returns the limit with its new deadline, or `None` when the order has no
/// running reply limit. MUST be called in the transaction that records the extension.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn extend(
    txn: &DatabaseTransaction,
    order_id: Uuid,
    extra_working_days: u32,
    calendar: &WorkingCalendar,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<Option<LimitView>, RepositoryError> {
    let Some(row) = time_limit::Entity::find()
        .filter(time_limit::Column::OrderId.eq(order_id))
        .filter(time_limit::Column::Kind.eq(LimitKind::Reply.as_str()))
        .filter(time_limit::Column::StoppedAt.is_null())
        .order_by_desc(time_limit::Column::Id)
        .one(txn)
        .await
        .map_err(unavailable)?
    else {
        return Ok(None);
    };
    let mut rule = rule_of(&row)?;
    rule.extension_days = rule.extension_days.saturating_add(extra_working_days);
    let deadline = rule.deadline(calendar, tz).map_err(deadline_refused)?;
    warn_if_provisional(calendar, rule.started_at, deadline, LimitKind::Reply, tz);
    let version = row.version;
    let mut active = row.into_active_model();
    active.extension_days = Set(to_i32(rule.extension_days)?);
    active.due_at = Set(deadline.due_at);
    active.provisional = Set(deadline.provisional);
    active.next_check_at = Set(Some(now));
    active.version = Set(version + 1);
    Ok(Some(to_view(
        active.update(txn).await.map_err(unavailable)?,
    )?))
}
