//! Running time limits: which kinds exist and how a limit looks to the use cases.

use chrono::{DateTime, Utc};

use crate::calendar::WarningLevel;
use crate::wire_enum;

wire_enum! {
    /// The time limits a case runs against.
    LimitKind {
        Screening => "screening",
        SignFor => "sign_for",
        Reply => "reply",
    }
}

/// A time limit the core starts, with the deadline it decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitStart {
    pub kind: LimitKind,
    /// The event the limit counts from (次日起算).
    pub started_at: DateTime<Utc>,
    pub working_days: u32,
    pub due_at: DateTime<Utc>,
    /// The deadline runs through a year without calendar data.
    pub provisional: bool,
}

/// A time limit as stored: the rule that produced it and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitView {
    pub kind: LimitKind,
    pub order_id: Option<uuid::Uuid>,
    pub started_at: DateTime<Utc>,
    pub working_days: u32,
    pub extension_days: u32,
    pub due_at: DateTime<Utc>,
    pub provisional: bool,
    pub warning_level: WarningLevel,
    /// The last reminder (催办) sent while the limit ran.
    pub reminded_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
    pub met_on_time: Option<bool>,
}
