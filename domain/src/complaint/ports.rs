//! What the complaint use cases need from storage and from the unit directory.

use std::future::Future;

use super::events::{ComplaintEvent, RecordedEvent};
use super::links::{ComplaintLink, LinkedComplaint};
use super::model::{Complaint, ComplaintState};
use super::number::ComplaintNumber;
use super::registration::NewComplaint;
use super::repeats::RepeatQuery;
use super::status::{ComplaintStatus, ComplaintType};
use super::{Channel, Matter};
use crate::ids::{ComplaintId, UnitId, UserId};
use crate::limits::{LimitKind, LimitStart};
use chrono::{DateTime, Utc};

pub use crate::storage::RepositoryError;

/// A registration about to be stored: everything but the number, which the store allocates
/// in the transaction that stores it.
#[derive(Debug, Clone)]
pub struct Registration {
    pub id: ComplaintId,
    pub year: i32,
    pub details: NewComplaint,
    pub registered_at: DateTime<Utc>,
    pub first_handler_id: UserId,
    pub idempotency: Option<IdempotencyClaim>,
    /// The screening limit it starts, the first handler answering for it.
    pub screening: LimitStart,
}

impl Registration {
    /// The complaint as registered under `number`.
    #[must_use]
    pub fn complaint(&self, number: ComplaintNumber) -> Complaint {
        Complaint {
            id: self.id,
            number,
            details: self.details.clone(),
            registered_at: self.registered_at,
            first_handler_id: self.first_handler_id,
            state: ComplaintState::registered(),
            version: 1,
            updated_at: self.registered_at,
        }
    }

    /// The first event of its history, under `number`.
    #[must_use]
    pub fn registered_event(&self, number: &ComplaintNumber) -> RecordedEvent {
        RecordedEvent {
            sequence: 1,
            actor_id: Some(self.first_handler_id),
            at: self.registered_at,
            event: ComplaintEvent::Registered {
                number: number.to_string(),
                channel: self.details.channel,
            },
        }
    }
}

/// An `Idempotency-Key` and a fingerprint of the request it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyClaim {
    pub key: String,
    pub fingerprint: String,
}

/// What storing a registration came to.
#[derive(Debug, Clone)]
pub enum RegisterOutcome {
    Created(Complaint),
    /// The key was used before by the same user: the first complaint, and whether the
    /// earlier request had the same fingerprint.
    Replayed {
        complaint: Complaint,
        same_request: bool,
    },
}

pub use crate::visibility::{DetailsRule, Visibility};

/// Filters and the page position of a complaint list, newest registration first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintQuery {
    pub visibility: Visibility,
    /// Whose complainant details the caller sees: the text search looks into the
    /// complainant's name and contacts only where they are shown.
    pub details: DetailsRule,
    pub status: Option<ComplaintStatus>,
    pub complaint_type: Option<ComplaintType>,
    pub channel: Option<Channel>,
    pub matter: Option<Matter>,
    pub respondent_unit_id: Option<UnitId>,
    pub first_handler_id: Option<UserId>,
    pub received_from: Option<DateTime<Utc>>,
    pub received_to: Option<DateTime<Utc>>,
    /// Case-insensitive substring of the account, or of the complainant's name, phone or
    /// e-mail address where [`ComplaintQuery::details`] shows them.
    pub text: Option<String>,
    /// Only complaints with a running time limit at this warning level.
    pub warning_level: Option<crate::calendar::WarningLevel>,
    /// Only closed complaints still owing the complainant the result in this state.
    pub answer_to_follow: Option<AnswerFilter>,
    /// The instant [`AnswerFilter::Overdue`] is judged at; the service sets it from its clock.
    pub as_of: Option<DateTime<Utc>>,
    /// Only this complaint (a visibility check).
    pub only: Option<ComplaintId>,
    /// Only complaints registered before this one (keyset cursor).
    pub after: Option<ComplaintId>,
    pub limit: u32,
}

/// Which complaints closed with the answer to follow a list asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerFilter {
    /// The complainant is not told yet.
    Owed,
    /// Not told yet, past the working day it was due in.
    Overdue,
}

/// Complaints and their histories.
pub trait ComplaintRepository: Send + Sync {
    /// Allocates the next number of `registration.year` and stores the complaint
    /// ([`Registration::complaint`]) with its `registered` event
    /// ([`Registration::registered_event`]), its screening limit, and the idempotency claim
    /// if any, in ONE transaction: numbers never repeat and never skip, also under
    /// concurrent registration.
    ///
    /// # Errors
    /// [`RepositoryError::NumbersExhausted`], [`RepositoryError::Unavailable`].
    fn register(
        &self,
        registration: Registration,
    ) -> impl Future<Output = Result<RegisterOutcome, RepositoryError>> + Send;

    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn find(
        &self,
        id: ComplaintId,
    ) -> impl Future<Output = Result<Option<Complaint>, RepositoryError>> + Send;

    /// Stores the complaint's new state (its `version` already incremented) and the event,
    /// and stops its running limits of the kinds in `stops` (those without order) at the
    /// event's time, in ONE transaction, only if the stored version is still
    /// `expected_version`.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] when the stored version differs.
    fn record_transition(
        &self,
        complaint: &Complaint,
        expected_version: i64,
        event: &RecordedEvent,
        stops: &[LimitKind],
    ) -> impl Future<Output = Result<(), RepositoryError>> + Send;

    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn list(
        &self,
        query: &ComplaintQuery,
    ) -> impl Future<Output = Result<Vec<Complaint>, RepositoryError>> + Send;

    /// How many supervision orders of the complaint are still open (issued, signed, returned
    /// or replied): not yet accepted, rejected or cancelled.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn open_orders(
        &self,
        id: ComplaintId,
    ) -> impl Future<Output = Result<u32, RepositoryError>> + Send;

    /// Whether the leading group took the case over (重要问题): its members then act where
    /// intake acts on it.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn held_by_leading_group(
        &self,
        id: ComplaintId,
    ) -> impl Future<Output = Result<bool, RepositoryError>> + Send;

    /// The full history, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn events(
        &self,
        id: ComplaintId,
    ) -> impl Future<Output = Result<Vec<RecordedEvent>, RepositoryError>> + Send;

    /// Complaints other than `query.exclude` received within the query's range that share at
    /// least one of its keys, newest receipt first, at most `query.limit`.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn repeat_candidates(
        &self,
        query: &RepeatQuery,
    ) -> impl Future<Output = Result<Vec<Complaint>, RepositoryError>> + Send;

    /// Stores the link and appends each event to its complaint's history (actor and time from
    /// the link), in ONE transaction.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] when the two complaints are linked already.
    fn link(
        &self,
        link: &ComplaintLink,
        events: &[(ComplaintId, ComplaintEvent)],
    ) -> impl Future<Output = Result<(), RepositoryError>> + Send;

    /// The links of a complaint, seen from its side, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn links(
        &self,
        id: ComplaintId,
    ) -> impl Future<Output = Result<Vec<LinkedComplaint>, RepositoryError>> + Send;
}

/// Facts about units and staff that complaint rules need.
pub trait UnitDirectory: Send + Sync {
    /// `Some(active)` for a known unit, `None` for an unknown one.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn unit_active(
        &self,
        id: UnitId,
    ) -> impl Future<Output = Result<Option<bool>, RepositoryError>> + Send;

    /// The unit a staff member belongs to: `Some(None)` for a known user outside any unit,
    /// `None` for an unknown user.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn staff_unit(
        &self,
        id: UserId,
    ) -> impl Future<Output = Result<Option<Option<UnitId>>, RepositoryError>> + Send;

    /// The unit and every unit below it.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn unit_and_descendants(
        &self,
        id: UnitId,
    ) -> impl Future<Output = Result<Vec<UnitId>, RepositoryError>> + Send;
}

/// Why `id` cannot be named as a unit to route to or complain about, if it cannot: unknown or
/// deactivated.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn unit_unusable(
    directory: &impl UnitDirectory,
    id: UnitId,
) -> Result<Option<crate::message::Message>, RepositoryError> {
    Ok(match directory.unit_active(id).await? {
        Some(true) => None,
        Some(false) => Some(crate::msg!("field_unit_deactivated")),
        None => Some(crate::msg!("field_no_unit_with_id")),
    })
}
