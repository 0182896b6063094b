//! `GET /security-events`: the log of failed and throttled logins, for admins.

use chrono::{DateTime, Utc};
use duban_domain::role::Role as DomainRole;
use duban_infra::login_guard::{SecurityEvent, SecurityEventKind};
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::pagination::{DEFAULT_LIMIT, decode_cursor, page};
use super::problem::ApiError;
use super::{ApiTags, State};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum SecurityEventKindView {
    /// A login with a wrong username or password.
    LoginFailed,
    /// A login refused with 429 because of earlier failures.
    LoginThrottled,
}

impl From<SecurityEventKind> for SecurityEventKindView {
    fn from(kind: SecurityEventKind) -> Self {
        match kind {
            SecurityEventKind::LoginFailed => SecurityEventKindView::LoginFailed,
            SecurityEventKind::LoginThrottled => SecurityEventKindView::LoginThrottled,
        }
    }
}

/// One security event.
#[derive(Debug, Object)]
pub struct SecurityEventView {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub kind: SecurityEventKindView,
    /// The username as given; it may name no account.
    pub username: String,
    /// The client's IP address (the TCP peer).
    pub client_address: String,
}

impl From<SecurityEvent> for SecurityEventView {
    fn from(e: SecurityEvent) -> Self {
        Self {
            id: e.id,
            occurred_at: e.occurred_at,
            kind: e.kind.into(),
            username: e.username,
            client_address: e.client_address,
        }
    }
}

/// A page of security events, newest first.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SecurityEventPage {
    pub items: Vec<SecurityEventView>,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(ApiResponse)]
pub enum SecurityEventPageOk {
    #[oai(status = 200)]
    Ok(Json<SecurityEventPage>),
}

pub struct SecurityEventsApi;

#[OpenApi(prefix_path = "/api/v1/security-events", tag = "ApiTags::Users")]
impl SecurityEventsApi {
    /// List security events (admin)
    ///
    /// Failed and throttled logins, newest first.
    #[oai(path = "/", method = "get", operation_id = "listSecurityEvents")]
    async fn list(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u32>>,
        #[oai(validator(pattern = r"^k1\.[0-9a-f]{32}$"))] cursor: Query<Option<String>>,
    ) -> Result<SecurityEventPageOk, ApiError> {
        auth.0
            .actor
            .require(&[DomainRole::Admin], "read the security log")?;
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT);
        let before = decode_cursor(cursor.0.as_deref())?;
        let fetched = state
            .security_log
            .list(before, u64::from(limit) + 1)
            .await?;
        let (items, next_cursor) = page(fetched, limit, |e| e.id);
        Ok(SecurityEventPageOk::Ok(Json(SecurityEventPage {
            items: items.into_iter().map(Into::into).collect(),
            next_cursor,
        })))
    }
}
