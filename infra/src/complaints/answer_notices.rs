//! The results owed to complainants of cases closed with the answer to follow, which the
//! system can send itself: claimed one at a time so that two workers never tell one
//! complainant at once.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use duban_domain::complaint::ComplaintStatus;
use duban_domain::ids::ComplaintId;
use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::db::begin_write;
use crate::entities::complaint;
use crate::orders::Reachable;
use crate::storage_error::unavailable;

/// An owed answer and where the complainant can be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerToSend {
    pub complaint_id: ComplaintId,
    pub complaint_number: String,
    /// When the answer falls due: recording checks it is still the same answer.
    pub answer_due_at: DateTime<Utc>,
    /// The handling result, as closing recorded it.
    pub outcome: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Claims, until `now + claim_for`, the owed answer due soonest that is not yet due, is
/// unclaimed (or its claim lapsed), is not in `skip`, and whose complainant can be reached
/// as `reachable` says.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn claim_next_answer(
    db: &DatabaseConnection,
    reachable: Reachable,
    now: DateTime<Utc>,
    claim_for: TimeDelta,
    skip: &[ComplaintId],
) -> Result<Option<AnswerToSend>, RepositoryError> {
    use complaint::Column as C;
    if !reachable.by_phone && !reachable.by_email {
        return Ok(None);
    }
    let now = now.trunc_subsecs(6);
    let mut contact = Condition::any();
    if reachable.by_phone {
        contact = contact.add(C::Phone.is_not_null());
    }
    if reachable.by_email {
        contact = contact.add(C::Email.is_not_null());
    }
    let skip: Vec<Uuid> = skip.iter().map(ComplaintId::as_uuid).collect();
    loop {
        let Some(row) = owed()
            // Past its due time the answer is intake's to give (it shows overdue in the list).
            .filter(C::AnswerDueAt.gt(now))
            .filter(unclaimed(now))
            .filter(contact.clone())
            .filter(C::Id.is_not_in(skip.clone()))
            .order_by_asc(C::AnswerDueAt)
            .order_by_asc(C::Id)
            .limit(1)
            .one(db)
            .await
            .map_err(unavailable)?
        else {
            return Ok(None);
        };
        let Some(due) = row.answer_due_at else {
            return Ok(None);
        };
        if claim(db, row.id, due, now + claim_for, now).await? {
            return Ok(Some(AnswerToSend {
                complaint_id: ComplaintId::from_uuid(row.id),
                complaint_number: row.number,
                answer_due_at: due,
                outcome: row.closing_outcome.unwrap_or_default(),
                phone: row.phone.filter(|_| reachable.by_phone),
                email: row.email.filter(|_| reachable.by_email),
            }));
        }
        // Another worker took it meanwhile: look again.
    }
}

/// Keeps the answer from the system until it falls due (no channel reaches the
/// complainant): it is intake's to give.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn leave_answer_to_intake(
    db: &DatabaseConnection,
    answer: &AnswerToSend,
) -> Result<(), RepositoryError> {
    complaint::Entity::update_many()
        .col_expr(
            complaint::Column::AnswerClaimedUntil,
            Expr::value(answer.answer_due_at),
        )
        .filter(complaint::Column::Id.eq(answer.complaint_id.as_uuid()))
        .exec(db)
        .await
        .map_err(unavailable)?;
    Ok(())
}

/// Closed complaints still owing the complainant the result.
fn owed() -> sea_orm::Select<complaint::Entity> {
    complaint::Entity::find().filter(answer_owed())
}

/// The condition of a complaint still owing the complainant the result: closed with the
/// answer to follow, and not yet told.
pub(super) fn answer_owed() -> Condition {
    use complaint::Column as C;
    Condition::all()
        .add(C::Status.eq(ComplaintStatus::Closed.as_str()))
        .add(C::AnswerDueAt.is_not_null())
        .add(C::AnsweredAt.is_null())
}

fn unclaimed(now: DateTime<Utc>) -> Condition {
    use complaint::Column as C;
    Condition::any()
        .add(C::AnswerClaimedUntil.is_null())
        .add(C::AnswerClaimedUntil.lt(now))
}

/// Takes the claim on one answer unless another worker holds it, or it was told, or the
/// case reopened and closed again, meanwhile.
async fn claim(
    db: &DatabaseConnection,
    id: Uuid,
    answer_due_at: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, RepositoryError> {
    use complaint::Column as C;
    let txn = begin_write(db).await.map_err(unavailable)?;
    let taken = complaint::Entity::update_many()
        .col_expr(C::AnswerClaimedUntil, Expr::value(until))
        .filter(C::Id.eq(id))
        .filter(answer_owed())
        .filter(C::AnswerDueAt.eq(answer_due_at))
        .filter(unclaimed(now))
        .exec(&txn)
        .await
        .map_err(unavailable)?;
    txn.commit().await.map_err(unavailable)?;
    Ok(taken.rows_affected == 1)
}
