//! Fixtures shared by the calendar tests: the vendored holiday data and terse constructors.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// What a test returns when it uses `?` (the workspace denies `unwrap`).
pub(crate) type TestResult = Result<(), Box<dyn std::error::Error>>;

use super::{HolidayCnFile, WorkingCalendar, YearCalendar};

pub(crate) const HOLIDAYS_2024: &str = include_str!("../../../infra/holidays-cn/2024.json");
pub(crate) const HOLIDAYS_2025: &str = include_str!("../../../infra/holidays-cn/2025.json");
pub(crate) const HOLIDAYS_2026: &str = include_str!("../../../infra/holidays-cn/2026.json");

/// One holiday-cn year file read as the infra crate reads it: `serde_json` into
/// [`HolidayCnFile`], then [`YearCalendar::try_from`].
pub(crate) fn year_from_json(text: &str) -> Result<YearCalendar, Box<dyn std::error::Error>> {
    let file = serde_json::from_str::<HolidayCnFile>(text)?;
    Ok(YearCalendar::try_from(file)?)
}

/// The calendar of the vendored data: 2024, 2025 and 2026 loaded, nothing else.
pub(crate) fn vendored_calendar() -> WorkingCalendar {
    let years = [HOLIDAYS_2024, HOLIDAYS_2025, HOLIDAYS_2026]
        .map(|text| year_from_json(text).unwrap_or_else(|e| panic!("vendored data: {e}")));
    WorkingCalendar::from_years(years).unwrap_or_else(|e| panic!("vendored data: {e}"))
}

pub(crate) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day)
        .unwrap_or_else(|| panic!("no such date: {year}-{month}-{day}"))
}

/// An instant written in RFC 3339, e.g. `2026-02-13T10:00:00+08:00`.
pub(crate) fn utc(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
        .to_utc()
}

pub(crate) fn second() -> TimeDelta {
    TimeDelta::seconds(1)
}
