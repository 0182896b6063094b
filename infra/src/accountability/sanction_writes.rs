//! The rows a sanction write changes, inside the caller's transaction: its history (each
//! entry chained and announced), its measures, and the sanction row under its version.

use duban_domain::accountability::{SanctionHistoryEntry, SanctionRecord};
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entities::{sanction, sanction_event, sanction_measure};
use super::mapping::sanction_row;
use crate::storage_error::{conflict_or_unavailable, unavailable};

pub(super) async fn append_history(
    txn: &DatabaseTransaction,
    sanction_id: uuid::Uuid,
    entries: &[SanctionHistoryEntry],
) -> Result<(), RepositoryError> {
    let keys = crate::audit::keys::installed()
        .ok_or_else(|| RepositoryError::Unavailable("no audit keys are installed".into()))?;
    let (key_id, key) = keys.current_hmac();
    let last: Option<(i32, String)> = sanction_event::Entity::find()
        .select_only()
        .column(sanction_event::Column::Sequence)
        .column(sanction_event::Column::Hash)
        .filter(sanction_event::Column::SanctionId.eq(sanction_id))
        .order_by_desc(sanction_event::Column::Sequence)
        .into_tuple()
        .one(txn)
        .await
        .map_err(unavailable)?;
    let (mut sequence, mut prev_hash) =
        last.unwrap_or_else(|| (0, crate::audit::chain::GENESIS.to_owned()));
    let sealed = crate::audit::sanction_seal::snapshot(txn, sanction_id)
        .await
        .map_err(unavailable)?
        .map(|state| serde_json::to_string(&state).unwrap_or_default());
    for entry in entries {
        sequence += 1;
        let mut link = crate::audit::chain::Entry {
            sequence: i64::from(sequence),
            kind: entry.kind.clone(),
            actor: entry.actor.as_uuid().to_string(),
            at: entry.at,
            data: crate::audit::sanction_seal::event_data(entry.reason.as_deref()),
            sealed: sealed.clone(),
            prev_hash: prev_hash.clone(),
            hash: String::new(),
            key_id: Some(key_id.to_owned()),
        };
        link.hash = crate::audit::chain::mac(
            key,
            key_id,
            duban_domain::audit::ChainKind::Sanction,
            sanction_id,
            &link,
        );
        prev_hash.clone_from(&link.hash);
        sanction_event::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            sanction_id: Set(sanction_id),
            sequence: Set(sequence),
            kind: Set(link.kind),
            actor_id: Set(entry.actor.as_uuid()),
            at: Set(entry.at),
            reason: Set(entry.reason.clone()),
            data: Set(link.data),
            prev_hash: Set(link.prev_hash),
            hash: Set(link.hash),
            key_id: Set(link.key_id),
            sealed: Set(link.sealed),
        }
        .insert(txn)
        .await
        .map_err(conflict_or_unavailable)?;
    }
    Ok(())
}

pub(super) async fn write_measures(
    txn: &DatabaseTransaction,
    record: &SanctionRecord,
    phase: &str,
    measures: &[duban_domain::sanction::Measure],
) -> Result<(), RepositoryError> {
    for (position, m) in measures.iter().enumerate() {
        sanction_measure::ActiveModel {
            sanction_id: Set(record.case.id()),
            phase: Set(phase.to_owned()),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            track: Set(m.track().as_str().to_owned()),
            measure: Set(m.as_str().to_owned()),
        }
        .insert(txn)
        .await
        .map_err(unavailable)?;
    }
    Ok(())
}

/// A version-checked update of a sanction row.
pub(super) async fn update_row(
    txn: &DatabaseTransaction,
    record: &SanctionRecord,
    replaces: i64,
    supersede_reason: Option<String>,
) -> Result<(), RepositoryError> {
    let mut row = sanction_row(record)?;
    if let Some(reason) = supersede_reason {
        row.supersede_reason = Set(Some(reason));
    }
    let done = sanction::Entity::update_many()
        .set(row)
        .filter(sanction::Column::Id.eq(record.case.id()))
        .filter(sanction::Column::Version.eq(replaces))
        .exec(txn)
        .await
        .map_err(unavailable)?;
    if done.rows_affected != 1 {
        return Err(RepositoryError::Conflict);
    }
    Ok(())
}
