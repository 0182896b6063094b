//! Decided sanction measures by track, in total and per unit.

use std::collections::BTreeMap;

use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use uuid::Uuid;

use super::sql::{col, get};
use super::{SanctionCounts, StatsQuery, StatsStore};

impl SanctionCounts {
    fn add(&mut self, track: &str, n: i64) {
        match track {
            "soft" => self.soft += n,
            "organisational" => self.organisational += n,
            "administrative" => self.administrative += n,
            "party" => self.party += n,
            _ => {}
        }
    }

    /// The counts of two disjoint sets of sanctions together.
    #[must_use]
    pub fn plus(self, o: Self) -> Self {
        Self {
            soft: self.soft + o.soft,
            organisational: self.organisational + o.organisational,
            administrative: self.administrative + o.administrative,
            party: self.party + o.party,
        }
    }
}

impl StatsStore {
    /// Decided sanction measures (decided, not superseded, approved or amended) decided in the
    /// period, by track, in total and per unit (the unit sanctioned, or the unit of the person
    /// sanctioned; a person without a unit counts in the total only).
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    pub(super) async fn sanctions(
        &self,
        q: &StatsQuery,
    ) -> Result<(SanctionCounts, BTreeMap<Uuid, SanctionCounts>), RepositoryError> {
        let stmt = Query::select()
            .expr_as(
                Expr::cust("COALESCE(s.subject_unit_id, u.unit_id)"),
                Alias::new("unit"),
            )
            .expr_as(col("m", "track"), Alias::new("track"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from_as(Alias::new("sanction_measures"), Alias::new("m"))
            .join_as(
                JoinType::InnerJoin,
                Alias::new("sanctions"),
                Alias::new("s"),
                Expr::cust("s.id = m.sanction_id"),
            )
            .join_as(
                JoinType::LeftJoin,
                Alias::new("users"),
                Alias::new("u"),
                Expr::cust("u.id = s.subject_user_id"),
            )
            .and_where(Expr::cust("m.phase = 'decided'"))
            .and_where(Expr::cust("s.status = 'decided'"))
            .and_where(Expr::cust("s.decision_outcome IN ('approve', 'amend')"))
            .and_where(col("s", "decided_at").gte(q.from))
            .and_where(col("s", "decided_at").lt(q.to))
            .add_group_by([
                Expr::cust("COALESCE(s.subject_unit_id, u.unit_id)"),
                col("m", "track"),
            ])
            .to_owned();
        let mut total = SanctionCounts::default();
        let mut by_unit: BTreeMap<Uuid, SanctionCounts> = BTreeMap::new();
        for row in self.all(&stmt).await? {
            let unit: Option<Uuid> = get(&row, "unit")?;
            let track: String = get(&row, "track")?;
            let n: i64 = get(&row, "n")?;
            total.add(&track, n);
            if let Some(unit) = unit {
                by_unit.entry(unit).or_default().add(&track, n);
            }
        }
        Ok((total, by_unit))
    }
}
