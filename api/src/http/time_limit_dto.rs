//! Time limits as shown with a complaint.

use chrono::{DateTime, Utc};
use duban_domain::limits::{LimitKind as DomainLimitKind, LimitView};
use poem_openapi::Object;
use uuid::Uuid;

use super::order_dto::WarningLevel;
use super::wire_enums::LimitKind;

/// A time limit (限时办结) of a complaint or of one of its supervision orders.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TimeLimitView {
    pub kind: LimitKind,
    /// The supervision order, for sign-for and reply limits.
    pub order_id: Option<Uuid>,
    /// The event the limit counts from (counting starts the next day).
    pub started_at: DateTime<Utc>,
    /// The limit in working days, before extensions.
    pub working_days: u32,
    /// Granted extensions in working days.
    pub extension_days: u32,
    /// The first instant after the limit: 24:00 (agency time) of its last working day.
    pub due_at: DateTime<Utc>,
    /// Computed through a year without calendar data (Monday to Friday); recomputed when
    /// admin loads that year.
    pub provisional: bool,
    pub warning_level: WarningLevel,
    /// The last reminder (催办) sent while the limit ran; absent when none was.
    pub reminded_at: Option<DateTime<Utc>>,
    /// When the limit stopped; absent while it runs.
    pub stopped_at: Option<DateTime<Utc>>,
    /// Whether it stopped before its deadline; absent while it runs.
    pub met_on_time: Option<bool>,
}

impl From<LimitView> for TimeLimitView {
    fn from(l: LimitView) -> Self {
        Self {
            kind: l.kind.into(),
            order_id: l.order_id,
            started_at: l.started_at,
            working_days: l.working_days,
            extension_days: l.extension_days,
            due_at: l.due_at,
            provisional: l.provisional,
            warning_level: l.warning_level.into(),
            reminded_at: l.reminded_at,
            stopped_at: l.stopped_at,
            met_on_time: l.met_on_time,
        }
    }
}

/// The deadline of the running screening limit among `limits`.
pub fn screening_due_at(limits: &[LimitView]) -> Option<DateTime<Utc>> {
    limits
        .iter()
        .find(|l| l.kind == DomainLimitKind::Screening && l.stopped_at.is_none())
        .map(|l| l.due_at)
}
