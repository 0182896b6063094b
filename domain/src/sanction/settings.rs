//! Settings of the sanction recommendation policy (admin-editable thresholds).

use thiserror::Error;

/// Thresholds of the recommendation policy. Built by [`PolicySettings::new`] or
/// [`PolicySettings::default`] (repeat threshold 2, window 12 months).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PolicySettings {
    repeat_threshold: u32,
    repeat_window_months: u32,
}

/// A policy setting out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PolicySettingsError {
    /// The repeat threshold must be at least 2, or the one-complaint rule could never apply.
    #[error("the repeat-complaint threshold must be at least 2, got {0}")]
    RepeatThresholdTooLow(u32),
    /// The window must be 1 to 120 months.
    #[error("the repeat-complaint window must be 1 to 120 months, got {0}")]
    RepeatWindowOutOfRange(u32),
}

impl PolicySettings {
    /// Largest accepted window, in months.
    pub const MAX_WINDOW_MONTHS: u32 = 120;

    /// # Errors
    /// [`PolicySettingsError`] when a value is out of range.
    pub const fn new(
        repeat_threshold: u32,
        repeat_window_months: u32,
    ) -> Result<Self, PolicySettingsError> {
        if repeat_threshold < 2 {
            return Err(PolicySettingsError::RepeatThresholdTooLow(repeat_threshold));
        }
        if repeat_window_months == 0 || repeat_window_months > Self::MAX_WINDOW_MONTHS {
            return Err(PolicySettingsError::RepeatWindowOutOfRange(
                repeat_window_months,
            ));
        }
        Ok(Self {
            repeat_threshold,
            repeat_window_months,
        })
    }

    /// Sustained complaints within the window from which the repeat rule applies (default 2).
    #[must_use]
    pub const fn repeat_threshold(&self) -> u32 {
        self.repeat_threshold
    }

    /// Length of the repeat window in calendar months (default 12).
    #[must_use]
    pub const fn repeat_window_months(&self) -> u32 {
        self.repeat_window_months
    }
}

impl Default for PolicySettings {
    fn default() -> Self {
        Self {
            repeat_threshold: 2,
            repeat_window_months: 12,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_two_within_twelve_months() {
        let s = PolicySettings::default();
        assert_eq!(s.repeat_threshold(), 2);
        assert_eq!(s.repeat_window_months(), 12);
        assert_eq!(PolicySettings::new(2, 12), Ok(s));
    }

    #[test]
    fn threshold_boundaries() {
        assert_eq!(
            PolicySettings::new(1, 12),
            Err(PolicySettingsError::RepeatThresholdTooLow(1))
        );
        assert_eq!(
            PolicySettings::new(0, 12),
            Err(PolicySettingsError::RepeatThresholdTooLow(0))
        );
        assert!(PolicySettings::new(3, 12).is_ok());
    }

    #[test]
    fn window_boundaries() {
        assert_eq!(
            PolicySettings::new(2, 0),
            Err(PolicySettingsError::RepeatWindowOutOfRange(0))
        );
        assert!(PolicySettings::new(2, 1).is_ok());
        assert!(PolicySettings::new(2, 120).is_ok());
        assert_eq!(
            PolicySettings::new(2, 121),
            Err(PolicySettingsError::RepeatWindowOutOfRange(121))
        );
    }
}
