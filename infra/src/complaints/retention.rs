//! The retention store: named complaints that ended before a cutoff and are not erased yet,
//! and their erasure with its event in one transaction.

use chrono::{DateTime, Utc};
use duban_domain::complaint::events::RecordedEvent;
use duban_domain::complaint::retention::{
    ContactRetention, ErasureCandidate, ErasureReport, RetentionPolicy, erase_due,
};
use duban_domain::complaint::status::ComplaintStatus;
use duban_domain::ids::ComplaintId;
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use uuid::Uuid;

use super::event_log;
use crate::db::begin_write;
use crate::entities::complaint;
use crate::storage_error::unavailable;

/// Statuses whose end is the screening decision.
const SCREENED_OUT: [&str; 3] = ["out_of_scope", "invalid", "withdrawn"];

/// [`ContactRetention`] on sea-orm.
#[derive(Clone)]
pub struct SeaContactRetention {
    db: DatabaseConnection,
}

impl SeaContactRetention {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

type CandidateRow = (
    Uuid,
    String,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    i64,
);

impl ContactRetention for SeaContactRetention {
    async fn candidates(
        &self,
        cutoff: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<ErasureCandidate>, RepositoryError> {
        let ended = Condition::any()
            .add(
                Condition::all()
                    .add(complaint::Column::Status.eq(ComplaintStatus::Closed.as_str()))
                    .add(complaint::Column::ClosedAt.lte(cutoff)),
            )
            .add(
                Condition::all()
                    .add(complaint::Column::Status.is_in(SCREENED_OUT))
                    .add(complaint::Column::ScreenedAt.lte(cutoff)),
            );
        let rows: Vec<CandidateRow> = complaint::Entity::find()
            .select_only()
            .column(complaint::Column::Id)
            .column(complaint::Column::Status)
            .column(complaint::Column::ClosedAt)
            .column(complaint::Column::ScreenedAt)
            .column(complaint::Column::Version)
            .filter(complaint::Column::Anonymous.eq(false))
            .filter(complaint::Column::ContactErasedAt.is_null())
            .filter(ended)
            .order_by_asc(complaint::Column::Id)
            .limit(limit)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        rows.into_iter()
            .map(|(id, status, closed_at, screened_at, version)| {
                let status: ComplaintStatus = status
                    .parse()
                    .map_err(|e| RepositoryError::Unavailable(format!("stored status: {e}")))?;
                Ok(ErasureCandidate {
                    id: ComplaintId::from_uuid(id),
                    ended_at: if status == ComplaintStatus::Closed {
                        closed_at
                    } else {
                        screened_at
                    },
                    status,
                    version,
                })
            })
            .collect()
    }

    async fn erase(
        &self,
        candidate: &ErasureCandidate,
        event: &RecordedEvent,
    ) -> Result<bool, RepositoryError> {
        let txn = begin_write(&self.db).await.map_err(unavailable)?;
        let erased = complaint::ActiveModel {
            complainant_name: Set(None),
            phone: Set(None),
            email: Set(None),
            postal_address: Set(None),
            phone_key: Set(None),
            email_key: Set(None),
            contact_erased_at: Set(Some(event.at)),
            version: Set(candidate.version + 1),
            updated_at: Set(event.at),
            ..Default::default()
        };
        let updated = complaint::Entity::update_many()
            .set(erased)
            .filter(complaint::Column::Id.eq(candidate.id.as_uuid()))
            .filter(complaint::Column::Version.eq(candidate.version))
            .filter(complaint::Column::ContactErasedAt.is_null())
            .exec(&txn)
            .await
            .map_err(unavailable)?;
        if updated.rows_affected != 1 {
            txn.rollback().await.map_err(unavailable)?;
            return Ok(false);
        }
        event_log::append(&txn, candidate.id, &event.event, event.actor_id, event.at).await?;
        txn.commit().await.map_err(unavailable)?;
        Ok(true)
    }
}

/// One pass of the retention job at `now`: erases the contact details of every complaint
/// due (see [`erase_due`]). Any number of processes may run it at once: each complaint is
/// erased, and its event recorded, exactly once.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn erase_contact_details_once(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    policy: RetentionPolicy,
) -> Result<ErasureReport, RepositoryError> {
    erase_due(&SeaContactRetention::new(db.clone()), now, policy).await
}
