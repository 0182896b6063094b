//! The working-day calendar (statutory holidays and 调休 make-up days), deadlines counted in
//! working days (限时办结) and the warning ladder of running limits (预警 → 黄牌 → 红牌).
//!
//! Everything here is a pure function of its inputs: the calendar data, the instants and the
//! agency's time zone. Instants are UTC; working days are local dates of the time zone.
//!
//! - [`YearCalendar`]: one year's official schedule, converted from the holiday-cn format
//!   ([`HolidayCnFile`], deserialized by the caller, e.g. the infra crate) or built from
//!   [`CalendarDayEntry`]s.
//! - [`WorkingCalendar`]: several years composed; which dates are working days and which
//!   answers are still provisional.
//! - [`WorkingCalendar::add_working_days`] → [`Deadline`];
//!   [`WorkingCalendar::working_days_between`] → [`WorkingDayCount`].
//! - [`DeadlineRule`]: how a stored limit's deadline is (re)computed; [`missing_years`].
//! - [`WarningSchedule`], [`warning_level`], [`next_level_change_at`] → [`WarningLevel`].

mod deadline;
mod deadline_rule;
mod holiday_data;
mod local_day;
mod local_instant;
mod source;
mod warning;
mod working_calendar;
mod year_calendar;

#[cfg(test)]
mod test_support;

pub use deadline::{Deadline, DeadlineError, MAX_WORKING_DAYS, WorkingDayCount};
pub use deadline_rule::{DeadlineRule, met_on_time, missing_years};
pub use holiday_data::{HolidayCnDay, HolidayCnFile};
pub use local_day::{end_of_local_day, local_date, start_of_local_day};
pub use local_instant::LocalInstant;
pub use source::CalendarSource;
pub use warning::{
    DEFAULT_BLUE_WHEN_WORKING_DAYS_LEFT, DEFAULT_RED_AFTER_OVERDUE_WORKING_DAYS, WarningLevel,
    WarningSchedule, WarningThresholds, next_level_change_at, warning_level,
};
pub use working_calendar::{NEXT_NOTICE_MAY_CHANGE_FROM_DECEMBER, WorkingCalendar};
pub use year_calendar::{
    CalendarDataError, CalendarDayEntry, DAY_NAME_MAX_CHARS, FIRST_SUPPORTED_YEAR,
    LAST_SUPPORTED_YEAR, YearCalendar,
};

/// The agency time zone when none is configured (mainland China).
pub const DEFAULT_TIME_ZONE: chrono_tz::Tz = chrono_tz::Asia::Shanghai;
