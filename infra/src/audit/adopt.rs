//! Adopting chains made before keys (`duban audit adopt-legacy`): a complaint chain hashed
//! by the old unkeyed scheme is checked under that scheme and, when it holds, rehashed with
//! the current key (its registration sealed from the row as it stands); sanction events,
//! which had no chain, are chained as they stand. A legacy chain that does not hold is left
//! as it is, and verification keeps naming it.

use duban_domain::audit::ChainKind;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::chain::{GENESIS, at_text, mac};
use super::keys::AuditKeys;
use super::{legacy, registration, sanction_seal, verify};
use crate::accountability::entities::sanction_event;
use crate::db::begin_write;
use crate::entities::{complaint, complaint_event};

/// What adoption did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adopted {
    pub complaint_chains: usize,
    pub sanction_chains: usize,
    /// Legacy chains that do not hold under the old scheme, left unadopted.
    pub refused: Vec<(ChainKind, uuid::Uuid)>,
}

/// Adopts every chain that has events without a key.
///
/// # Errors
/// The database's.
pub async fn adopt_legacy(db: &DatabaseConnection, keys: &AuditKeys) -> Result<Adopted, DbErr> {
    let mut adopted = Adopted::default();
    let complaints: Vec<uuid::Uuid> = complaint_event::Entity::find()
        .select_only()
        .column(complaint_event::Column::ComplaintId)
        .filter(complaint_event::Column::KeyId.is_null())
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    for id in complaints {
        if adopt_complaint(db, keys, id).await? {
            adopted.complaint_chains += 1;
        } else {
            adopted.refused.push((ChainKind::Complaint, id));
        }
    }
    let sanctions: Vec<uuid::Uuid> = sanction_event::Entity::find()
        .select_only()
        .column(sanction_event::Column::SanctionId)
        .filter(sanction_event::Column::KeyId.is_null())
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    for id in sanctions {
        adopt_sanction(db, keys, id).await?;
        adopted.sanction_chains += 1;
    }
    Ok(adopted)
}

async fn adopt_complaint(
    db: &DatabaseConnection,
    keys: &AuditKeys,
    id: uuid::Uuid,
) -> Result<bool, DbErr> {
    let txn = begin_write(db).await?;
    let rows = complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(id))
        .order_by_asc(complaint_event::Column::Sequence)
        .all(&txn)
        .await?;
    let complaint_row = complaint::Entity::find_by_id(id).one(&txn).await?;
    let mut prev = GENESIS.to_owned();
    for (position, row) in (1_i64..).zip(&rows) {
        let holds = row.sequence == position
            && row.prev_hash == prev
            && match row.key_id.as_deref() {
                None => {
                    legacy::link(
                        &row.prev_hash,
                        &id.to_string(),
                        row.sequence,
                        &row.kind,
                        &row.actor_id.map(|a| a.to_string()).unwrap_or_default(),
                        &at_text(row.at),
                        &row.data,
                    ) == row.hash
                }
                Some(_) => {
                    verify::check_links(keys, ChainKind::Complaint, id, &[entry_of(row, position)])
                        .iter()
                        .all(|b| b.kind == duban_domain::audit::BreakKind::LinkBroken)
                }
            };
        if !holds {
            txn.rollback().await?;
            return Ok(false);
        }
        prev.clone_from(&row.hash);
    }
    let (key_id, key) = keys.current_hmac();
    let mut prev = GENESIS.to_owned();
    for row in rows {
        let mut entry = entry_of(&row, row.sequence);
        entry.prev_hash.clone_from(&prev);
        if row.sequence == 1 {
            entry.sealed = complaint_row.as_ref().map(|c| registration::seal(c, key));
        }
        entry.hash = mac(key, key_id, ChainKind::Complaint, id, &entry);
        prev.clone_from(&entry.hash);
        let mut active = row.into_active_model();
        active.prev_hash = Set(entry.prev_hash);
        active.hash = Set(entry.hash);
        active.key_id = Set(Some(key_id.to_owned()));
        active.sealed = Set(entry.sealed);
        active.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// A keyed event checked alone (its link to the predecessor is checked by the caller).
fn entry_of(row: &complaint_event::Model, sequence: i64) -> super::chain::Entry {
    super::chain::Entry {
        sequence,
        kind: row.kind.clone(),
        actor: row.actor_id.map(|a| a.to_string()).unwrap_or_default(),
        at: row.at,
        data: row.data.clone(),
        sealed: row.sealed.clone(),
        prev_hash: row.prev_hash.clone(),
        hash: row.hash.clone(),
        key_id: row.key_id.clone(),
    }
}

async fn adopt_sanction(
    db: &DatabaseConnection,
    keys: &AuditKeys,
    id: uuid::Uuid,
) -> Result<(), DbErr> {
    let txn = begin_write(db).await?;
    let rows = sanction_event::Entity::find()
        .filter(sanction_event::Column::SanctionId.eq(id))
        .order_by_asc(sanction_event::Column::Sequence)
        .all(&txn)
        .await?;
    let now = sanction_seal::snapshot(&txn, id)
        .await?
        .map(|state| serde_json::to_string(&state).unwrap_or_default());
    let (key_id, key) = keys.current_hmac();
    let mut prev = GENESIS.to_owned();
    let count = rows.len();
    for (index, row) in rows.into_iter().enumerate() {
        let mut entry = super::chain::Entry {
            sequence: i64::from(row.sequence),
            kind: row.kind.clone(),
            actor: row.actor_id.to_string(),
            at: row.at,
            data: sanction_seal::event_data(row.reason.as_deref()),
            sealed: if index + 1 == count {
                now.clone()
            } else {
                row.sealed.clone()
            },
            prev_hash: prev.clone(),
            hash: String::new(),
            key_id: Some(key_id.to_owned()),
        };
        entry.hash = mac(key, key_id, ChainKind::Sanction, id, &entry);
        prev.clone_from(&entry.hash);
        let mut active = row.into_active_model();
        active.data = Set(entry.data);
        active.prev_hash = Set(entry.prev_hash);
        active.hash = Set(entry.hash);
        active.key_id = Set(entry.key_id);
        active.sealed = Set(entry.sealed);
        active.update(&txn).await?;
    }
    txn.commit().await
}
