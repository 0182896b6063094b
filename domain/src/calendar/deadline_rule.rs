//! The rule that produced a time limit's deadline, stored with it so that a calendar change
//! can recompute it, and what a provisional deadline waits for.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use chrono_tz::Tz;

use super::deadline::{Deadline, DeadlineError};
use super::local_day::local_date;
use super::working_calendar::{NEXT_NOTICE_MAY_CHANGE_FROM_DECEMBER, WorkingCalendar};

/// How a deadline is worked out; stored with the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineRule {
    /// The event the limit counts from (次日起算).
    pub started_at: DateTime<Utc>,
    /// The limit in working days.
    pub working_days: u32,
    /// Granted extensions, in working days, added to the limit.
    pub extension_days: u32,
    /// A date set explicitly instead of counting `working_days`; extensions count on from it.
    pub explicit_due_at: Option<DateTime<Utc>>,
}

impl DeadlineRule {
    /// The deadline this rule gives with `calendar`, in the local dates of `tz`.
    ///
    /// Without an explicit date: `started_at` plus `working_days + extension_days` working
    /// days (see [`WorkingCalendar::add_working_days`]). With one: that instant, settled,
    /// or, after extensions, 24:00 of the `extension_days`-th working day after its last day.
    ///
    /// # Errors
    /// [`DeadlineError`] for limits over [`super::MAX_WORKING_DAYS`] or past the
    /// representable dates.
    pub fn deadline(&self, calendar: &WorkingCalendar, tz: Tz) -> Result<Deadline, DeadlineError> {
        match self.explicit_due_at {
            None => calendar.add_working_days(
                self.started_at,
                self.working_days.saturating_add(self.extension_days),
                tz,
            ),
            Some(due_at) if self.extension_days == 0 => Ok(Deadline {
                due_at,
                provisional: false,
            }),
            Some(due_at) => calendar.add_working_days(
                due_at - TimeDelta::nanoseconds(1),
                self.extension_days,
                tz,
            ),
        }
    }
}

/// The years whose calendar data would settle a provisional deadline of a limit that started
/// at `started_at` and ends at `due_at`: every year from the day after the start through the
/// last day that is not loaded, and the next year when the last day falls on or after
/// 25 December (the next notice may still move it). Empty when nothing is missing.
#[must_use]
pub fn missing_years(
    calendar: &WorkingCalendar,
    started_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    tz: Tz,
) -> BTreeSet<i32> {
    let first = local_date(started_at, tz).succ_opt();
    let last = local_date(due_at - TimeDelta::nanoseconds(1), tz);
    let mut years = BTreeSet::new();
    let Some(first) = first.filter(|first| *first <= last) else {
        return years;
    };
    years.extend((first.year()..=last.year()).filter(|&year| !calendar.has_year(year)));
    let late_december = last.month() == 12 && last.day() >= NEXT_NOTICE_MAY_CHANGE_FROM_DECEMBER;
    if late_december && !calendar.has_year(last.year() + 1) {
        years.insert(last.year() + 1);
    }
    years
}

/// Whether a limit ending at `due_at` and stopped at `at` was met on time.
#[must_use]
pub fn met_on_time(due_at: DateTime<Utc>, at: DateTime<Utc>) -> bool {
    at < due_at
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use chrono_tz::Asia::Shanghai;

    use super::*;
    use crate::calendar::{CalendarDayEntry, YearCalendar};

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .to_utc()
    }

    fn rule(started_at: &str, working_days: u32) -> DeadlineRule {
        DeadlineRule {
            started_at: utc(started_at),
            working_days,
            extension_days: 0,
            explicit_due_at: None,
        }
    }

    fn only_2026_new_year() -> Result<WorkingCalendar, Box<dyn std::error::Error>> {
        let entry = CalendarDayEntry {
            date: NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?,
            is_off_day: true,
            name: "元旦".into(),
        };
        Ok(WorkingCalendar::from_years([YearCalendar::new(
            2026,
            vec![entry],
        )?])?)
    }

    #[test]
    fn extensions_add_working_days_to_the_limit() -> TestResult {
        let calendar = only_2026_new_year()?;
        // Mon 2026-03-02 + 5: Tue 03-03 .. Mon 03-09 → 24:00 Mon 03-09.
        let mut limit = rule("2026-03-02T10:00:00+08:00", 5);
        assert_eq!(
            limit.deadline(&calendar, Shanghai)?.due_at,
            utc("2026-03-10T00:00:00+08:00")
        );
        // Three more: 03-10, 03-11, Thu 03-12.
        limit.extension_days = 3;
        assert_eq!(
            limit.deadline(&calendar, Shanghai)?.due_at,
            utc("2026-03-13T00:00:00+08:00")
        );
        Ok(())
    }

    #[test]
    fn an_explicit_date_is_settled_and_extensions_count_on_from_it() -> TestResult {
        let calendar = WorkingCalendar::new();
        let mut limit = DeadlineRule {
            explicit_due_at: Some(utc("2030-05-04T00:00:00+08:00")),
            ..rule("2030-04-01T10:00:00+08:00", 5)
        };
        assert_eq!(
            limit.deadline(&calendar, Shanghai)?,
            Deadline {
                due_at: utc("2030-05-04T00:00:00+08:00"),
                provisional: false
            }
        );
        // Last day Fri 2030-05-03; two working days on (Monday–Friday): Mon 05-06, Tue 05-07.
        limit.extension_days = 2;
        assert_eq!(
            limit.deadline(&calendar, Shanghai)?,
            Deadline {
                due_at: utc("2030-05-08T00:00:00+08:00"),
                provisional: true
            }
        );
        Ok(())
    }

    #[test]
    fn missing_years_name_the_data_a_provisional_deadline_waits_for() -> TestResult {
        let calendar = only_2026_new_year()?;
        let missing = |from: &str, to: &str| {
            missing_years(&calendar, utc(from), utc(to), Shanghai)
                .into_iter()
                .collect::<Vec<_>>()
        };
        // Ends 24:00 Thu 2026-12-31: 2026 loaded, but 2027's notice may still move it.
        assert_eq!(
            missing("2026-12-24T10:00:00+08:00", "2027-01-01T00:00:00+08:00"),
            [2027]
        );
        assert_eq!(
            missing("2026-03-02T10:00:00+08:00", "2026-03-10T00:00:00+08:00"),
            Vec::<i32>::new()
        );
        assert_eq!(
            missing("2025-12-30T10:00:00+08:00", "2028-01-05T00:00:00+08:00"),
            [2025, 2027, 2028]
        );
        Ok(())
    }

    #[test]
    fn on_time_means_before_the_deadline() {
        let due = utc("2026-03-10T00:00:00+08:00");
        assert!(met_on_time(due, due - TimeDelta::seconds(1)));
        assert!(!met_on_time(due, due));
    }
}
