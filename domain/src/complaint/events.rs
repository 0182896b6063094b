//! What happened to a complaint: the facts its history is made of.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::channel::Channel;
use super::status::{ComplaintType, FeedbackDisposition, Finding, Satisfaction, ScreeningOutcome};
use crate::ids::UserId;

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
    },
    Closed {
        outcome: String,
        finding: Finding,
        answer: String,
    },
    ReturnVisitRecorded {
        satisfaction: Satisfaction,
        remarks: Option<String>,
    },
    Reopened {
        reason: String,
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
            ComplaintEvent::ReturnVisitRecorded { .. } => "return_visit_recorded",
            ComplaintEvent::Reopened { .. } => "reopened",
        }
    }

    /// The reason a person gave for the change, where the event carries one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            ComplaintEvent::Screened { explanation, .. } => Some(explanation),
            ComplaintEvent::Reclassified { reason, .. } | ComplaintEvent::Reopened { reason } => {
                Some(reason)
            }
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
