//! Figures that are not sums of the fine counts: working days to close (counted per local
//! date) and staff with repeated sustained complaints (a count over a grouped subquery).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use duban_domain::calendar::WorkingCalendar;
use duban_domain::stats::total_working_days;
use duban_domain::storage::RepositoryError;
use sea_orm::QueryResult;
use sea_orm::sea_query::{Alias, Expr, Query};
use uuid::Uuid;

use super::fine::{type_key, unit_key};
use super::local_date::{local_date_sql, row_date};
use super::sql::{C, col, get};
use super::{Dimension, StatsQuery, StatsStore};

/// How many complaints fall on each local date.
type DatedCounts = Vec<(NaiveDate, i64)>;

impl StatsStore {
    /// The dimension's key column (complaint level), or a constant for the total.
    fn dimension_expr(dimension: Option<Dimension>) -> Expr {
        match dimension {
            None => Expr::cust("'all'"),
            Some(Dimension::Channel) => col(C, "channel"),
            Some(Dimension::Type) => col(C, "complaint_type"),
            Some(Dimension::Matter) => col(C, "matter"),
            Some(Dimension::Unit) => col(C, "respondent_unit_id"),
        }
    }

    fn dimension_key(
        row: &QueryResult,
        dimension: Option<Dimension>,
    ) -> Result<String, RepositoryError> {
        Ok(match dimension {
            None => "all".to_owned(),
            Some(Dimension::Type) => type_key(get::<Option<String>>(row, "k")?.as_deref()),
            Some(Dimension::Unit) => unit_key(get::<Option<Uuid>>(row, "k")?),
            Some(_) => get::<String>(row, "k")?,
        })
    }

    /// Total working days from registration to closing of the closed complaints, per group.
    pub(super) async fn working_days(
        &self,
        q: &StatsQuery,
        dimension: Option<Dimension>,
        calendar: &WorkingCalendar,
    ) -> Result<BTreeMap<String, i64>, RepositoryError> {
        let backend = self.db.get_database_backend();
        let mut per_group: BTreeMap<String, (DatedCounts, DatedCounts)> = BTreeMap::new();
        for (column, is_end) in [("registered_at", false), ("closed_at", true)] {
            let day = local_date_sql(backend, column, q);
            let mut stmt = Self::cohort(q);
            stmt.and_where(Expr::cust("c.status = 'closed'"))
                .and_where(Expr::cust("c.closed_at IS NOT NULL"))
                .expr_as(Self::dimension_expr(dimension), Alias::new("k"))
                .expr_as(Expr::cust(day.clone()), Alias::new("day"))
                .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"));
            if dimension.is_some() {
                stmt.add_group_by([Self::dimension_expr(dimension)]);
            }
            stmt.add_group_by([Expr::cust(day)]);
            for row in self.all(&stmt).await? {
                let key = Self::dimension_key(&row, dimension)?;
                let date = row_date(&row, backend)?;
                let n: i64 = get(&row, "n")?;
                let entry = per_group.entry(key).or_default();
                if is_end {
                    entry.1.push((date, n));
                } else {
                    entry.0.push((date, n));
                }
            }
        }
        Ok(per_group
            .into_iter()
            .map(|(k, (starts, ends))| (k, total_working_days(calendar, &starts, &ends)))
            .collect())
    }

    /// Respondent staff with two or more sustained (closed) complaints, counted per group.
    pub(super) async fn staff_repeated(
        &self,
        q: &StatsQuery,
        dimension: Option<Dimension>,
    ) -> Result<BTreeMap<String, i64>, RepositoryError> {
        let mut inner = Self::cohort(q);
        inner
            .expr_as(Self::dimension_expr(dimension), Alias::new("k"))
            .expr_as(col(C, "respondent_staff_id"), Alias::new("staff"))
            .and_where(Expr::cust("c.status = 'closed'"))
            .and_where(Expr::cust("c.finding = 'sustained'"))
            .and_where(Expr::cust("c.respondent_staff_id IS NOT NULL"));
        if dimension.is_some() {
            inner.add_group_by([Self::dimension_expr(dimension)]);
        }
        inner
            .add_group_by([col(C, "respondent_staff_id")])
            .and_having(Expr::cust("COUNT(*) >= 2"));
        let stmt = Query::select()
            .expr_as(Expr::cust("s.k"), Alias::new("k"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from_subquery(inner, Alias::new("s"))
            .add_group_by([Expr::cust("s.k")])
            .to_owned();
        let mut out = BTreeMap::new();
        for row in self.all(&stmt).await? {
            out.insert(
                Self::dimension_key(&row, dimension)?,
                get::<i64>(&row, "n")?,
            );
        }
        Ok(out)
    }

    /// Sustained (closed) complaints per respondent unit and staff member: what the unit
    /// breakdown needs to count staff with two or more over a unit and the units below it (a
    /// person's complaints may fall in several units). Only counts are reported, never who.
    pub(super) async fn sustained_by_unit_and_staff(
        &self,
        q: &StatsQuery,
    ) -> Result<Vec<(Uuid, Uuid, i64)>, RepositoryError> {
        let mut stmt = Self::cohort(q);
        stmt.expr_as(col(C, "respondent_unit_id"), Alias::new("unit"))
            .expr_as(col(C, "respondent_staff_id"), Alias::new("staff"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .and_where(Expr::cust("c.status = 'closed'"))
            .and_where(Expr::cust("c.finding = 'sustained'"))
            .and_where(Expr::cust("c.respondent_staff_id IS NOT NULL"))
            .and_where(Expr::cust("c.respondent_unit_id IS NOT NULL"))
            .add_group_by([col(C, "respondent_unit_id"), col(C, "respondent_staff_id")]);
        let mut out = Vec::new();
        for row in self.all(&stmt).await? {
            out.push((get(&row, "unit")?, get(&row, "staff")?, get(&row, "n")?));
        }
        Ok(out)
    }
}
