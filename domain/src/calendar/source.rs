//! Where use cases get the working-day calendar from.

use std::future::Future;

use super::WorkingCalendar;
use crate::storage::RepositoryError;

/// The agency's current working-day calendar (every loaded year), read fresh for each use so
/// that a calendar loaded by one instance is seen by all.
pub trait CalendarSource: Send + Sync {
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn working_calendar(
        &self,
    ) -> impl Future<Output = Result<WorkingCalendar, RepositoryError>> + Send;
}
