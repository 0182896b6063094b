//! An instant as a person in the agency reads it: the local date and time in the agency's time
//! zone. Every rule counts to 24:00 of a local day, so a deadline at local midnight reads as
//! 24:00 of the day before ("2026-12-07 24:00"), never as the UTC instant.

use std::fmt;

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;

/// An instant with the time zone it is shown in; [`Display`](fmt::Display) gives
/// `YYYY-MM-DD HH:MM (Zone)`, local midnight as `24:00` of the day before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalInstant {
    pub at: DateTime<Utc>,
    pub tz: Tz,
}

impl LocalInstant {
    #[must_use]
    pub const fn new(at: DateTime<Utc>, tz: Tz) -> Self {
        Self { at, tz }
    }
}

impl fmt::Display for LocalInstant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.at.with_timezone(&self.tz);
        let zone = self.tz.name();
        if local.num_seconds_from_midnight() == 0 && local.nanosecond() == 0 {
            let day = (local - TimeDelta::days(1)).date_naive();
            return write!(f, "{} 24:00 ({zone})", day.format("%Y-%m-%d"));
        }
        let pattern = if local.second() == 0 {
            "%Y-%m-%d %H:%M"
        } else {
            "%Y-%m-%d %H:%M:%S"
        };
        write!(f, "{} ({zone})", local.format(pattern))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Asia::Shanghai;

    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn local_midnight_reads_as_24_00_of_the_day_before() {
        // 16:00 UTC is 24:00 in Shanghai.
        let due = LocalInstant::new(utc(2026, 12, 7, 16, 0, 0), Shanghai);
        assert_eq!(due.to_string(), "2026-12-07 24:00 (Asia/Shanghai)");
    }

    #[test]
    fn other_times_read_as_the_local_date_and_time() {
        let at = LocalInstant::new(utc(2026, 12, 7, 1, 30, 0), Shanghai);
        assert_eq!(at.to_string(), "2026-12-07 09:30 (Asia/Shanghai)");
        let at = LocalInstant::new(utc(2026, 12, 7, 17, 5, 9), Shanghai);
        assert_eq!(at.to_string(), "2026-12-08 01:05:09 (Asia/Shanghai)");
    }
}
