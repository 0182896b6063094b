//! Tamper evidence over HTTP: the verification of one history (complaint or sanction, see
//! their APIs) and `GET /audit/checkpoints`, the signed checkpoints to keep outside the
//! database (leading group).

use chrono::{DateTime, Utc};
use duban_domain::audit::{Break, BreakKind};
use duban_domain::role::Role;
use duban_infra::audit::{ChainReport, Checkpoint, checkpoint};
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::problem::ApiError;
use super::{ApiTags, State};
use crate::state::AppState;

/// What is wrong (README, "Tamper evidence").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum BreakKindView {
    /// The event does not match its keyed hash: edited, or recomputed without the key.
    HashMismatch,
    /// The event names a key that is not configured.
    UnknownKey,
    /// The event was hashed without a key (before keys) and never adopted.
    Unkeyed,
    /// The event does not name its predecessor's hash.
    LinkBroken,
    /// An event is missing or out of place here.
    SequenceGap,
    /// Events the latest checkpoint sealed are gone: the newest events were deleted.
    NewestEventsDeleted,
    /// The event the latest checkpoint sealed hashes differently now.
    SealedHeadRewritten,
    /// The latest checkpoint sealed this chain and it is gone.
    ChainDeleted,
    /// The stored row differs from what its events determine (`fields`).
    RowDiffers,
    /// Events exist without their row.
    RowMissing,
    /// The row has no events.
    EventsMissing,
    /// An event's data cannot be read.
    UnreadableEvent,
}

impl From<&BreakKind> for BreakKindView {
    fn from(kind: &BreakKind) -> Self {
        match kind {
            BreakKind::HashMismatch => Self::HashMismatch,
            BreakKind::UnknownKey(_) => Self::UnknownKey,
            BreakKind::Unkeyed => Self::Unkeyed,
            BreakKind::LinkBroken => Self::LinkBroken,
            BreakKind::SequenceGap => Self::SequenceGap,
            BreakKind::NewestEventsDeleted { .. } => Self::NewestEventsDeleted,
            BreakKind::SealedHeadRewritten { .. } => Self::SealedHeadRewritten,
            BreakKind::ChainDeleted => Self::ChainDeleted,
            BreakKind::RowDiffers(_) => Self::RowDiffers,
            BreakKind::RowMissing => Self::RowMissing,
            BreakKind::EventsMissing => Self::EventsMissing,
            BreakKind::UnreadableEvent => Self::UnreadableEvent,
        }
    }
}

/// One break of the evidence.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct BreakView {
    pub kind: BreakKindView,
    /// The event, when the break is at one.
    pub sequence: Option<i64>,
    /// `row_differs`: the fields.
    pub fields: Option<Vec<String>>,
    /// A sentence (English).
    pub detail: String,
}

impl From<&Break> for BreakView {
    fn from(b: &Break) -> Self {
        Self {
            kind: (&b.kind).into(),
            sequence: b.sequence,
            fields: match &b.kind {
                BreakKind::RowDiffers(fields) => Some(fields.clone()),
                _ => None,
            },
            detail: b.kind.describe(),
        }
    }
}

/// The check of one tamper-evident history.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ChainCheckView {
    /// No break: every event hashes (HMAC-SHA256 with the configured key) to what is
    /// stored and follows its predecessor, the row holds what the events determine, and the
    /// latest checkpoint's seal of this history is still there.
    pub intact: bool,
    /// Events stored.
    pub events: u32,
    /// The hash of the newest event.
    pub head_hash: Option<String>,
    /// The lowest event a break names; absent when none does.
    pub first_broken_sequence: Option<i64>,
    /// Every break found.
    pub breaks: Vec<BreakView>,
    /// The checkpoint the head was checked against; absent when none was sealed yet or the
    /// latest does not verify.
    pub checkpoint_id: Option<Uuid>,
    pub checkpoint_sealed_at: Option<DateTime<Utc>>,
}

#[derive(ApiResponse)]
pub enum ChainCheckOk {
    #[oai(status = 200)]
    Ok(Json<ChainCheckView>),
}

/// The latest checkpoint, when it verifies (a forged one is not used).
///
/// # Errors
/// [`ApiError`] when the database is unavailable.
pub async fn trusted_checkpoint(state: &AppState) -> Result<Option<Checkpoint>, ApiError> {
    Ok(checkpoint::latest(&state.db)
        .await
        .map_err(ApiError::unavailable)?
        .filter(|c| c.problem(&state.audit_keys).is_none()))
}

/// The view of one chain's report.
pub fn chain_view(report: &ChainReport, checkpoint: Option<&Checkpoint>) -> ChainCheckView {
    ChainCheckView {
        intact: report.intact(),
        events: u32::try_from(report.events).unwrap_or(u32::MAX),
        head_hash: report.head_hash.clone(),
        first_broken_sequence: report.first_broken_sequence(),
        breaks: report.breaks.iter().map(Into::into).collect(),
        checkpoint_id: checkpoint.map(|c| c.id),
        checkpoint_sealed_at: checkpoint.map(|c| c.sealed_at),
    }
}

/// A chain's head as sealed.
#[derive(Debug, Object)]
pub struct HeadView {
    /// `complaint` or `sanction`.
    pub chain: String,
    pub id: Uuid,
    pub sequence: i64,
    pub hash: String,
}

/// A signed checkpoint, in the export format `duban-checkpoint-v1` (README).
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CheckpointView {
    pub format: String,
    pub id: Uuid,
    /// RFC 3339, UTC, microseconds, as signed.
    pub sealed_at: String,
    pub key_id: String,
    /// The Ed25519 public key (hex) of `key_id`.
    pub public_key: Option<String>,
    pub leaf_count: u64,
    /// Hex SHA-256 Merkle root of the heads.
    pub root: String,
    /// Hex Ed25519 signature.
    pub signature: String,
    /// In leaf order.
    pub heads: Vec<HeadView>,
}

/// A signing key's public half.
#[derive(Debug, Object)]
pub struct PublicKeyView {
    pub key_id: String,
    /// Hex Ed25519 public key.
    pub public_key: String,
}

/// Checkpoints, newest first, with the public keys that verify them.
#[derive(Debug, Object)]
pub struct CheckpointList {
    /// The current signing key first, then retired ones.
    pub public_keys: Vec<PublicKeyView>,
    pub items: Vec<CheckpointView>,
}

#[derive(ApiResponse)]
pub enum CheckpointListOk {
    #[oai(status = 200)]
    Ok(Json<CheckpointList>),
}

fn checkpoint_view(c: &Checkpoint, state: &AppState) -> CheckpointView {
    CheckpointView {
        format: checkpoint::FORMAT.to_owned(),
        id: c.id,
        sealed_at: duban_infra::audit::chain::at_text(c.sealed_at),
        key_id: c.key_id.clone(),
        public_key: state
            .audit_keys
            .verifying(&c.key_id)
            .map(|k| hex::encode(k.as_bytes())),
        leaf_count: c.heads.len() as u64,
        root: c.root.clone(),
        signature: c.signature.clone(),
        heads: c
            .heads
            .iter()
            .map(|h| HeadView {
                chain: h.chain.as_str().to_owned(),
                id: h.id,
                sequence: h.sequence,
                hash: h.hash.clone(),
            })
            .collect(),
    }
}

pub struct AuditApi;

#[OpenApi(prefix_path = "/api/v1/audit", tag = "ApiTags::Accountability")]
impl AuditApi {
    /// List audit checkpoints (leading group)
    ///
    /// The newest checkpoints (default 10), each the signed Merkle root of every complaint
    /// and sanction history's head, to be kept outside the database; `duban audit verify
    /// --checkpoint FILE` checks the database against one kept copy.
    #[oai(
        path = "/checkpoints",
        method = "get",
        operation_id = "listAuditCheckpoints"
    )]
    async fn list(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<u32>>,
    ) -> Result<CheckpointListOk, ApiError> {
        auth.0
            .actor
            .require(&[Role::LeadingGroup], "read audit checkpoints")?;
        let items = checkpoint::recent(&state.db, u64::from(limit.0.unwrap_or(10)))
            .await
            .map_err(ApiError::unavailable)?;
        Ok(CheckpointListOk::Ok(Json(CheckpointList {
            public_keys: state
                .audit_keys
                .public_keys()
                .into_iter()
                .map(|(key_id, public_key)| PublicKeyView { key_id, public_key })
                .collect(),
            items: items.iter().map(|c| checkpoint_view(c, &state)).collect(),
        })))
    }
}
