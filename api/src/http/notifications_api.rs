//! `/notifications`: the caller's inbox. Unread first, newest first; read one or all;
//! unread counts by topic.

use chrono::{DateTime, Utc};
use duban_domain::clock::Clock;
use duban_domain::msg;
use duban_infra::notifications::{
    InboxEntry, InboxPosition, inbox, mark_all_read, mark_read, unread_counts,
};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::pagination::DEFAULT_LIMIT;
use super::problem::ApiError;
use super::{ApiTags, State};
use crate::i18n::render;

/// What a notification is about.
#[derive(Debug, Object)]
pub struct NotificationSubject {
    /// `complaint`, `order` or `sanction`.
    pub kind: String,
    pub id: Uuid,
}

/// One notification.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct NotificationView {
    pub id: Uuid,
    /// The topic (see the README's topic table), e.g. `order.issued`.
    pub topic: String,
    /// What to show, in the request's language.
    pub words: String,
    pub subject: NotificationSubject,
    /// The API path of the subject, to follow.
    pub link: String,
    /// The complaint the subject belongs to, when there is one.
    pub complaint_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// Absent while unread.
    pub read_at: Option<DateTime<Utc>>,
}

impl From<InboxEntry> for NotificationView {
    fn from(e: InboxEntry) -> Self {
        let words = e.topic.words(|name| {
            e.facts
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        });
        let link = match e.subject_kind.as_str() {
            "order" => format!("/api/v1/supervision-orders/{}", e.subject_id),
            "sanction" => format!("/api/v1/sanctions/{}", e.subject_id),
            _ => format!("/api/v1/complaints/{}", e.subject_id),
        };
        Self {
            id: e.id,
            topic: e.topic.as_str().to_owned(),
            words: render(&words),
            subject: NotificationSubject {
                kind: e.subject_kind,
                id: e.subject_id,
            },
            link,
            complaint_id: e.complaint_id,
            created_at: e.created_at,
            read_at: e.read_at,
        }
    }
}

/// A page of the caller's notifications: every unread one before any read one, newest first
/// within each.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Unread notifications of one topic.
#[derive(Debug, Object)]
pub struct TopicCount {
    pub topic: String,
    pub count: u64,
}

/// The caller's unread notifications, counted.
#[derive(Debug, Object)]
pub struct UnreadCounts {
    pub total: u64,
    /// Topics with unread notifications, by name.
    pub by_topic: Vec<TopicCount>,
}

/// How many notifications one request marked read.
#[derive(Debug, Object)]
pub struct MarkedRead {
    pub marked: u64,
}

#[derive(ApiResponse)]
pub enum NotificationPageOk {
    #[oai(status = 200)]
    Ok(Json<NotificationPage>),
}

#[derive(ApiResponse)]
pub enum NotificationOk {
    #[oai(status = 200)]
    Ok(Json<NotificationView>),
}

#[derive(ApiResponse)]
pub enum UnreadCountsOk {
    #[oai(status = 200)]
    Ok(Json<UnreadCounts>),
}

#[derive(ApiResponse)]
pub enum MarkedReadOk {
    #[oai(status = 200)]
    Ok(Json<MarkedRead>),
}

fn decode(cursor: Option<&str>) -> Result<Option<InboxPosition>, ApiError> {
    cursor
        .map(|c| {
            let (part, id) = c.split_once('.').unwrap_or_default();
            let id = Uuid::try_parse(id).ok();
            match (part, id) {
                ("u", Some(id)) => Ok(InboxPosition { unread: true, id }),
                ("r", Some(id)) => Ok(InboxPosition { unread: false, id }),
                _ => Err(ApiError::bad_request(msg!("cursor_invalid"))),
            }
        })
        .transpose()
}

fn encode(entry: &InboxEntry) -> String {
    let part = if entry.read_at.is_none() { "u" } else { "r" };
    format!("{part}.{}", entry.id.simple())
}

pub struct NotificationsApi;

#[OpenApi(prefix_path = "/api/v1/notifications", tag = "ApiTags::Notifications")]
impl NotificationsApi {
    /// List my notifications
    ///
    /// Every unread notification before any read one, newest first within each, keyset-paged.
    /// A notification says no more than its recipient may see of the case.
    #[oai(path = "/", method = "get", operation_id = "listNotifications")]
    async fn list(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u32>>,
        #[oai(validator(pattern = r"^[ur]\.[0-9a-f]{32}$"))] cursor: Query<Option<String>>,
    ) -> Result<NotificationPageOk, ApiError> {
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT);
        let after = decode(cursor.0.as_deref())?;
        let me = auth.0.actor.user_id.as_uuid();
        let mut items = inbox(&state.db, me, after, u64::from(limit) + 1).await?;
        let next_cursor = if items.len() > usize::try_from(limit).unwrap_or(usize::MAX) {
            items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            items.last().map(encode)
        } else {
            None
        };
        Ok(NotificationPageOk::Ok(Json(NotificationPage {
            items: items.into_iter().map(Into::into).collect(),
            next_cursor,
        })))
    }

    /// Count my unread notifications
    #[oai(
        path = "/unread-counts",
        method = "get",
        operation_id = "countUnreadNotifications"
    )]
    async fn counts(&self, state: State<'_>, auth: StaffAuth) -> Result<UnreadCountsOk, ApiError> {
        let counts = unread_counts(&state.db, auth.0.actor.user_id.as_uuid()).await?;
        Ok(UnreadCountsOk::Ok(Json(UnreadCounts {
            total: counts.iter().map(|(_, n)| n).sum(),
            by_topic: counts
                .into_iter()
                .map(|(topic, count)| TopicCount {
                    topic: topic.as_str().to_owned(),
                    count,
                })
                .collect(),
        })))
    }

    /// Mark one of my notifications read
    ///
    /// Reading it again keeps the first reading time. Another person's notification is not
    /// found.
    #[oai(
        path = "/:id/read",
        method = "post",
        operation_id = "markNotificationRead"
    )]
    async fn read(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<NotificationOk, ApiError> {
        let me = auth.0.actor.user_id.as_uuid();
        let entry = mark_read(&state.db, me, id.0, state.clock.now())
            .await?
            .ok_or_else(|| ApiError::not_found(msg!("notification_not_found")))?;
        Ok(NotificationOk::Ok(Json(entry.into())))
    }

    /// Mark all my notifications read
    #[oai(
        path = "/read-all",
        method = "post",
        operation_id = "markAllNotificationsRead"
    )]
    async fn read_all(&self, state: State<'_>, auth: StaffAuth) -> Result<MarkedReadOk, ApiError> {
        let me = auth.0.actor.user_id.as_uuid();
        let marked = mark_all_read(&state.db, me, state.clock.now()).await?;
        Ok(MarkedReadOk::Ok(Json(MarkedRead { marked })))
    }
}
