//! Checks a complaint's hash-chained history against what is stored now.

use chrono::SecondsFormat;
use duban_domain::complaint::ports::RepositoryError;
use duban_domain::ids::ComplaintId;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::complaint_event;
use crate::event_chain::{GENESIS, link};
use crate::storage_error::unavailable;

/// What a check of a complaint's history found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    /// Events stored.
    pub events: usize,
    /// The hash of the last event: note it down to prove later that nothing was appended,
    /// edited or removed before it.
    pub head_hash: Option<String>,
    /// The first sequence whose stored content, position or link to its predecessor does not
    /// match its hash; `None` when the whole history is intact.
    pub first_broken_sequence: Option<i64>,
}

impl ChainCheck {
    pub fn intact(&self) -> bool {
        self.first_broken_sequence.is_none()
    }
}

/// Recomputes every hash of the complaint's history, oldest first: each event must follow its
/// predecessor (sequence 1, 2, …), name its predecessor's hash, and hash to what is stored.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn check_chain(
    conn: &impl ConnectionTrait,
    complaint_id: ComplaintId,
) -> Result<ChainCheck, RepositoryError> {
    let rows = complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(complaint_id.as_uuid()))
        .order_by_asc(complaint_event::Column::Sequence)
        .all(conn)
        .await
        .map_err(unavailable)?;
    let mut expected_prev = GENESIS.to_owned();
    let mut first_broken_sequence = None;
    for (position, row) in (1_i64..).zip(&rows) {
        let recomputed = link(
            &row.prev_hash,
            &complaint_id.to_string(),
            row.sequence,
            &row.kind,
            &row.actor_id.map(|a| a.to_string()).unwrap_or_default(),
            &row.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            &row.data,
        );
        let intact =
            row.sequence == position && row.prev_hash == expected_prev && row.hash == recomputed;
        if !intact {
            first_broken_sequence = Some(position);
            break;
        }
        expected_prev.clone_from(&row.hash);
    }
    Ok(ChainCheck {
        events: rows.len(),
        head_hash: rows.last().map(|r| r.hash.clone()),
        first_broken_sequence,
    })
}
