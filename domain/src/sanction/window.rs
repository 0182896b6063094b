//! Counting sustained complaints against the same subject within the repeat window.
//!
//! Definition ("within N months"): let `today` be the calendar date of `now` in the agency's
//! time zone and `start = today − N calendar months` (when that day does not exist in the
//! target month, the month's last day: 2026-03-31 − 1 month = 2026-02-28; 2028-02-29 − 12
//! months = 2027-02-28). A sustained complaint closed at instant `t` is within the window iff
//! `start ≤ date of t in the agency zone` and `t ≤ now`. So with N = 12 and `today` =
//! 2026-06-15, a closing on 2025-06-15 (exactly 12 months) or 2025-06-16 counts, one on
//! 2025-06-14 does not.

use chrono::{DateTime, Months, NaiveDate, Utc};
use chrono_tz::Tz;

use super::settings::PolicySettings;

/// The first calendar day inside the window ending on `today` (see the module docs).
/// Saturates at [`NaiveDate::MIN`].
#[must_use]
pub fn window_start(today: NaiveDate, settings: &PolicySettings) -> NaiveDate {
    today
        .checked_sub_months(Months::new(settings.repeat_window_months()))
        .unwrap_or(NaiveDate::MIN)
}

/// How many of `closed_at` (closing instants of sustained complaints) fall within the repeat
/// window ending at `now`, reckoned in the calendar of `zone`.
#[must_use]
pub fn count_sustained_within_window(
    now: DateTime<Utc>,
    zone: Tz,
    closed_at: &[DateTime<Utc>],
    settings: &PolicySettings,
) -> u32 {
    let today = now.with_timezone(&zone).date_naive();
    let start = window_start(today, settings);
    let count = closed_at
        .iter()
        .filter(|t| **t <= now && t.with_timezone(&zone).date_naive() >= start)
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Asia::Shanghai;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// An instant at the given Shanghai wall-clock time.
    fn sh(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Shanghai
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn count(now: DateTime<Utc>, closed: &[DateTime<Utc>]) -> u32 {
        count_sustained_within_window(now, Shanghai, closed, &PolicySettings::default())
    }

    #[test]
    fn twelve_months_minus_a_day_counts() {
        let now = sh(2026, 6, 15, 10, 0);
        assert_eq!(count(now, &[sh(2025, 6, 16, 9, 0)]), 1);
    }

    #[test]
    fn exactly_twelve_months_counts() {
        let now = sh(2026, 6, 15, 10, 0);
        assert_eq!(count(now, &[sh(2025, 6, 15, 0, 0)]), 1);
        assert_eq!(count(now, &[sh(2025, 6, 15, 23, 59)]), 1);
    }

    #[test]
    fn twelve_months_plus_a_day_does_not_count() {
        let now = sh(2026, 6, 15, 10, 0);
        assert_eq!(count(now, &[sh(2025, 6, 14, 23, 59)]), 0);
    }

    #[test]
    fn the_agency_calendar_decides_not_utc() {
        let now = sh(2026, 6, 15, 10, 0);
        // 2025-06-14T17:30Z is 2025-06-15 01:30 in Shanghai: inside the window
        let t = Utc
            .with_ymd_and_hms(2025, 6, 14, 17, 30, 0)
            .single()
            .unwrap();
        assert_eq!(count(now, &[t]), 1);
        let utc_count =
            count_sustained_within_window(now, chrono_tz::UTC, &[t], &PolicySettings::default());
        assert_eq!(utc_count, 0);
    }

    #[test]
    fn instants_after_now_are_not_counted() {
        let now = sh(2026, 6, 15, 10, 0);
        assert_eq!(count(now, &[now]), 1);
        assert_eq!(count(now, &[sh(2026, 6, 15, 10, 1)]), 0);
    }

    #[test]
    fn counts_only_the_ones_inside() {
        let now = sh(2026, 6, 15, 10, 0);
        let closed = [
            sh(2024, 1, 1, 9, 0),
            sh(2025, 6, 14, 9, 0),
            sh(2025, 6, 15, 9, 0),
            sh(2026, 1, 2, 9, 0),
            sh(2026, 6, 15, 9, 0),
            sh(2026, 7, 1, 9, 0),
        ];
        assert_eq!(count(now, &closed), 3);
        assert_eq!(count(now, &[]), 0);
    }

    #[test]
    fn window_start_clamps_to_month_end() {
        let s = PolicySettings::default();
        assert_eq!(window_start(date(2026, 6, 15), &s), date(2025, 6, 15));
        assert_eq!(window_start(date(2028, 2, 29), &s), date(2027, 2, 28));
        let one = PolicySettings::new(2, 1).unwrap();
        assert_eq!(window_start(date(2026, 3, 31), &one), date(2026, 2, 28));
    }

    #[test]
    fn window_length_is_a_setting() {
        let six = PolicySettings::new(2, 6).unwrap();
        let now = sh(2026, 6, 15, 10, 0);
        let closed = [sh(2025, 12, 15, 9, 0), sh(2025, 12, 14, 9, 0)];
        assert_eq!(
            count_sustained_within_window(now, Shanghai, &closed, &six),
            1
        );
    }
}
