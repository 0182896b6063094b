//! The open complainant notices the system can send itself: claimed one at a time so that
//! two workers never tell one complainant twice at once.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use duban_domain::complaint::ports::RepositoryError;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::db::begin_write;
use crate::entities::{complaint, extension_request, supervision_order};
use crate::storage_error::unavailable;

/// Claimed at most per pass.
const MAX_PER_PASS: u64 = 50;

/// An open notice and where the complainant can be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeToSend {
    pub order_id: Uuid,
    pub complaint_number: String,
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

/// Claims, until `now + claim_for`, the open notices not yet due (untold, unclaimed or with
/// an expired claim) whose complainant can be reached as `reachable` says, oldest due first.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn claim_complainant_notices(
    db: &DatabaseConnection,
    reachable: Reachable,
    now: DateTime<Utc>,
    claim_for: TimeDelta,
) -> Result<Vec<NoticeToSend>, RepositoryError> {
    if !reachable.by_phone && !reachable.by_email {
        return Ok(Vec::new());
    }
    let now = now.trunc_subsecs(6);
    let mut contact = Condition::any();
    if reachable.by_phone {
        contact = contact.add(complaint::Column::Phone.is_not_null());
    }
    if reachable.by_email {
        contact = contact.add(complaint::Column::Email.is_not_null());
    }
    let open = supervision_order::Entity::find()
        .select_only()
        .column(supervision_order::Column::Id)
        .column(supervision_order::Column::ComplaintId)
        .filter(supervision_order::Column::ComplainantNoticeDueAt.is_not_null())
        .filter(supervision_order::Column::ComplainantToldAt.is_null())
        // Past its due time the notice is intake's to give (it shows overdue in the queue).
        .filter(supervision_order::Column::ComplainantNoticeDueAt.gt(now))
        .filter(
            Condition::any()
                .add(supervision_order::Column::ComplainantNoticeClaimedUntil.is_null())
                .add(supervision_order::Column::ComplainantNoticeClaimedUntil.lt(now)),
        )
        .order_by_asc(supervision_order::Column::ComplainantNoticeDueAt)
        .limit(MAX_PER_PASS)
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await
        .map_err(unavailable)?;
    let mut claimed = Vec::new();
    for (order_id, complaint_id) in open {
        let Some(found) = complaint::Entity::find_by_id(complaint_id)
            .filter(contact.clone())
            .one(db)
            .await
            .map_err(unavailable)?
        else {
            continue;
        };
        let Some(reply_due_at) = granted_due_at(db, order_id).await? else {
            continue;
        };
        if !claim(db, order_id, now, claim_for).await? {
            continue;
        }
        claimed.push(NoticeToSend {
            order_id,
            complaint_number: found.number,
            reply_due_at,
            phone: found.phone.filter(|_| reachable.by_phone),
            email: found.email.filter(|_| reachable.by_email),
        });
    }
    Ok(claimed)
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

/// Takes the claim on one notice unless another worker holds it or it was told meanwhile.
async fn claim(
    db: &DatabaseConnection,
    order_id: Uuid,
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
