//! Reading a person's inbox: unread first, newest first; marking read; unread counts.

use chrono::{DateTime, SubsecRound, Utc};
use duban_domain::notification::Topic;
use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::notification;
use crate::storage_error::unavailable;

/// One notification as its recipient reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxEntry {
    pub id: Uuid,
    pub topic: Topic,
    /// `complaint`, `order` or `sanction`.
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub complaint_id: Option<Uuid>,
    /// The facts the words show, by name.
    pub facts: Vec<(String, String)>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// Where a page starts: after this entry, in the unread part or the read part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxPosition {
    pub unread: bool,
    pub id: Uuid,
}

/// Up to `limit` of the recipient's notifications after `after`: every unread one (newest
/// first) before any read one (newest first).
///
/// # Errors
/// [`RepositoryError::Unavailable`], also for a stored row that cannot be read.
pub async fn inbox(
    db: &DatabaseConnection,
    recipient: Uuid,
    after: Option<InboxPosition>,
    limit: u64,
) -> Result<Vec<InboxEntry>, RepositoryError> {
    let mut rows = Vec::new();
    if after.is_none_or(|p| p.unread) {
        rows = part(db, recipient, true, after.map(|p| p.id), limit).await?;
    }
    let left = limit.saturating_sub(rows.len() as u64);
    if left > 0 {
        let before = after.filter(|p| !p.unread).map(|p| p.id);
        rows.extend(part(db, recipient, false, before, left).await?);
    }
    rows.into_iter().map(to_entry).collect()
}

async fn part(
    db: &DatabaseConnection,
    recipient: Uuid,
    unread: bool,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<notification::Model>, RepositoryError> {
    let mut query = notification::Entity::find()
        .filter(notification::Column::RecipientId.eq(recipient))
        .order_by_desc(notification::Column::Id)
        .limit(limit);
    query = if unread {
        query.filter(notification::Column::ReadAt.is_null())
    } else {
        query.filter(notification::Column::ReadAt.is_not_null())
    };
    if let Some(before) = before {
        query = query.filter(notification::Column::Id.lt(before));
    }
    query.all(db).await.map_err(unavailable)
}

fn to_entry(row: notification::Model) -> Result<InboxEntry, RepositoryError> {
    let unreadable =
        |what: String| RepositoryError::Unavailable(format!("stored notification: {what}"));
    let topic = row.topic.parse().map_err(|e| unreadable(format!("{e}")))?;
    let facts: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&row.facts).map_err(|e| unreadable(e.to_string()))?;
    Ok(InboxEntry {
        id: row.id,
        topic,
        subject_kind: row.subject_kind,
        subject_id: row.subject_id,
        complaint_id: row.complaint_id,
        facts: facts
            .into_iter()
            .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_owned()))
            .collect(),
        created_at: row.created_at,
        read_at: row.read_at,
    })
}

/// Marks one of the recipient's notifications read at `now` (a read one keeps its first
/// reading time). `None` when the recipient has no such notification.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn mark_read(
    db: &DatabaseConnection,
    recipient: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<InboxEntry>, RepositoryError> {
    notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            Expr::value(now.trunc_subsecs(6)),
        )
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::RecipientId.eq(recipient))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await
        .map_err(unavailable)?;
    notification::Entity::find_by_id(id)
        .filter(notification::Column::RecipientId.eq(recipient))
        .one(db)
        .await
        .map_err(unavailable)?
        .map(to_entry)
        .transpose()
}

/// Marks every unread notification of the recipient read at `now`; returns how many.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn mark_all_read(
    db: &DatabaseConnection,
    recipient: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, RepositoryError> {
    Ok(notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            Expr::value(now.trunc_subsecs(6)),
        )
        .filter(notification::Column::RecipientId.eq(recipient))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await
        .map_err(unavailable)?
        .rows_affected)
}

/// The recipient's unread notifications counted by topic, topics in name order.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn unread_counts(
    db: &DatabaseConnection,
    recipient: Uuid,
) -> Result<Vec<(Topic, u64)>, RepositoryError> {
    let rows: Vec<(String, i64)> = notification::Entity::find()
        .select_only()
        .column(notification::Column::Topic)
        .column_as(notification::Column::Id.count(), "count")
        .filter(notification::Column::RecipientId.eq(recipient))
        .filter(notification::Column::ReadAt.is_null())
        .group_by(notification::Column::Topic)
        .order_by_asc(notification::Column::Topic)
        .into_tuple()
        .all(db)
        .await
        .map_err(unavailable)?;
    rows.into_iter()
        .map(|(topic, count)| {
            let topic = topic
                .parse()
                .map_err(|e| RepositoryError::Unavailable(format!("stored notification: {e}")))?;
            Ok((topic, u64::try_from(count).unwrap_or(0)))
        })
        .collect()
}
