//! Time limits counted in working days (限时办结): deadlines and elapsed working days.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::local_day::{end_of_local_day, local_date};
use super::working_calendar::WorkingCalendar;

/// Longest time limit accepted, in working days (about 40 years): a guard against nonsense,
/// far above any real limit.
pub const MAX_WORKING_DAYS: u32 = 10_000;

/// When a time limit ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// The first instant after the limit: 00:00 local of the day after its last working day
    /// (that is, 24:00 of the last working day). The limit is met by acting before it.
    pub due_at: DateTime<Utc>,
    /// `true` when a day examined was not settled (a year without calendar data, or late
    /// December before the next year's notice is loaded): recompute once that year is loaded.
    pub provisional: bool,
}

/// A number of working days, and whether an unsettled date was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingDayCount {
    /// The count; negative when the range runs backwards (see
    /// [`WorkingCalendar::working_days_between`]).
    pub working_days: i64,
    /// `true` when a counted date was not settled (see [`Deadline::provisional`]).
    pub provisional: bool,
}

/// Why no deadline could be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    /// The limit is longer than [`MAX_WORKING_DAYS`].
    #[error("a time limit of {requested} working days is longer than the maximum of {max}")]
    TooManyWorkingDays {
        /// The refused limit.
        requested: u32,
        /// [`MAX_WORKING_DAYS`].
        max: u32,
    },
    /// The deadline lies beyond the dates the calendar can represent.
    #[error("the deadline lies beyond the representable dates")]
    OutOfRange,
}

impl WorkingCalendar {
    /// The deadline of a limit of `working_days` that starts with an event at `from`, counted
    /// in the local dates of `tz`.
    ///
    /// Counting starts the day after the local date of `from` (次日起算): the first working
    /// day after that date is day 1, and the limit ends at 24:00 local of day `working_days`.
    /// The time of day of `from` does not matter, so an event at 23:59 local and one at 00:00
    /// local of the same date have the same deadline.
    ///
    /// A limit of 0 working days ends at 24:00 of the event's own local date, whatever kind of
    /// day that is; no day is examined, so it is never provisional.
    ///
    /// # Errors
    /// [`DeadlineError::TooManyWorkingDays`] above [`MAX_WORKING_DAYS`];
    /// [`DeadlineError::OutOfRange`] when the end is past the representable dates.
    pub fn add_working_days(
        &self,
        from: DateTime<Utc>,
        working_days: u32,
        tz: Tz,
    ) -> Result<Deadline, DeadlineError> {
        if working_days > MAX_WORKING_DAYS {
            return Err(DeadlineError::TooManyWorkingDays {
                requested: working_days,
                max: MAX_WORKING_DAYS,
            });
        }
        let walk = self
            .nth_working_day_after(local_date(from, tz), working_days)
            .ok_or(DeadlineError::OutOfRange)?;
        let due_at = end_of_local_day(walk.date, tz).ok_or(DeadlineError::OutOfRange)?;
        Ok(Deadline {
            due_at,
            provisional: walk.provisional,
        })
    }

    /// The working days elapsed from `start` to `end`, in the local dates of `tz`: the number
    /// of working days `d` with `local(start) < d <= local(end)`.
    ///
    /// The start's own date never counts (次日起算, as for deadlines) and the end's date always
    /// does, whatever the times of day. So a case received and closed on the same date took 0
    /// working days; one received on a Friday and closed the next Monday took 1; and
    /// `working_days_between(event, deadline.due_at - 1 ns)` is the limit the deadline was
    /// computed with. When `end`'s date is before `start`'s, the result is the negated count
    /// from `end` to `start`.
    #[must_use]
    pub fn working_days_between(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        tz: Tz,
    ) -> WorkingDayCount {
        let (start_date, end_date) = (local_date(start, tz), local_date(end, tz));
        let (after, through, sign) = if start_date <= end_date {
            (start_date, end_date, 1)
        } else {
            (end_date, start_date, -1)
        };
        WorkingDayCount {
            working_days: sign * self.count_working_days(after, through),
            provisional: !self.range_is_settled(after, through),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Days, NaiveTime, TimeDelta, TimeZone};
    use chrono_tz::Asia::Shanghai;

    use super::*;
    use crate::calendar::test_support::{TestResult, date, utc, vendored_calendar};
    use crate::calendar::{CalendarDayEntry, YearCalendar};

    fn deadline(due_at: &str, provisional: bool) -> Result<Deadline, DeadlineError> {
        Ok(Deadline {
            due_at: utc(due_at),
            provisional,
        })
    }

    /// Each case: event (local time), limit, deadline. A deadline "24:00 of day D" is written
    /// as 00:00 local of D + 1, i.e. 16:00 UTC of D.
    #[test]
    fn deadlines_around_the_2026_spring_festival() {
        let calendar = vendored_calendar();
        let from = utc("2026-02-13T10:00:00+08:00"); // Friday
        // Day 1 is Sat 02-14, an adjusted working day (春节 make-up day).
        assert_eq!(
            calendar.add_working_days(from, 1, Shanghai),
            deadline("2026-02-15T00:00:00+08:00", false)
        );
        // 02-15..02-23 are off; day 2 is Tue 02-24.
        assert_eq!(
            calendar.add_working_days(from, 2, Shanghai),
            deadline("2026-02-25T00:00:00+08:00", false)
        );
        // 02-14 (1), 02-24 (2), 02-25 (3), 02-26 (4), Fri 02-27 (5).
        assert_eq!(
            calendar.add_working_days(from, 5, Shanghai),
            deadline("2026-02-28T00:00:00+08:00", false)
        );
        // Day 6 is Sat 02-28, the second make-up day.
        assert_eq!(
            calendar.add_working_days(from, 6, Shanghai),
            deadline("2026-03-01T00:00:00+08:00", false)
        );
        // An event on the make-up Saturday itself counts from Sunday 02-15: day 1 is 02-24.
        let on_saturday = utc("2026-02-14T00:00:00+08:00");
        assert_eq!(
            calendar.add_working_days(on_saturday, 1, Shanghai),
            deadline("2026-02-25T00:00:00+08:00", false)
        );
        // One second earlier is still Friday 02-13.
        let on_friday = on_saturday - TimeDelta::seconds(1);
        assert_eq!(
            calendar.add_working_days(on_friday, 1, Shanghai),
            deadline("2026-02-15T00:00:00+08:00", false)
        );
    }

    #[test]
    fn deadlines_around_national_day_2026() {
        let calendar = vendored_calendar();
        let from = utc("2026-09-30T15:00:00+08:00"); // Wednesday
        // 10-01..10-07 off; day 1 is Thu 10-08.
        assert_eq!(
            calendar.add_working_days(from, 1, Shanghai),
            deadline("2026-10-09T00:00:00+08:00", false)
        );
        // 10-08 (1), 10-09 (2), Sat 10-10 make-up (3), Sun 10-11 off, 10-12 (4), Tue 10-13 (5).
        assert_eq!(
            calendar.add_working_days(from, 5, Shanghai),
            deadline("2026-10-14T00:00:00+08:00", false)
        );
        // From Fri 09-18: Sat 09-19 off, Sun 09-20 is a make-up working day (labelled 国庆节).
        let from = utc("2026-09-18T09:00:00+08:00");
        assert_eq!(
            calendar.add_working_days(from, 1, Shanghai),
            deadline("2026-09-21T00:00:00+08:00", false)
        );
        // From Thu 09-24: 09-25..09-27 off (中秋节); day 1 is Mon 09-28.
        let from = utc("2026-09-24T09:00:00+08:00");
        assert_eq!(
            calendar.add_working_days(from, 1, Shanghai),
            deadline("2026-09-29T00:00:00+08:00", false)
        );
    }

    #[test]
    fn deadlines_around_national_day_2025() {
        let calendar = vendored_calendar();
        let from = utc("2025-09-30T11:00:00+08:00"); // Tuesday
        // 10-01..10-08 off; day 1 is Thu 10-09.
        assert_eq!(
            calendar.add_working_days(from, 1, Shanghai),
            deadline("2025-10-10T00:00:00+08:00", false)
        );
        // 10-09 (1), 10-10 (2), Sat 10-11 make-up (3), Sun 10-12 off, 10-13 (4), Tue 10-14 (5).
        assert_eq!(
            calendar.add_working_days(from, 5, Shanghai),
            deadline("2025-10-15T00:00:00+08:00", false)
        );
        // From Fri 09-26: Sat 09-27 off, Sun 09-28 is a make-up working day.
        let from = utc("2025-09-26T11:00:00+08:00");
        assert_eq!(
            calendar.add_working_days(from, 1, Shanghai),
            deadline("2025-09-29T00:00:00+08:00", false)
        );
    }

    #[test]
    fn deadlines_reaching_the_year_without_data_are_provisional() -> TestResult {
        let calendar = vendored_calendar();
        // From Thu 2026-12-24: Fri 12-25 (1), Mon 12-28 (2), 12-29 (3), 12-30 (4), Thu 12-31 (5).
        // All in 2026, but 25–31 December may still be moved by the 2027 notice.
        let from = utc("2026-12-24T10:00:00+08:00");
        assert_eq!(
            calendar.add_working_days(from, 5, Shanghai),
            deadline("2027-01-01T00:00:00+08:00", true)
        );
        // From Thu 12-17: Fri 12-18 (1), 12-21 (2), 12-22 (3), 12-23 (4), Thu 12-24 (5): settled.
        let from = utc("2026-12-17T10:00:00+08:00");
        assert_eq!(
            calendar.add_working_days(from, 5, Shanghai),
            deadline("2026-12-25T00:00:00+08:00", false)
        );
        // From Fri 12-18, day 5 is Fri 12-25: provisional.
        let from = utc("2026-12-18T10:00:00+08:00");
        assert_eq!(
            calendar.add_working_days(from, 5, Shanghai),
            deadline("2026-12-26T00:00:00+08:00", true)
        );
        // From Thu 12-31: Fri 2027-01-01 counts by the Monday–Friday rule (surely wrong).
        let from = utc("2026-12-31T10:00:00+08:00");
        assert_eq!(
            calendar.add_working_days(from, 1, Shanghai),
            deadline("2027-01-02T00:00:00+08:00", true)
        );
        // Once 2027 is loaded, the same limit is recomputed as settled.
        let mut with_2027 = calendar.clone();
        let new_year = CalendarDayEntry {
            date: date(2027, 1, 1),
            is_off_day: true,
            name: "元旦".to_owned(),
        };
        with_2027.replace_year(YearCalendar::new(2027, vec![new_year])?);
        assert_eq!(
            with_2027.add_working_days(from, 1, Shanghai),
            deadline("2027-01-05T00:00:00+08:00", false)
        );
        Ok(())
    }

    #[test]
    fn the_local_date_of_the_event_decides_where_counting_starts() {
        let calendar = vendored_calendar();
        // 23:30 local on Mon 03-02 (15:30 UTC): counting starts on 03-03; day 1 is 03-03.
        let late_evening = utc("2026-03-02T23:30:00+08:00");
        assert_eq!(late_evening, utc("2026-03-02T15:30:00Z"));
        assert_eq!(
            calendar.add_working_days(late_evening, 1, Shanghai),
            deadline("2026-03-04T00:00:00+08:00", false)
        );
        // 00:30 local on 03-03 is still 03-02 in UTC, but counting starts on 03-04.
        let after_midnight = utc("2026-03-03T00:30:00+08:00");
        assert_eq!(after_midnight, utc("2026-03-02T16:30:00Z"));
        assert_eq!(
            calendar.add_working_days(after_midnight, 1, Shanghai),
            deadline("2026-03-05T00:00:00+08:00", false)
        );
        // The same instant counted in UTC starts from 03-02.
        let in_utc = calendar.add_working_days(after_midnight, 1, chrono_tz::UTC);
        assert_eq!(in_utc, deadline("2026-03-04T00:00:00Z", false));
    }

    #[test]
    fn a_limit_of_zero_ends_with_the_event_day() {
        let calendar = vendored_calendar();
        let friday = utc("2026-02-13T10:00:00+08:00");
        assert_eq!(
            calendar.add_working_days(friday, 0, Shanghai),
            deadline("2026-02-14T00:00:00+08:00", false)
        );
        let holiday = utc("2026-02-16T10:00:00+08:00");
        assert_eq!(
            calendar.add_working_days(holiday, 0, Shanghai),
            deadline("2026-02-17T00:00:00+08:00", false)
        );
        let no_data = utc("2027-01-01T10:00:00+08:00");
        assert_eq!(
            calendar.add_working_days(no_data, 0, Shanghai),
            deadline("2027-01-02T00:00:00+08:00", false)
        );
    }

    #[test]
    fn refuses_absurd_limits_and_dates() -> TestResult {
        let calendar = vendored_calendar();
        let from = utc("2026-02-13T10:00:00+08:00");
        let too_many = DeadlineError::TooManyWorkingDays {
            requested: MAX_WORKING_DAYS + 1,
            max: MAX_WORKING_DAYS,
        };
        assert_eq!(
            calendar.add_working_days(from, MAX_WORKING_DAYS + 1, Shanghai),
            Err(too_many)
        );
        let longest = calendar.add_working_days(from, MAX_WORKING_DAYS, Shanghai)?;
        assert!(longest.provisional && longest.due_at.year() > 2060);
        for end_of_time in [
            DateTime::<Utc>::MAX_UTC,
            DateTime::<Utc>::MAX_UTC - TimeDelta::days(2),
        ] {
            assert_eq!(
                calendar.add_working_days(end_of_time, 1, Shanghai),
                Err(DeadlineError::OutOfRange)
            );
        }
        Ok(())
    }

    #[test]
    fn elapsed_working_days_count_after_the_start_date_through_the_end_date() {
        let calendar = vendored_calendar();
        let count =
            |start: &str, end: &str| calendar.working_days_between(utc(start), utc(end), Shanghai);
        let settled = |working_days| WorkingDayCount {
            working_days,
            provisional: false,
        };
        // (02-13, 02-27]: Sat 02-14, then 02-24..02-27 after the Spring Festival: 5.
        assert_eq!(
            count("2026-02-13T10:00:00+08:00", "2026-02-27T18:00:00+08:00"),
            settled(5)
        );
        assert_eq!(
            count("2026-02-27T18:00:00+08:00", "2026-02-13T10:00:00+08:00"),
            settled(-5)
        );
        // Same local date, whatever the times: 0. Friday to Monday: 1.
        assert_eq!(
            count("2026-03-02T00:00:00+08:00", "2026-03-02T23:59:59+08:00"),
            settled(0)
        );
        assert_eq!(
            count("2026-03-06T17:00:00+08:00", "2026-03-09T09:00:00+08:00"),
            settled(1)
        );
        // Local dates, not UTC dates: 2026-03-02T16:30Z is 03-03 in Shanghai.
        assert_eq!(
            count("2026-03-02T15:30:00Z", "2026-03-02T16:30:00Z"),
            settled(1)
        );
        // Whole years, from 31 December to 31 December.
        assert_eq!(
            count("2023-12-31T12:00:00+08:00", "2024-12-31T12:00:00+08:00"),
            settled(251)
        );
        assert_eq!(
            count("2024-12-31T12:00:00+08:00", "2025-12-31T12:00:00+08:00"),
            settled(248)
        );
        let year_2026 = count("2025-12-31T12:00:00+08:00", "2026-12-31T12:00:00+08:00");
        assert_eq!(
            year_2026,
            WorkingDayCount {
                working_days: 248,
                provisional: true
            }
        );
        // Into 2027: 12-25, 12-28..12-31 (5), then 2027-01-01 and 01-04 by Monday–Friday.
        let into_2027 = count("2026-12-24T12:00:00+08:00", "2027-01-04T12:00:00+08:00");
        assert_eq!(
            into_2027,
            WorkingDayCount {
                working_days: 7,
                provisional: true
            }
        );
    }

    #[test]
    fn elapsed_working_days_up_to_a_deadline_give_back_its_limit() -> TestResult {
        let calendar = vendored_calendar();
        let noon = NaiveTime::from_hms_opt(12, 0, 0).ok_or("noon")?;
        for day in date(2024, 1, 1)
            .iter_days()
            .take_while(|&d| d <= date(2026, 12, 31))
        {
            let from = Shanghai
                .from_local_datetime(&day.and_time(noon))
                .single()
                .ok_or("Shanghai has one noon a day")?
                .to_utc();
            for limit in 0..=10 {
                let deadline = calendar.add_working_days(from, limit, Shanghai)?;
                let last_instant = deadline.due_at - TimeDelta::nanoseconds(1);
                let elapsed = calendar.working_days_between(from, last_instant, Shanghai);
                let expected = WorkingDayCount {
                    working_days: i64::from(limit),
                    provisional: deadline.provisional,
                };
                assert_eq!(elapsed, expected, "{day} + {limit}");
                let last_day = local_date(last_instant, Shanghai);
                assert!(
                    limit == 0 || calendar.is_working_day(last_day),
                    "{day} + {limit}"
                );
                assert_eq!(
                    last_day.checked_add_days(Days::new(1)),
                    Some(local_date(deadline.due_at, Shanghai))
                );
            }
        }
        Ok(())
    }
}
