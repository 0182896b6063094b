//! The open complainant notices the system can send itself, claimed one at a time so that
//! two workers never tell one complainant at once.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::db::begin_write;
use crate::entities::{extension_request, supervision_order};
use crate::storage_error::unavailable;

/// An open notice and where the complainant can be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeToSend {
    pub order_id: Uuid,
    pub complaint_number: String,
    /// When the notice falls due: recording checks it is still the same notice.
    pub notice_due_at: DateTime<Utc>,
    /// The reply deadline the last granted extension set.
    pub reply_due_at: DateTime<Utc>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Which of the complainant's contacts a worker can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reachable {
    pub by_phone: bool,
    pub by_email: bool,
}

/// Claims, until `now + claim_for`, the open notice due soonest that is not yet due, is
/// unclaimed (or its claim lapsed), is not in `skip`, and whose complainant can be reached
/// as `reachable` says.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn claim_next_complainant_notice(
    db: &DatabaseConnection,
    reachable: Reachable,
    now: DateTime<Utc>,
    claim_for: TimeDelta,
    skip: &[Uuid],
) -> Result<Option<NoticeToSend>, RepositoryError> {
    if !reachable.by_phone && !reachable.by_email {
        return Ok(None);
    }
    let now = now.trunc_subsecs(6);
    loop {
        let Some(candidate) = next_candidate(db, reachable, now, skip).await? else {
            return Ok(None);
        };
        if claim(
            db,
            candidate.order_id,
            candidate.notice_due_at,
            now,
            claim_for,
        )
        .await?
        {
            let Some(reply_due_at) = granted_due_at(db, candidate.order_id).await? else {
                return Ok(None);
            };
            return Ok(Some(NoticeToSend {
                reply_due_at,
                ..candidate
            }));
        }
        // Another worker took it meanwhile: look again.
    }
}

/// Keeps the notice from the system until it falls due (no channel reaches the
/// complainant): it is intake's to give.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn leave_complainant_notice_to_intake(
    db: &DatabaseConnection,
    notice: &NoticeToSend,
) -> Result<(), RepositoryError> {
    supervision_order::Entity::update_many()
        .col_expr(
            supervision_order::Column::ComplainantNoticeClaimedUntil,
            Expr::value(notice.notice_due_at),
        )
        .filter(supervision_order::Column::Id.eq(notice.order_id))
        .exec(db)
        .await
        .map_err(unavailable)?;
    Ok(())
}

async fn next_candidate(
    db: &DatabaseConnection,
    reachable: Reachable,
    now: DateTime<Utc>,
    skip: &[Uuid],
) -> Result<Option<NoticeToSend>, RepositoryError> {
    let (o, c) = (Alias::new("o"), Alias::new("c"));
    let mut contact = Condition::any();
    if reachable.by_phone {
        contact = contact.add(Expr::col((c.clone(), Alias::new("phone"))).is_not_null());
    }
    if reachable.by_email {
        contact = contact.add(Expr::col((c.clone(), Alias::new("email"))).is_not_null());
    }
    let claimed_until = Expr::col((o.clone(), Alias::new("complainant_notice_claimed_until")));
    let mut query = Query::select();
    query
        .expr_as(
            Expr::col((o.clone(), Alias::new("id"))),
            Alias::new("order_id"),
        )
        .expr_as(
            Expr::col((o.clone(), Alias::new("complainant_notice_due_at"))),
            Alias::new("due_at"),
        )
        .expr_as(
            Expr::col((c.clone(), Alias::new("number"))),
            Alias::new("number"),
        )
        .expr_as(
            Expr::col((c.clone(), Alias::new("phone"))),
            Alias::new("phone"),
        )
        .expr_as(
            Expr::col((c.clone(), Alias::new("email"))),
            Alias::new("email"),
        )
        .from_as(Alias::new("supervision_orders"), o.clone())
        .join_as(
            JoinType::InnerJoin,
            Alias::new("complaints"),
            c.clone(),
            Expr::cust("c.id = o.complaint_id"),
        )
        .and_where(Expr::col((o.clone(), Alias::new("complainant_told_at"))).is_null())
        // Past its due time the notice is intake's to give (it shows overdue in the queue).
        .and_where(Expr::col((o.clone(), Alias::new("complainant_notice_due_at"))).gt(now))
        .cond_where(
            Condition::any()
                .add(claimed_until.clone().is_null())
                .add(claimed_until.lt(now)),
        )
        .cond_where(contact)
        .order_by(
            (o.clone(), Alias::new("complainant_notice_due_at")),
            Order::Asc,
        )
        .order_by((o.clone(), Alias::new("id")), Order::Asc)
        .limit(1);
    if !skip.is_empty() {
        query.and_where(Expr::col((o, Alias::new("id"))).is_not_in(skip.iter().copied()));
    }
    let Some(row) = db.query_one(&query).await.map_err(unavailable)? else {
        return Ok(None);
    };
    let read = |e: sea_orm::DbErr| unavailable(e);
    Ok(Some(NoticeToSend {
        order_id: row.try_get("", "order_id").map_err(read)?,
        notice_due_at: row.try_get("", "due_at").map_err(read)?,
        complaint_number: row.try_get("", "number").map_err(read)?,
        reply_due_at: row.try_get("", "due_at").map_err(read)?,
        phone: row
            .try_get::<Option<String>>("", "phone")
            .map_err(read)?
            .filter(|_| reachable.by_phone),
        email: row
            .try_get::<Option<String>>("", "email")
            .map_err(read)?
            .filter(|_| reachable.by_email),
    }))
}

/// The deadline the latest granted extension of the order set.
async fn granted_due_at(
    db: &DatabaseConnection,
    order_id: Uuid,
) -> Result<Option<DateTime<Utc>>, RepositoryError> {
    Ok(extension_request::Entity::find()
        .filter(extension_request::Column::OrderId.eq(order_id))
        .filter(extension_request::Column::NewDueAt.is_not_null())
        .order_by_desc(extension_request::Column::DecidedAt)
        .one(db)
        .await
        .map_err(unavailable)?
        .and_then(|r| r.new_due_at))
}

/// Takes the claim on one notice unless another worker holds it, or it was told or replaced
/// by a newer notice meanwhile.
async fn claim(
    db: &DatabaseConnection,
    order_id: Uuid,
    notice_due_at: DateTime<Utc>,
    now: DateTime<Utc>,
    claim_for: TimeDelta,
) -> Result<bool, RepositoryError> {
    let txn = begin_write(db).await.map_err(unavailable)?;
    let taken = supervision_order::Entity::update_many()
        .col_expr(
            supervision_order::Column::ComplainantNoticeClaimedUntil,
            Expr::value(now + claim_for),
        )
        .filter(supervision_order::Column::Id.eq(order_id))
        .filter(supervision_order::Column::ComplainantToldAt.is_null())
        .filter(supervision_order::Column::ComplainantNoticeDueAt.eq(notice_due_at))
        .filter(
            Condition::any()
                .add(supervision_order::Column::ComplainantNoticeClaimedUntil.is_null())
                .add(supervision_order::Column::ComplainantNoticeClaimedUntil.lt(now)),
        )
        .exec(&txn)
        .await
        .map_err(unavailable)?;
    txn.commit().await.map_err(unavailable)?;
    Ok(taken.rows_affected == 1)
}
