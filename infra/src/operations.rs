//! What an operator's dashboard reads at scrape time: counts by state, the outbox backlog and
//! the connection pool. Each is one cheap aggregate query.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, Func},
};

use crate::db::is_postgres;
use crate::entities::{complaint, outbox_message, time_limit};

/// A snapshot of the service's state.
#[derive(Debug, Clone, Default)]
pub struct OperationsSnapshot {
    /// (status, count) for every status that has complaints.
    pub complaints_by_status: Vec<(String, i64)>,
    /// (warning level, count) of the running (not stopped) time limits.
    pub open_limits_by_level: Vec<(String, i64)>,
    /// Notifications waiting to be delivered (including those waiting for a retry).
    pub outbox_pending: i64,
    /// When the oldest waiting notification was written.
    pub outbox_oldest_pending: Option<DateTime<Utc>>,
}

/// The connection pool's use.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolUse {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// Reads the snapshot.
///
/// # Errors
/// The database's error.
pub async fn snapshot(db: &DatabaseConnection) -> Result<OperationsSnapshot, DbErr> {
    let complaints_by_status = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::Status)
        .column_as(
            Expr::from(Func::count(Expr::col(complaint::Column::Id))),
            "n",
        )
        .group_by(complaint::Column::Status)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?;
    let open_limits_by_level = time_limit::Entity::find()
        .select_only()
        .column(time_limit::Column::WarningLevel)
        .column_as(
            Expr::from(Func::count(Expr::col(time_limit::Column::Id))),
            "n",
        )
        .filter(time_limit::Column::StoppedAt.is_null())
        .group_by(time_limit::Column::WarningLevel)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?;
    let pending =
        || outbox_message::Entity::find().filter(outbox_message::Column::Status.eq("pending"));
    let outbox_pending = pending()
        .select_only()
        .column_as(
            Expr::from(Func::count(Expr::col(outbox_message::Column::Id))),
            "n",
        )
        .into_tuple::<i64>()
        .one(db)
        .await?
        .unwrap_or_default();
    let outbox_oldest_pending = pending()
        .select_only()
        .column(outbox_message::Column::CreatedAt)
        .order_by_asc(outbox_message::Column::CreatedAt)
        .limit(1)
        .into_tuple::<DateTime<Utc>>()
        .one(db)
        .await?;
    Ok(OperationsSnapshot {
        complaints_by_status,
        open_limits_by_level,
        outbox_pending,
        outbox_oldest_pending,
    })
}

/// The pool's current size, idle connections and limit.
pub fn pool_use(db: &DatabaseConnection) -> PoolUse {
    let (size, idle, max) = if is_postgres(db) {
        let pool = db.get_postgres_connection_pool();
        (
            pool.size(),
            pool.num_idle(),
            pool.options().get_max_connections(),
        )
    } else {
        let pool = db.get_sqlite_connection_pool();
        (
            pool.size(),
            pool.num_idle(),
            pool.options().get_max_connections(),
        )
    };
    PoolUse {
        size,
        idle: u32::try_from(idle).unwrap_or(u32::MAX),
        max,
    }
}
