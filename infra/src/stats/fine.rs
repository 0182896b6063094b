//! The additive counts, grouped by the finest key `(channel, type, matter, unit)`: complaints,
//! supervision orders, extension requests and time limits.

use std::collections::BTreeMap;

use duban_domain::stats::Counts;
use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType};
use uuid::Uuid;

use super::sql::{C, col, get, sum, sum_if};
use super::{Dimension, StatsQuery, StatsStore};

/// The finest grouping key: every query groups by it, every breakdown is a sum over it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct FineKey {
    pub(super) channel: String,
    pub(super) complaint_type: Option<String>,
    pub(super) matter: String,
    pub(super) unit: Option<Uuid>,
}

impl FineKey {
    pub(super) fn key(&self, dimension: Dimension) -> String {
        match dimension {
            Dimension::Channel => self.channel.clone(),
            Dimension::Type => type_key(self.complaint_type.as_deref()),
            Dimension::Matter => self.matter.clone(),
            Dimension::Unit => unit_key(self.unit),
        }
    }
}

pub(super) fn type_key(t: Option<&str>) -> String {
    t.unwrap_or("unclassified").to_owned()
}

pub(super) fn unit_key(u: Option<Uuid>) -> String {
    u.map_or_else(|| "intake".to_owned(), |u| u.to_string())
}

impl StatsStore {
    pub(super) async fn complaint_counts(
        &self,
        q: &StatsQuery,
        fine: &mut BTreeMap<FineKey, Counts>,
    ) -> Result<(), RepositoryError> {
        let mut stmt = Self::cohort(q);
        Self::fine_grouped(&mut stmt, col(C, "respondent_unit_id"));
        stmt.expr_as(Expr::cust("COUNT(*)"), Alias::new("received"))
            .expr_as(
                sum_if("c.screening_outcome = 'accepted'"),
                Alias::new("accepted"),
            )
            .expr_as(sum_if("c.status = 'closed'"), Alias::new("closed"))
            .expr_as(
                sum_if(
                    "c.status = 'closed' AND NOT EXISTS (SELECT 1 FROM time_limits t \
                     WHERE t.complaint_id = c.id AND t.kind = 'reply' AND t.met_on_time = FALSE)",
                ),
                Alias::new("closed_on_time"),
            )
            .expr_as(
                sum_if("EXISTS (SELECT 1 FROM supervision_orders o WHERE o.complaint_id = c.id)"),
                Alias::new("with_orders"),
            )
            .expr_as(
                sum_if(
                    "EXISTS (SELECT 1 FROM supervision_orders o \
                     WHERE o.complaint_id = c.id AND o.round > 1)",
                ),
                Alias::new("resupervised"),
            )
            .expr_as(
                sum_if("c.status = 'closed' AND c.last_return_visit IS NOT NULL"),
                Alias::new("visited"),
            )
            .expr_as(
                sum_if(
                    "c.status = 'closed' AND c.last_return_visit IN \
                     ('satisfied', 'basically_satisfied', 'dissatisfied')",
                ),
                Alias::new("reached"),
            )
            .expr_as(
                sum_if(
                    "c.status = 'closed' AND c.last_return_visit IN \
                     ('satisfied', 'basically_satisfied')",
                ),
                Alias::new("satisfied"),
            )
            .expr_as(
                sum_if("c.status = 'closed' AND c.answer_due_at IS NOT NULL"),
                Alias::new("answers_to_follow"),
            )
            .expr_as(
                Expr::from(Func::sum(
                    Expr::case(
                        Expr::cust("c.status = 'closed'").and(
                            Expr::cust("c.answered_at > c.answer_due_at")
                                .or(Expr::cust("c.answered_at IS NULL")
                                    .and(col(C, "answer_due_at").lt(q.now))),
                        ),
                        1,
                    )
                    .finally(0),
                )),
                Alias::new("answers_overdue"),
            );
        for row in self.all(&stmt).await? {
            let counts = fine.entry(Self::fine_key(&row)?).or_default();
            counts.received += get::<i64>(&row, "received")?;
            counts.accepted += sum(&row, "accepted")?;
            counts.closed += sum(&row, "closed")?;
            counts.closed_on_time += sum(&row, "closed_on_time")?;
            counts.complaints_with_orders += sum(&row, "with_orders")?;
            counts.complaints_resupervised += sum(&row, "resupervised")?;
            counts.visited += sum(&row, "visited")?;
            counts.visited_reached += sum(&row, "reached")?;
            counts.satisfied += sum(&row, "satisfied")?;
            counts.answers_to_follow += sum(&row, "answers_to_follow")?;
            counts.answers_to_follow_overdue += sum(&row, "answers_overdue")?;
        }
        Ok(())
    }

    pub(super) async fn order_counts(
        &self,
        q: &StatsQuery,
        fine: &mut BTreeMap<FineKey, Counts>,
    ) -> Result<(), RepositoryError> {
        let mut stmt = Self::cohort(q);
        stmt.join_as(
            JoinType::InnerJoin,
            Alias::new("supervision_orders"),
            Alias::new("o"),
            Expr::cust("o.complaint_id = c.id"),
        );
        Self::fine_grouped(&mut stmt, col("o", "unit_id"));
        stmt.expr_as(Expr::cust("COUNT(*)"), Alias::new("issued"))
            .expr_as(sum_if("o.returned_at IS NOT NULL"), Alias::new("returned"))
            .expr_as(sum_if("o.round > 1"), Alias::new("resupervision"))
            .expr_as(
                sum_if("o.complainant_notice_due_at IS NOT NULL"),
                Alias::new("notices"),
            )
            .expr_as(
                Expr::from(Func::sum(
                    Expr::case(
                        Expr::cust("o.complainant_told_at > o.complainant_notice_due_at")
                            .or(Expr::cust("o.complainant_told_at IS NULL")
                                .and(col("o", "complainant_notice_due_at").lt(q.now))),
                        1,
                    )
                    .finally(0),
                )),
                Alias::new("notices_overdue"),
            );
        for row in self.all(&stmt).await? {
            let counts = fine.entry(Self::fine_key(&row)?).or_default();
            counts.orders_issued += get::<i64>(&row, "issued")?;
            counts.orders_returned += sum(&row, "returned")?;
            counts.resupervision_orders += sum(&row, "resupervision")?;
            counts.complainant_notices += sum(&row, "notices")?;
            counts.complainant_notices_overdue += sum(&row, "notices_overdue")?;
        }
        Ok(())
    }

    pub(super) async fn extension_counts(
        &self,
        q: &StatsQuery,
        fine: &mut BTreeMap<FineKey, Counts>,
    ) -> Result<(), RepositoryError> {
        let mut stmt = Self::cohort(q);
        stmt.join_as(
            JoinType::InnerJoin,
            Alias::new("supervision_orders"),
            Alias::new("o"),
            Expr::cust("o.complaint_id = c.id"),
        )
        .join_as(
            JoinType::InnerJoin,
            Alias::new("extension_requests"),
            Alias::new("e"),
            Expr::cust("e.order_id = o.id"),
        );
        Self::fine_grouped(&mut stmt, col("o", "unit_id"));
        stmt.expr_as(Expr::cust("COUNT(*)"), Alias::new("requested"))
            .expr_as(sum_if("e.decision = 'granted'"), Alias::new("granted"));
        for row in self.all(&stmt).await? {
            let counts = fine.entry(Self::fine_key(&row)?).or_default();
            counts.extensions_requested += get::<i64>(&row, "requested")?;
            counts.extensions_granted += sum(&row, "granted")?;
        }
        Ok(())
    }

    pub(super) async fn limit_counts(
        &self,
        q: &StatsQuery,
        fine: &mut BTreeMap<FineKey, Counts>,
    ) -> Result<(), RepositoryError> {
        let mut stmt = Self::cohort(q);
        stmt.join_as(
            JoinType::InnerJoin,
            Alias::new("time_limits"),
            Alias::new("t"),
            Expr::cust("t.complaint_id = c.id"),
        );
        Self::fine_grouped(&mut stmt, col("t", "unit_id"));
        stmt.expr_as(Expr::cust("COUNT(*)"), Alias::new("limits"))
            .expr_as(
                Expr::from(Func::sum(
                    Expr::case(
                        Expr::cust("t.met_on_time = FALSE")
                            .or(Expr::cust("t.stopped_at IS NULL")
                                .and(col("t", "due_at").lte(q.now))),
                        1,
                    )
                    .finally(0),
                )),
                Alias::new("overdue"),
            )
            .expr_as(
                sum_if("t.warning_level IN ('yellow', 'red') OR t.met_on_time = FALSE"),
                Alias::new("yellow"),
            )
            .expr_as(sum_if("t.warning_level = 'red'"), Alias::new("red"));
        for row in self.all(&stmt).await? {
            let counts = fine.entry(Self::fine_key(&row)?).or_default();
            counts.limits += get::<i64>(&row, "limits")?;
            counts.overdue += sum(&row, "overdue")?;
            counts.yellow += sum(&row, "yellow")?;
            counts.red += sum(&row, "red")?;
        }
        Ok(())
    }
}
