//! The answers to keyed `POST`s, per caller and `Idempotency-Key`: the claim a request takes
//! before it runs (the primary key lets exactly one of two concurrent requests take it), the
//! answer it completes the claim with, and the release of a claim whose request failed.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use crate::entities::idempotent_response;
use crate::storage_error::is_unique_violation;
use crate::store_error::StoreError;

/// A stored answer, replayed as first sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub location: Option<String>,
    pub body: String,
    /// What the answer disclosed of complainants' details, for the access log of replays.
    pub disclosure: Option<String>,
}

/// What claiming a key came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This request holds the key: run it, then complete or release the claim.
    Taken,
    /// An earlier request with this key is still running.
    Running { same_request: bool },
    /// An earlier request with this key was answered.
    Answered {
        same_request: bool,
        answer: StoredAnswer,
    },
}

#[derive(Clone)]
pub struct IdempotencyStore {
    db: DatabaseConnection,
}

impl IdempotencyStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Claims `key` for `user`, or says who holds it.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    pub async fn claim(
        &self,
        user: Uuid,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<Claim, StoreError> {
        loop {
            let inserted = idempotent_response::ActiveModel {
                user_id: Set(user),
                key: Set(key.to_owned()),
                fingerprint: Set(fingerprint.to_owned()),
                status: Set(None),
                content_type: Set(None),
                etag: Set(None),
                location: Set(None),
                body: Set(None),
                disclosure: Set(None),
                created_at: Set(now),
            }
            .insert(&self.db)
            .await;
            match inserted {
                Ok(_) => return Ok(Claim::Taken),
                Err(e) if is_unique_violation(&e) => {}
                Err(e) => return Err(e.into()),
            }
            let Some(row) = idempotent_response::Entity::find_by_id((user, key.to_owned()))
                .one(&self.db)
                .await?
            else {
                // Released between our insert and this read: try to take it again.
                continue;
            };
            let same_request = row.fingerprint == fingerprint;
            return Ok(match row.status {
                None => Claim::Running { same_request },
                Some(status) => Claim::Answered {
                    same_request,
                    answer: StoredAnswer {
                        status: u16::try_from(status).unwrap_or(500),
                        content_type: row.content_type,
                        etag: row.etag,
                        location: row.location,
                        body: row.body.unwrap_or_default(),
                        disclosure: row.disclosure,
                    },
                },
            });
        }
    }

    /// Stores the answer of the request that holds the claim.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    pub async fn complete(
        &self,
        user: Uuid,
        key: &str,
        answer: StoredAnswer,
    ) -> Result<(), StoreError> {
        idempotent_response::ActiveModel {
            user_id: Set(user),
            key: Set(key.to_owned()),
            status: Set(Some(i32::from(answer.status))),
            content_type: Set(answer.content_type),
            etag: Set(answer.etag),
            location: Set(answer.location),
            body: Set(Some(answer.body)),
            disclosure: Set(answer.disclosure),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Deletes every claim taken before `before` with its stored answer: the answers hold
    /// what was sent back, complainants' details included, and are kept only for their replay
    /// window. A retry with a purged key runs as a new request. Returns how many were deleted.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    pub async fn purge_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let deleted = idempotent_response::Entity::delete_many()
            .filter(idempotent_response::Column::CreatedAt.lt(before))
            .exec(&self.db)
            .await?;
        Ok(deleted.rows_affected)
    }

    /// Gives the key up (the request failed and changed nothing), so that a retry runs.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    pub async fn release(&self, user: Uuid, key: &str) -> Result<(), StoreError> {
        idempotent_response::Entity::delete_by_id((user, key.to_owned()))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
