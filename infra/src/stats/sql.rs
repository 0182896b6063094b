//! Small SQL helpers shared by the statistics queries.

use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};

use super::fine::FineKey;
use super::{StatsQuery, StatsStore};
use crate::storage_error::unavailable;

/// The alias of the complaints table.
pub(super) const C: &str = "c";

pub(super) fn col(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

pub(super) fn sum_if(condition: &str) -> Expr {
    Expr::cust(format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"))
}

pub(super) fn get<T: sea_orm::TryGetable>(
    row: &QueryResult,
    column: &str,
) -> Result<T, RepositoryError> {
    row.try_get::<T>("", column).map_err(unavailable)
}

pub(super) fn sum(row: &QueryResult, column: &str) -> Result<i64, RepositoryError> {
    Ok(get::<Option<i64>>(row, column)?.unwrap_or_default())
}

impl StatsStore {
    pub(super) async fn all(
        &self,
        stmt: &SelectStatement,
    ) -> Result<Vec<QueryResult>, RepositoryError> {
        self.db.query_all(stmt).await.map_err(unavailable)
    }

    /// `FROM complaints c WHERE c.received_at IN [from, to)`.
    pub(super) fn cohort(q: &StatsQuery) -> SelectStatement {
        Query::select()
            .from_as(Alias::new("complaints"), Alias::new(C))
            .and_where(col(C, "received_at").gte(q.from))
            .and_where(col(C, "received_at").lt(q.to))
            .to_owned()
    }

    /// Selects and groups by the fine key, with `unit` taken from `unit_table.unit_column`.
    pub(super) fn fine_grouped(stmt: &mut SelectStatement, unit: Expr) {
        stmt.expr_as(col(C, "channel"), Alias::new("k_channel"))
            .expr_as(col(C, "complaint_type"), Alias::new("k_type"))
            .expr_as(col(C, "matter"), Alias::new("k_matter"))
            .expr_as(unit.clone(), Alias::new("k_unit"))
            .add_group_by([
                col(C, "channel"),
                col(C, "complaint_type"),
                col(C, "matter"),
                unit,
            ]);
    }

    pub(super) fn fine_key(row: &QueryResult) -> Result<FineKey, RepositoryError> {
        Ok(FineKey {
            channel: get(row, "k_channel")?,
            complaint_type: get(row, "k_type")?,
            matter: get(row, "k_matter")?,
            unit: get(row, "k_unit")?,
        })
    }
}
