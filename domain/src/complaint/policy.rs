//! The settings the complaint use cases apply.

use super::repeats::DEFAULT_REPEAT_WINDOW_DAYS;

/// Working days after a dissatisfied return visit within which the case may be reopened,
/// when not configured.
pub const DEFAULT_REOPEN_WINDOW_WORKING_DAYS: u32 = 15;

/// Working days intake has to screen a complaint from its receipt, when not configured.
pub const DEFAULT_SCREENING_WORKING_DAYS: u32 = 1;

/// The limits and settings the complaint use cases apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComplaintPolicy {
    /// Working days after the return visit within which a dissatisfied case may be reopened.
    pub reopen_window_working_days: u32,
    /// Days either side of a complaint's receipt within which another complaint from the same
    /// contact or about the same staff member is shown as a possible repeat.
    pub repeat_window_days: u32,
    /// Working days from receipt within which a complaint must be screened.
    pub screening_working_days: u32,
}

impl Default for ComplaintPolicy {
    fn default() -> Self {
        Self {
            reopen_window_working_days: DEFAULT_REOPEN_WINDOW_WORKING_DAYS,
            repeat_window_days: DEFAULT_REPEAT_WINDOW_DAYS,
            screening_working_days: DEFAULT_SCREENING_WORKING_DAYS,
        }
    }
}
