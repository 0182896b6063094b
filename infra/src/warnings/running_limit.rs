//! Reading the warning side of a `time_limits` row (limits are started, stopped and extended
//! by [`crate::time_limits`]).

use chrono::{DateTime, Utc};
use duban_domain::calendar::WarningLevel;
use duban_domain::storage::RepositoryError;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entities::time_limit;
use crate::storage_error::unavailable;

/// Where a limit stands on the warning ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitWarning {
    pub limit_id: Uuid,
    /// `screening`, `sign_for` or `reply`.
    pub kind: String,
    pub order_id: Option<Uuid>,
    pub level: WarningLevel,
    pub due_at: DateTime<Utc>,
    /// When the sweeper looks at it next; `None` once nothing more can change by time, or
    /// once the limit stopped.
    pub next_check_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// The warning state of every limit of a complaint, oldest first.
///
/// # Errors
/// [`RepositoryError::Unavailable`], also for a stored level that is not a level.
pub async fn limit_warnings(
    db: &DatabaseConnection,
    complaint_id: Uuid,
) -> Result<Vec<LimitWarning>, RepositoryError> {
    time_limit::Entity::find()
        .filter(time_limit::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(time_limit::Column::Id)
        .all(db)
        .await
        .map_err(unavailable)?
        .into_iter()
        .map(|row| {
            Ok(LimitWarning {
                level: stored_level(&row.warning_level)?,
                limit_id: row.id,
                kind: row.kind,
                order_id: row.order_id,
                due_at: row.due_at,
                next_check_at: row.next_check_at,
                stopped_at: row.stopped_at,
                version: row.version,
            })
        })
        .collect()
}

/// Parses a stored warning level.
pub(super) fn stored_level(text: &str) -> Result<WarningLevel, RepositoryError> {
    text.parse()
        .map_err(|e| RepositoryError::Unavailable(format!("stored time limit is unreadable: {e}")))
}
