//! Links between complaints: stored once per pair, each end's history told in the same
//! transaction.

use duban_domain::complaint::events::ComplaintEvent;
use duban_domain::complaint::links::{ComplaintLink, LinkedComplaint};
use duban_domain::ids::{ComplaintId, UserId};
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::event_log;
use crate::db::begin_write;
use crate::entities::{complaint, complaint_link};
use crate::storage_error::{conflict_or_unavailable, unavailable};

/// The same key for a pair whichever way it was linked.
fn pair_key(a: ComplaintId, b: ComplaintId) -> String {
    let (low, high) = if a.as_uuid() <= b.as_uuid() {
        (a, b)
    } else {
        (b, a)
    };
    format!("{low}:{high}")
}

pub(super) async fn store(
    db: &DatabaseConnection,
    link: &ComplaintLink,
    events: &[(ComplaintId, ComplaintEvent)],
) -> Result<(), RepositoryError> {
    let txn = begin_write(db).await.map_err(unavailable)?;
    complaint_link::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        complaint_id: Set(link.complaint_id.as_uuid()),
        linked_complaint_id: Set(link.linked_complaint_id.as_uuid()),
        pair_key: Set(pair_key(link.complaint_id, link.linked_complaint_id)),
        reason: Set(link.reason.clone()),
        linked_by: Set(link.linked_by.as_uuid()),
        linked_at: Set(link.linked_at),
    }
    .insert(&txn)
    .await
    .map_err(conflict_or_unavailable)?;
    // Complaint rows are locked in id order, so links sharing a complaint never deadlock.
    let mut ordered: Vec<&(ComplaintId, ComplaintEvent)> = events.iter().collect();
    ordered.sort_by_key(|(complaint_id, _)| complaint_id.as_uuid());
    for (complaint_id, event) in ordered {
        event_log::append(
            &txn,
            *complaint_id,
            event,
            Some(link.linked_by),
            link.linked_at,
        )
        .await?;
    }
    txn.commit().await.map_err(unavailable)
}

pub(super) async fn of(
    db: &DatabaseConnection,
    id: ComplaintId,
) -> Result<Vec<LinkedComplaint>, RepositoryError> {
    let rows = complaint_link::Entity::find()
        .filter(
            Condition::any()
                .add(complaint_link::Column::ComplaintId.eq(id.as_uuid()))
                .add(complaint_link::Column::LinkedComplaintId.eq(id.as_uuid())),
        )
        .order_by_asc(complaint_link::Column::LinkedAt)
        .order_by_asc(complaint_link::Column::Id)
        .all(db)
        .await
        .map_err(unavailable)?;
    let links: Vec<ComplaintLink> = rows
        .into_iter()
        .filter_map(|row| {
            ComplaintLink {
                complaint_id: ComplaintId::from_uuid(row.complaint_id),
                linked_complaint_id: ComplaintId::from_uuid(row.linked_complaint_id),
                reason: row.reason,
                linked_by: UserId::from_uuid(row.linked_by),
                linked_at: row.linked_at,
            }
            .seen_from(id)
        })
        .collect();
    let other_ids: Vec<uuid::Uuid> = links
        .iter()
        .map(|l| l.linked_complaint_id.as_uuid())
        .collect();
    let numbers: Vec<(uuid::Uuid, String)> = if other_ids.is_empty() {
        vec![]
    } else {
        complaint::Entity::find()
            .select_only()
            .column(complaint::Column::Id)
            .column(complaint::Column::Number)
            .filter(complaint::Column::Id.is_in(other_ids))
            .into_tuple()
            .all(db)
            .await
            .map_err(unavailable)?
    };
    Ok(links
        .into_iter()
        .map(|link| {
            let linked_number = numbers
                .iter()
                .find(|(id, _)| *id == link.linked_complaint_id.as_uuid())
                .map(|(_, number)| number.clone())
                .unwrap_or_default();
            LinkedComplaint {
                link,
                linked_number,
            }
        })
        .collect())
}
