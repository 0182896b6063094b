//! `/outbox/dead-messages`: notifications that ran out of attempts, listed and put back into
//! delivery by admin once the receiver is mended.

use chrono::{DateTime, Utc};
use duban_domain::clock::Clock;
use duban_domain::msg;
use duban_domain::role::Role as DomainRole;
use duban_infra::notifications::{OutboxEntry, ReplayError, dead_messages, replay_dead};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::pagination::{DEFAULT_LIMIT, decode_cursor, page};
use super::problem::ApiError;
use super::{ApiTags, State};

/// An outbox message as admin sees it: where it stands, not what it says (its payload is
/// case content).
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OutboxMessageView {
    /// Receivers deduplicate on it (`X-Duban-Message-Id`).
    pub id: Uuid,
    pub topic: String,
    /// `primary` (the log or webhook sender), `email` or `sms` (one recipient's).
    pub channel: String,
    /// The primary message an `email` or `sms` message was written for.
    pub parent_id: Option<Uuid>,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// Attempts made since it was written or last replayed.
    pub attempts: u32,
    /// Not sent before this instant.
    pub available_at: DateTime<Utc>,
    /// What the receiver or the connection said on the last failed attempt.
    pub last_error: Option<String>,
}

impl From<OutboxEntry> for OutboxMessageView {
    fn from(e: OutboxEntry) -> Self {
        Self {
            id: e.id,
            topic: e.topic,
            channel: e.channel.as_str().to_owned(),
            parent_id: e.parent_id,
            status: e.status.as_str().to_owned(),
            created_at: e.created_at,
            attempts: e.attempts,
            available_at: e.available_at,
            last_error: e.last_error,
        }
    }
}

/// A page of dead messages, newest first.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OutboxMessagePage {
    pub items: Vec<OutboxMessageView>,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(ApiResponse)]
pub enum OutboxMessagePageOk {
    #[oai(status = 200)]
    Ok(Json<OutboxMessagePage>),
}

#[derive(ApiResponse)]
pub enum OutboxMessageOk {
    #[oai(status = 200)]
    Ok(Json<OutboxMessageView>),
}

impl From<ReplayError> for ApiError {
    fn from(e: ReplayError) -> Self {
        match e {
            ReplayError::NotFound => ApiError::not_found(msg!("outbox_message_not_found")),
            ReplayError::NotDead(status) => ApiError::conflict(
                "wrong_state",
                msg!("outbox_message_not_dead", status = status.as_str()),
            ),
            ReplayError::Storage(e) => e.into(),
        }
    }
}

pub struct OutboxApi;

#[OpenApi(prefix_path = "/api/v1/outbox/dead-messages", tag = "ApiTags::Users")]
impl OutboxApi {
    /// List dead notifications (admin)
    ///
    /// Messages whose every delivery attempt failed, newest first. They are not sent again
    /// until replayed.
    #[oai(path = "/", method = "get", operation_id = "listDeadOutboxMessages")]
    async fn list(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u32>>,
        #[oai(validator(pattern = r"^k1\.[0-9a-f]{32}$"))] cursor: Query<Option<String>>,
    ) -> Result<OutboxMessagePageOk, ApiError> {
        auth.0
            .actor
            .require(&[DomainRole::Admin], "read the outbox")?;
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT);
        let before = decode_cursor(cursor.0.as_deref())?;
        let fetched = dead_messages(&state.db, before, u64::from(limit) + 1).await?;
        let (items, next_cursor) = page(fetched, limit, |e| e.id);
        Ok(OutboxMessagePageOk::Ok(Json(OutboxMessagePage {
            items: items.into_iter().map(Into::into).collect(),
            next_cursor,
        })))
    }

    /// Replay a dead notification (admin)
    ///
    /// Puts the message back into delivery as if new: pending, no attempts, due now. It keeps
    /// its id, so a receiver that did get it after all drops the repeat.
    #[oai(
        path = "/:id/replay",
        method = "post",
        operation_id = "replayDeadOutboxMessage"
    )]
    async fn replay(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<OutboxMessageOk, ApiError> {
        auth.0
            .actor
            .require(&[DomainRole::Admin], "replay notifications")?;
        let entry = replay_dead(&state.db, id.0, state.clock.now()).await?;
        Ok(OutboxMessageOk::Ok(Json(entry.into())))
    }
}
