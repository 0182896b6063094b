//! The complaint aggregate as the core sees it.

use chrono::{DateTime, Utc};

use super::number::ComplaintNumber;
use super::registration::NewComplaint;
use super::status::{
    AnswerMethod, ComplaintStatus, ComplaintType, FeedbackDisposition, Finding, Satisfaction,
    ScreeningOutcome,
};
use crate::ids::{ComplaintId, UnitId, UserId};

/// A registered complaint: what was registered, and where it stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    pub id: ComplaintId,
    pub number: ComplaintNumber,
    pub details: NewComplaint,
    pub registered_at: DateTime<Utc>,
    /// The intake user who registered it: answerable until it is closed (首办责任人).
    pub first_handler_id: UserId,
    pub state: ComplaintState,
    /// Incremented by every state change; the ETag of the resource.
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// The part of a complaint that the lifecycle changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintState {
    pub status: ComplaintStatus,
    pub complaint_type: Option<ComplaintType>,
    pub screening: Option<Screening>,
    pub closing: Option<Closing>,
    /// The return visit after the current closing; cleared when the case is reopened.
    pub return_visit: Option<ReturnVisit>,
    pub reopen_count: u32,
}

/// The screening decision and what the complainant was told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screening {
    pub outcome: ScreeningOutcome,
    pub explanation: String,
    pub referral: Option<String>,
    pub screened_at: DateTime<Utc>,
    pub screened_by: UserId,
}

/// How a case was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    /// The outcome: the handling result, the reconciliation reached, or the feedback note.
    pub outcome: String,
    /// Case-filed closings only.
    pub finding: Option<Finding>,
    pub closed_at: DateTime<Utc>,
    /// How and when the complainant was told the result (case-filed closings); `None` while
    /// the answer is still owed (see `answer_due_at`).
    pub answer: Option<ComplainantAnswer>,
    /// Closed before the complainant was told: the result is owed by then (one working day
    /// after closing), told by intake or sent by the system.
    pub answer_due_at: Option<DateTime<Utc>>,
    /// Feedback closings only: where the opinion went.
    pub feedback: Option<FeedbackRouting>,
}

impl Closing {
    /// The complainant is still owed the result.
    #[must_use]
    pub const fn answer_owed(&self) -> bool {
        self.answer_due_at.is_some() && self.answer.is_none()
    }
}

/// How and when the complainant was told the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ComplainantAnswer {
    pub method: AnswerMethod,
    /// When they were told; absent only for [`AnswerMethod::NoneAnonymous`].
    pub answered_at: Option<DateTime<Utc>>,
}

/// Where a feedback complaint (意见反映类) was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedbackRouting {
    pub disposition: FeedbackDisposition,
    /// `forward_to_section` only: the functional section it went to.
    pub section_id: Option<UnitId>,
}

/// What the complainant said on the return visit (回访) after a closing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnVisit {
    pub satisfaction: Satisfaction,
    pub remarks: Option<String>,
    /// When the visit took place; the reopen window counts from it.
    pub visited_at: DateTime<Utc>,
}

impl ComplaintState {
    /// The state of a complaint just registered.
    pub fn registered() -> Self {
        Self {
            status: ComplaintStatus::AwaitingScreening,
            complaint_type: None,
            screening: None,
            closing: None,
            return_visit: None,
            reopen_count: 0,
        }
    }
}
