//! Verifying the evidence: each chain's keyed hashes and links, each row against what its
//! events determine, and each head against a checkpoint.

use std::collections::BTreeSet;

use duban_domain::audit::{Break, BreakKind, ChainKind};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::chain::{Entry, GENESIS, mac};
use super::checkpoint::{Checkpoint, by_chain};
use super::keys::AuditKeys;
use super::row_check::complaint_row_differences;
use super::sanction_seal;
use crate::accountability::entities::{sanction, sanction_event};
use crate::entities::{complaint, complaint_event};

/// What the check of one chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub chain: ChainKind,
    pub subject_id: uuid::Uuid,
    /// Events stored.
    pub events: usize,
    /// The newest event's hash.
    pub head_hash: Option<String>,
    /// Every break, in the order found (chain, then row, then checkpoint).
    pub breaks: Vec<Break>,
}

impl ChainReport {
    pub fn intact(&self) -> bool {
        self.breaks.is_empty()
    }

    /// The lowest sequence a break names.
    pub fn first_broken_sequence(&self) -> Option<i64> {
        self.breaks.iter().filter_map(|b| b.sequence).min()
    }
}

/// What the check of the whole database found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub chains: usize,
    pub events: usize,
    /// The checkpoint the heads were checked against.
    pub checkpoint: Option<Checkpoint>,
    /// Why that checkpoint does not hold (its heads were then not used).
    pub checkpoint_problem: Option<String>,
    pub breaks: Vec<Break>,
}

impl Report {
    pub fn intact(&self) -> bool {
        self.breaks.is_empty() && self.checkpoint_problem.is_none()
    }
}

/// The keyed hashes and links of one chain, oldest first.
pub(crate) fn check_links(
    keys: &AuditKeys,
    chain: ChainKind,
    subject: uuid::Uuid,
    entries: &[Entry],
) -> Vec<Break> {
    let mut breaks = Vec::new();
    let mut expected_sequence = 1;
    let mut expected_prev = GENESIS.to_owned();
    let at = |sequence, kind| Break {
        chain,
        subject_id: subject,
        sequence: Some(sequence),
        kind,
    };
    for entry in entries {
        if entry.sequence != expected_sequence {
            breaks.push(at(entry.sequence, BreakKind::SequenceGap));
        } else if entry.prev_hash != expected_prev {
            breaks.push(at(entry.sequence, BreakKind::LinkBroken));
        }
        match entry.key_id.as_deref() {
            None => breaks.push(at(entry.sequence, BreakKind::Unkeyed)),
            Some(id) => match keys.hmac(id) {
                None => breaks.push(at(entry.sequence, BreakKind::UnknownKey(id.to_owned()))),
                Some(key) if mac(key, id, chain, subject, entry) != entry.hash => {
                    breaks.push(at(entry.sequence, BreakKind::HashMismatch));
                }
                Some(_) => {}
            },
        }
        expected_sequence = entry.sequence + 1;
        expected_prev.clone_from(&entry.hash);
    }
    breaks
}

/// The chain's head against the checkpoint's seal of it.
fn check_head(
    chain: ChainKind,
    subject: uuid::Uuid,
    sealed: Option<&super::checkpoint::Head>,
    entries: &[Entry],
) -> Option<Break> {
    let sealed = sealed?;
    let kind = if entries.is_empty() {
        BreakKind::ChainDeleted
    } else {
        match entries.iter().find(|e| e.sequence == sealed.sequence) {
            None => BreakKind::NewestEventsDeleted {
                sealed_sequence: sealed.sequence,
            },
            Some(e) if e.hash != sealed.hash => BreakKind::SealedHeadRewritten {
                sealed_sequence: sealed.sequence,
            },
            Some(_) => return None,
        }
    };
    Some(Break {
        chain,
        subject_id: subject,
        sequence: Some(sealed.sequence),
        kind,
    })
}

async fn complaint_entries(
    conn: &impl ConnectionTrait,
    id: uuid::Uuid,
) -> Result<Vec<Entry>, DbErr> {
    Ok(complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(id))
        .order_by_asc(complaint_event::Column::Sequence)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| Entry {
            sequence: row.sequence,
            kind: row.kind,
            actor: row.actor_id.map(|a| a.to_string()).unwrap_or_default(),
            at: row.at,
            data: row.data,
            sealed: row.sealed,
            prev_hash: row.prev_hash,
            hash: row.hash,
            key_id: row.key_id,
        })
        .collect())
}

pub(crate) async fn sanction_entries(
    conn: &impl ConnectionTrait,
    id: uuid::Uuid,
) -> Result<Vec<Entry>, DbErr> {
    Ok(sanction_event::Entity::find()
        .filter(sanction_event::Column::SanctionId.eq(id))
        .order_by_asc(sanction_event::Column::Sequence)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| Entry {
            sequence: i64::from(row.sequence),
            kind: row.kind,
            actor: row.actor_id.to_string(),
            at: row.at,
            data: sanction_seal::event_data(row.reason.as_deref()),
            sealed: row.sealed,
            prev_hash: row.prev_hash,
            hash: row.hash,
            key_id: row.key_id,
        })
        .collect())
}

/// Checks one complaint: its chain, its row, and its head against `checkpoint`.
///
/// # Errors
/// The database's.
pub async fn verify_complaint(
    conn: &impl ConnectionTrait,
    keys: &AuditKeys,
    id: uuid::Uuid,
    checkpoint: Option<&Checkpoint>,
) -> Result<ChainReport, DbErr> {
    let chain = ChainKind::Complaint;
    let entries = complaint_entries(conn, id).await?;
    let mut breaks = check_links(keys, chain, id, &entries);
    let row = complaint::Entity::find_by_id(id).one(conn).await?;
    let whole = |kind| Break {
        chain,
        subject_id: id,
        sequence: None,
        kind,
    };
    match (&row, entries.is_empty()) {
        (None, false) => breaks.push(whole(BreakKind::RowMissing)),
        (Some(_), true) => breaks.push(whole(BreakKind::EventsMissing)),
        (Some(row), false) => match complaint_row_differences(keys, row, &entries) {
            Ok(fields) if fields.is_empty() => {}
            Ok(fields) => breaks.push(whole(BreakKind::RowDiffers(fields))),
            Err(sequence) => breaks.push(Break {
                sequence: Some(sequence),
                ..whole(BreakKind::UnreadableEvent)
            }),
        },
        (None, true) => {}
    }
    breaks.extend(check_head(
        chain,
        id,
        checkpoint.and_then(|c| c.head(chain, id)),
        &entries,
    ));
    Ok(ChainReport {
        chain,
        subject_id: id,
        events: entries.len(),
        head_hash: entries.last().map(|e| e.hash.clone()),
        breaks,
    })
}

/// Checks one sanction: its chain, its row against the newest event's seal, and its head
/// against `checkpoint`.
///
/// # Errors
/// The database's.
pub async fn verify_sanction(
    conn: &impl ConnectionTrait,
    keys: &AuditKeys,
    id: uuid::Uuid,
    checkpoint: Option<&Checkpoint>,
) -> Result<ChainReport, DbErr> {
    let chain = ChainKind::Sanction;
    let entries = sanction_entries(conn, id).await?;
    let mut breaks = check_links(keys, chain, id, &entries);
    let now = sanction_seal::snapshot(conn, id).await?;
    let whole = |kind| Break {
        chain,
        subject_id: id,
        sequence: None,
        kind,
    };
    match (&now, entries.last()) {
        (None, Some(_)) => breaks.push(whole(BreakKind::RowMissing)),
        (Some(_), None) => breaks.push(whole(BreakKind::EventsMissing)),
        (Some(now), Some(last)) => match &last.sealed {
            Some(sealed) => {
                let fields = sanction_seal::differences(sealed, now);
                if !fields.is_empty() {
                    breaks.push(whole(BreakKind::RowDiffers(fields)));
                }
            }
            None if last.key_id.is_some() => {
                breaks.push(whole(BreakKind::RowDiffers(vec!["sealed_state".into()])));
            }
            None => {}
        },
        (None, None) => {}
    }
    breaks.extend(check_head(
        chain,
        id,
        checkpoint.and_then(|c| c.head(chain, id)),
        &entries,
    ));
    Ok(ChainReport {
        chain,
        subject_id: id,
        events: entries.len(),
        head_hash: entries.last().map(|e| e.hash.clone()),
        breaks,
    })
}

/// Checks every chain, every row and every head against `checkpoint` (the latest stored one
/// when `None`).
///
/// # Errors
/// The database's.
pub async fn verify_all(
    conn: &impl ConnectionTrait,
    keys: &AuditKeys,
    checkpoint: Option<Checkpoint>,
) -> Result<Report, DbErr> {
    let checkpoint = match checkpoint {
        Some(c) => Some(c),
        None => super::checkpoint::latest(conn).await?,
    };
    let checkpoint_problem = checkpoint.as_ref().and_then(|c| c.problem(keys));
    let trusted = checkpoint.as_ref().filter(|_| checkpoint_problem.is_none());
    let mut complaints: BTreeSet<uuid::Uuid> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::Id)
        .into_tuple::<uuid::Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    complaints.extend(
        complaint_event::Entity::find()
            .select_only()
            .column(complaint_event::Column::ComplaintId)
            .distinct()
            .into_tuple::<uuid::Uuid>()
            .all(conn)
            .await?,
    );
    let mut sanctions: BTreeSet<uuid::Uuid> = sanction::Entity::find()
        .select_only()
        .column(sanction::Column::Id)
        .into_tuple::<uuid::Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    sanctions.extend(
        sanction_event::Entity::find()
            .select_only()
            .column(sanction_event::Column::SanctionId)
            .distinct()
            .into_tuple::<uuid::Uuid>()
            .all(conn)
            .await?,
    );
    if let Some(sealed) = trusted {
        for (chain, id) in by_chain(sealed).keys() {
            match chain {
                ChainKind::Complaint => complaints.insert(*id),
                ChainKind::Sanction => sanctions.insert(*id),
            };
        }
    }
    let mut report = Report {
        chains: complaints.len() + sanctions.len(),
        events: 0,
        checkpoint: checkpoint.clone(),
        checkpoint_problem,
        breaks: Vec::new(),
    };
    for id in complaints {
        let one = verify_complaint(conn, keys, id, trusted).await?;
        report.events += one.events;
        report.breaks.extend(one.breaks);
    }
    for id in sanctions {
        let one = verify_sanction(conn, keys, id, trusted).await?;
        report.events += one.events;
        report.breaks.extend(one.breaks);
    }
    Ok(report)
}
