//! What happened to a complaint: the facts its history is made of.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::channel::Channel;
use super::model::ComplainantAnswer;
use super::status::{ComplaintType, FeedbackDisposition, Finding, Satisfaction, ScreeningOutcome};
use crate::calendar::WarningLevel;
use crate::ids::{UnitId, UserId};

/// One change in a complaint's life. Stored as `kind` plus the JSON of the other fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ComplaintEvent {
    Registered {
        number: String,
        channel: Channel,
    },
    Screened {
        outcome: ScreeningOutcome,
        explanation: String,
        referral: Option<String>,
    },
    Classified {
        complaint_type: ComplaintType,
    },
    Reclassified {
        from: ComplaintType,
        to: ComplaintType,
        reason: String,
    },
    ReconciledOnSite {
        note: String,
    },
    FeedbackDisposed {
        disposition: FeedbackDisposition,
        note: String,
        /// `forward_to_section` only: the section the feedback went to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        section_id: Option<UnitId>,
    },
    Closed {
        outcome: String,
        finding: Finding,
        /// How and when the complainant was told (`none_anonymous` for an anonymous one);
        /// absent when the answer is still owed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer: Option<ComplainantAnswer>,
        /// Closed before the complainant was told: the result is owed by then.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer_due_at: Option<DateTime<Utc>>,
    },
    /// The complainant was told the result of a case closed before they were, by intake or
    /// (without actor) by the system's SMS or e-mail.
    ComplainantToldResult {
        answer: ComplainantAnswer,
    },
    ReturnVisitRecorded {
        satisfaction: Satisfaction,
        remarks: Option<String>,
        /// When the visit took place (the reopen window counts from it).
        visited_at: DateTime<Utc>,
    },
    Reopened {
        reason: String,
    },
    /// Linked to another complaint about the same matter (a possible repeat).
    Linked {
        linked_complaint_id: uuid::Uuid,
        linked_number: String,
        reason: String,
    },
    OrderIssued {
        order_id: uuid::Uuid,
        round: u32,
        unit_id: uuid::Uuid,
        opinion: String,
        sign_due_at: DateTime<Utc>,
        reply_due_at: DateTime<Utc>,
        provisional: bool,
    },
    OrderSigned {
        order_id: uuid::Uuid,
        on_time: bool,
    },
    OrderReturned {
        order_id: uuid::Uuid,
        reason: String,
        basis: String,
    },
    ReturnRuled {
        order_id: uuid::Uuid,
        ruling: String,
        reason: String,
        new_order_id: Option<uuid::Uuid>,
    },
    ExtensionRequested {
        order_id: uuid::Uuid,
        request_id: uuid::Uuid,
        working_days: u32,
        reason: String,
    },
    ExtensionDecided {
        order_id: uuid::Uuid,
        request_id: uuid::Uuid,
        granted: bool,
        reason: String,
        new_reply_due_at: Option<DateTime<Utc>>,
        complainant_to_be_told: bool,
    },
    /// Intake told the complainant the new date an extension set.
    ComplainantToldNewDate {
        order_id: uuid::Uuid,
        /// `phone`, `letter`, `email`, `in_person` or `sms`.
        method: String,
        told_at: DateTime<Utc>,
    },
    OrderReplied {
        order_id: uuid::Uuid,
        result: String,
        rectification: String,
        answer_method: String,
        answered_at: DateTime<Utc>,
        on_time: bool,
    },
    /// Intake pressed the unit to act (催办); `overdue` when a running limit had passed.
    OrderReminded {
        order_id: uuid::Uuid,
        note: String,
        overdue: bool,
    },
    ReplyReviewed {
        order_id: uuid::Uuid,
        accepted: bool,
        reasons: Option<String>,
        next_order_id: Option<uuid::Uuid>,
    },
    /// The deadline sweeper saw a running time limit change its warning level (recorded by
    /// the system, without actor).
    WarningLevelChanged {
        /// Which limit: `screening`, `sign_for` or `reply`.
        limit: String,
        /// The supervision order of a `sign_for` or `reply` limit.
        order_id: Option<Uuid>,
        /// The unit answerable for the limit (orders).
        unit_id: Option<Uuid>,
        from: WarningLevel,
        to: WarningLevel,
        /// The deadline the level was measured against.
        due_at: DateTime<Utc>,
    },
    /// An investigation entry was recorded (append-only; the entry itself is kept apart).
    InvestigationRecorded {
        record_id: Uuid,
        /// `interview_complainant`, `interview_respondent`, `case_record_check` or
        /// `witness_statement`.
        record_kind: String,
    },
    /// The leading group took the case over as an important case (重要问题).
    TakenOver {
        reason: String,
    },
    /// The retention job erased the complainant's name and contacts (recorded by the system,
    /// without actor), this many days after the complaint ended.
    ContactDetailsErased {
        retention_days: u32,
    },
}

impl ComplaintEvent {
    /// The stored and published name of the event.
    pub fn kind(&self) -> &'static str {
        match self {
            ComplaintEvent::Registered { .. } => "registered",
            ComplaintEvent::Screened { .. } => "screened",
            ComplaintEvent::Classified { .. } => "classified",
            ComplaintEvent::Reclassified { .. } => "reclassified",
            ComplaintEvent::ReconciledOnSite { .. } => "reconciled_on_site",
            ComplaintEvent::FeedbackDisposed { .. } => "feedback_disposed",
            ComplaintEvent::Closed { .. } => "closed",
            ComplaintEvent::ComplainantToldResult { .. } => "complainant_told_result",
            ComplaintEvent::ReturnVisitRecorded { .. } => "return_visit_recorded",
            ComplaintEvent::Reopened { .. } => "reopened",
            ComplaintEvent::OrderIssued { .. } => "order_issued",
            ComplaintEvent::OrderSigned { .. } => "order_signed",
            ComplaintEvent::OrderReturned { .. } => "order_returned",
            ComplaintEvent::ReturnRuled { .. } => "return_ruled",
            ComplaintEvent::ExtensionRequested { .. } => "extension_requested",
            ComplaintEvent::ExtensionDecided { .. } => "extension_decided",
            ComplaintEvent::ComplainantToldNewDate { .. } => "complainant_told_new_date",
            ComplaintEvent::OrderReplied { .. } => "order_replied",
            ComplaintEvent::OrderReminded { .. } => "order_reminded",
            ComplaintEvent::ReplyReviewed { .. } => "reply_reviewed",
            ComplaintEvent::WarningLevelChanged { .. } => "warning_level_changed",
            ComplaintEvent::InvestigationRecorded { .. } => "investigation_recorded",
            ComplaintEvent::TakenOver { .. } => "taken_over",
            ComplaintEvent::Linked { .. } => "linked",
            ComplaintEvent::ContactDetailsErased { .. } => "contact_details_erased",
        }
    }

    /// The reason a person gave for the change, where the event carries one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            ComplaintEvent::Screened { explanation, .. } => Some(explanation),
            ComplaintEvent::Reclassified { reason, .. }
            | ComplaintEvent::Reopened { reason }
            | ComplaintEvent::Linked { reason, .. }
            | ComplaintEvent::OrderReturned { reason, .. }
            | ComplaintEvent::ReturnRuled { reason, .. }
            | ComplaintEvent::ExtensionRequested { reason, .. }
            | ComplaintEvent::ExtensionDecided { reason, .. }
            | ComplaintEvent::TakenOver { reason } => Some(reason),
            ComplaintEvent::ReplyReviewed { reasons, .. } => reasons.as_deref(),
            ComplaintEvent::ReconciledOnSite { note }
            | ComplaintEvent::FeedbackDisposed { note, .. }
            | ComplaintEvent::OrderReminded { note, .. } => Some(note),
            ComplaintEvent::ReturnVisitRecorded { remarks, .. } => remarks.as_deref(),
            _ => None,
        }
    }
}

/// An event as recorded: who, when, what, in which order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    /// 1 for the registration, then 2, 3, … in the order events were stored (assigned by
    /// the repository).
    pub sequence: i64,
    /// `None` for events the system records itself (e.g. the deadline sweeper).
    pub actor_id: Option<UserId>,
    pub at: DateTime<Utc>,
    pub event: ComplaintEvent,
}

#[cfg(test)]
mod tests;
