//! The clock a test server tells the time by: the wall clock until a test pins or advances it.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, TimeDelta, Utc};
use duban_domain::clock::{Clock, to_storage_precision};

/// Shared between a test and its server ([`crate::TestApp::clock`]); clones tell the same time.
#[derive(Debug, Clone, Default)]
pub struct TestClock(Arc<Mutex<Setting>>);

#[derive(Debug, Clone, Copy)]
enum Setting {
    /// The wall clock, moved by this much.
    Running(TimeDelta),
    /// Stands still at this instant.
    Pinned(DateTime<Utc>),
}

impl Default for Setting {
    fn default() -> Self {
        Self::Running(TimeDelta::zero())
    }
}

impl TestClock {
    /// Stands still at `at` until pinned elsewhere, advanced or set running.
    pub fn pin(&self, at: DateTime<Utc>) {
        *self.setting() = Setting::Pinned(at);
    }

    /// Stands still at the current instant.
    pub fn freeze(&self) -> DateTime<Utc> {
        let now = self.now();
        self.pin(now);
        now
    }

    /// Moves the time on by `by`; a running clock keeps running from there.
    pub fn advance(&self, by: TimeDelta) {
        let mut setting = self.setting();
        *setting = match *setting {
            Setting::Running(offset) => Setting::Running(offset + by),
            Setting::Pinned(at) => Setting::Pinned(at + by),
        };
    }

    /// Runs on with the wall clock from `at` (a pinned clock starts running).
    pub fn run_from(&self, at: DateTime<Utc>) {
        *self.setting() = Setting::Running(at - Utc::now());
    }

    /// The clock for the composition root.
    pub fn shared(&self) -> Arc<dyn Clock> {
        Arc::new(self.clone())
    }

    fn setting(&self) -> std::sync::MutexGuard<'_, Setting> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        let at = match *self.setting() {
            Setting::Running(offset) => Utc::now() + offset,
            Setting::Pinned(at) => at,
        };
        to_storage_precision(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_stands_still_and_moves_only_when_advanced() {
        let clock = TestClock::default();
        let at = DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
            .map(|at| at.with_timezone(&Utc))
            .unwrap_or_default();
        clock.pin(at);
        assert_eq!(clock.now(), at);
        assert_eq!(clock.clone().now(), at, "clones tell the same time");
        clock.advance(TimeDelta::seconds(30));
        assert_eq!(clock.now(), at + TimeDelta::seconds(30));
    }

    #[test]
    fn a_running_clock_follows_the_wall_clock_from_where_it_was_set() {
        let clock = TestClock::default();
        let before = Utc::now();
        let told = clock.now();
        assert!(told >= to_storage_precision(before) && told <= Utc::now());
        let later = Utc::now() + TimeDelta::days(3);
        clock.run_from(later);
        assert!(clock.now() >= to_storage_precision(later));
        assert!(clock.now() < later + TimeDelta::hours(1));
    }
}
