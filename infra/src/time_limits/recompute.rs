//! Recomputing deadlines after a calendar change, and what provisional limits wait for.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use duban_domain::calendar::{WorkingCalendar, missing_years, start_of_local_day};
use duban_domain::limits::LimitKind;
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::read::rule_of;
use super::{deadline_refused, warn_if_provisional};
use crate::entities::time_limit;
use crate::storage_error::unavailable;

fn corrupt(e: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Unavailable(format!("stored time limit is unreadable: {e}"))
}

/// The instants between which a limit may count dates listed by the notice of `year` (its
/// own dates and the December before), or `None` past the representable dates.
fn span_of_notice(year: i32, tz: Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let first = start_of_local_day(NaiveDate::from_ymd_opt(year - 1, 12, 1)?, tz)?;
    let after = start_of_local_day(NaiveDate::from_ymd_opt(year + 1, 1, 1)?, tz)?;
    Some((first, after))
}

/// Recomputes, with `calendar`, the deadline of every running limit that is provisional or,
/// when `changed_year` is given, that counts dates the notice of that year lists. Each limit
/// whose deadline or provisional mark changes is updated, with its next check at `now` so the
/// sweeper looks at it again. Returns how many changed. MUST run in the transaction that
/// changed the calendar.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn recompute_running(
    txn: &DatabaseTransaction,
    calendar: &WorkingCalendar,
    tz: Tz,
    now: DateTime<Utc>,
    changed_year: Option<i32>,
) -> Result<u64, RepositoryError> {
    let mut affected = Condition::any().add(time_limit::Column::Provisional.eq(true));
    if let Some((first, after)) = changed_year.and_then(|year| span_of_notice(year, tz)) {
        affected = affected.add(
            Condition::all()
                .add(time_limit::Column::DueAt.gt(first))
                .add(time_limit::Column::StartedAt.lt(after)),
        );
    }
    let rows = time_limit::Entity::find()
        .filter(time_limit::Column::StoppedAt.is_null())
        .filter(affected)
        .order_by_asc(time_limit::Column::Id)
        .all(txn)
        .await
        .map_err(unavailable)?;
    let mut changed = 0;
    for row in rows {
        let rule = rule_of(&row)?;
        let deadline = rule.deadline(calendar, tz).map_err(deadline_refused)?;
        if deadline.due_at == row.due_at && deadline.provisional == row.provisional {
            continue;
        }
        let kind: LimitKind = row.kind.parse().map_err(corrupt)?;
        warn_if_provisional(calendar, rule.started_at, deadline, kind, tz);
        let version = row.version;
        let mut active = row.into_active_model();
        active.due_at = Set(deadline.due_at);
        active.provisional = Set(deadline.provisional);
        active.next_check_at = Set(Some(now));
        active.version = Set(version + 1);
        active.update(txn).await.map_err(unavailable)?;
        changed += 1;
    }
    Ok(changed)
}

/// For each year without calendar data that running provisional limits wait for, how many
/// limits wait for it (see [`missing_years`]).
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn provisional_waiting(
    conn: &impl ConnectionTrait,
    calendar: &WorkingCalendar,
    tz: Tz,
) -> Result<BTreeMap<i32, u64>, RepositoryError> {
    let rows = time_limit::Entity::find()
        .filter(time_limit::Column::StoppedAt.is_null())
        .filter(time_limit::Column::Provisional.eq(true))
        .all(conn)
        .await
        .map_err(unavailable)?;
    let mut waiting = BTreeMap::new();
    for row in rows {
        for year in missing_years(calendar, row.started_at, row.due_at, tz) {
            *waiting.entry(year).or_insert(0) += 1;
        }
    }
    Ok(waiting)
}
