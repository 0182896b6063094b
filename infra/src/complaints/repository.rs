//! Stores complaints, numbers them and keeps their event chains.

use duban_domain::calendar::Deadline;
use duban_domain::complaint::Complaint;
use duban_domain::complaint::events::{ComplaintEvent, RecordedEvent};
use duban_domain::complaint::links::{ComplaintLink, LinkedComplaint};
use duban_domain::complaint::number::ComplaintNumber;
use duban_domain::complaint::ports::{
    ComplaintQuery, ComplaintRepository, RegisterOutcome, Registration, RepositoryError,
};
use duban_domain::complaint::repeats::RepeatQuery;
use duban_domain::ids::{ComplaintId, UserId};
use duban_domain::limits::LimitKind;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::event_log;
use super::list_filter::filters;
use super::mapping::{state_row, to_domain, to_row};
use crate::db::begin_write;
use crate::entities::{
    complaint, complaint_counter, complaint_event, idempotency_key, supervision_order,
};
use crate::storage_error::{is_unique_violation, unavailable};
use crate::time_limits::{self, NewTimeLimit};

/// Supervision orders not yet done (accepted or rejected) nor cancelled.
const OPEN_ORDER_STATUSES: [&str; 4] = ["issued", "signed", "returned", "replied"];

/// Complaints in SQLite or PostgreSQL.
#[derive(Clone)]
pub struct SeaComplaintRepository {
    db: DatabaseConnection,
}

enum Attempt {
    Done(Box<RegisterOutcome>),
    KeyTakenConcurrently,
}

impl SeaComplaintRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    async fn try_register(&self, registration: &Registration) -> Result<Attempt, RepositoryError> {
        let txn = begin_write(&self.db).await.map_err(unavailable)?;
        if let Some(claim) = &registration.idempotency {
            let earlier = idempotency_key::Entity::find_by_id((
                registration.first_handler_id.as_uuid(),
                claim.key.clone(),
            ))
            .one(&txn)
            .await
            .map_err(unavailable)?;
            if let Some(earlier) = earlier {
                let complaint = complaint::Entity::find_by_id(earlier.complaint_id)
                    .one(&txn)
                    .await
                    .map_err(unavailable)?
                    .ok_or_else(|| {
                        RepositoryError::Unavailable("idempotency key without complaint".into())
                    })?;
                return Ok(Attempt::Done(Box::new(RegisterOutcome::Replayed {
                    complaint: to_domain(complaint)?,
                    same_request: earlier.fingerprint == claim.fingerprint,
                })));
            }
        }
        let sequence = next_sequence(&txn, registration.year).await?;
        let number = u32::try_from(sequence)
            .ok()
            .and_then(|s| ComplaintNumber::new(registration.year, s).ok())
            .ok_or(RepositoryError::NumbersExhausted(registration.year))?;
        let complaint = registration.complaint(number.clone());
        to_row(&complaint).insert(&txn).await.map_err(unavailable)?;
        let event = registration.registered_event(&number);
        event_log::append(&txn, complaint.id, &event.event, event.actor_id, event.at).await?;
        start_screening(&txn, registration).await?;
        if let Some(claim) = &registration.idempotency {
            let claimed = idempotency_key::ActiveModel {
                user_id: Set(registration.first_handler_id.as_uuid()),
                key: Set(claim.key.clone()),
                fingerprint: Set(claim.fingerprint.clone()),
                complaint_id: Set(complaint.id.as_uuid()),
                created_at: Set(registration.registered_at),
            }
            .insert(&txn)
            .await;
            match claimed {
                Err(e) if is_unique_violation(&e) => return Ok(Attempt::KeyTakenConcurrently),
                other => other.map_err(unavailable)?,
            };
        }
        txn.commit().await.map_err(unavailable)?;
        Ok(Attempt::Done(Box::new(RegisterOutcome::Created(complaint))))
    }
}

/// Starts the screening limit the core decided for a registration, counted from receipt, the
/// first handler answering for it.
async fn start_screening(
    txn: &DatabaseTransaction,
    registration: &Registration,
) -> Result<(), RepositoryError> {
    let limit = registration.screening;
    let new = NewTimeLimit {
        complaint_id: registration.id,
        order_id: None,
        kind: limit.kind,
        unit_id: None,
        handler_id: Some(registration.first_handler_id),
        started_at: limit.started_at,
        working_days: limit.working_days,
        explicit_due_at: None,
    };
    let deadline = Deadline {
        due_at: limit.due_at,
        provisional: limit.provisional,
    };
    time_limits::insert(txn, new, deadline).await?;
    Ok(())
}

/// Takes the next number of the year inside the caller's transaction: the counter row stays
/// locked until commit, and a rollback returns the number, so numbers neither repeat nor skip.
async fn next_sequence(txn: &DatabaseTransaction, year: i32) -> Result<i64, RepositoryError> {
    let stmt = Query::insert()
        .into_table(complaint_counter::Entity)
        .columns([
            complaint_counter::Column::Year,
            complaint_counter::Column::LastSequence,
        ])
        .values_panic([year.into(), 1_i64.into()])
        .on_conflict(
            OnConflict::column(complaint_counter::Column::Year)
                .value(
                    complaint_counter::Column::LastSequence,
                    Expr::col((
                        complaint_counter::Entity,
                        complaint_counter::Column::LastSequence,
                    ))
                    .add(1),
                )
                .to_owned(),
        )
        .returning_col(complaint_counter::Column::LastSequence)
        .to_owned();
    let row = txn
        .query_one(&stmt)
        .await
        .map_err(unavailable)?
        .ok_or_else(|| RepositoryError::Unavailable("counter upsert returned nothing".into()))?;
    row.try_get::<i64>("", "last_sequence").map_err(unavailable)
}

impl ComplaintRepository for SeaComplaintRepository {
    async fn register(
        &self,
        registration: Registration,
    ) -> Result<RegisterOutcome, RepositoryError> {
        // A concurrent request with the same Idempotency-Key loses the race at the key's
        // primary key; its transaction rolls back (returning its number) and the second
        // attempt finds the winner's complaint.
        for _ in 0..2 {
            if let Attempt::Done(outcome) = self.try_register(&registration).await? {
                return Ok(*outcome);
            }
        }
        Err(RepositoryError::Conflict)
    }

    async fn find(&self, id: ComplaintId) -> Result<Option<Complaint>, RepositoryError> {
        complaint::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(to_domain)
            .transpose()
    }

    async fn record_transition(
        &self,
        next: &Complaint,
        expected_version: i64,
        event: &RecordedEvent,
        stops: &[LimitKind],
    ) -> Result<(), RepositoryError> {
        let txn = begin_write(&self.db).await.map_err(unavailable)?;
        let updated = complaint::Entity::update_many()
            .set(state_row(next))
            .filter(complaint::Column::Id.eq(next.id.as_uuid()))
            .filter(complaint::Column::Version.eq(expected_version))
            .exec(&txn)
            .await
            .map_err(unavailable)?;
        if updated.rows_affected != 1 {
            return Err(RepositoryError::Conflict);
        }
        event_log::append(&txn, next.id, &event.event, event.actor_id, event.at).await?;
        for kind in stops {
            time_limits::stop(&txn, next.id, None, *kind, event.at).await?;
        }
        txn.commit().await.map_err(unavailable)
    }

    async fn list(&self, query: &ComplaintQuery) -> Result<Vec<Complaint>, RepositoryError> {
        complaint::Entity::find()
            .filter(filters(query))
            .order_by_desc(complaint::Column::Id)
            .limit(u64::from(query.limit))
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    async fn open_orders(&self, id: ComplaintId) -> Result<u32, RepositoryError> {
        let open = supervision_order::Entity::find()
            .filter(supervision_order::Column::ComplaintId.eq(id.as_uuid()))
            .filter(supervision_order::Column::Status.is_in(OPEN_ORDER_STATUSES))
            .count(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(u32::try_from(open).unwrap_or(u32::MAX))
    }

    async fn held_by_leading_group(&self, id: ComplaintId) -> Result<bool, RepositoryError> {
        crate::accountability::is_taken_over(&self.db, id).await
    }

    async fn repeat_candidates(
        &self,
        query: &RepeatQuery,
    ) -> Result<Vec<Complaint>, RepositoryError> {
        let keys = &query.keys;
        let shares_a_key = Condition::any()
            .add_option(
                keys.phone
                    .as_ref()
                    .map(|k| complaint::Column::PhoneKey.eq(k.as_str())),
            )
            .add_option(
                keys.email
                    .as_ref()
                    .map(|k| complaint::Column::EmailKey.eq(k.as_str())),
            )
            .add_option(
                keys.staff
                    .map(|s| complaint::Column::RespondentStaffId.eq(s.as_uuid())),
            );
        if shares_a_key.is_empty() {
            return Ok(vec![]);
        }
        complaint::Entity::find()
            .filter(shares_a_key)
            .filter(complaint::Column::Id.ne(query.exclude.as_uuid()))
            .filter(complaint::Column::ReceivedAt.gte(query.received_from))
            .filter(complaint::Column::ReceivedAt.lte(query.received_to))
            .order_by_desc(complaint::Column::ReceivedAt)
            .limit(u64::from(query.limit))
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    async fn link(
        &self,
        link: &ComplaintLink,
        events: &[(ComplaintId, ComplaintEvent)],
    ) -> Result<(), RepositoryError> {
        super::links::store(&self.db, link, events).await
    }

    async fn links(&self, id: ComplaintId) -> Result<Vec<LinkedComplaint>, RepositoryError> {
        super::links::of(&self.db, id).await
    }

    async fn events(&self, id: ComplaintId) -> Result<Vec<RecordedEvent>, RepositoryError> {
        let rows = complaint_event::Entity::find()
            .filter(complaint_event::Column::ComplaintId.eq(id.as_uuid()))
            .order_by_asc(complaint_event::Column::Sequence)
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        rows.into_iter()
            .map(|row| {
                let event: ComplaintEvent = serde_json::from_str(&row.data).map_err(|e| {
                    RepositoryError::Unavailable(format!("stored event is unreadable: {e}"))
                })?;
                Ok(RecordedEvent {
                    sequence: row.sequence,
                    actor_id: row.actor_id.map(UserId::from_uuid),
                    at: row.at,
                    event,
                })
            })
            .collect()
    }
}
