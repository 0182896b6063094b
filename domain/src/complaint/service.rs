//! The complaint use cases: register, screen, classify, resolve, close, visit, reopen, read,
//! list, history.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::events::RecordedEvent;
use super::lifecycle::{ComplaintAction, TransitionRefused, apply, decide, limits_stopped_by};
use super::model::Complaint;
use super::policy::ComplaintPolicy;
use super::ports::{ComplaintRepository, RepositoryError, UnitDirectory};
use super::registration::{FieldProblem, InvalidRegistration};
use super::status::{
    AnswerMethod, ComplaintType, FeedbackDisposition, Finding, Satisfaction, ScreeningOutcome,
};
use crate::access::{Actor, Forbidden};
use crate::calendar::CalendarSource;
use crate::clock::{Clock, to_storage_precision};
use crate::ids::{ComplaintId, UnitId, UserId};
use crate::role::Role;
use crate::text::bounded;

pub const EXPLANATION_MAX: usize = 2000;
pub const REFERRAL_MAX: usize = 500;
pub const REASON_MAX: usize = 2000;
/// Longest note of an on-site resolution or a feedback disposition.
pub const NOTE_MAX: usize = 2000;
/// Longest closing outcome.
pub const OUTCOME_MAX: usize = 2000;
/// Longest return-visit remarks.
pub const REMARKS_MAX: usize = 2000;

/// Why a registration was refused.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Invalid(#[from] InvalidRegistration),
    #[error("the same Idempotency-Key was used with a different request body")]
    IdempotencyKeyReused,
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

/// Why an action on a complaint was refused.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("no such complaint")]
    NotFound,
    #[error("the change was based on version {given}, the complaint is at version {current}")]
    PreconditionFailed { given: i64, current: i64 },
    #[error(transparent)]
    Refused(#[from] TransitionRefused),
    #[error(transparent)]
    Invalid(#[from] InvalidRegistration),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

/// Why a read was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no such complaint")]
    NotFound,
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

impl From<ReadError> for ActionError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::NotFound => ActionError::NotFound,
            ReadError::Forbidden(f) => ActionError::Forbidden(f),
            ReadError::Storage(s) => ActionError::Storage(s),
        }
    }
}

/// A registration's result, and whether it replays an earlier request.
#[derive(Debug, Clone)]
pub struct Registered {
    pub complaint: Complaint,
    pub replayed: bool,
}

/// The screening decision intake sends.
#[derive(Debug, Clone)]
pub struct ScreenCommand {
    pub outcome: ScreeningOutcome,
    pub explanation: String,
    pub referral: Option<String>,
}

/// The classification intake sends; a reason is required when it changes an earlier type.
#[derive(Debug, Clone)]
pub struct ClassifyCommand {
    pub complaint_type: ComplaintType,
    pub reason: Option<String>,
}

/// The result of on-site coordination (现场协调): reconciled, or not (the case is filed).
#[derive(Debug, Clone)]
pub struct OnSiteResolutionCommand {
    pub reconciled: bool,
    /// What was agreed, or why coordination failed (the reason of the reclassification).
    pub note: String,
}

/// The disposition of a feedback complaint (意见反映类).
#[derive(Debug, Clone)]
pub struct FeedbackCommand {
    pub disposition: FeedbackDisposition,
    pub note: String,
    /// `forward_to_section` only: the section it goes to.
    pub section_id: Option<UnitId>,
}

/// How the complainant was told the result.
#[derive(Debug, Clone, Copy)]
pub struct AnswerCommand {
    pub method: AnswerMethod,
    pub answered_at: Option<DateTime<Utc>>,
}

/// Closing a case-filed complaint (办结).
#[derive(Debug, Clone)]
pub struct CloseCommand {
    pub outcome: String,
    pub finding: Finding,
    /// Required unless the complaint is anonymous or the answer is to follow.
    pub answer: Option<AnswerCommand>,
    /// The complainant has not been told yet: the result is owed within a working day, told
    /// by intake or sent by the system.
    pub answer_later: bool,
}

/// The return visit (回访) after a closing.
#[derive(Debug, Clone)]
pub struct ReturnVisitCommand {
    pub satisfaction: Satisfaction,
    pub remarks: Option<String>,
    /// When the visit took place; now when absent.
    pub visited_at: Option<DateTime<Utc>>,
}

/// The complaint use cases over their ports.
pub struct ComplaintService<R, D, C, K> {
    repository: R,
    directory: D,
    clock: C,
    calendar: K,
    tz: Tz,
    policy: ComplaintPolicy,
}

const HANDLERS: &[Role] = &[Role::Intake];

fn field(field: &'static str, message: crate::message::Message) -> InvalidRegistration {
    InvalidRegistration(vec![FieldProblem { field, message }])
}

fn text(name: &'static str, value: &str, max: usize) -> Result<String, InvalidRegistration> {
    bounded(value, max).map_err(|e| field(name, e.message()))
}

fn optional_text(
    name: &'static str,
    value: Option<String>,
    max: usize,
) -> Result<Option<String>, InvalidRegistration> {
    value.map(|v| text(name, &v, max)).transpose()
}

impl<R: ComplaintRepository, D: UnitDirectory, C: Clock, K: CalendarSource>
    ComplaintService<R, D, C, K>
{
    pub fn new(
        repository: R,
        directory: D,
        clock: C,
        calendar: K,
        tz: Tz,
        policy: ComplaintPolicy,
    ) -> Self {
        Self {
            repository,
            directory,
            clock,
            calendar,
            tz,
            policy,
        }
    }

    /// Intake acts on every case; the leading group on the cases it took over.
    async fn require_case_handler(
        &self,
        actor: &Actor,
        id: ComplaintId,
        action: &'static str,
    ) -> Result<(), ActionError> {
        if actor.role == Role::LeadingGroup && self.repository.held_by_leading_group(id).await? {
            return Ok(());
        }
        Ok(actor.require(HANDLERS, action)?)
    }

    async fn transition(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        action: impl FnOnce(&Complaint, DateTime<Utc>) -> Result<ComplaintAction, ActionError>,
    ) -> Result<Complaint, ActionError> {
        let complaint = self.visible(actor, id).await?;
        if let Some(given) = if_match
            && given != complaint.version
        {
            return Err(ActionError::PreconditionFailed {
                given,
                current: complaint.version,
            });
        }
        self.commit(complaint, Some(actor.user_id), action).await
    }

    /// Decides `action` on `complaint` and stores the event, as made by `by` (`None`: the
    /// system), unless the complaint changed meanwhile.
    async fn commit(
        &self,
        complaint: Complaint,
        by: Option<UserId>,
        action: impl FnOnce(&Complaint, DateTime<Utc>) -> Result<ComplaintAction, ActionError>,
    ) -> Result<Complaint, ActionError> {
        let now = to_storage_precision(self.clock.now());
        let event = decide(&complaint.state, action(&complaint, now)?)?;
        let recorded = RecordedEvent {
            sequence: 0,
            actor_id: by,
            at: now,
            event,
        };
        let expected_version = complaint.version;
        let next = Complaint {
            state: apply(&complaint.state, &recorded.event, by, now),
            version: expected_version + 1,
            updated_at: now,
            ..complaint
        };
        self.repository
            .record_transition(
                &next,
                expected_version,
                &recorded,
                limits_stopped_by(&recorded.event),
            )
            .await?;
        Ok(next)
    }
}

mod closing;
mod handling;
mod links;
mod reads;
mod register;
mod repeats;

#[cfg(test)]
mod tests;
