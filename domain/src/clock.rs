//! Time is an input: the core never reads the system clock itself.

use chrono::{DateTime, Duration, SubsecRound, Utc};

/// Tells the current instant.
pub trait Clock: Send + Sync {
    /// The current instant, truncated to microseconds (what every database keeps).
    fn now(&self) -> DateTime<Utc>;
}

/// A shared clock tells the time of the clock it shares: the composition root hands one
/// clock to every use case.
impl<T: Clock + ?Sized> Clock for std::sync::Arc<T> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}

/// Truncates an instant to microseconds so that what is stored equals what was decided on.
pub fn to_storage_precision(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// How far ahead of the server clock an instant a client states may lie: clocks drift.
pub const CLIENT_CLOCK_SKEW_MINUTES: i64 = 5;

/// Whether an instant a client states lies in the future, allowing for clock skew.
pub fn stated_in_future(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    at > now + Duration::minutes(CLIENT_CLOCK_SKEW_MINUTES)
}

/// Whether an instant a client states lies before a recorded one. Clients state instants to
/// the whole second, so the recorded one is compared to the second it fell in.
pub fn stated_before(at: DateTime<Utc>, recorded: DateTime<Utc>) -> bool {
    at < recorded.trunc_subsecs(0)
}

#[cfg(any(test, feature = "testing"))]
pub mod fixed {
    use super::*;
    use std::sync::Mutex;

    /// A clock tests can set and advance.
    #[derive(Debug)]
    pub struct FixedClock(Mutex<DateTime<Utc>>);

    impl FixedClock {
        pub fn at(at: DateTime<Utc>) -> Self {
            Self(Mutex::new(at))
        }

        pub fn set(&self, at: DateTime<Utc>) {
            if let Ok(mut now) = self.0.lock() {
                *now = at;
            }
        }
    }

    impl Clock for FixedClock {
        fn now(&self) -> DateTime<Utc> {
            self.0.lock().map(|now| *now).unwrap_or_default()
        }
    }
}
