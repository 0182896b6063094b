//! Holiday data in the holiday-cn JSON format (github.com/NateScarlet/holiday-cn): parsing
//! with `serde_json` into the domain's [`HolidayCnFile`], then validation into a
//! [`YearCalendar`].
//!
//! The years 2024–2026 are vendored under `infra/holidays-cn/` (see its README) and compiled
//! in, so [`bundled_years`] needs no files at run time.

use duban_domain::calendar::{CalendarDataError, HolidayCnFile, YearCalendar};

/// The vendored holiday-cn files, oldest first.
const BUNDLED_FILES: [&str; 3] = [
    include_str!("../holidays-cn/2024.json"),
    include_str!("../holidays-cn/2025.json"),
    include_str!("../holidays-cn/2026.json"),
];

/// Why holiday data could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HolidayDataError {
    /// The text is not JSON, or not JSON of the holiday-cn shape (members, types, dates).
    #[error("the holiday data is not holiday-cn JSON: {0}")]
    Json(String),
    /// The file has the holiday-cn shape but its content was refused.
    #[error("the holiday data was refused: {0}")]
    Data(#[from] CalendarDataError),
}

/// Reads one holiday-cn year file (JSON text) and validates it like [`YearCalendar::new`].
///
/// # Errors
/// [`HolidayDataError::Json`] for text that is not JSON of the holiday-cn shape;
/// [`HolidayDataError::Data`] for content the domain refuses (e.g. no days, a date outside the
/// year, a duplicate date).
pub fn parse_holiday_cn(text: &str) -> Result<YearCalendar, HolidayDataError> {
    let file = serde_json::from_str::<HolidayCnFile>(text)
        .map_err(|error| HolidayDataError::Json(error.to_string()))?;
    Ok(YearCalendar::try_from(file)?)
}

/// The vendored years (2024, 2025 and 2026), oldest first.
///
/// # Errors
/// Those of [`parse_holiday_cn`]; the unit tests make sure the vendored files never give one.
pub fn bundled_years() -> Result<Vec<YearCalendar>, HolidayDataError> {
    BUNDLED_FILES.into_iter().map(parse_holiday_cn).collect()
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveDate};
    use duban_domain::calendar::WorkingCalendar;

    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn bundled_years_parse() -> TestResult {
        let years: Vec<i32> = bundled_years()?.iter().map(YearCalendar::year).collect();
        assert_eq!(years, [2024, 2025, 2026]);
        Ok(())
    }

    #[test]
    fn bundled_years_have_the_published_working_day_totals() -> TestResult {
        let calendar = WorkingCalendar::from_years(bundled_years()?)?;
        for (year, expected) in [(2024, 251), (2025, 248), (2026, 248)] {
            let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or("no 1 January")?;
            let working_days = first
                .iter_days()
                .take_while(|date| date.year() == year)
                .filter(|&date| calendar.is_working_day(date))
                .count();
            assert_eq!(working_days, expected, "{year}");
        }
        Ok(())
    }

    #[test]
    fn malformed_json_is_a_json_error() {
        for text in [
            "{\"year\": 2026,",
            "not json",
            r#"{"year": "2026", "days": []}"#,
            r#"{"year": 2026, "days": [{"name": "元旦", "date": "2026-02-30", "isOffDay": true}]}"#,
        ] {
            let result = parse_holiday_cn(text);
            assert!(
                matches!(result, Err(HolidayDataError::Json(_))),
                "{text}: {result:?}"
            );
        }
    }

    #[test]
    fn refused_content_is_a_data_error() {
        let placeholder = r#"{"year": 2027, "papers": [], "days": []}"#;
        assert_eq!(
            parse_holiday_cn(placeholder),
            Err(HolidayDataError::Data(CalendarDataError::NoDays {
                year: 2027
            }))
        );
    }
}
