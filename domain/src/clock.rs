//! Time is an input: the core never reads the system clock itself.

use chrono::{DateTime, SubsecRound, Utc};

/// Tells the current instant.
pub trait Clock: Send + Sync {
    /// The current instant, truncated to microseconds (what every database keeps).
    fn now(&self) -> DateTime<Utc>;
}

/// Truncates an instant to microseconds so that what is stored equals what was decided on.
pub fn to_storage_precision(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
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
