//! The reads the accountability rules rest on: sanctions with their measures and links, and
//! the complaints against a person or unit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use duban_domain::accountability::{ComplaintAgainst, SanctionRecord};
use duban_domain::ids::ComplaintId;
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{sanction, sanction_link, sanction_measure};
use super::mapping::{corrupt, sanction_from};
use crate::entities::complaint;
use crate::storage_error::unavailable;

/// id, number, finding, closed_at of a complaint.
type AgainstRow = (uuid::Uuid, String, Option<String>, Option<DateTime<Utc>>);

pub(super) async fn load(
    db: &DatabaseConnection,
    rows: Vec<sanction::Model>,
) -> Result<Vec<SanctionRecord>, RepositoryError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let measures = sanction_measure::Entity::find()
        .filter(sanction_measure::Column::SanctionId.is_in(ids.clone()))
        .all(db)
        .await
        .map_err(unavailable)?;
    let links = sanction_link::Entity::find()
        .filter(sanction_link::Column::SanctionId.is_in(ids))
        .order_by_asc(sanction_link::Column::Id)
        .all(db)
        .await
        .map_err(unavailable)?;
    let mut by_id: HashMap<uuid::Uuid, Vec<sanction_measure::Model>> = HashMap::new();
    for m in measures {
        by_id.entry(m.sanction_id).or_default().push(m);
    }
    rows.into_iter()
        .map(|row| {
            let id = row.id;
            let complaints = links
                .iter()
                .filter(|l| l.sanction_id == id)
                .filter_map(|l| l.complaint_id.map(ComplaintId::from_uuid))
                .collect();
            let records = links
                .iter()
                .filter(|l| l.sanction_id == id)
                .filter_map(|l| l.investigation_record_id)
                .collect();
            sanction_from(
                row,
                by_id.get(&id).map_or(&[][..], Vec::as_slice),
                complaints,
                records,
            )
        })
        .collect()
}

pub(super) async fn against(
    db: &DatabaseConnection,
    cond: Condition,
) -> Result<Vec<ComplaintAgainst>, RepositoryError> {
    let rows: Vec<AgainstRow> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::Id)
        .column(complaint::Column::Number)
        .column(complaint::Column::Finding)
        .column(complaint::Column::ClosedAt)
        .filter(cond)
        .order_by_asc(complaint::Column::RegisteredAt)
        .into_tuple()
        .all(db)
        .await
        .map_err(unavailable)?;
    rows.into_iter()
        .map(|(id, number, finding, closed_at)| {
            Ok(ComplaintAgainst {
                id: ComplaintId::from_uuid(id),
                number,
                finding: finding.map(|f| f.parse()).transpose().map_err(corrupt)?,
                closed_at,
            })
        })
        .collect()
}

pub(super) async fn sustained(
    db: &DatabaseConnection,
    cond: Condition,
) -> Result<Vec<DateTime<Utc>>, RepositoryError> {
    let rows: Vec<Option<DateTime<Utc>>> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::ClosedAt)
        .filter(cond)
        .filter(complaint::Column::Finding.eq("sustained"))
        .filter(complaint::Column::Status.eq("closed"))
        .into_tuple()
        .all(db)
        .await
        .map_err(unavailable)?;
    Ok(rows.into_iter().flatten().collect())
}
