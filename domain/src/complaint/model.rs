//! The complaint aggregate as the core sees it.

use chrono::{DateTime, Utc};

use super::number::ComplaintNumber;
use super::registration::NewComplaint;
use super::status::{ComplaintStatus, ComplaintType, Finding, Satisfaction, ScreeningOutcome};
use crate::ids::{ComplaintId, UserId};

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
    pub last_return_visit: Option<Satisfaction>,
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
    pub outcome: String,
    pub finding: Option<Finding>,
    pub closed_at: DateTime<Utc>,
}

impl ComplaintState {
    /// The state of a complaint just registered.
    pub fn registered() -> Self {
        Self {
            status: ComplaintStatus::AwaitingScreening,
            complaint_type: None,
            screening: None,
            closing: None,
            last_return_visit: None,
            reopen_count: 0,
        }
    }
}
