//! One year's official schedule: the dates that break the Monday-to-Friday rule.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::text::{TextError, bounded};

/// Earliest calendar year whose schedule is accepted.
pub const FIRST_SUPPORTED_YEAR: i32 = 2000;
/// Latest calendar year whose schedule is accepted.
pub const LAST_SUPPORTED_YEAR: i32 = 2199;
/// Longest accepted holiday name, in characters (real names are a few characters).
pub const DAY_NAME_MAX_CHARS: usize = 50;

/// One listed date of a year's schedule, in its simple, storable form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDayEntry {
    /// The local calendar date (mainland China).
    pub date: NaiveDate,
    /// `true`: a day off (holiday, or a day moved into a holiday block, weekends included).
    /// `false`: an adjusted working day (调休上班), normally a Saturday or Sunday.
    pub is_off_day: bool,
    /// The holiday the date belongs to, e.g. `春节`; a make-up working day carries the name of
    /// the holiday it pays for.
    pub name: String,
}

/// Why a year's schedule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarDataError {
    /// The year is outside [`FIRST_SUPPORTED_YEAR`]..=[`LAST_SUPPORTED_YEAR`].
    #[error(
        "year {year} is outside the supported years {FIRST_SUPPORTED_YEAR}..={LAST_SUPPORTED_YEAR}"
    )]
    UnsupportedYear {
        /// The refused year.
        year: i32,
    },
    /// A date belongs neither to the year nor to the December before it.
    #[error(
        "{date} cannot be listed in the calendar of {year} (only that year and the December before)"
    )]
    DateOutsideYear {
        /// The calendar's year.
        year: i32,
        /// The misplaced date.
        date: NaiveDate,
    },
    /// A date is listed twice.
    #[error("{date} is listed more than once in the calendar of {year}")]
    DuplicateDate {
        /// The calendar's year.
        year: i32,
        /// The repeated date.
        date: NaiveDate,
    },
    /// No dates at all: upstream publishes an empty file before the State Council notice.
    #[error("the calendar of {year} lists no days (is the notice published yet?)")]
    NoDays {
        /// The calendar's year.
        year: i32,
    },
    /// A holiday name is blank or longer than [`DAY_NAME_MAX_CHARS`].
    #[error("the holiday name of {date} {source}")]
    InvalidName {
        /// The date whose name was refused.
        date: NaiveDate,
        /// Why the name was refused.
        source: TextError,
    },
    /// Two schedules for the same year were given to one calendar.
    #[error("the calendar of {year} is given more than once")]
    DuplicateYear {
        /// The repeated year.
        year: i32,
    },
}

/// The validated schedule of one year, as published in that year's State Council notice:
/// every listed date with whether it is a day off or an adjusted working day. Dates not listed
/// follow the Monday-to-Friday rule.
///
/// A notice may also list dates of the December before its year (the New Year block can start
/// on 29 December), so those are accepted too; any other date is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCalendar {
    year: i32,
    days: BTreeMap<NaiveDate, CalendarDayEntry>,
}

impl YearCalendar {
    /// Validates `entries` as the schedule of `year`.
    ///
    /// # Errors
    /// [`CalendarDataError::UnsupportedYear`], [`CalendarDataError::NoDays`],
    /// [`CalendarDataError::DateOutsideYear`], [`CalendarDataError::InvalidName`] or
    /// [`CalendarDataError::DuplicateDate`].
    pub fn new(year: i32, entries: Vec<CalendarDayEntry>) -> Result<Self, CalendarDataError> {
        if !(FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR).contains(&year) {
            return Err(CalendarDataError::UnsupportedYear { year });
        }
        if entries.is_empty() {
            return Err(CalendarDataError::NoDays { year });
        }
        let mut days = BTreeMap::new();
        for entry in entries {
            let date = entry.date;
            let in_year = date.year() == year;
            let in_december_before = date.year() == year - 1 && date.month() == 12;
            if !in_year && !in_december_before {
                return Err(CalendarDataError::DateOutsideYear { year, date });
            }
            bounded(&entry.name, DAY_NAME_MAX_CHARS)
                .map_err(|source| CalendarDataError::InvalidName { date, source })?;
            if days.insert(date, entry).is_some() {
                return Err(CalendarDataError::DuplicateDate { year, date });
            }
        }
        Ok(Self { year, days })
    }

    /// The year of the notice (see the type's documentation for December dates).
    #[must_use]
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The listed dates, earliest first.
    pub fn entries(&self) -> impl Iterator<Item = &CalendarDayEntry> {
        self.days.values()
    }

    /// The entry for `date`, if the schedule lists it.
    #[must_use]
    pub fn entry(&self, date: NaiveDate) -> Option<&CalendarDayEntry> {
        self.days.get(&date)
    }

    /// The listed dates, earliest first, in their simple form; [`YearCalendar::new`] accepts
    /// them back unchanged.
    #[must_use]
    pub fn into_entries(self) -> Vec<CalendarDayEntry> {
        self.days.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::test_support::{TestResult, date};

    fn entry(date: NaiveDate, is_off_day: bool, name: &str) -> CalendarDayEntry {
        CalendarDayEntry {
            date,
            is_off_day,
            name: name.to_owned(),
        }
    }

    #[test]
    fn round_trips_through_entries_in_date_order() -> TestResult {
        let given = vec![
            entry(date(2026, 2, 15), true, "春节"),
            entry(date(2026, 2, 14), false, "春节"),
        ];
        let year = YearCalendar::new(2026, given.clone())?;
        assert_eq!(year.year(), 2026);
        assert_eq!(year.entry(date(2026, 2, 14)), Some(&given[1]));
        assert_eq!(year.entry(date(2026, 2, 16)), None);
        let entries = year.clone().into_entries();
        assert_eq!(entries, vec![given[1].clone(), given[0].clone()]);
        assert_eq!(YearCalendar::new(2026, entries), Ok(year));
        Ok(())
    }

    #[test]
    fn accepts_the_december_before_the_notice_year() {
        // Upstream 2019.json lists 2018-12-29..31 (caveat 1 of the data README).
        let entries = vec![
            entry(date(2018, 12, 29), false, "元旦"),
            entry(date(2019, 1, 1), true, "元旦"),
        ];
        assert!(YearCalendar::new(2019, entries).is_ok());
    }

    #[test]
    fn refuses_implausible_dates_years_and_names() {
        let new_year = entry(date(2026, 1, 1), true, "元旦");
        let cases = [
            (
                1999,
                vec![entry(date(1999, 1, 1), true, "元旦")],
                CalendarDataError::UnsupportedYear { year: 1999 },
            ),
            (
                2200,
                vec![entry(date(2200, 1, 1), true, "元旦")],
                CalendarDataError::UnsupportedYear { year: 2200 },
            ),
            (2026, vec![], CalendarDataError::NoDays { year: 2026 }),
            (
                2026,
                vec![entry(date(2025, 11, 30), true, "元旦")],
                CalendarDataError::DateOutsideYear {
                    year: 2026,
                    date: date(2025, 11, 30),
                },
            ),
            (
                2026,
                vec![entry(date(2027, 1, 1), true, "元旦")],
                CalendarDataError::DateOutsideYear {
                    year: 2026,
                    date: date(2027, 1, 1),
                },
            ),
            (
                2026,
                vec![new_year.clone(), entry(date(2026, 1, 1), false, "元旦")],
                CalendarDataError::DuplicateDate {
                    year: 2026,
                    date: date(2026, 1, 1),
                },
            ),
            (
                2026,
                vec![entry(date(2026, 1, 1), true, " ")],
                CalendarDataError::InvalidName {
                    date: date(2026, 1, 1),
                    source: TextError::Blank,
                },
            ),
            (
                2026,
                vec![entry(
                    date(2026, 1, 1),
                    true,
                    &"节".repeat(DAY_NAME_MAX_CHARS + 1),
                )],
                CalendarDataError::InvalidName {
                    date: date(2026, 1, 1),
                    source: TextError::TooLong {
                        max: DAY_NAME_MAX_CHARS,
                    },
                },
            ),
        ];
        for (year, entries, expected) in cases {
            assert_eq!(YearCalendar::new(year, entries), Err(expected));
        }
        assert!(YearCalendar::new(2026, vec![new_year]).is_ok());
    }
}
