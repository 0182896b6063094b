//! Time limits in the database (限时办结): started, stopped and extended inside the caller's
//! transaction, so that each change is committed with the event that caused it; recomputed
//! when the calendar changes.
//!
//! Every computed deadline keeps its rule (start, working days, extensions, explicit date), so
//! a later calendar can recompute it. A deadline computed through a year without calendar data
//! is `provisional`, and a warning is logged for the admin.

mod read;
mod recompute;
mod write;

pub(crate) use read::to_view;
pub use read::{for_complaint, running_for_order, screening_due_at};
pub use recompute::{provisional_waiting, recompute_running};
pub use write::{NewTimeLimit, extend, insert, start, stop};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use duban_domain::calendar::{Deadline, WorkingCalendar, missing_years};
use duban_domain::limits::LimitKind;
use duban_domain::storage::RepositoryError;

/// Logs the warning that tells admin a calendar year is missing.
fn warn_if_provisional(
    calendar: &WorkingCalendar,
    started_at: DateTime<Utc>,
    deadline: Deadline,
    kind: LimitKind,
    tz: Tz,
) {
    if deadline.provisional {
        let years = missing_years(calendar, started_at, deadline.due_at, tz)
            .into_iter()
            .map(|year| year.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        tracing::warn!(
            kind = kind.as_str(),
            due_at = %deadline.due_at,
            "calendar for {years} not loaded; limit is provisional"
        );
    }
}

fn deadline_refused(e: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Unavailable(format!("no deadline can be computed: {e}"))
}
