//! The system clock.

use chrono::{DateTime, Utc};
use duban_domain::clock::{Clock, to_storage_precision};

/// Reads the operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        to_storage_precision(Utc::now())
    }
}
