//! The rules around closing that need more than the complaint itself: the reopen window
//! counted in working days.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::calendar::WorkingCalendar;

/// Whether `now` is still within the reopen window of a return visit made at `visited_at`:
/// the window runs until 24:00 (agency time) of the `window_working_days`-th working day after
/// the visit's date, counted as every time limit is (次日起算). A window too long to compute
/// has not passed.
#[must_use]
pub fn within_reopen_window(
    calendar: &WorkingCalendar,
    visited_at: DateTime<Utc>,
    now: DateTime<Utc>,
    window_working_days: u32,
    tz: Tz,
) -> bool {
    calendar
        .add_working_days(visited_at, window_working_days, tz)
        .map_or(true, |deadline| now < deadline.due_at)
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::{DateTime, NaiveDate, Utc};
    use chrono_tz::Asia::Shanghai;

    use super::*;
    use crate::calendar::{CalendarDayEntry, YearCalendar};

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
            .to_utc()
    }

    fn day(month: u32, day: u32, is_off_day: bool) -> CalendarDayEntry {
        CalendarDayEntry {
            date: NaiveDate::from_ymd_opt(2026, month, day)
                .unwrap_or_else(|| panic!("2026-{month}-{day}")),
            is_off_day,
            name: "劳动节".into(),
        }
    }

    /// The 2026 Labour Day block as the State Council published it: 1–5 May off, Saturday
    /// 9 May worked in exchange.
    pub(crate) fn labour_day_2026() -> WorkingCalendar {
        let mut entries: Vec<_> = (1..=5).map(|d| day(5, d, true)).collect();
        entries.push(day(5, 9, false));
        let year = YearCalendar::new(2026, entries).unwrap_or_else(|e| panic!("{e}"));
        WorkingCalendar::from_years([year]).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A visit on Thursday 30 April 2026. Working days after it: 6 May (1), 7, 8, Saturday
    /// 9 May (4, make-up day), 11–15 May (5–9), 18–22 May (10–14), Monday 25 May (15),
    /// Tuesday 26 May (16).
    #[test]
    fn the_window_ends_at_midnight_of_the_fifteenth_working_day_after_the_visit() {
        let calendar = labour_day_2026();
        let visit = at("2026-04-30T10:00:00+08:00");
        let open = |now: &str| within_reopen_window(&calendar, visit, at(now), 15, Shanghai);
        assert!(open("2026-04-30T10:00:01+08:00"), "the day of the visit");
        assert!(open("2026-05-22T12:00:00+08:00"), "day 14");
        assert!(open("2026-05-25T09:00:00+08:00"), "day 15");
        assert!(open("2026-05-25T23:59:59+08:00"), "day 15, last second");
        assert!(!open("2026-05-26T00:00:00+08:00"), "day 16");
        assert!(!open("2026-05-26T10:00:00+08:00"), "day 16");
    }

    #[test]
    fn the_window_follows_the_holiday_data_not_the_weekdays() {
        // Monday to Friday only, day 15 after 30 April would be Thursday 21 May.
        let plain = WorkingCalendar::new();
        let visit = at("2026-04-30T10:00:00+08:00");
        let now = at("2026-05-22T10:00:00+08:00");
        assert!(!within_reopen_window(&plain, visit, now, 15, Shanghai));
        assert!(within_reopen_window(
            &labour_day_2026(),
            visit,
            now,
            15,
            Shanghai
        ));
    }

    #[test]
    fn the_window_counts_from_the_agency_date_of_the_visit() {
        // 17:00 UTC on Thursday 14 May is already Friday 15 May in Shanghai: day 1 is Monday
        // 18 May and day 15 is Friday 5 June (counting from the UTC date it would be 4 June).
        let calendar = labour_day_2026();
        let visit = at("2026-05-14T17:00:00Z");
        let open = |now: &str| within_reopen_window(&calendar, visit, at(now), 15, Shanghai);
        assert!(open("2026-06-05T12:00:00+08:00"));
        assert!(!open("2026-06-06T00:00:00+08:00"));
    }
}
