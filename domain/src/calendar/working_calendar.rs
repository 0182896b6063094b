//! The working-day calendar: which local dates are working days, and which answers are final.

use std::collections::BTreeMap;
use std::ops::Bound;

use chrono::{Datelike, NaiveDate, Weekday};

use super::year_calendar::{CalendarDataError, YearCalendar};

/// From this day of December on, a date may still be moved by the next year's notice: the New
/// Year block can start on 29 December with a make-up working day the weekend before (the 2019
/// notice listed 2018-12-29..31). Such dates are provisional until the next year is loaded.
pub const NEXT_NOTICE_MAY_CHANGE_FROM_DECEMBER: u32 = 25;

/// Which dates are working days, composed of the loaded [`YearCalendar`]s.
///
/// Rule: a date listed by any loaded year uses its entry (when two notices list the same date,
/// the later notice wins); any other date is a working day exactly when it is Monday–Friday.
///
/// A date is *settled* when that rule cannot change any more: its year is loaded and, for
/// 25–31 December, the next year is loaded too (see [`NEXT_NOTICE_MAY_CHANGE_FROM_DECEMBER`]).
/// Answers that depend on unsettled dates are reported as provisional by the callers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    years: BTreeMap<i32, YearCalendar>,
    /// Every listed date → whether it is a day off, merged from `years`.
    off_day_by_date: BTreeMap<NaiveDate, bool>,
}

/// Where a walk over working days ended, and whether it crossed an unsettled date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WorkingDayWalk {
    pub(super) date: NaiveDate,
    pub(super) provisional: bool,
}

impl WorkingCalendar {
    /// A calendar with no years loaded: Monday–Friday everywhere, every answer provisional.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A calendar composed of `years`.
    ///
    /// # Errors
    /// [`CalendarDataError::DuplicateYear`] when two schedules have the same year.
    pub fn from_years(
        years: impl IntoIterator<Item = YearCalendar>,
    ) -> Result<Self, CalendarDataError> {
        let mut by_year = BTreeMap::new();
        for calendar in years {
            let year = calendar.year();
            if by_year.insert(year, calendar).is_some() {
                return Err(CalendarDataError::DuplicateYear { year });
            }
        }
        Ok(Self::from_map(by_year))
    }

    fn from_map(years: BTreeMap<i32, YearCalendar>) -> Self {
        let mut off_day_by_date = BTreeMap::new();
        // Ascending years: a later notice overwrites what an earlier one said about a date.
        for calendar in years.values() {
            for entry in calendar.entries() {
                off_day_by_date.insert(entry.date, entry.is_off_day);
            }
        }
        Self {
            years,
            off_day_by_date,
        }
    }

    /// Loads `calendar`, replacing the schedule of its year if one was loaded; returns the
    /// replaced schedule.
    pub fn replace_year(&mut self, calendar: YearCalendar) -> Option<YearCalendar> {
        let mut years = std::mem::take(&mut self.years);
        let replaced = years.insert(calendar.year(), calendar);
        *self = Self::from_map(years);
        replaced
    }

    /// Unloads the schedule of `year`, returning it; its dates fall back to Monday–Friday and
    /// become provisional.
    pub fn remove_year(&mut self, year: i32) -> Option<YearCalendar> {
        let mut years = std::mem::take(&mut self.years);
        let removed = years.remove(&year);
        *self = Self::from_map(years);
        removed
    }

    /// The loaded schedules, earliest year first.
    pub fn year_calendars(&self) -> impl Iterator<Item = &YearCalendar> {
        self.years.values()
    }

    /// The years whose schedule is loaded, earliest first.
    pub fn known_years(&self) -> impl Iterator<Item = i32> {
        self.years.keys().copied()
    }

    /// Whether the schedule of `year` is loaded.
    #[must_use]
    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether `date` is a working day (see the type's rule).
    #[must_use]
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.off_day_by_date.get(&date) {
            Some(&is_off_day) => !is_off_day,
            None => is_monday_to_friday(date),
        }
    }

    /// Whether the answer of [`WorkingCalendar::is_working_day`] for `date` is final.
    #[must_use]
    pub fn is_settled(&self, date: NaiveDate) -> bool {
        let year = date.year();
        let next_notice_may_reach_back =
            date.month() == 12 && date.day() >= NEXT_NOTICE_MAY_CHANGE_FROM_DECEMBER;
        self.has_year(year) && (!next_notice_may_reach_back || self.has_year(year + 1))
    }

    /// Number of working days `d` with `after < d <= through` (0 when `through <= after`).
    pub(super) fn count_working_days(&self, after: NaiveDate, through: NaiveDate) -> i64 {
        if through <= after {
            return 0;
        }
        let listed = (Bound::Excluded(after), Bound::Included(through));
        let correction: i64 = self
            .off_day_by_date
            .range(listed)
            .map(|(&date, &is_off_day)| {
                i64::from(!is_off_day) - i64::from(is_monday_to_friday(date))
            })
            .sum();
        monday_to_friday_through(through) - monday_to_friday_through(after) + correction
    }

    /// Whether every date `d` with `after < d <= through` is settled (true for an empty range).
    pub(super) fn range_is_settled(&self, after: NaiveDate, through: NaiveDate) -> bool {
        let Some(first) = after.succ_opt() else {
            return true;
        };
        if through < first {
            return true;
        }
        // Every year touched must be loaded; then only the late December of the last year can
        // still wait for the next notice, and the range reaches it exactly when `through` does.
        (first.year()..=through.year()).all(|year| self.has_year(year)) && self.is_settled(through)
    }

    /// The `n`-th working day after `date` (`date` itself when `n` is 0), or `None` past
    /// chrono's date range.
    pub(super) fn nth_working_day_after(&self, date: NaiveDate, n: u32) -> Option<WorkingDayWalk> {
        self.walk(date, n, NaiveDate::succ_opt)
    }

    /// The `n`-th working day counting back from `date`, where `date` itself counts when it is
    /// a working day (`date` itself when `n` is 0), or `None` past chrono's date range.
    pub(super) fn nth_working_day_at_or_before(
        &self,
        date: NaiveDate,
        n: u32,
    ) -> Option<WorkingDayWalk> {
        if n == 0 {
            return Some(WorkingDayWalk {
                date,
                provisional: false,
            });
        }
        // Start one day later: the walk examines the dates after its start, here `date` first.
        self.walk(date.succ_opt()?, n, NaiveDate::pred_opt)
    }

    fn walk(
        &self,
        start: NaiveDate,
        n: u32,
        step: fn(&NaiveDate) -> Option<NaiveDate>,
    ) -> Option<WorkingDayWalk> {
        let mut date = start;
        let mut provisional = false;
        for _ in 0..n {
            loop {
                date = step(&date)?;
                provisional |= !self.is_settled(date);
                if self.is_working_day(date) {
                    break;
                }
            }
        }
        Some(WorkingDayWalk { date, provisional })
    }
}

fn is_monday_to_friday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Number of Monday–Friday dates from 0001-01-01 (a Monday) up to and including `date`
/// (negative before it); differences of it count weekdays in a range without walking it.
fn monday_to_friday_through(date: NaiveDate) -> i64 {
    // Days from 0001-01-01 through `date`: whole weeks give five weekdays each, and the days
    // of the partial week run Monday, Tuesday, … so at most five of them are weekdays.
    let days = i64::from(date.num_days_from_ce());
    days.div_euclid(7) * 5 + days.rem_euclid(7).min(5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarDayEntry;
    use crate::calendar::test_support::{
        HOLIDAYS_2026, TestResult, date, vendored_calendar, year_from_json,
    };

    fn dates_of(year: i32) -> impl Iterator<Item = NaiveDate> {
        date(year, 1, 1)
            .iter_days()
            .take_while(move |d| d.year() == year)
    }

    #[test]
    fn yearly_working_day_totals_match_the_data_readme() {
        let calendar = vendored_calendar();
        for (year, expected) in [(2024, 251), (2025, 248), (2026, 248)] {
            let walked = dates_of(year)
                .filter(|&d| calendar.is_working_day(d))
                .count();
            assert_eq!(walked, expected, "{year} day by day");
            let counted = calendar.count_working_days(date(year - 1, 12, 31), date(year, 12, 31));
            assert_eq!(counted, expected as i64, "{year} counted");
        }
    }

    #[test]
    fn adjusted_working_weekend_days_match_the_data_readme() {
        let calendar = vendored_calendar();
        let expected: [(i32, &[(u32, u32)]); 3] = [
            (
                2024,
                &[
                    (2, 4),
                    (2, 18),
                    (4, 7),
                    (4, 28),
                    (5, 11),
                    (9, 14),
                    (9, 29),
                    (10, 12),
                ],
            ),
            (2025, &[(1, 26), (2, 8), (4, 27), (9, 28), (10, 11)]),
            (2026, &[(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)]),
        ];
        for (year, month_days) in expected {
            let worked_weekends: Vec<NaiveDate> = dates_of(year)
                .filter(|&d| !is_monday_to_friday(d) && calendar.is_working_day(d))
                .collect();
            let expected: Vec<NaiveDate> =
                month_days.iter().map(|&(m, d)| date(year, m, d)).collect();
            assert_eq!(worked_weekends, expected, "{year}");
        }
    }

    #[test]
    fn listed_dates_use_their_entry_and_others_the_weekday() {
        let calendar = vendored_calendar();
        assert!(
            calendar.is_working_day(date(2026, 2, 14)),
            "Saturday, adjusted working day"
        );
        assert!(
            !calendar.is_working_day(date(2026, 2, 16)),
            "Monday in the Spring Festival block"
        );
        assert!(
            !calendar.is_working_day(date(2026, 2, 21)),
            "Saturday inside the block"
        );
        assert!(
            calendar.is_working_day(date(2026, 3, 2)),
            "an ordinary Monday"
        );
        assert!(
            !calendar.is_working_day(date(2026, 3, 7)),
            "an ordinary Saturday"
        );
        // 2027 has no data: Monday–Friday, although 2027-01-01 will surely be a holiday.
        assert!(calendar.is_working_day(date(2027, 1, 1)));
        assert!(!calendar.is_working_day(date(2027, 1, 2)));
    }

    #[test]
    fn late_december_waits_for_the_next_notice() {
        let calendar = vendored_calendar();
        assert!(calendar.is_settled(date(2026, 6, 1)));
        assert!(calendar.is_settled(date(2026, 12, 24)));
        assert!(
            !calendar.is_settled(date(2026, 12, 25)),
            "2027 notice may still move it"
        );
        assert!(!calendar.is_settled(date(2026, 12, 31)));
        assert!(calendar.is_settled(date(2025, 12, 31)), "2026 is loaded");
        assert!(!calendar.is_settled(date(2027, 1, 4)), "no 2027 data");
        assert!(!calendar.is_settled(date(2023, 12, 31)), "no 2023 data");
        assert!(!WorkingCalendar::new().is_settled(date(2026, 6, 1)));
    }

    #[test]
    fn range_settlement_follows_the_dates_it_contains() {
        let calendar = vendored_calendar();
        assert!(calendar.range_is_settled(date(2024, 1, 1), date(2026, 12, 24)));
        assert!(!calendar.range_is_settled(date(2026, 12, 20), date(2026, 12, 25)));
        assert!(
            calendar.range_is_settled(date(2023, 12, 31), date(2024, 3, 1)),
            "starts after 2023-12-31"
        );
        assert!(!calendar.range_is_settled(date(2023, 12, 30), date(2024, 3, 1)));
        assert!(!calendar.range_is_settled(date(2026, 12, 30), date(2027, 1, 5)));
        assert!(
            calendar.range_is_settled(date(2030, 1, 1), date(2030, 1, 1)),
            "empty range"
        );
        assert!(
            calendar.range_is_settled(date(2030, 1, 2), date(2030, 1, 1)),
            "backwards range"
        );
    }

    #[test]
    fn counting_agrees_with_walking_day_by_day() {
        let calendar = vendored_calendar();
        for after in date(2023, 12, 1)
            .iter_days()
            .step_by(3)
            .take_while(|&d| d < date(2027, 2, 1))
        {
            for length in 0..40 {
                let through = after + chrono::Days::new(length);
                let walked = after.iter_days().skip(1).take_while(|&d| d <= through);
                let walked = walked.filter(|&d| calendar.is_working_day(d)).count() as i64;
                assert_eq!(
                    calendar.count_working_days(after, through),
                    walked,
                    "({after}, {through}]"
                );
            }
        }
        assert_eq!(
            calendar.count_working_days(date(2026, 3, 9), date(2026, 3, 2)),
            0
        );
    }

    #[test]
    fn walks_forwards_and_backwards_over_working_days() {
        let calendar = vendored_calendar();
        let walk = |date, provisional| Some(WorkingDayWalk { date, provisional });
        // After Friday 2026-02-13: 02-14 (Sat, adjusted) is the 1st, 02-24 (Tue) the 2nd.
        assert_eq!(
            calendar.nth_working_day_after(date(2026, 2, 13), 1),
            walk(date(2026, 2, 14), false)
        );
        assert_eq!(
            calendar.nth_working_day_after(date(2026, 2, 13), 2),
            walk(date(2026, 2, 24), false)
        );
        assert_eq!(
            calendar.nth_working_day_after(date(2026, 2, 13), 0),
            walk(date(2026, 2, 13), false)
        );
        // Back from 2026-02-23 (off): 02-14 is the 1st, 02-13 (Fri) the 2nd.
        assert_eq!(
            calendar.nth_working_day_at_or_before(date(2026, 2, 23), 1),
            walk(date(2026, 2, 14), false)
        );
        assert_eq!(
            calendar.nth_working_day_at_or_before(date(2026, 2, 23), 2),
            walk(date(2026, 2, 13), false)
        );
        assert_eq!(
            calendar.nth_working_day_at_or_before(date(2026, 2, 24), 1),
            walk(date(2026, 2, 24), false)
        );
        assert_eq!(
            calendar.nth_working_day_at_or_before(date(2026, 2, 24), 0),
            walk(date(2026, 2, 24), false)
        );
        // From 2024-01-02 back: 01-02, then 2024-01-01 is off, then 2023-12-29 (no data).
        assert_eq!(
            calendar.nth_working_day_at_or_before(date(2024, 1, 2), 2),
            walk(date(2023, 12, 29), true)
        );
        assert_eq!(calendar.nth_working_day_after(NaiveDate::MAX, 1), None);
        assert_eq!(
            calendar.nth_working_day_at_or_before(NaiveDate::MIN, 2),
            None
        );
    }

    fn year_of(year: i32, entries: &[(NaiveDate, bool)]) -> YearCalendar {
        let entries = entries.iter().map(|&(date, is_off_day)| CalendarDayEntry {
            date,
            is_off_day,
            name: "元旦".to_owned(),
        });
        YearCalendar::new(year, entries.collect()).unwrap_or_else(|e| panic!("{year}: {e}"))
    }

    #[test]
    fn a_later_notice_overrides_what_an_earlier_one_said() -> TestResult {
        // The 2019 notice made 2018-12-29 (Sat) a working day and 12-31 (Mon) a day off.
        let notice_2018 = year_of(
            2018,
            &[(date(2018, 1, 1), true), (date(2018, 12, 31), false)],
        );
        let notice_2019 = year_of(
            2019,
            &[(date(2018, 12, 29), false), (date(2018, 12, 31), true)],
        );
        for years in [
            [notice_2018.clone(), notice_2019.clone()],
            [notice_2019, notice_2018],
        ] {
            let calendar = WorkingCalendar::from_years(years)?;
            assert!(calendar.is_working_day(date(2018, 12, 29)));
            assert!(!calendar.is_working_day(date(2018, 12, 31)));
            assert!(!calendar.has_year(2017) && calendar.has_year(2018) && calendar.has_year(2019));
        }
        Ok(())
    }

    #[test]
    fn admin_can_replace_and_remove_a_year() -> TestResult {
        let mut calendar = vendored_calendar();
        let published = year_from_json(HOLIDAYS_2026)?;
        // Replace 2026 with a schedule that only makes 2026-03-02 (Mon) a day off.
        let replaced = calendar.replace_year(year_of(2026, &[(date(2026, 3, 2), true)]));
        assert_eq!(replaced, Some(published.clone()));
        assert!(!calendar.is_working_day(date(2026, 3, 2)));
        assert!(
            calendar.is_working_day(date(2026, 2, 16)),
            "the old Spring Festival entry is gone"
        );
        assert!(calendar.is_settled(date(2026, 2, 16)));

        assert!(calendar.remove_year(2026).is_some());
        assert!(!calendar.has_year(2026) && !calendar.is_settled(date(2026, 3, 2)));
        assert!(calendar.is_working_day(date(2026, 3, 2)));
        assert_eq!(calendar.remove_year(2026), None);

        assert_eq!(calendar.replace_year(published), None);
        assert_eq!(calendar, vendored_calendar());
        let years: Vec<i32> = calendar.year_calendars().map(YearCalendar::year).collect();
        assert_eq!(years, [2024, 2025, 2026]);
        assert!(calendar.known_years().eq([2024, 2025, 2026]));
        Ok(())
    }

    #[test]
    fn refuses_two_schedules_for_one_year() {
        let year = year_of(2026, &[(date(2026, 1, 1), true)]);
        let result = WorkingCalendar::from_years([year.clone(), year]);
        assert_eq!(result, Err(CalendarDataError::DuplicateYear { year: 2026 }));
    }
}
