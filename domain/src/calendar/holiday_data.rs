//! The holiday-cn file format (github.com/NateScarlet/holiday-cn), one JSON file per year.
//!
//! The project vendors 2024–2026 under `infra/holidays-cn/`; its README describes the format.
//! The domain crate only describes the format (`#[derive(Deserialize)]`) and converts it; the
//! JSON text is parsed outside, by `duban_infra::holiday_data`.

use serde::{Deserialize, Serialize};

use super::year_calendar::{CalendarDataError, CalendarDayEntry, YearCalendar};

/// A holiday-cn year file as published. Members not named here (`$schema`, `$id`, `papers`)
/// are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayCnFile {
    /// The year in the notice's title (a file may also list the December before it).
    pub year: i32,
    /// The listed dates.
    pub days: Vec<HolidayCnDay>,
}

/// One date of a holiday-cn file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayCnDay {
    /// The holiday the date belongs to.
    pub name: String,
    /// The date, `YYYY-MM-DD`.
    pub date: chrono::NaiveDate,
    /// `true` for a day off, `false` for an adjusted working day.
    #[serde(rename = "isOffDay")]
    pub is_off_day: bool,
}

impl TryFrom<HolidayCnFile> for YearCalendar {
    type Error = CalendarDataError;

    fn try_from(file: HolidayCnFile) -> Result<Self, Self::Error> {
        let entries = file
            .days
            .into_iter()
            .map(|day| CalendarDayEntry {
                date: day.date,
                is_off_day: day.is_off_day,
                name: day.name,
            })
            .collect();
        YearCalendar::new(file.year, entries)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::calendar::test_support::{
        HOLIDAYS_2024, HOLIDAYS_2025, HOLIDAYS_2026, TestResult, date, year_from_json,
    };

    #[test]
    fn reads_the_vendored_files() -> TestResult {
        // Entry counts from the files: 2024 has 36 dates, 2025 has 33, 2026 has 39.
        for (text, year, count) in [
            (HOLIDAYS_2024, 2024, 36),
            (HOLIDAYS_2025, 2025, 33),
            (HOLIDAYS_2026, 2026, 39),
        ] {
            let calendar = year_from_json(text)?;
            assert_eq!(calendar.year(), year);
            assert_eq!(calendar.entries().count(), count);
        }
        Ok(())
    }

    #[test]
    fn keeps_each_entry_as_published() -> TestResult {
        let calendar = year_from_json(HOLIDAYS_2026)?;
        let make_up_day = CalendarDayEntry {
            date: date(2026, 9, 20),
            is_off_day: false,
            name: "国庆节".to_owned(),
        };
        assert_eq!(calendar.entry(date(2026, 9, 20)), Some(&make_up_day));
        let spring_festival = calendar
            .entry(date(2026, 2, 17))
            .map(|e| (e.is_off_day, e.name.as_str()));
        assert_eq!(spring_festival, Some((true, "春节")));
        Ok(())
    }

    #[test]
    fn the_file_form_refuses_json_of_another_shape() {
        let texts = [
            r#"{"days": []}"#,
            r#"{"year": 2026}"#,
            r#"{"year": "2026", "days": []}"#,
            r#"{"year": 2026, "days": [{"name": "元旦", "date": "2026-02-30", "isOffDay": true}]}"#,
            r#"{"year": 2026, "days": [{"name": "元旦", "date": "2026-01-01"}]}"#,
            r#"[2026]"#,
        ];
        for text in texts {
            let result = serde_json::from_str::<HolidayCnFile>(text);
            assert!(result.is_err(), "{text}: {result:?}");
        }
    }

    #[test]
    fn the_file_form_ignores_members_it_does_not_name() -> TestResult {
        let text = r#"{"$schema": "x", "$id": "y", "year": 2026, "papers": ["z"], "days": [
            {"name": "元旦", "date": "2026-01-01", "isOffDay": true}]}"#;
        let file = serde_json::from_str::<HolidayCnFile>(text)?;
        let expected = HolidayCnDay {
            name: "元旦".to_owned(),
            date: date(2026, 1, 1),
            is_off_day: true,
        };
        assert_eq!((file.year, file.days), (2026, vec![expected]));
        Ok(())
    }

    #[test]
    fn validates_the_content_like_new() -> TestResult {
        // Upstream's placeholder for a year whose notice is not out yet has an empty list.
        let placeholder = r#"{"year": 2027, "papers": [], "days": []}"#;
        assert_eq!(
            YearCalendar::try_from(serde_json::from_str::<HolidayCnFile>(placeholder)?),
            Err(CalendarDataError::NoDays { year: 2027 })
        );
        let duplicate = r#"{"year": 2026, "days": [
            {"name": "元旦", "date": "2026-01-01", "isOffDay": true},
            {"name": "元旦", "date": "2026-01-01", "isOffDay": true}]}"#;
        let expected = CalendarDataError::DuplicateDate {
            year: 2026,
            date: date(2026, 1, 1),
        };
        assert_eq!(
            YearCalendar::try_from(serde_json::from_str::<HolidayCnFile>(duplicate)?),
            Err(expected)
        );
        Ok(())
    }

    #[test]
    fn refuses_a_date_outside_the_year() {
        let file = HolidayCnFile {
            year: 2026,
            days: vec![HolidayCnDay {
                name: "元旦".to_owned(),
                date: NaiveDate::MIN,
                is_off_day: true,
            }],
        };
        let expected = CalendarDataError::DateOutsideYear {
            year: 2026,
            date: NaiveDate::MIN,
        };
        assert_eq!(YearCalendar::try_from(file), Err(expected));
    }
}
