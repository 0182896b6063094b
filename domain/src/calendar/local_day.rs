//! Local calendar days of a time zone: which day an instant falls on, and when a day begins.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// The local date, in `tz`, of `instant`.
///
/// Within a day of the ends of chrono's range, where the local date itself may not be
/// representable, the UTC date is returned instead (this never panics).
#[must_use]
pub fn local_date(instant: DateTime<Utc>, tz: Tz) -> NaiveDate {
    let utc = instant.naive_utc();
    let offset = tz.offset_from_utc_datetime(&utc).fix();
    utc.checked_add_offset(offset).unwrap_or(utc).date()
}

/// The first instant of `date` in `tz` (normally local 00:00), or `None` past chrono's range.
///
/// Where a daylight-saving change skips local midnight (e.g. America/Santiago), the day begins
/// at the change; where midnight happens twice, it begins at the first one.
#[must_use]
pub fn start_of_local_day(date: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
    let midnight = date.and_time(NaiveTime::MIN);
    match tz.from_local_datetime(&midnight) {
        LocalResult::Single(start) | LocalResult::Ambiguous(start, _) => Some(start.to_utc()),
        LocalResult::None => {
            // Midnight falls in a gap: the day starts when the gap ends, which is midnight read
            // with the offset in force before the gap (zones do not change twice in a day).
            let day_before = midnight.checked_sub_signed(TimeDelta::days(1))?;
            let offset_before = tz.offset_from_local_datetime(&day_before).earliest()?.fix();
            let utc = midnight
                .checked_sub_signed(TimeDelta::seconds(offset_before.local_minus_utc().into()))?;
            Some(Utc.from_utc_datetime(&utc))
        }
    }
}

/// The end of `date` in `tz`, i.e. 24:00 local, returned as the first instant of the next day.
#[must_use]
pub fn end_of_local_day(date: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
    start_of_local_day(date.succ_opt()?, tz)
}

#[cfg(test)]
mod tests {
    use chrono_tz::{America, Asia};

    use super::*;
    use crate::calendar::test_support::{date, utc};

    #[test]
    fn shanghai_days_begin_at_16_00_utc_the_day_before() {
        assert_eq!(
            start_of_local_day(date(2026, 3, 3), Asia::Shanghai),
            Some(utc("2026-03-02T16:00:00Z"))
        );
        assert_eq!(
            end_of_local_day(date(2026, 3, 3), Asia::Shanghai),
            Some(utc("2026-03-03T16:00:00Z"))
        );
    }

    #[test]
    fn local_date_follows_the_zone_not_utc() {
        // 2026-03-02T23:30+08:00 is 15:30 UTC on the same date; 00:30 local on 03-03 is still
        // 03-02 in UTC.
        assert_eq!(
            local_date(utc("2026-03-02T15:30:00Z"), Asia::Shanghai),
            date(2026, 3, 2)
        );
        assert_eq!(
            local_date(utc("2026-03-02T16:30:00Z"), Asia::Shanghai),
            date(2026, 3, 3)
        );
        assert_eq!(
            local_date(utc("2026-03-02T15:59:59Z"), Asia::Shanghai),
            date(2026, 3, 2)
        );
        assert_eq!(
            local_date(utc("2026-03-02T16:00:00Z"), Asia::Shanghai),
            date(2026, 3, 3)
        );
    }

    #[test]
    fn a_skipped_midnight_starts_the_day_at_the_change() {
        // Chile moved from -04:00 to -03:00 at local 2024-09-08 00:00 (clocks jumped to 01:00),
        // so 8 September began at 01:00 local = 04:00 UTC.
        let start = start_of_local_day(date(2024, 9, 8), America::Santiago);
        assert_eq!(start, Some(utc("2024-09-08T04:00:00Z")));
        assert_eq!(end_of_local_day(date(2024, 9, 7), America::Santiago), start);
        // The day before began normally at 00:00 -04:00.
        assert_eq!(
            start_of_local_day(date(2024, 9, 7), America::Santiago),
            Some(utc("2024-09-07T04:00:00Z"))
        );
    }

    #[test]
    fn a_repeated_hour_before_midnight_keeps_midnight_single() {
        // Chile went back from -03:00 to -04:00 at local 2024-04-07 00:00 (to 23:00 of the
        // 6th), so the 7th began at 00:00 -04:00 = 04:00 UTC.
        assert_eq!(
            start_of_local_day(date(2024, 4, 7), America::Santiago),
            Some(utc("2024-04-07T04:00:00Z"))
        );
    }

    #[test]
    fn the_ends_of_time_do_not_panic() {
        assert_eq!(end_of_local_day(NaiveDate::MAX, Asia::Shanghai), None);
        assert_eq!(
            local_date(DateTime::<Utc>::MAX_UTC, Asia::Shanghai),
            NaiveDate::MAX
        );
        assert_eq!(
            local_date(DateTime::<Utc>::MIN_UTC, America::Santiago),
            NaiveDate::MIN
        );
    }
}
